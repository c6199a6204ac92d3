"""Search on SQLite (FTS5) and PostgreSQL (tsvector + GIN) gives the same hits — ids,
order, snippets, copies — for the same queries and filters over the same corpus, and
refuses the same malformed queries with the same message."""

from __future__ import annotations

from dataclasses import replace

import pytest

from corpus import fts
from corpus.errors import QueryError
from corpus.search import SearchOptions, search
from corpus.store import Corpus
from extract import fold_search
from tests.corpus import backends
from tests.corpus.backends import COPY_URL, ids_by, open_both

both = backends.both  # the fixture: the demo corpus in SQLite and in PostgreSQL

QUERIES = [
    SearchOptions("Bach Mai"),
    SearchOptions("bạch mai"),
    SearchOptions("BẠCH MAI", limit=3),
    SearchOptions("Khánh Hoà"),            # the pages write Khánh Hòa
    SearchOptions("Thanh Hoá"),
    SearchOptions('"cho ray"'),
    SearchOptions('"benh vien bach"*'),
    SearchOptions("ghep*"),
    SearchOptions("ky ket OR ghep than"),
    SearchOptions("benh vien NOT Bach"),
    SearchOptions("(Bach OR Ray) ky ket"),
    SearchOptions("benh vien AND (tim mach OR xa tri) NOT Hue"),
    SearchOptions("Đà Nẵng"),
    SearchOptions("40.000"),
    SearchOptions("2025 – 2030"),
    SearchOptions("y te", limit=5),
    SearchOptions("y te", limit=5, rank="bm25"),
    SearchOptions("benh vien", province="nghe an"),
    SearchOptions("benh vien", province="Thanh Hoá"),
    SearchOptions("ky ket", hospital="Bạch Mai"),
    SearchOptions("benh vien", official="Phan Văn Khải"),
    SearchOptions("benh vien", site="bacninhtv.vn"),
    SearchOptions("benh vien", site="www.baonghean.vn"),
    SearchOptions("hop tac", period_overlaps=2027),
    SearchOptions("benh vien", date_from="2025-01", date_to="2025-06-30"),
    SearchOptions("benh vien", date_from="2025-03-15", date_to="2025-03"),
    SearchOptions("benh vien", date_to="2024-10"),
    SearchOptions("benh vien", date_from="2025"),
    SearchOptions("Bach Mai", collapse_duplicates=False),
    SearchOptions("Bach Mai", province="Nghệ An", rank="bm25"),
    SearchOptions("khong co gi"),
]


def _label(o: SearchOptions) -> str:
    return ", ".join(f"{k}={v}" for k, v in ((k, getattr(o, k)) for k in o.__slots__) if v not in (None, 20, True, "title"))


@pytest.mark.parametrize("options", QUERIES, ids=_label)
@pytest.mark.parametrize("window", [2000, 2])  # 2: the title group and bm25 window are cut short
def test_same_hits_on_both_backends(both, monkeypatch, options, window):
    import corpus.search as s

    monkeypatch.setattr(s, "WINDOW", window)
    lite, pg = open_both(both)
    with lite, pg:
        if options.rank == "bm25":  # different rankings: the same hits, compared whole
            options = replace(options, limit=100)
            assert sorted(h.id for h in search(lite, options)) == sorted(h.id for h in search(pg, options))
        else:
            assert [h.to_json() for h in search(lite, options)] == [h.to_json() for h in search(pg, options)]


def test_the_queries_find_what_they_should(both):
    """The comparison above is not vacuous: spelling variants find the same articles."""
    with Corpus(both[1], readonly=True) as pg:
        def ids(query, **kw):
            return [h.id for h in search(pg, SearchOptions(query, limit=100, **kw))]

        bach_mai = ids("Bach Mai")
        assert len(bach_mai) >= 5 and ids("bạch mai") == ids("BẠCH MAI") == bach_mai
        assert ids("Khánh Hoà") == ids("Khánh Hòa") == ids("khanh hoa") != []  # tone-mark placement
        assert ids("Đà Nẵng") == ids("da nang") != []
        assert set(ids("(Bach OR Ray) ky ket")) == set(ids("Bach ky ket")) | set(ids("Ray ky ket"))
        assert ids("khong co gi") == []
        copy = ids_by(pg)[COPY_URL]
        assert copy not in bach_mai and copy in ids("Bach Mai", collapse_duplicates=False)


@pytest.mark.parametrize("bad", ['"Bach Mai', "AND", "Bach AND", "(Bach", "Bach)", "()", "NOT Bach",
                                 "a OR OR b", "Bach NEAR Mai", "NEAR(Bach Mai)", "", "  ", "…", '""'])
def test_bad_syntax_is_the_same_query_error_on_both(both, bad):
    lite, pg = open_both(both)
    messages = []
    with lite, pg:
        for corpus in (lite, pg):
            for rank in ("title", "bm25"):
                with pytest.raises(QueryError) as info:
                    search(corpus, SearchOptions(bad, rank=rank))
                messages.append(str(info.value))
    assert len(set(messages)) == 1 and "\n" not in messages[0]


def test_groups_next_to_words_now_work_on_sqlite_too(corpus_db):
    """FTS5 alone refused "(a OR b) c"; the parser writes it as "(a OR b) AND c"."""
    with Corpus(backends.fill(corpus_db), readonly=True) as c:
        hits = search(c, SearchOptions("(Chợ Rẫy OR Việt Đức) chuyển giao", limit=100))
        assert hits and all(("Chợ Rẫy" in h.title or "Việt Đức" in h.title or "[" in h.snippet) for h in hits)


def test_postgresql_index_words_are_the_query_words(both):
    """to_tsvector('simple', …) keeps every word corpus.fts.WORD cut, unchanged: a query
    lexeme (folded and cut the same way) finds exactly what FTS5 would."""
    with Corpus(both[1], readonly=True) as pg:
        for row in pg.conn.execute("SELECT f.title, f.text, tsvector_to_array(f.tsv) AS lexemes FROM articles_fts f"):
            expected = set(fts.words(row["title"]).split()) | set(fts.words(row["text"]).split())
            assert set(row["lexemes"]) == expected
            assert row["text"] == fold_search(row["text"])  # folded already
