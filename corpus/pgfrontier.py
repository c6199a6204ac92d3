"""The crawl frontier shared by crawl workers on a PostgreSQL corpus (``vnnews crawl --worker``).

One ``PgFrontier`` is one worker; any number of them, on one machine or many, crawl one
run together (``scraper.frontier.SharedFrontier``):

    begin     the run is started or joined under an advisory lock; the worker registers
              in crawl_workers with a lease (server clock), renewed every lease/3 s by a
              heartbeat thread on its own connection
    hosts     take free hosts, or a dead worker's, up to ceil(hosts with work / live
              workers) (crawl_hosts, FOR UPDATE SKIP LOCKED); a dead worker's claimed
              URLs on the hosts held are queued again
    next_batch  claim queued URLs of a held host: state 'claimed', worker_id = this worker
    record    page + state + links in one transaction, as SqliteFrontier, but only while
              the claim is still this worker's: a page is never stored twice
    release   after a batch: queue what is left, free the host, and write ``ready_at``
              (when its next request may start) so the next holder keeps the delay
    finish    free everything at once (a clean exit or SIGTERM re-fetches nothing); the
              first worker to see the frontier drained marks the run finished

A worker is dead when its lease passed without a heartbeat.  Only the requests it had in
flight are made twice: everything it had claimed but not started is queued again when its
hosts are taken over.  A worker that outlives its own lease (a frozen process) stops:
``alive`` turns false on its own clock before the lease can pass on the server's, and the
crawler checks it right before each request.  No check is atomic with the send: a worker
frozen between the two still sends that one request when it wakes (at most one per host
it held, like a request in flight), and its ``record`` is refused.

The heartbeat has its own thread and connection so that a live worker waiting on a row
lock keeps its lease; what it can wait on is a frozen worker's open transaction, which the
server ends after ``lease`` seconds idle (``idle_in_transaction_session_timeout``: our
transactions never wait on the network), and the sweep of stale claims skips rows such a
transaction still locks.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import threading
import time
from typing import Any, Callable, Iterable, Sequence

from corpus.db import PgConnection, connect_pg, db_errors, first_line, insert_id
from corpus.frontier import SqliteFrontier, _now
from corpus.store import Corpus
from scraper.frontier import TRANSIENT, Entry, Link, Visit
from scraper.types import Page

log = logging.getLogger(__name__)

RUN_LOCK = 0x766E6E657773 + 1  # next to the migration lock: one worker at a time starts or joins a run
DEFAULT_LEASE = 30.0  # seconds a worker's hosts and claims outlive its last heartbeat
_CLOCK = "extract(epoch FROM clock_timestamp())::float8"  # the server's clock: machines may disagree
_LIVE = "stopped_at IS NULL AND lease_until > ?"
_UPSERT = (  # SqliteFrontier's, except that a URL another worker has claimed stays claimed
    "INSERT INTO crawl_frontier (key, url, site, host, kind, depth, priority, meta, discovered_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT(key) DO UPDATE SET state='queued', reason=NULL "
    "WHERE ? AND crawl_frontier.state NOT IN ('queued', 'claimed') AND crawl_frontier.run_id < ?"
)
_TAKE_HOSTS = (
    f"UPDATE crawl_hosts SET worker_id=? WHERE host IN (SELECT h.host FROM crawl_hosts h WHERE h.host = ANY(?) "
    f"AND (h.worker_id IS NULL OR NOT EXISTS (SELECT 1 FROM crawl_workers w WHERE w.id = h.worker_id AND w.{_LIVE})) "
    f"ORDER BY h.ready_at, h.host LIMIT ? FOR UPDATE OF h SKIP LOCKED) RETURNING host, ready_at"
)
_CLAIM = (
    "UPDATE crawl_frontier SET state='claimed', worker_id=? WHERE key IN (SELECT key FROM crawl_frontier "
    "WHERE state='queued' AND host=? AND EXISTS (SELECT 1 FROM crawl_hosts WHERE host=? AND worker_id=?) "
    "ORDER BY priority, seq LIMIT ? FOR UPDATE SKIP LOCKED) "
    "RETURNING key, url, site, host, kind, depth, meta, etag, last_modified, priority, seq"
)
_UNCLAIM = "UPDATE crawl_frontier SET state='queued', worker_id=NULL WHERE state='claimed' AND worker_id=?"
_SWEEP = (  # claims on our hosts that are not ours: a dead worker's (a live one releases before letting go)
    "UPDATE crawl_frontier SET state='queued', worker_id=NULL WHERE key IN (SELECT key FROM crawl_frontier "
    "WHERE state='claimed' AND host = ANY(?) AND worker_id <> ? FOR UPDATE SKIP LOCKED)"
)
_RENEW = (
    f"UPDATE crawl_workers SET heartbeat_at=t.now, lease_until=t.now + ? FROM (SELECT {_CLOCK} AS now) t "
    "WHERE id=? AND stopped_at IS NULL AND lease_until > t.now RETURNING id"
)


class _ClaimLost(Exception):
    pass


def _second_connection(conn: PgConnection) -> PgConnection:
    """Another connection to the corpus's database (the URL itself is not kept)."""
    from psycopg.conninfo import make_conninfo

    info = conn.raw.info
    params = info.get_parameters()
    if info.password:
        params["password"] = info.password
    return connect_pg(make_conninfo(**params))


class _Heartbeat:
    """Calls ``beat()`` every ``every`` seconds on a daemon thread until stopped."""

    def __init__(self, beat: Callable[[], None], every: float) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(beat, every), name="vnnews-heartbeat", daemon=True)
        self._thread.start()

    def _run(self, beat: Callable[[], None], every: float) -> None:
        while not self._stop.wait(every):
            beat()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


class PgFrontier(SqliteFrontier):
    """A ``SharedFrontier`` over an open PostgreSQL ``Corpus``.  Called from the crawl's
    thread only; the heartbeat thread has its own connection."""

    upsert = _UPSERT

    def __init__(self, corpus: Corpus, write: Callable[[Page, Any], int | None] | None = None, *,
                 lease: float = DEFAULT_LEASE, poll: float | None = None) -> None:
        super().__init__(corpus, write)
        self.lease = lease
        self.poll = poll if poll is not None else min(0.25, lease / 6)  # a freed host waits at most this
        self.conn.execute(f"SET idle_in_transaction_session_timeout = {int(lease * 1000)}")
        self._beat: _Heartbeat | None = None
        self._beat_conn: PgConnection | None = None
        self.worker_id: int | None = None
        self.refused = 0  # visits not stored: their claim had passed to another worker
        self._sites: list[str] = []
        self._held: set[str] = set()
        self._ready: dict[str, float] = {}
        self._valid_until = 0.0  # time.monotonic(): our lease surely holds until then
        self._lost = False
        self._finished = False

    def _server_now(self) -> float:
        return float(self.conn.execute(f"SELECT {_CLOCK}").fetchone()[0])

    # -- the run and this worker ------------------------------------------------------
    def lock_run(self) -> bool:
        self.conn.execute("SELECT pg_advisory_lock(?)", (RUN_LOCK,))
        row = self.conn.execute("SELECT finished_at FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
        return row is None or row["finished_at"] is not None

    def unlock_run(self) -> None:
        self.conn.execute("SELECT pg_advisory_unlock(?)", (RUN_LOCK,))

    def begin(self, seeds: Sequence[Link]) -> int:
        """Join the unfinished run or start one (as ``SqliteFrontier.begin``), queue the
        seeds, and register this worker with its first lease."""

        def work() -> None:
            c = self.conn
            c.execute("SELECT pg_advisory_xact_lock(?)", (RUN_LOCK,))  # re-entrant under lock_run
            row = c.execute("SELECT id, finished_at FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
            if row is not None and row["finished_at"] is None:
                self.run = int(row["id"])
            else:
                self.run = insert_id(c, "INSERT INTO crawl_runs (started_at) VALUES (?)", (_now(),))
                c.execute("UPDATE crawl_frontier SET state='queued' WHERE state='failed' AND reason = ANY(?)",
                          (list(TRANSIENT),))
                c.execute("UPDATE crawl_frontier SET state='queued' WHERE kind='sitemap' "
                          "AND state IN ('done', 'unchanged')")
            self._add(seeds)
            if self.worker_id is None:
                now = self._server_now()
                self.worker_id = insert_id(
                    c, "INSERT INTO crawl_workers (run_id, hostname, pid, started_at, heartbeat_at, lease_until) "
                    "VALUES (?, ?, ?, ?, ?, ?)", (self.run, socket.gethostname(), os.getpid(), _now(), now,
                                                  now + self.lease))

        sent = time.monotonic()
        registered = self.worker_id is None
        self._tx(work)
        self._valid_until = sent + self.lease
        if registered:
            self._beat_conn = _second_connection(self.conn)
            self._beat = _Heartbeat(self.renew, self.lease / 3)
        log.info("crawl worker %d on run %d (lease %g s)", self.worker_id, self.run, self.lease)
        return self.run

    def renew(self) -> None:
        """The heartbeat (its own thread and connection).  A lease found expired is not
        renewed: others may hold our hosts now."""
        if self._beat_conn is None or self._lost:
            return
        sent = time.monotonic()
        try:
            row = self._beat_conn.execute(_RENEW, (self.lease, self.worker_id)).fetchone()
        except db_errors() as exc:  # the lease runs on; alive() turns false if this lasts
            log.warning("crawl worker %d: heartbeat failed: %s", self.worker_id, first_line(exc))
            return
        if row is None:
            if not self._lost:
                log.error("crawl worker %s stops: its lease expired before the heartbeat (frozen?); "
                          "its hosts may be another worker's now", self.worker_id)
            self._lost = True
        else:
            self._valid_until = sent + self.lease

    def alive(self) -> bool:
        return self.worker_id is None or not self._lost and time.monotonic() < self._valid_until

    # -- hosts ---------------------------------------------------------------------------
    def hosts(self, sites: Iterable[str]) -> list[str]:
        self._sites = sorted(set(sites))
        if self.worker_id is None or not self._sites or not self.alive():
            return []
        return self._tx(self._take_hosts)

    def _take_hosts(self) -> list[str]:
        c, me, now = self.conn, self.worker_id, self._server_now()
        wanted = [r[0] for r in c.execute("SELECT DISTINCT host FROM crawl_frontier WHERE state IN "
                                          "('queued', 'claimed') AND site = ANY(?)", (self._sites,))]
        c.execute("INSERT INTO crawl_hosts (host) SELECT unnest(?::text[]) ON CONFLICT DO NOTHING", (wanted,))
        live = c.execute(f"SELECT count(*) FROM crawl_workers WHERE {_LIVE}", (now,)).fetchone()[0]
        mine = {r[0] for r in c.execute("SELECT host FROM crawl_hosts WHERE worker_id=?", (me,))}
        need = math.ceil(len(wanted) / max(1, live)) - len(mine.intersection(wanted))
        taken = c.execute(_TAKE_HOSTS, (me, wanted, now, need)).fetchall() if need > 0 else []
        for host, ready_at in taken:
            self._ready[host] = max(0.0, ready_at - now)
        mine.update(h for h, _ in taken)
        back = c.execute(_SWEEP, (sorted(mine), me)).rowcount if mine else 0
        if back:
            log.info("crawl worker %d: %d URL(s) a dead worker had claimed queued again", me, back)
        self._held = mine
        return [r[0] for r in c.execute("SELECT DISTINCT host FROM crawl_frontier WHERE state='queued' "
                                        "AND host = ANY(?) ORDER BY host", (sorted(mine),))]

    def ready_in(self, host: str) -> float:
        return self._ready.pop(host, 0.0)

    def release(self, host: str, ready_in: float) -> None:
        def work() -> None:
            if self.worker_id is not None:
                self.conn.execute(_UNCLAIM + " AND host=?", (self.worker_id, host))
            self.conn.execute(
                f"INSERT INTO crawl_hosts (host, ready_at) VALUES (?, {_CLOCK} + ?) ON CONFLICT (host) DO UPDATE "
                "SET worker_id=NULL, ready_at=greatest(crawl_hosts.ready_at, excluded.ready_at) "
                "WHERE crawl_hosts.worker_id IS NULL OR crawl_hosts.worker_id = ?", (host, ready_in, self.worker_id))

        self._tx(work)
        self._held.discard(host)
        self._ready.pop(host, None)

    def pending(self) -> bool:
        return self.worker_id is not None and self._work_left()

    def _work_left(self) -> bool:
        return bool(self.conn.execute("SELECT EXISTS (SELECT 1 FROM crawl_frontier WHERE state IN "
                                      "('queued', 'claimed') AND site = ANY(?))", (self._sites,)).fetchone()[0])

    # -- URLs ------------------------------------------------------------------------------
    def next_batch(self, host: str, limit: int, exclude: set[str]) -> list[Entry]:
        """Claim up to ``limit`` queued URLs of a held host (claimed URLs are never handed
        out twice, so ``exclude`` has nothing to do)."""
        if host not in self._held or not self.alive():
            return []
        me = self.worker_id
        rows = self._tx(lambda: self.conn.execute(_CLAIM, (me, host, host, me, limit)).fetchall())
        rows.sort(key=lambda r: (r["priority"], r["seq"]))
        return [Entry(*r[:9]) for r in rows]

    def record(self, visit: Visit) -> None:
        """``SqliteFrontier.record`` (page, state, links: one transaction), refused when the
        claim is no longer ours: the URL was queued again after our lease passed, and
        another worker fetches and stores it."""
        try:
            super().record(visit)
        except _ClaimLost:
            self.refused += 1
            log.warning("crawl worker %s: %s was taken over by another worker: not stored", self.worker_id,
                        visit.entry.url)

    def _check_claim(self, entry: Entry) -> None:
        # the row lock also holds off a takeover until we commit
        if self.conn.execute("SELECT 1 FROM crawl_frontier WHERE key=? AND state='claimed' AND worker_id=? "
                             "FOR UPDATE", (entry.key, self.worker_id)).fetchone() is None:
            raise _ClaimLost(entry.key)

    def save_robots(self, host: str, text: str) -> None:
        self._tx(lambda: self.conn.execute(
            "INSERT INTO crawl_robots VALUES (?, ?, ?) ON CONFLICT (host) DO UPDATE "
            "SET body=excluded.body, fetched_at=excluded.fetched_at", (host, text, _now())))

    # -- the end ---------------------------------------------------------------------------
    def finish(self, complete: bool) -> None:
        """Free this worker's hosts and claims and deregister; mark the run finished (once)
        when this crawl's sites have nothing queued or claimed."""
        if self.worker_id is None or self._finished:
            return

        def work() -> None:
            c, me = self.conn, self.worker_id
            c.execute(_UNCLAIM, (me,))
            c.execute("UPDATE crawl_hosts SET worker_id=NULL WHERE worker_id=?", (me,))
            c.execute(f"UPDATE crawl_workers SET stopped_at=?, lease_until=least(lease_until, {_CLOCK}) WHERE id=?",
                      (_now(), me))
            if complete and not self._work_left():
                c.execute("UPDATE crawl_runs SET finished_at=? WHERE id=? AND finished_at IS NULL", (_now(), self.run))

        if self._beat is not None:
            self._beat.stop()
        try:
            self._tx(work)
        finally:
            self._finished = True
            self._held.clear()
            if self._beat_conn is not None:
                self._beat_conn.close()

    def close(self) -> None:
        """After an error or Ctrl-C: let go of everything now rather than after the lease."""
        try:
            self.finish(False)
        except Exception as exc:  # the connection may be gone: the lease frees it all then
            log.warning("crawl worker %s: could not release its work: %s", self.worker_id, exc)
