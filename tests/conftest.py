"""Shared fixtures: paths to the repository, the shared folder and a fresh corpus.

``corpus_db`` runs a test twice, ids ``sqlite`` and ``postgresql``: it yields what
``Corpus(...)`` and ``--db`` take, a new SQLite file path or the URL of a new, empty
PostgreSQL database (``pg_dsn``) on the session's throwaway server (``pg_server``, see
tests/pgserver.py).  ``pytest -k sqlite`` / ``-k postgresql`` runs one backend.
Without PostgreSQL the ``postgresql`` runs are skipped, or fail when ``CI`` is set.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests import pgserver

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture
def fresh_db(tmp_path: Path) -> str:
    return str(tmp_path / "corpus.db")


def is_pg(db: str) -> bool:
    return db.startswith(("postgresql://", "postgres://"))


def raw_connect(db: str) -> Any:
    """A plain autocommit connection to a corpus of either backend, bypassing ``Corpus``
    (another process's view): ``execute``, explicit ``BEGIN``/``COMMIT``, ``close``.
    Placeholders are the driver's own (``?`` for SQLite, ``%s`` for psycopg)."""
    if is_pg(db):
        import psycopg

        return psycopg.connect(db, autocommit=True)
    return sqlite3.connect(db, isolation_level=None, timeout=5)


@contextlib.contextmanager
def articles_locked(url: str) -> Iterator[None]:
    """Another session holds an exclusive lock on the articles table of a PostgreSQL corpus
    (a long migration by hand, say).  The server ends that session after 10 s, so a backend
    that would wait forever fails the test instead of hanging it."""
    holder = raw_connect(url)
    try:
        holder.execute("SET idle_in_transaction_session_timeout = '10s'")
        holder.execute("BEGIN")
        holder.execute("LOCK TABLE articles IN ACCESS EXCLUSIVE MODE")
        yield
    finally:
        holder.close()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pgserver.PgServer]:
    try:
        server = pgserver.start()
    except pgserver.PgUnavailable as e:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs PostgreSQL for the corpus tests: {e}", pytrace=False)
        pytest.skip(f"no PostgreSQL: {e}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_dsn(pg_server: pgserver.PgServer) -> Iterator[str]:
    """The URL of a new, empty UTF8 database, dropped after the test."""
    url = pg_server.create_database()
    try:
        yield url
    finally:
        pg_server.drop_database(url.rsplit("/", 1)[1])


@pytest.fixture(params=["sqlite", "postgresql"])
def corpus_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "corpus.db")
    return request.getfixturevalue("pg_dsn")
