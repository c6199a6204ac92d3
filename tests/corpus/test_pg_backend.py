"""What is particular to a PostgreSQL corpus: the schema is the SQLite one, vn_fold()
folds as the Python normaliser does, simultaneous openers migrate once, and a nightly run
holds its lock in the database (so a second machine is refused too)."""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from corpus.nightly import RunLockedError, run_lock
from corpus.schema import MIGRATIONS
from corpus.schema_pg import PG_MIGRATIONS
from corpus.store import Corpus
from extract import fold_search
from tests.conftest import REPO

# columns that exist on one engine only, each for its engine's way of doing the same thing
ENGINE_ONLY = {
    ("articles_fts", "rowid"), ("articles_fts", "tsv"),  # FTS5 keeps its rowid implicit and its index hidden
    ("crawl_frontier", "seq"),  # discovery order: SQLite's implicit rowid
}


def _sqlite_columns(path: str) -> dict[str, list[str]]:
    with Corpus(path) as c:
        tables = [r[0] for r in c.conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'articles_fts_%' "
            "AND name NOT LIKE 'sqlite_%'")]
        return {t: [r[1] for r in c.conn.execute(f"PRAGMA table_info({t})")] for t in tables}


def _pg_columns(url: str) -> dict[str, list[str]]:
    with Corpus(url) as c:
        rows = c.conn.execute("SELECT table_name, column_name FROM information_schema.columns "
                              "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position")
        out: dict[str, list[str]] = {}
        for table, column in rows:
            out.setdefault(table, []).append(column)
        return out


def test_same_tables_and_columns_as_sqlite(tmp_path, pg_dsn):
    lite, pg = _sqlite_columns(str(tmp_path / "c.db")), _pg_columns(pg_dsn)
    assert set(lite) == set(pg)
    for table in lite:
        only_lite = [c for c in lite[table] if c not in pg[table] and (table, c) not in ENGINE_ONLY]
        only_pg = [c for c in pg[table] if c not in lite[table] and (table, c) not in ENGINE_ONLY]
        assert not only_lite and not only_pg, (table, only_lite, only_pg)
        # positional INSERTs (mentions) rely on the same order
        assert [c for c in lite[table] if c in pg[table]] == [c for c in pg[table] if c in lite[table]], table


def test_same_migrations_by_number_and_name(pg_dsn):
    assert [name for name, _ in MIGRATIONS] == [name for name, _ in PG_MIGRATIONS]
    Corpus(pg_dsn).close()
    with Corpus(pg_dsn, readonly=True) as c:
        rows = c.conn.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert [tuple(r) for r in rows] == [(i, name) for i, (name, _) in enumerate(MIGRATIONS, start=1)]


@pytest.mark.parametrize("text", [
    "Bệnh viện Bạch Mai", "BỆNH VIỆN HỮU NGHỊ VIỆT ĐỨC", "Uỷ ban nhân dân", "Ủy ban nhân dân",
    "Đắk Lắk", "đồng chí Nguyễn Thị Hồng Vân", "Thừa Thiên Huế", "Quảng Ngãi", "Khánh Hòa", "Khánh Hoà",
    "ngày 12/10/2024, 65 gói kỹ thuật",
])
def test_vn_fold_in_sql_folds_like_the_python_normaliser(pg_dsn, text):
    with Corpus(pg_dsn) as c:
        assert c.conn.execute("SELECT vn_fold(?)", (text,)).fetchone()[0] == fold_search(text)


def test_workers_opening_a_new_corpus_at_once_migrate_it_once(pg_dsn):
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: Corpus(pg_dsn).close(), range(4)))
    with Corpus(pg_dsn, readonly=True) as c:
        assert c.conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(MIGRATIONS)


def test_a_readonly_reader_cannot_write(pg_dsn):
    Corpus(pg_dsn).close()
    with Corpus(pg_dsn, readonly=True) as c:
        with pytest.raises(Exception) as err:
            c.begin_run("extract")
    assert "read-only" in str(err.value)


def test_nightly_lock_is_held_in_the_database_and_dies_with_its_holder(pg_dsn):
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from corpus.nightly import run_lock\n"
                               "with run_lock(sys.argv[1]):\n    print('held', flush=True); time.sleep(60)", pg_dsn],
                              cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(RunLockedError, match=r"another nightly run .* \(vnnews nightly pid \d+"):
            with run_lock(pg_dsn):
                pass
    finally:
        holder.kill()
        holder.wait(timeout=10)
    deadline = time.monotonic() + 10  # the server notices the closed socket and drops the session lock
    while True:
        try:
            with run_lock(pg_dsn):
                break
        except RunLockedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_nightly_into_postgresql_twice_adds_nothing_the_second_time(tmp_path, capsys, pg_dsn):
    import json
    import re

    from corpus.cli import main
    from corpus.demo import serve_folder

    site = REPO / "corpus" / "demo_site"
    articles = re.findall(r"^- path: (\S+)$", (site / "SITE.md").read_text("utf-8"), re.MULTILINE)
    summary = tmp_path / "s.json"
    with serve_folder(site) as base:
        argv = ["nightly", "--site", base, "--db", pg_dsn, "--delay", "0", "--summary", str(summary)]
        assert main(argv) == 0
        first = json.loads(summary.read_text("utf-8"))
        assert main(argv) == 0
        second = json.loads(summary.read_text("utf-8"))
    capsys.readouterr()
    assert first["articles_added"] == len(articles) and first["pages_failed"] == 0
    assert second["articles_added"] == 0 and 0 < second["pages_fetched"] == second["pages_not_modified"]
    with Corpus(pg_dsn, readonly=True) as c:
        assert c.count("articles") == c.count("pages") == len(articles)
        runs = [tuple(r) for r in c.conn.execute("SELECT command, status, articles_added FROM runs ORDER BY id")]
    assert runs == [("nightly", "ok", len(articles)), ("nightly", "ok", 0)]
