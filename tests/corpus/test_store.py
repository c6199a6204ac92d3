import sqlite3
import zlib

import pytest

from corpus.errors import CorpusError
from corpus.schema import MIGRATIONS
from corpus.schema_pg import PG_MIGRATIONS
from corpus.store import Corpus, RawInput
from extract import Hospital, Official, Record, record_from_json, record_to_json
from scraper.types import Article, Block
from tests.conftest import articles_locked, raw_connect


def make_record(text="Bệnh viện Bạch Mai hỗ trợ Nghệ An.", url="https://truyenhinhnghean.vn/a/202410/x/"):
    article = Article.from_blocks(
        [Block("title", "Hợp tác y tế"), Block("paragraph", text)], url=url, site="truyenhinhnghean.vn",
        province="Nghệ An", published_month="2024-10")
    start = article.text.index("Bệnh viện Bạch Mai")
    return Record(
        article=article,
        hospitals=(Hospital("Bệnh viện Bạch Mai", "Bệnh viện Bạch Mai", start, start + 18),),
        officials=(Official("Lê Đức Luận", ("Thứ trưởng Bộ Y tế",), "Lê Đức Luận", 0, 0),),
        extractor="test",
    )


def test_store_keeps_raw_bytes_compressed_and_mentions(corpus_db):
    with Corpus(corpus_db) as c:
        article_id, changed = c.store(make_record(), RawInput(body=b"raw page", input_format="text", url="u"))
        assert changed
        assert c.count("articles") == 1 and c.count("hospitals") == 1 and c.count("officials") == 1
        page_id = c.conn.execute("SELECT page_id FROM articles WHERE id=?", (article_id,)).fetchone()[0]
        stored = c.conn.execute("SELECT body FROM pages WHERE id=?", (page_id,)).fetchone()[0]
        assert zlib.decompress(stored) == b"raw page"
        assert c.raw_body(page_id) == b"raw page"


def test_storing_the_same_input_twice_changes_nothing(corpus_db):
    raw = RawInput(body=b"raw page", input_format="text", url="u")
    with Corpus(corpus_db) as c:
        first = c.store(make_record(), raw)
        second = c.store(make_record(), raw)
        assert first[0] == second[0] and second[1] is False
        assert (c.count("articles"), c.count("pages"), c.count("hospitals")) == (1, 1, 1)


def test_same_url_new_text_replaces_article_and_mentions(corpus_db):
    with Corpus(corpus_db) as c:
        c.store(make_record())
        c.store(make_record(text="Sửa lại: Bệnh viện Bạch Mai hỗ trợ Nghệ An."))
        assert c.count("articles") == 1 and c.count("hospitals") == 1
        (text,) = c.conn.execute("SELECT text FROM articles").fetchone()
        assert text.endswith("Sửa lại: Bệnh viện Bạch Mai hỗ trợ Nghệ An.")


def test_records_round_trip_through_the_schema(corpus_db):
    record = make_record()
    with Corpus(corpus_db) as c:
        c.store(record)
        (back,) = list(c.records())
    assert record_to_json(back) == record_to_json(record)
    assert record_from_json(record_to_json(record)).hospitals == record.hospitals


def test_migrations_are_recorded_once(corpus_db):
    Corpus(corpus_db).close()
    with Corpus(corpus_db) as c:
        rows = c.conn.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
        migrations = PG_MIGRATIONS if c.dialect == "postgresql" else MIGRATIONS
    assert [tuple(r) for r in rows] == [(i, name) for i, (name, _) in enumerate(migrations, start=1)]


def test_wal_mode(fresh_db):
    with Corpus(fresh_db) as c:
        assert c.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_corrupt_file_gives_clear_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(CorpusError, match="corrupt or not a vnnews database"):
        Corpus(str(bad))
    assert bad.read_bytes().startswith(b"this is not sqlite")  # nothing overwritten


def test_locked_corpus_gives_clear_error(fresh_db, monkeypatch):
    import corpus.store as store

    Corpus(fresh_db).close()
    holder = sqlite3.connect(fresh_db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 0.2)
    try:
        with Corpus(fresh_db) as c, pytest.raises(CorpusError, match="locked"):
            c.store(make_record())
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Corpus(fresh_db) as c:  # nothing half-written, and the write works once free
        assert c.count("articles") == 0
        c.store(make_record())
        assert c.count("articles") == 1


def test_readonly_open_of_missing_corpus(tmp_path):
    with pytest.raises(CorpusError, match="no corpus at"):
        Corpus(str(tmp_path / "none.db"), readonly=True)


def test_unknown_database_url_scheme():
    with pytest.raises(CorpusError, match="unsupported database URL scheme"):
        Corpus("mysql://x/y")


# -- PostgreSQL counterparts of the file checks above ------------------------------------

def test_unreachable_server_gives_clear_error():
    with pytest.raises(CorpusError, match=r"cannot open PostgreSQL corpus postgresql://postgres@127\.0\.0\.1:1/x") as info:
        Corpus("postgresql://postgres@127.0.0.1:1/x")
    assert len(str(info.value).splitlines()) == 1


def test_missing_postgresql_database_gives_clear_error(pg_dsn):
    missing = pg_dsn.rsplit("/", 1)[0] + "/no_such_corpus"
    with pytest.raises(CorpusError, match="no_such_corpus.*does not exist") as info:
        Corpus(missing, readonly=True)
    assert len(str(info.value).splitlines()) == 1


def test_readonly_open_of_a_database_that_is_not_a_corpus(corpus_db):
    con = raw_connect(corpus_db)
    con.execute("CREATE TABLE notes (x text)")
    con.close()
    with pytest.raises(CorpusError, match="is not a vnnews corpus"):
        Corpus(corpus_db, readonly=True)


def test_readonly_postgresql_corpus_refuses_writes(pg_dsn):
    Corpus(pg_dsn).close()
    with Corpus(pg_dsn, readonly=True) as c, pytest.raises(CorpusError, match="read-only"):
        c.store(make_record())


def test_locked_postgresql_corpus_gives_clear_error(pg_dsn, monkeypatch):
    import corpus.store as store

    with Corpus(pg_dsn) as c:
        c.store(make_record())
    monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 0.2)
    with articles_locked(pg_dsn), Corpus(pg_dsn) as c, pytest.raises(CorpusError, match="locked"):
        c.store(make_record(text="Tin mới: Bệnh viện Bạch Mai hỗ trợ Hà Tĩnh.", url="https://a.vn/new/"))
    with Corpus(pg_dsn) as c:
        assert c.count("articles") == 1
