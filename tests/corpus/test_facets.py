"""Facets (corpus.facets): counts over every matching story, a republished story counted
once by the copy search shows, the same on SQLite and PostgreSQL; `vnnews search --facets`."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from corpus.cli import main
from corpus.facets import FACETS, facet_counts, facets_json
from corpus.search import SearchOptions
from corpus.store import Corpus
from extract import Hospital, Official, Period, Record
from scraper.types import Article, Block
from tests.corpus.test_dedup import OTHER, STORY, edited

BACH_MAI, CHO_RAY = "Bệnh viện Bạch Mai", "Bệnh viện Chợ Rẫy"
LUAN = Official("Lê Đức Luận", ("Thứ trưởng Bộ Y tế",), "Lê Đức Luận", 0, 11)


def make(url, body, *, province=None, published=None, month=None, hospitals=(), officials=(), periods=()):
    article = Article.from_blocks([Block("title", "Hợp tác y tế"), Block("paragraph", body)], url=url,
                                  site=url.split("/")[2] if url else None, province=province,
                                  published=datetime.fromisoformat(published) if published else None,
                                  published_month=month)
    return Record(article=article, hospitals=tuple(Hospital(h, h, 0, len(h)) for h in hospitals),
                  officials=tuple(officials), extractor="t",
                  periods=tuple(Period("giai đoạn", "giai đoạn", s, e, 0, 9) for s, e in periods))


RECORDS = [
    # a: the canonical copy of a story that b and f republish
    make("https://truyenhinhnghean.vn/a/1", STORY, province="Nghệ An", published="2025-01-14T09:00:00+07:00",
         hospitals=[BACH_MAI], officials=[LUAN], periods=[(2025, 2030)]),
    make("https://baonghean.vn/a/2", edited(STORY), province="Nghệ An", published="2025-01-15T09:00:00+07:00",
         hospitals=[BACH_MAI], officials=[LUAN], periods=[(2025, 2030)]),
    make("https://hatinhtv.vn/a/3", "Bệnh viện Bạch Mai và Bệnh viện Chợ Rẫy khám bệnh miễn phí cho người dân "
         "vùng cao Hà Tĩnh trong ba ngày cuối tuần.", province="Hà Tĩnh", published="2025-02-03T09:00:00+07:00",
         hospitals=[BACH_MAI, CHO_RAY], periods=[(2025, None)]),
    make("https://thanhhoatv.vn/a/4", OTHER, province="Thanh Hóa", month="2024-12", officials=[LUAN]),
    make(None, "Bệnh viện Chợ Rẫy ghép thận thành công cho bệnh nhân thứ một trăm.", hospitals=[CHO_RAY]),
    make("https://baohatinh.vn/a/6", edited(STORY), province="Hà Tĩnh", published="2025-01-16T09:00:00+07:00",
         hospitals=[BACH_MAI], officials=[LUAN], periods=[(2025, 2030)]),
]


@pytest.fixture
def db(corpus_db):
    with Corpus(corpus_db) as c:
        for r in RECORDS:
            c.store(r)
        copies = [r[0] for r in c.conn.execute("SELECT url FROM articles WHERE duplicate_of IS NOT NULL ORDER BY id")]
        assert copies == ["https://baonghean.vn/a/2", "https://baohatinh.vn/a/6"]  # the setup is what we think
    return corpus_db


def counts(db, query="", limit=10, **kw):
    with Corpus(db, readonly=True) as c:
        return facet_counts(c, SearchOptions(query, **kw), limit)


def test_whole_corpus_one_story_once(db):
    assert counts(db) == {
        "hospital": [(BACH_MAI, 2), (CHO_RAY, 2)],                      # a (not b, f) and c; c and e
        "official": [("Lê Đức Luận", 2)],                                # a and d
        "province": [("Hà Tĩnh", 1), ("Nghệ An", 1), ("Thanh Hóa", 1)],  # e has none; ties in byte order
        "site": [("hatinhtv.vn", 1), ("thanhhoatv.vn", 1), ("truyenhinhnghean.vn", 1)],
        "period": [("2025–2030", 1), ("2025–…", 1)],
        "month": [("2024-12", 1), ("2025-01", 1), ("2025-02", 1)],       # d: published_month only
    }


def test_every_copy_counts_with_all_copies(db):
    got = counts(db, collapse_duplicates=False)
    assert got["hospital"] == [(BACH_MAI, 4), (CHO_RAY, 2)]
    assert got["province"] == [("Hà Tĩnh", 2), ("Nghệ An", 2), ("Thanh Hóa", 1)]
    assert got["month"] == [("2025-01", 3), ("2024-12", 1), ("2025-02", 1)]


def test_a_query_counts_its_matches_not_only_the_hits_shown(db):
    got = counts(db, "Bạch Mai", limit=1)
    assert got["hospital"] == [(BACH_MAI, 2)] and got["official"] == [("Lê Đức Luận", 1)]
    assert counts(db, "Bach Mai", limit=1) == got


def test_a_story_counts_by_the_copy_search_shows(db):
    # only the republished copies say "Theo TTXVN": the newest matching copy stands for the story
    assert counts(db, "TTXVN")["site"] == [("baohatinh.vn", 1)]
    assert counts(db, "TTXVN", site="baonghean.vn")["site"] == [("baonghean.vn", 1)]
    # the canonical copy matches too: it stands for the story
    assert counts(db, "ky ket")["site"] == [("truyenhinhnghean.vn", 1)]


def test_filters_apply(db):
    assert counts(db, province="Hà Tĩnh")["site"] == [("baohatinh.vn", 1), ("hatinhtv.vn", 1)]
    assert counts(db, "benh vien", hospital="cho ray")["hospital"] == [(CHO_RAY, 2), (BACH_MAI, 1)]  # c and e
    assert counts(db, date_to="2024")["official"] == [("Lê Đức Luận", 1)]
    assert counts(db, period_overlaps=2031)["period"] == [("2025–…", 1)]
    assert counts(db, "khong co gi") == {name: [] for name in FACETS}


def test_cli_facets(db, capsys):
    assert main(["search", "--facets", "--format", "json", "--db", db]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line == facets_json(counts(db))
    assert main(["search", "Bạch Mai", "--facets", "--format", "json", "--limit", "1", "--db", db]) == 0
    hit, facets = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert hit["url"] and facets["facets"]["hospital"][0] == {"value": BACH_MAI, "count": 2}
    assert main(["search", "Bạch Mai", "--facets", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Bệnh viện Chợ Rẫy" in out and "2025–2030" in out and "truyenhinhnghean.vn" in out
