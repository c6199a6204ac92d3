"""The crawl frontier on SQLite, in the corpus database (``scraper.frontier.FrontierStore``).

``record`` is the crash-safety point: the page (through ``write``, the corpus sink's
writer), the URL's new state and the links it led to are committed in one transaction on
the corpus connection.  A crawl killed at any moment leaves each URL either queued (it will
be fetched again) or recorded with its page — never fetched-but-not-stored.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterable, Sequence

from corpus.store import Corpus
from scraper.frontier import TRANSIENT, Entry, Link, Visit
from scraper.types import Page

ROBOTS_TTL = timedelta(hours=24)
_UPSERT = (
    "INSERT INTO crawl_frontier (key, url, site, host, kind, depth, priority, meta, discovered_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT(key) DO UPDATE SET state='queued', reason=NULL "
    "WHERE ? AND crawl_frontier.state <> 'queued' AND crawl_frontier.run_id < ?"
)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class SqliteFrontier:
    """FrontierStore over an open ``Corpus``; ``write(page, prepared)`` runs inside
    ``record``'s transaction and returns the stored page id (or None)."""

    upsert = _UPSERT  # how a found link is queued (PgFrontier: never over another worker's claim)

    def __init__(self, corpus: Corpus, write: Callable[[Page, Any], int | None] | None = None) -> None:
        self.corpus = corpus
        self.conn: sqlite3.Connection = corpus.conn
        self._write = write or (lambda page, prepared: None)
        self.run = 0

    def _tx(self, work: Callable[[], Any]) -> Any:
        return self.corpus._in_transaction(work)  # one BEGIN IMMEDIATE … COMMIT, errors as CorpusError

    # -- a run ---------------------------------------------------------------------
    def begin(self, seeds: Sequence[Link]) -> int:
        """Resume the last run if it did not finish, else start one; queue the seeds."""

        def work() -> int:
            row = self.conn.execute("SELECT id, finished_at FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
            if row is not None and row["finished_at"] is None:
                run = int(row["id"])
            else:
                run = int(self.conn.execute("INSERT INTO crawl_runs (started_at) VALUES (?)", (_now(),)).lastrowid)
                marks = ",".join("?" * len(TRANSIENT))
                self.conn.execute(f"UPDATE crawl_frontier SET state='queued' WHERE state='failed' "
                                  f"AND reason IN ({marks})", TRANSIENT)
                # every sitemap is asked again (conditionally): an index need not change when a child does
                self.conn.execute("UPDATE crawl_frontier SET state='queued' WHERE kind='sitemap' "
                                  "AND state IN ('done', 'unchanged')")
            self.run = run
            self._add(seeds)
            return run

        return self._tx(work)

    def finish(self, complete: bool) -> None:
        if complete:
            self._tx(lambda: self.conn.execute("UPDATE crawl_runs SET finished_at=? WHERE id=?", (_now(), self.run)))

    def _add(self, links: Iterable[Link]) -> None:
        now = _now()
        self.conn.executemany(self.upsert, [
            (ln.key, ln.url, ln.site, ln.host, ln.kind, ln.depth, ln.priority, ln.meta, now, bool(ln.refresh), self.run)
            for ln in links])

    # -- the queue -----------------------------------------------------------------
    def hosts(self, sites: Iterable[str]) -> list[str]:
        sites = list(sites)
        if not sites:
            return []
        marks = ",".join("?" * len(sites))
        rows = self.conn.execute(f"SELECT DISTINCT host FROM crawl_frontier WHERE state='queued' "
                                 f"AND site IN ({marks}) ORDER BY host", sites)
        return [r[0] for r in rows]

    def next_batch(self, host: str, limit: int, exclude: set[str]) -> list[Entry]:
        rows = self.conn.execute(
            "SELECT key, url, site, host, kind, depth, meta, etag, last_modified FROM crawl_frontier "
            "WHERE state='queued' AND host=? ORDER BY priority, rowid LIMIT ?", (host, limit + len(exclude)))
        out = [Entry(*r) for r in rows if r[0] not in exclude]
        return out[:limit]

    def known(self, keys: Iterable[str]) -> set[str]:
        keys = list(keys)
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self.conn.execute(
                f"SELECT key FROM crawl_frontier WHERE key IN ({marks})", chunk))
        return found

    # -- the one write that matters --------------------------------------------------
    def _check_claim(self, entry: Entry) -> None:
        """Inside ``record``'s transaction, before anything is written: raise if this process
        may no longer record ``entry`` (one process owns a SQLite frontier: always may)."""

    def record(self, visit: Visit) -> None:
        def work() -> None:
            self._check_claim(visit.entry)
            page_id = None
            if visit.prepared is not None and visit.page is not None:
                page_id = self._write(visit.page, visit.prepared)
            page = visit.page
            self.conn.execute(
                "UPDATE crawl_frontier SET state=?, run_id=?, visited_at=?, status=?, reason=?, final_url=?, "
                "etag=CASE WHEN ? THEN ? ELSE etag END, last_modified=CASE WHEN ? THEN ? ELSE last_modified END, "
                "page_id=coalesce(?, page_id) WHERE key=?",
                (visit.state, self.run, _now(), visit.status, visit.reason, visit.final_url,
                 page is not None, page.etag if page else None, page is not None,
                 page.last_modified if page else None, page_id, visit.entry.key))
            self._add(visit.links)
            e = visit.entry
            self.conn.executemany(
                "INSERT OR IGNORE INTO crawl_frontier (key, url, site, host, kind, depth, state, run_id, "
                "discovered_at, visited_at, page_id) VALUES (?, ?, ?, ?, ?, ?, 'done', ?, ?, ?, ?)",
                [(a, a, e.site, e.host, e.kind, e.depth, self.run, _now(), _now(), page_id) for a in visit.aliases])

        self._tx(work)

    # -- robots.txt ------------------------------------------------------------------
    def robots(self, host: str) -> str | None:
        row = self.conn.execute("SELECT body, fetched_at FROM crawl_robots WHERE host=?", (host,)).fetchone()
        if row is None or datetime.fromisoformat(row["fetched_at"]) < datetime.now(timezone.utc) - ROBOTS_TTL:
            return None
        return row["body"]

    def save_robots(self, host: str, text: str) -> None:
        self._tx(lambda: self.conn.execute("INSERT OR REPLACE INTO crawl_robots VALUES (?, ?, ?)",
                                           (host, text, _now())))

    # -- reporting -------------------------------------------------------------------
    def states(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self.conn.execute("SELECT state, count(*) FROM crawl_frontier GROUP BY state")}
