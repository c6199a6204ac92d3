import pytest

from corpus.errors import QueryError
from corpus.search import SearchOptions, fts_query, search, snippet
from corpus.store import Corpus
from extract import Hospital, Period, Record
from scraper.types import Article, Block

ARTICLES = [
    ("https://truyenhinhnghean.vn/a/202410/1/", "Nghệ An", "Bệnh viện Bạch Mai hỗ trợ Nghệ An",
     "Bệnh viện Bạch Mai chuyển giao 65 gói kỹ thuật cho Uỷ ban nhân dân tỉnh."),
    ("https://danangtv.vn/a/202501/2/", "Đà Nẵng", "Đà Nẵng nâng cao năng lực y tế",
     "Thành phố Đà Nẵng ký kết hợp tác với Bệnh viện Chợ Rẫy về ghép tạng."),
    ("https://thanhhoa.vn/a/202502/3/", "Thanh Hóa", "Thanh Hoá đón đoàn công tác",
     "Đoàn công tác làm việc về y tế cơ sở, hoà nhập cộng đồng."),
]


@pytest.fixture
def corpus(corpus_db):
    with Corpus(corpus_db) as c:
        for url, province, title, body in ARTICLES:
            article = Article.from_blocks([Block("title", title), Block("paragraph", body)], url=url,
                                          site=url.split("/")[2], province=province)
            hospitals = tuple(Hospital(name, name, article.text.index(name), article.text.index(name) + len(name))
                              for name in ("Bệnh viện Bạch Mai", "Bệnh viện Chợ Rẫy") if name in article.text)
            c.store(Record(article=article, hospitals=hospitals, extractor="t"))
        yield c


def titles(hits):
    return [h.title for h in hits]


@pytest.mark.parametrize("query, expected", [
    ("Bach Mai", ["Bệnh viện Bạch Mai hỗ trợ Nghệ An"]),
    ("bạch mai", ["Bệnh viện Bạch Mai hỗ trợ Nghệ An"]),
    ("Da Nang", ["Đà Nẵng nâng cao năng lực y tế"]),          # đ folds to d
    ("DA NANG", ["Đà Nẵng nâng cao năng lực y tế"]),
    ("Ủy ban", ["Bệnh viện Bạch Mai hỗ trợ Nghệ An"]),         # text says Uỷ
    ("hòa nhập", ["Thanh Hoá đón đoàn công tác"]),             # text says hoà
    ("Thanh Hóa", ["Thanh Hoá đón đoàn công tác"]),
    ('"cho ray"', ["Đà Nẵng nâng cao năng lực y tế"]),
    ("Bach OR Ray", ["Bệnh viện Bạch Mai hỗ trợ Nghệ An", "Đà Nẵng nâng cao năng lực y tế"]),
    ("y te NOT ghep", ["Thanh Hoá đón đoàn công tác"]),
    ("gh*", ["Đà Nẵng nâng cao năng lực y tế"]),
    ("khong co gi", []),
])
def test_search_ignores_diacritics_tone_marks_and_d(corpus, query, expected):
    assert sorted(titles(search(corpus, SearchOptions(query=query)))) == sorted(expected)


def test_filters(corpus):
    assert titles(search(corpus, SearchOptions(query="benh vien", province="Nghệ An"))) == ["Bệnh viện Bạch Mai hỗ trợ Nghệ An"]
    assert titles(search(corpus, SearchOptions(query="benh vien", province="nghe an"))) == ["Bệnh viện Bạch Mai hỗ trợ Nghệ An"]
    assert titles(search(corpus, SearchOptions(query="cong tac", province="Thanh Hoá"))) == ["Thanh Hoá đón đoàn công tác"]
    assert titles(search(corpus, SearchOptions(query="cong tac OR ghep", site="danangtv.vn"))) == ["Đà Nẵng nâng cao năng lực y tế"]
    assert titles(search(corpus, SearchOptions(query="benh vien", hospital="cho ray"))) == ["Đà Nẵng nâng cao năng lực y tế"]
    assert titles(search(corpus, SearchOptions(query="benh vien", hospital="Việt Đức"))) == []
    assert titles(search(corpus, SearchOptions(query="benh vien", hospital="Chợ Rẫy"))) == ["Đà Nẵng nâng cao năng lực y tế"]


def test_hits_carry_hospitals_and_highlighted_snippet(corpus):
    (hit,) = search(corpus, SearchOptions(query="Bach Mai"))
    assert hit.hospitals == ["Bệnh viện Bạch Mai"]
    assert "[Bạch] [Mai]" in hit.snippet


def test_title_matches_rank_first(corpus):
    hits = search(corpus, SearchOptions(query="Da Nang OR cong tac"))
    assert hits[0].title in {"Đà Nẵng nâng cao năng lực y tế", "Thanh Hoá đón đoàn công tác"}


@pytest.mark.parametrize("bad", ['"Bach Mai', "AND", "Bach AND", "(Bach", ""])
def test_bad_query_syntax_is_a_query_error(corpus, bad):
    with pytest.raises(QueryError):
        search(corpus, SearchOptions(query=bad))


def test_fts_query_keeps_operators_and_folds_words():
    assert fts_query('Bệnh Viện OR "Đà Nẵng" NOT Huế') == 'benh vien OR "da nang" NOT hue'


def test_snippet_highlights_in_original_spelling():
    assert snippet("Sáng nay Bệnh viện Bạch Mai ký kết.", "bach mai") == "Sáng nay Bệnh viện [Bạch] [Mai] ký kết."


def _dated(url, title, published=None, month=None, periods=()):
    from datetime import datetime

    article = Article.from_blocks([Block("title", title), Block("paragraph", "Bệnh viện tỉnh hợp tác.")],
                                  url=url, site=url.split("/")[2], province="Nghệ An",
                                  published=datetime.fromisoformat(published) if published else None,
                                  published_month=month)
    return Record(article=article, periods=tuple(Period(f"giai đoạn {s}-{e}", "giai đoạn", s, e, 0, 0)
                                                 for s, e in periods), extractor="t")


@pytest.fixture
def dated(corpus_db):
    with Corpus(corpus_db) as c:
        c.store(_dated("https://a.vn/1/", "Một", "2024-03-05T08:00:00+07:00", periods=[(2021, 2025)]))
        c.store(_dated("https://a.vn/2/", "Hai", "2024-10-20T08:00:00+07:00", periods=[(2026, 2030)]))
        c.store(_dated("https://a.vn/3/", "Ba", month="2024-10", periods=[(None, 2030)]))
        c.store(_dated("https://a.vn/4/", "Bốn", "2025-01-02T08:00:00+07:00", periods=[(2025, None)]))
        c.store(_dated("https://a.vn/5/", "Năm"))
        yield c


@pytest.mark.parametrize("kwargs, expected", [
    ({"period_overlaps": 2025}, {"Một", "Ba", "Bốn"}),
    ({"period_overlaps": 2026}, {"Hai", "Ba", "Bốn"}),
    ({"period_overlaps": 2031}, {"Bốn"}),
    ({"period_overlaps": 2010}, {"Ba"}),
    ({"date_from": "2024-10-01"}, {"Hai", "Ba", "Bốn"}),          # month-only "2024-10" may be inside
    ({"date_from": "2024-10-21"}, {"Ba", "Bốn"}),
    ({"date_to": "2024-10"}, {"Một", "Hai", "Ba"}),
    ({"date_from": "2024-04", "date_to": "2024-12-31"}, {"Hai", "Ba"}),
    ({"date_from": "2025"}, {"Bốn"}),
    ({"date_to": "2023"}, set()),
])
def test_period_and_date_filters(dated, kwargs, expected):
    assert set(titles(search(dated, SearchOptions(query="benh vien", **kwargs)))) == expected


@pytest.mark.parametrize("bad", ["2024/10/01", "yesterday", "24-10"])
def test_bad_dates_are_query_errors(dated, bad):
    with pytest.raises(QueryError, match="YYYY"):
        search(dated, SearchOptions(query="benh vien", date_from=bad))


def test_rankings(dated):
    newest_first = titles(search(dated, SearchOptions(query="benh vien")))
    assert newest_first == ["Năm", "Bốn", "Ba", "Hai", "Một"]  # none matches in the title: newest first
    assert set(titles(search(dated, SearchOptions(query="benh vien", rank="bm25")))) == set(newest_first)
    with pytest.raises(QueryError, match="unknown ranking"):
        search(dated, SearchOptions(query="x", rank="magic"))


@pytest.mark.parametrize("rank", ["title", "bm25"])
def test_ranking_window_still_finds_filtered_old_matches(dated, monkeypatch, rank):
    import corpus.search as s

    monkeypatch.setattr(s, "WINDOW", 1)  # the newest match does not pass the filter
    assert titles(search(dated, SearchOptions(query="benh vien", date_to="2024-03", rank=rank))) == ["Một"]
    assert set(titles(search(dated, SearchOptions(query="benh vien", period_overlaps=2021, rank=rank)))) == {"Một", "Ba"}
    assert len(search(dated, SearchOptions(query="benh vien", limit=3, rank=rank))) == 3


def test_title_matches_first_then_newest(corpus_db):
    with Corpus(corpus_db) as c:
        for i, title in enumerate(["Ghép tạng ở Huế", "Tin khác", "Tin mới"]):
            c.store(_dated(f"https://a.vn/{i}/", title, f"2024-0{i + 1}-01T08:00:00+07:00"))
        c.store(Record(article=Article.from_blocks(
            [Block("title", "Tin cũ"), Block("paragraph", "Bệnh viện tỉnh ghép tạng.")], url="https://a.vn/9/",
            site="a.vn"), extractor="t"))
        assert titles(search(c, SearchOptions(query="ghep tang"))) == ["Ghép tạng ở Huế", "Tin cũ"]
        assert titles(search(c, SearchOptions(query="benh vien NOT ghep"))) == ["Tin mới", "Tin khác"]


def test_snippet_highlights_prefix_and_phrase_words():
    text = "Bệnh viện Bạch Mai ghép tạng; ghép thận thành công."
    assert snippet(text, "gh*") == "Bệnh viện Bạch Mai [gh]ép tạng; [gh]ép thận thành công."
    assert snippet(text, '"bach mai"') == "Bệnh viện [Bạch] [Mai] ghép tạng; ghép thận thành công."
