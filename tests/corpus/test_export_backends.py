"""Exports of the same corpus from SQLite and from PostgreSQL are the same files: JSON Lines
and CSV byte for byte, Parquet row for row; PostgreSQL streams them; and the row order,
made of columns both backends have, is still SQLite's insertion (record) order."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from corpus import db as corpus_db_module
from corpus.export import TABLES, ExportOptions, export
from corpus.store import Corpus
from tests.corpus import backends

both = backends.both  # the fixture: the demo corpus in SQLite and in PostgreSQL

FILTERS = [{}, {"since": "2025-03"}, {"site": "truyenhinhnghean.vn"}, {"drop_duplicates": True}]


def run(db: str, out: Path, fmt: str, **kw) -> dict[str, int]:
    with Corpus(db, readonly=True) as c:
        return export(c, ExportOptions(fmt=fmt, out=out, **kw))


@pytest.mark.parametrize("kw", FILTERS, ids=lambda kw: ",".join(kw) or "all")
def test_jsonl_is_byte_identical(both, tmp_path, kw):
    lite, pg = tmp_path / "lite.jsonl", tmp_path / "pg.jsonl"
    assert run(both[0], lite, "jsonl", **kw) == run(both[1], pg, "jsonl", **kw)
    assert lite.read_bytes() == pg.read_bytes() and lite.stat().st_size > 0


@pytest.mark.parametrize("kw", FILTERS, ids=lambda kw: ",".join(kw) or "all")
def test_parquet_rows_and_csv_bytes_are_identical(both, tmp_path, kw):
    for fmt in ("parquet", "csv"):
        lite, pg = tmp_path / f"lite-{fmt}", tmp_path / f"pg-{fmt}"
        counts = run(both[0], lite, fmt, **kw)
        assert counts == run(both[1], pg, fmt, **kw) and counts["dates"] > 0
        for table in TABLES:
            a, b = lite / f"{table}.{fmt}", pg / f"{table}.{fmt}"
            if fmt == "csv":
                assert a.read_bytes() == b.read_bytes(), table
            else:
                ta, tb = pq.read_table(a), pq.read_table(b)
                assert ta.schema == tb.schema and ta.to_pylist() == tb.to_pylist(), table


def test_mention_order_is_still_record_order_on_sqlite(both, tmp_path):
    """Ordering by (article_id, start, end) instead of rowid changes nothing for
    extracted records: each finder returns its mentions in text order."""
    run(both[0], tmp_path / "pq", "parquet")
    with Corpus(both[0], readonly=True) as c:
        for table in ("dates", "officials", "hospitals", "periods", "figures"):
            by_rowid = [(r[0], r[1]) for r in c.conn.execute(f"SELECT article_id, start FROM {table} ORDER BY article_id, rowid")]
            exported = pq.read_table(tmp_path / "pq" / f"{table}.parquet", columns=["article_id", "start"]).to_pylist()
            assert [(r["article_id"], r["start"]) for r in exported] == by_rowid and by_rowid, table


def test_postgresql_export_streams(both, tmp_path, monkeypatch):
    streamed: list[str] = []
    original = corpus_db_module.PgConnection.stream

    def stream(self, sql, params=()):
        streamed.append(sql)
        yield from original(self, sql, params)

    monkeypatch.setattr(corpus_db_module.PgConnection, "stream", stream)
    run(both[1], tmp_path / "pq", "parquet")
    run(both[1], tmp_path / "r.jsonl", "jsonl")
    assert len(streamed) == len(TABLES) + 1
