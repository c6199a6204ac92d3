"""The throwaway PostgreSQL server of tests/pgserver.py: it starts, hands out fresh empty
UTF8 databases and has the contrib extensions the PostgreSQL corpus needs."""

from __future__ import annotations

import psycopg

from tests import pgserver


def test_fresh_database_is_empty_and_utf8(pg_dsn: str) -> None:
    with psycopg.connect(pg_dsn) as conn:
        assert conn.execute("SHOW server_encoding").fetchone() == ("UTF8",)
        assert conn.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()").fetchone() == ("C",)
        tables = conn.execute("SELECT count(*) FROM information_schema.tables "
                              "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')").fetchone()
        assert tables == (0,)
        assert conn.execute("SELECT 'Sở Y tế Đồng Tháp'::text").fetchone() == ("Sở Y tế Đồng Tháp",)


def test_each_test_gets_its_own_database(pg_server: pgserver.PgServer, pg_dsn: str) -> None:
    other = pg_server.create_database()
    try:
        assert other != pg_dsn
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            conn.execute("CREATE TABLE only_here (x int)")
        with psycopg.connect(other) as conn:
            assert conn.execute("SELECT to_regclass('only_here')").fetchone() == (None,)
    finally:
        pg_server.drop_database(other.rsplit("/", 1)[1])


def test_unaccent_extension(pg_dsn: str) -> None:
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION unaccent")
        assert conn.execute("SELECT unaccent('Bệnh viện Đa khoa')").fetchone() == ("Benh vien Da khoa",)


def test_drop_database_ignores_a_missing_one(pg_server: pgserver.PgServer) -> None:
    pg_server.drop_database("t_never_created")
