"""corpus/db.py without a server: where a --db value points, placeholders for psycopg,
passwords kept out of messages, rows readable both ways."""

from __future__ import annotations

import pytest

from corpus.db import POSTGRESQL, SQLITE, Row, parse_db, redact, sqlite_path, to_pg
from corpus.errors import CorpusError


@pytest.mark.parametrize("db, expected", [
    ("corpus.db", (SQLITE, "corpus.db")),
    ("sqlite:///data/corpus.db", (SQLITE, "data/corpus.db")),
    ("sqlite:////abs/corpus.db", (SQLITE, "/abs/corpus.db")),
    ("postgresql://u@h:5432/vnnews", (POSTGRESQL, "postgresql://u@h:5432/vnnews")),
    ("postgres://u@h/vnnews", (POSTGRESQL, "postgres://u@h/vnnews")),
    (None, (SQLITE, "vnnews.db")),
])
def test_parse_db(db, expected):
    assert parse_db(db) == expected


@pytest.mark.parametrize("db", ["mysql://u@h/db", "ftp://x/y.db"])
def test_other_schemes_are_refused_in_one_line(db):
    with pytest.raises(CorpusError, match=r"unsupported database URL scheme") as err:
        parse_db(db)
    assert "\n" not in str(err.value)


def test_sqlite_only_commands_name_the_postgresql_corpus_without_its_password():
    with pytest.raises(CorpusError) as err:
        sqlite_path("postgresql://reader:s3cret@db.example:5432/vnnews")
    assert "s3cret" not in str(err.value) and "db.example" in str(err.value)


@pytest.mark.parametrize("url, shown", [
    ("postgresql://reader:s3cret@h:5432/vnnews", "postgresql://reader:***@h:5432/vnnews"),
    ("postgresql://reader@h/vnnews", "postgresql://reader@h/vnnews"),
    ("postgresql://h/vnnews?sslmode=require", "postgresql://h/vnnews?sslmode=require"),
])
def test_redact(url, shown):
    assert redact(url) == shown


@pytest.mark.parametrize("sql, pg", [
    ("SELECT * FROM a WHERE id=? AND key=?", "SELECT * FROM a WHERE id=%s AND key=%s"),
    ("SELECT 'why?', \"q?\" FROM a WHERE x LIKE ? ESCAPE '\\'", "SELECT 'why?', \"q?\" FROM a WHERE x LIKE %s ESCAPE '\\'"),
    ("SELECT 100 % 7, '50%' FROM a", "SELECT 100 %% 7, '50%' FROM a"),
    ("SELECT 'it''s ?' , ?", "SELECT 'it''s ?' , %s"),
    ("BEGIN IMMEDIATE", "BEGIN"),
    ("INSERT OR IGNORE INTO t (a) VALUES (?)", "INSERT INTO t (a) VALUES (%s) ON CONFLICT DO NOTHING"),
])
def test_to_pg(sql, pg):
    assert to_pg(sql) == pg


def test_row_reads_by_position_and_name_like_sqlite3_row():
    row = Row((7, "Bạch Mai"), {"id": 0, "name": 1})
    assert row[0] == 7 and row["name"] == "Bạch Mai" and row[-1] == "Bạch Mai"
    assert tuple(row) == (7, "Bạch Mai") and dict(zip(row.keys(), row)) == {"id": 7, "name": "Bạch Mai"}
    assert dict(row) == {"id": 7, "name": "Bạch Mai"}  # what dict(sqlite3.Row) gives too
    with pytest.raises(IndexError):
        row["missing"]
