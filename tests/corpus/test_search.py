import pytest

from corpus.errors import QueryError
from corpus.search import SearchOptions, fts_query, search, snippet
from corpus.store import Corpus
from extract import Hospital, Record
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
def corpus(fresh_db):
    with Corpus(fresh_db) as c:
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
