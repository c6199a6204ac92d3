"""Migrations: a corpus made by the first schema is upgraded in place — agreement parties
get their own table, facet columns and near-duplicate signatures are filled in.  The
upgrades from an old file are SQLite's (PostgreSQL corpora start at the current schema);
a failing migration is checked on both backends."""

from __future__ import annotations

import json
import sqlite3

import pytest

import corpus.store as store
from corpus.db import db_errors
from corpus.errors import CorpusError
from corpus.schema import MIGRATIONS
from corpus.store import Corpus
from tests.corpus.test_dedup import STORY, edited, record


def _v1_corpus(path: str, monkeypatch) -> None:
    monkeypatch.setattr(store, "MIGRATIONS", MIGRATIONS[:1])
    Corpus(path).close()
    monkeypatch.setattr(store, "MIGRATIONS", MIGRATIONS)
    con = sqlite3.connect(path)
    for i, (text, day) in enumerate([(STORY, "2025-01-14"), (edited(STORY), "2025-01-15")], start=1):
        con.execute("INSERT INTO articles (id, key, url, site, province, title, lead, text, published, authors, tags, "
                    "text_sha256, record, extractor, stored_at) VALUES (?, ?, ?, 's.vn', 'Nghệ An', 'T', '', ?, ?, "
                    "'[]', '[]', ?, '{}', 'old', '')", (i, f"k{i}", f"https://s.vn/{i}", text, day, f"h{i}"))
        con.execute("INSERT INTO hospitals VALUES (?, 'Bệnh viện Bạch Mai', 'benh vien bach mai', 'BV Bạch Mai', 0, 11)",
                    (i,))
        con.execute("INSERT INTO periods VALUES (?, 'giai đoạn 2025-2030', 'giai đoạn', 2025, 2030, 0, 0)", (i,))
        con.execute("INSERT INTO agreements VALUES (?, ?, '2025-01-14', 2025, 2030, '[]', 'ký', 0, 2)",
                    (i, json.dumps(["UBND tỉnh Nghệ An", "Bệnh viện Bạch Mai"], ensure_ascii=False)))
    con.commit()
    con.close()


def test_upgrade_from_the_first_schema(fresh_db, monkeypatch):
    _v1_corpus(fresh_db, monkeypatch)
    with Corpus(fresh_db) as c:
        versions = [r[0] for r in c.conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
        assert versions == list(range(1, len(MIGRATIONS) + 1))
        parties = c.conn.execute("SELECT agreement_id, article_id, position, name, name_key FROM agreement_parties "
                                 "ORDER BY agreement_id, position").fetchall()
        assert [tuple(p) for p in parties[:2]] == [(1, 1, 0, "UBND tỉnh Nghệ An", "ubnd tinh nghe an"),
                                                   (1, 1, 1, "Bệnh viện Bạch Mai", "benh vien bach mai")]
        row = c.conn.execute("SELECT hospital_names, period_labels, duplicate_of FROM articles WHERE id=2").fetchone()
        assert json.loads(row[0]) == ["Bệnh viện Bạch Mai"] and json.loads(row[1]) == ["2025–2030"]
        assert row[2] == 1  # signatures were back-filled and the copy linked
        assert c.count("minhashes") == 2
    with Corpus(fresh_db, readonly=True) as c:
        assert c.count("agreements") == 2


def test_a_reader_upgrades_an_old_corpus_once(fresh_db, monkeypatch):
    _v1_corpus(fresh_db, monkeypatch)
    with Corpus(fresh_db, readonly=True) as c:
        assert c.count("agreement_parties") == 4
        assert c.conn.execute("SELECT duplicate_of FROM articles WHERE id=2").fetchone()[0] == 1


def test_an_old_corpus_that_cannot_be_upgraded_says_so(fresh_db, monkeypatch):
    _v1_corpus(fresh_db, monkeypatch)
    holder = sqlite3.connect(fresh_db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 0.2)
    try:
        with pytest.raises(CorpusError, match="older schema and cannot be upgraded: .*locked"):
            Corpus(fresh_db, readonly=True)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_migrations_are_append_only():
    assert MIGRATIONS[0][0] == "pages-articles-mentions"
    names = [name for name, _ in MIGRATIONS]
    assert len(names) == len(set(names))


def test_a_failing_migration_leaves_the_corpus_as_it_was(fresh_db, monkeypatch):
    _v1_corpus(fresh_db, monkeypatch)
    monkeypatch.setattr(store, "MIGRATIONS", [*MIGRATIONS, ("broken", "CREATE TABLE runs (x)")])
    with pytest.raises(CorpusError):
        Corpus(fresh_db)
    con = sqlite3.connect(fresh_db)
    try:
        assert [r[0] for r in con.execute("SELECT version FROM schema_migrations")] == list(
            range(1, len(MIGRATIONS) + 1))  # the good ones applied, the broken one not
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    finally:
        con.close()


def test_a_failing_new_migration_keeps_the_current_corpus(corpus_db, monkeypatch):
    with Corpus(corpus_db) as c:
        c.store(record("https://baoyte.vn/a/1/", STORY, day=14))
    name = "PG_MIGRATIONS" if corpus_db.startswith("postgresql://") else "MIGRATIONS"
    current = getattr(store, name)
    # its first statement succeeds, its second fails: the migration must not half-apply
    monkeypatch.setattr(store, name, [*current, ("broken", "CREATE TABLE half_done (x INTEGER);\n"
                                                           "CREATE TABLE runs (x INTEGER)")])
    with pytest.raises(CorpusError):
        Corpus(corpus_db)
    monkeypatch.setattr(store, name, current)
    with Corpus(corpus_db) as c:
        assert [r[0] for r in c.conn.execute("SELECT version FROM schema_migrations ORDER BY version")] == list(
            range(1, len(current) + 1))
        assert c.count("articles") == 1
        with pytest.raises(db_errors()):
            c.conn.execute("SELECT count(*) FROM half_done")
