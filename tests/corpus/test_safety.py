"""Safety: readers never see half an article, search works while another process writes,
a locked or corrupt corpus gives one clear line and exit 2, and a failed write loses
nothing that was stored before.  Locks and corruption are checked per backend (a SQLite
file's locks and bytes, a PostgreSQL table lock); the rest runs on both."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from typing import Any

import pytest

import corpus.store as store
from corpus import dedup
from corpus.cli import main
from corpus.errors import CorpusError
from corpus.search import SearchOptions, search
from corpus.store import Corpus
from tests.conftest import REPO, articles_locked, is_pg, raw_connect
from tests.corpus.test_store import make_record

HOSPITALS_PER_ARTICLE = 3
WRITER = textwrap.dedent("""
    import sys
    from corpus.store import Corpus
    from extract import Hospital, Record
    from scraper.types import Article, Block

    names = ["Bệnh viện Bạch Mai", "Bệnh viện Chợ Rẫy", "Bệnh viện K"]
    with Corpus(sys.argv[1]) as c:
        for i in range(int(sys.argv[2])):
            body = f"Bài {i}: " + ", ".join(names) + f" hợp tác lần thứ {i} " + " ".join(f"w{i}x{j}" for j in range(40))
            a = Article.from_blocks([Block("title", f"Tin {i}"), Block("paragraph", body)],
                                    url=f"https://s.vn/{i}", site="s.vn", province="Nghệ An")
            found = tuple(Hospital(n, n, a.text.index(n), a.text.index(n) + len(n)) for n in names)
            c.store(Record(article=a, hospitals=found, extractor="w"))
    print("done", flush=True)
""")


def _snapshot(con: Any, pg: bool) -> tuple[int, int, int, int]:
    """Counts read in one read transaction: one consistent snapshot (PostgreSQL's default
    isolation takes a new snapshot per statement, hence REPEATABLE READ)."""
    con.execute("BEGIN ISOLATION LEVEL REPEATABLE READ" if pg else "BEGIN")
    try:
        return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("articles", "articles_fts", "hospitals", "minhashes"))
    finally:
        con.execute("COMMIT")


def test_readers_never_see_half_an_article_while_another_process_writes(corpus_db):
    Corpus(corpus_db).close()
    n = 300
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    writer = subprocess.Popen([sys.executable, "-c", WRITER, corpus_db, str(n)], cwd=REPO, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = set()
    try:
        con = raw_connect(corpus_db)
        with Corpus(corpus_db, readonly=True) as reader:
            deadline = time.monotonic() + 120
            while writer.poll() is None and time.monotonic() < deadline:
                articles, fts, hospitals, signed = _snapshot(con, is_pg(corpus_db))
                assert fts == articles and signed == articles and hospitals == HOSPITALS_PER_ARTICLE * articles
                hits = search(reader, SearchOptions(query="Bach Mai Cho Ray", limit=1000))
                assert all(len(h.hospitals) == HOSPITALS_PER_ARTICLE for h in hits)
                seen.add(articles)
        con.close()
        out, err = writer.communicate(timeout=120)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait(timeout=10)
    assert writer.returncode == 0 and "done" in out, err
    assert len(seen) > 2, "the reader should have run while the writer was writing"
    with Corpus(corpus_db, readonly=True) as c:
        assert c.count("articles") == n and c.count("hospitals") == HOSPITALS_PER_ARTICLE * n


def test_search_works_while_a_write_transaction_is_open(corpus_db, capsys):
    with Corpus(corpus_db) as c:
        c.store(make_record())
    writer = raw_connect(corpus_db)
    writer.execute("BEGIN" if is_pg(corpus_db) else "BEGIN IMMEDIATE")
    writer.execute("DELETE FROM hospitals")  # uncommitted: readers must not see it
    try:
        assert main(["search", "Bach Mai", "--db", corpus_db, "--format", "json"]) == 0
        out = capsys.readouterr().out
        assert "Bệnh viện Bạch Mai" in out
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_exclusively_locked_corpus_gives_one_line_exit_2(fresh_db, capsys, monkeypatch):
    with Corpus(fresh_db) as c:
        c.store(make_record())
    monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(fresh_db, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE articles SET title = title")
    holder.execute("COMMIT")  # exclusive mode keeps the lock after the commit
    try:
        code = main(["search", "Bach Mai", "--db", fresh_db])
        err = capsys.readouterr().err
        assert code == 2 and "locked" in err and len(err.strip().splitlines()) == 1, err
        code = main(["extract", str(REPO / "tests" / "golden" / "seed" / "input.txt"), "--db", fresh_db])
        err = capsys.readouterr().err
        assert code == 2 and "locked" in err and "Traceback" not in err, err
    finally:
        holder.close()
    with Corpus(fresh_db, readonly=True) as c:
        assert c.count("articles") == 1


def test_locked_postgresql_corpus_gives_one_line_exit_2(pg_dsn, capsys, monkeypatch):
    with Corpus(pg_dsn) as c:
        c.store(make_record())
    monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 0.2)
    with articles_locked(pg_dsn):
        code = main(["search", "Bach Mai", "--db", pg_dsn])
        err = capsys.readouterr().err
        assert code == 2 and "locked" in err and len(err.strip().splitlines()) == 1, err
        code = main(["extract", str(REPO / "tests" / "golden" / "seed" / "input.txt"), "--db", pg_dsn])
        err = capsys.readouterr().err
        assert code == 2 and "locked" in err and "Traceback" not in err, err
    with Corpus(pg_dsn, readonly=True) as c:
        assert c.count("articles") == 1


def _corrupt(path: str) -> str:
    """Overwrite everything after the first page with garbage; returns the file's sha256."""
    with open(path, "r+b") as fh:
        fh.seek(4096)
        size = os.path.getsize(path) - 4096
        fh.write(bytes((i * 7 + 3) % 251 for i in range(size)))
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


@pytest.mark.parametrize("argv", [
    ["search", "Bach Mai"],
    ["export", "--format", "jsonl", "--out", "{tmp}/x.jsonl"],
    ["export", "--format", "parquet", "--out", "{tmp}/pq"],
    ["reextract"],
])
def test_corrupt_corpus_gives_one_line_exit_2_and_is_left_alone(fresh_db, tmp_path, capsys, argv):
    with Corpus(fresh_db) as c:
        for i in range(30):
            c.store(make_record(text=f"Bệnh viện Bạch Mai hỗ trợ lần {i}. " + "chữ " * 300,
                                url=f"https://truyenhinhnghean.vn/a/{i}/"))
        c.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    digest = _corrupt(fresh_db)
    code = main([a.replace("{tmp}", str(tmp_path)) for a in argv] + ["--db", fresh_db])
    err = capsys.readouterr().err
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and "corrupt" in err and "Traceback" not in err, err
    assert hashlib.sha256(open(fresh_db, "rb").read()).hexdigest() == digest


def test_a_failed_write_keeps_everything_stored_before(corpus_db, monkeypatch):
    with Corpus(corpus_db) as c:
        c.store(make_record())

        def boom(*args, **kwargs):
            if is_pg(corpus_db):
                import psycopg

                raise psycopg.OperationalError("disk I/O error")
            raise sqlite3.OperationalError("disk I/O error")

        monkeypatch.setattr(dedup, "link", boom)
        with pytest.raises(CorpusError, match="disk I/O error"):
            c.store(make_record(text="Tin mới: Bệnh viện Bạch Mai hỗ trợ Hà Tĩnh.", url="https://truyenhinhnghean.vn/a/new/"))
        with pytest.raises(CorpusError):  # a replacement that fails leaves the old version
            c.store(make_record(text="Sửa: Bệnh viện Bạch Mai hỗ trợ Nghệ An."))
        assert c.count("articles") == 1 and c.count("hospitals") == 1 and c.count("minhashes") == 1
        (text,) = c.conn.execute("SELECT text FROM articles").fetchone()
        assert text.endswith("Bệnh viện Bạch Mai hỗ trợ Nghệ An.")
        assert c.conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 1
