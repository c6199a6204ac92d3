"""The SQLite corpus: raw inputs (compressed), articles, one table per mention type,
and a folded full-text index.  WAL mode, one transaction per article, so a reader never
sees half an article and a crash loses at most the article being written.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Mapping

from corpus import dedup, fts
from corpus.errors import CorpusError
from scraper.types import Page
from corpus.mentions import delete_mentions, store_mentions
from corpus.db import POSTGRESQL, connect_pg, db_errors, first_line, insert_id, parse_db, redact
from corpus.schema import MIGRATIONS
from corpus.schema_pg import PG_MIGRATIONS
from extract import Record, fold_search, record_from_json, record_to_json

BUSY_TIMEOUT_S = 5.0


@dataclass(frozen=True, slots=True)
class RawInput:
    """The bytes an article came from, kept so extraction can be re-run later."""

    body: bytes
    input_format: str  # html | text | jsonl
    url: str | None = None
    final_url: str | None = None
    status: int | None = None
    headers: Mapping[str, str] | None = None
    fetched_at: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None
    # what the command line added that the bytes lack ({"url": …, "published": …}),
    # kept so that `vnnews reextract` parses the bytes exactly as the first time
    hints: Mapping[str, str] | None = None

    @classmethod
    def from_page(cls, page: Page, hints: Mapping[str, str] | None = None) -> "RawInput":
        """The raw input of a fetched (or archived) HTML page."""
        return cls(body=page.body, input_format="html", url=page.url, final_url=page.final_url,
                   status=page.status, headers=page.headers, fetched_at=page.fetched_at,
                   etag=page.etag, last_modified=page.last_modified, hints=hints)


def _utcnow() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


_MIGRATION_LOCK = 0x766E6E657773  # "vnnews": serialises migrations of one PostgreSQL database
_DEDUP_LOCK = _MIGRATION_LOCK + 2  # (+1 is corpus.pgfrontier's run lock) near-duplicate linking


class Corpus:
    """One open corpus database (a SQLite file or a PostgreSQL database).  Use as a
    context manager.  ``name`` is how messages refer to it (a PostgreSQL URL without its
    password)."""

    def __init__(self, db: str | None = None, *, readonly: bool = False) -> None:
        self.dialect, target = parse_db(db)
        self.readonly = readonly
        self.target = target  # the file or URL as given (a URL may hold a password: print ``name``)
        if self.dialect == POSTGRESQL:
            self.path = None
            self.name = redact(target)
            self._open_pg(target)
            return
        self.path = Path(target)
        self.name = str(self.path)
        if readonly and not self.path.exists():
            raise CorpusError(f"no corpus at {self.path}: run `vnnews extract … --db {self.path}` or `vnnews crawl` first")
        try:
            if readonly:
                self.conn = self._connect_sqlite_ro()
            else:
                if self.path.parent and not self.path.parent.exists():
                    raise CorpusError(f"cannot create corpus {self.path}: folder {self.path.parent} does not exist")
                self.conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
                self._sqlite_setup()
            self.conn.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
                if 2 in self._migrate():
                    self._in_transaction(lambda: dedup.backfill(self.conn))
            elif not self._check_readable():
                self._upgrade_then_reopen()
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from None

    def _sqlite_setup(self) -> None:
        self.conn.row_factory = sqlite3.Row
        self.conn.create_function("vn_fold", 1, _fold_or_none, deterministic=True)

    def _connect_sqlite_ro(self) -> sqlite3.Connection:
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        self.conn = conn
        self._sqlite_setup()
        return conn

    def _open_pg(self, url: str) -> None:
        self.conn = connect_pg(url, readonly=self.readonly, lock_timeout=BUSY_TIMEOUT_S)
        try:
            encoding = self.conn.execute("SHOW server_encoding").fetchone()[0]
            if encoding.upper() not in ("UTF8", "UTF-8"):
                raise CorpusError(f"corpus {self.name}: the database encoding is {encoding}; "
                                  "create it with ENCODING 'UTF8'")
            if self.readonly:
                if not self._check_readable():
                    raise CorpusError(f"corpus {self.name} has an older schema: open it once for writing "
                                      "(e.g. `vnnews reextract`) to upgrade it")
            else:
                self._migrate()
        except db_errors() as exc:
            self.conn.close()
            raise self._error(exc) from None
        except CorpusError:
            self.conn.close()
            raise

    # -- lifecycle -----------------------------------------------------------------
    def __enter__(self) -> "Corpus":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def _error(self, exc: BaseException) -> CorpusError:
        msg = first_line(exc)
        sqlstate = getattr(exc, "sqlstate", None) or ""
        if "locked" in msg or "busy" in msg or sqlstate in ("55P03", "40P01"):
            return CorpusError(f"corpus {self.name} is locked by another process (waited {BUSY_TIMEOUT_S:g} s): {msg}")
        if "not a database" in msg or "malformed" in msg or "corrupt" in msg or sqlstate == "XX001":
            return CorpusError(f"corpus {self.name} is corrupt or not a vnnews database: {msg}")
        if "readonly" in msg or "read-only" in msg or sqlstate == "25006":
            return CorpusError(f"corpus {self.name} is read-only: {msg}")
        if sqlstate.startswith("08") or "connection" in msg.lower() and self.dialect == POSTGRESQL:
            return CorpusError(f"corpus {self.name}: lost the connection to PostgreSQL: {msg}")
        return CorpusError(f"corpus {self.name}: {msg}")

    def _tables(self) -> set[str]:
        if self.dialect == POSTGRESQL:
            sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        else:
            sql = "SELECT name FROM sqlite_master WHERE type='table'"
        return {r[0] for r in self.conn.execute(sql)}

    def _check_readable(self) -> bool:
        """Raise unless this is a vnnews corpus; False when its schema is older than ours."""
        tables = self._tables()
        if "articles" not in tables:
            raise CorpusError(f"{self.name} is not a vnnews corpus (no articles table)")
        version = self.conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] \
            if "schema_migrations" in tables else 0
        return (version or 0) >= len(MIGRATIONS)

    def _upgrade_then_reopen(self) -> None:
        """A reader of an older corpus: apply the (additive) migrations once, then read."""
        self.conn.close()
        try:
            Corpus(str(self.path)).close()
        except CorpusError as exc:
            raise CorpusError(f"corpus {self.path} has an older schema and cannot be upgraded: {exc}") from None
        self._connect_sqlite_ro()

    def _migrate(self) -> list[int]:
        """Apply the migrations this database lacks; returns the versions applied now.
        Each runs in its own transaction; on PostgreSQL an advisory lock makes processes
        that open a new corpus at the same moment (crawl workers) apply them once."""
        c = self.conn
        pg = self.dialect == POSTGRESQL
        migrations = PG_MIGRATIONS if pg else MIGRATIONS
        applied: list[int] = []
        if "schema_migrations" in self._tables():
            done = {r[0] for r in c.execute("SELECT version FROM schema_migrations")}
            if len(done) >= len(migrations):
                return applied
        for version, (name, sql) in enumerate(migrations, start=1):
            c.execute("BEGIN IMMEDIATE")
            try:
                if pg:
                    c.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))
                c.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                          "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
                if c.execute("SELECT 1 FROM schema_migrations WHERE version=?", (version,)).fetchone():
                    c.execute("ROLLBACK")
                    continue
                for statement in _split_sql(sql):
                    c.execute(statement)
                c.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, name, _utcnow()))
                c.execute("COMMIT")
                applied.append(version)
            except BaseException:
                c.execute("ROLLBACK")
                raise
        return applied

    def _in_transaction(self, work):
        """Run ``work()`` in one write transaction; database errors become CorpusError."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                result = work()
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        except db_errors() as exc:
            raise self._error(exc) from None
        return result

    # -- writing -------------------------------------------------------------------
    def store(self, record: Record, raw: RawInput | None = None, *, page_id: int | None = None,
              run_id: int | None = None, force: bool = False, key: str | None = None) -> tuple[int, bool]:
        """Store one record (and its raw input) in one transaction.  Returns (article id, changed).

        Storing the same input again changes nothing (unless ``force``); the same URL with
        new text or a new extractor version replaces the article and its mentions.
        ``page_id`` names an already stored page (re-extraction) when ``raw`` is None;
        ``key`` names the article to replace (default: its URL, or a hash of its text).
        """
        data = record_to_json(record)
        text_sha = hashlib.sha256(record.text.encode("utf-8")).hexdigest()
        key = key or record.article.url or f"sha256:{text_sha}"

        def work() -> tuple[int, bool]:
            pid = self._store_page(raw) if raw is not None else page_id
            return self._store_in_tx(record, data, key, text_sha, pid, run_id, force)

        return self._in_transaction(work)

    def _store_in_tx(self, record: Record, data: dict[str, Any], key: str, text_sha: str,
                     page_id: int | None, run_id: int | None, force: bool) -> tuple[int, bool]:
        c = self.conn
        row = c.execute("SELECT id, text_sha256, extractor FROM articles WHERE key=?", (key,)).fetchone()
        if row and not force and row["text_sha256"] == text_sha and row["extractor"] == record.extractor:
            return row["id"], False
        a = record.article
        values = (
            page_id, key, a.url, a.site, a.province, a.title, a.lead, a.text,
            data["published"], data["published_month"], json.dumps(list(a.authors), ensure_ascii=False),
            a.category, json.dumps(list(a.tags), ensure_ascii=False), text_sha,
            json.dumps(data, ensure_ascii=False), record.extractor, _utcnow(), run_id,
        )
        cols = ("page_id, key, url, site, province, title, lead, text, published, published_month, "
                "authors, category, tags, text_sha256, record, extractor, stored_at, run_id")
        if row:
            article_id = row["id"]
            assignments = ", ".join(f"{col}=coalesce(?, {col})" if col in ("page_id", "run_id") else f"{col}=?"
                                    for col in (x.strip() for x in cols.split(",")))
            c.execute(f"UPDATE articles SET {assignments} WHERE id=?", (*values, article_id))
            delete_mentions(c, article_id)
            c.execute("DELETE FROM articles_fts WHERE rowid=?", (article_id,))
        else:
            article_id = insert_id(c, f"INSERT INTO articles ({cols}) VALUES ({', '.join('?' * len(values))})", values)
        store_mentions(c, article_id, record)
        title, text = fold_search(a.title), fold_search(a.text)
        if self.dialect == POSTGRESQL:
            c.execute(fts.PG_INDEX_SQL, (article_id, title, text, fts.words(title), fts.words(text)))
        else:
            c.execute("INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)", (article_id, title, text))
        if not row or row["text_sha256"] != text_sha:
            if self.dialect == POSTGRESQL:  # writers in parallel (crawl workers, Dask): one links stories at a time
                c.execute("SELECT pg_advisory_xact_lock(?)", (_DEDUP_LOCK,))
            dedup.link(c, article_id, a.text)
        return article_id, True

    def _store_page(self, raw: RawInput) -> int:
        sha = hashlib.sha256(raw.body).hexdigest()
        c = self.conn
        same_url = "url IS NOT DISTINCT FROM ?" if self.dialect == POSTGRESQL else "url IS ?"
        row = c.execute(f"SELECT id FROM pages WHERE {same_url} AND body_sha256=?", (raw.url, sha)).fetchone()
        if row:
            return int(row["id"])
        return insert_id(
            c, "INSERT INTO pages (url, final_url, status, headers, body, body_sha256, body_size, input_format, "
            "fetched_at, etag, last_modified, parse_hints) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (raw.url, raw.final_url or raw.url, raw.status, json.dumps(dict(raw.headers or {}), ensure_ascii=False),
             zlib.compress(raw.body, 6), sha, len(raw.body), raw.input_format,
             (raw.fetched_at.isoformat() if raw.fetched_at else _utcnow()), raw.etag, raw.last_modified,
             json.dumps(dict(raw.hints or {}), ensure_ascii=False)),
        )

    # -- runs ----------------------------------------------------------------------
    def begin_run(self, command: str, extractor: str | None = None) -> int:
        """Record the start of a run (extract, crawl, reextract, nightly); returns its id."""
        return self._in_transaction(lambda: insert_id(
            self.conn, "INSERT INTO runs (command, started_at, extractor) VALUES (?, ?, ?)",
            (command, _utcnow(), extractor)))

    def finish_run(self, run_id: int, status: str, summary: Mapping[str, Any] | None = None) -> None:
        """Record how a run ended; counts are read from ``summary`` when it has them."""
        s = dict(summary or {})
        self._in_transaction(lambda: self.conn.execute(
            "UPDATE runs SET finished_at=?, status=?, articles_added=?, articles_unchanged=?, pages_fetched=?, "
            "pages_failed=?, summary=? WHERE id=?",
            (_utcnow(), status, int(s.get("articles_added", 0)), int(s.get("articles_unchanged", 0)),
             int(s.get("pages_fetched", 0)), int(s.get("pages_failed", 0)),
             json.dumps(s, ensure_ascii=False, default=str), run_id)))

    # -- reading -------------------------------------------------------------------
    def count(self, table: str = "articles") -> int:
        if table not in {"articles", "pages", "runs", "minhashes", "dates", "officials", "hospitals", "periods",
                         "figures", "agreements", "agreement_parties"}:
            raise ValueError(table)
        try:
            return int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        except db_errors() as exc:
            raise self._error(exc) from None

    def records(self) -> Iterator[Record]:
        try:
            for row in self.conn.execute("SELECT record FROM articles ORDER BY id"):
                yield record_from_json(json.loads(row[0]))
        except db_errors() as exc:
            raise self._error(exc) from None

    def raw_body(self, page_id: int) -> bytes:
        row = self.conn.execute("SELECT body FROM pages WHERE id=?", (page_id,)).fetchone()
        if row is None:
            raise CorpusError(f"no page {page_id} in {self.name}")
        return zlib.decompress(row[0])


def _fold_or_none(value: str | None) -> str | None:
    return fold_search(value) if value is not None else None


def _split_sql(script: str) -> list[str]:
    """Statements of a migration script: comment lines dropped, split on ';' (none of
    ours has a ';' inside a literal)."""
    code = "\n".join(line for line in script.splitlines() if not line.strip().startswith("--"))
    return [s.strip() for s in code.split(";") if s.strip()]
