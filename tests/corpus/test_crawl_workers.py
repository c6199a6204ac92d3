"""Crawl workers sharing one frontier in PostgreSQL (corpus.pgfrontier).

The claim and lease rules on two or three ``PgFrontier`` objects in one process, then three
``vnnews crawl --worker`` processes on five fixture hosts (127.0.0.1): one is SIGKILLed
mid-crawl (only the requests it had in flight are made twice, every page is stored once)
or SIGTERMed (nothing is made twice), and no host ever sees two requests closer than the
delay, whichever workers sent them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from typing import Iterator

import pytest

from corpus.pgfrontier import PgFrontier
from corpus.store import Corpus
from scraper.frontier import Link, Visit
from scraper.types import Page
from tests.conftest import REPO
from tests.scraper import network as fx

HOSTS = 5
ARTICLES = 10  # per host, behind two listing pages
PER_LISTING = 5
DELAY = 0.15
LEASE = 1.5
TOLERANCE = 0.01  # seconds: clock granularity between two requests to one host
DEADLINE = 90.0


# -- the unit level: claims, leases, fair share ---------------------------------------
def _link(host: str, path: str) -> Link:
    url = f"http://{host}{path}"
    return Link(key=url, url=url, site=host, host=host, kind="article")


def _seeds(hosts: int, urls: int) -> list[Link]:
    return [_link(f"h{h}.vn", f"/{i}") for h in range(hosts) for i in range(urls)]


@pytest.fixture
def workers(pg_dsn: str) -> Iterator[list[PgFrontier]]:
    """Three workers (their own connections) on one new corpus; none has begun yet."""
    corpora = [Corpus(pg_dsn) for _ in range(3)]
    frontiers = [PgFrontier(c, lease=30) for c in corpora]
    try:
        yield frontiers
    finally:
        for f, c in zip(frontiers, corpora):
            f.close()  # stops its heartbeat thread
            c.close()


def _begin(frontiers: list[PgFrontier], seeds: list[Link]) -> None:
    for f in frontiers:
        f.lock_run()
        try:
            f.begin(seeds)
        finally:
            f.unlock_run()


def _page(url: str) -> Page:
    return Page(url=url, final_url=url, status=200, headers={}, body=b"<p>x</p>", fetched_at=None)  # type: ignore[arg-type]


def test_two_workers_never_share_a_host_or_a_url(workers) -> None:
    a, b, _ = workers
    sites = [f"h{h}.vn" for h in range(4)]
    _begin([a, b], _seeds(4, 6))
    assert a.run == b.run  # joined, not a second run
    ha, hb = a.hosts(sites), b.hosts(sites)
    assert len(ha) == len(hb) == 2 and not set(ha) & set(hb)  # fair share: ceil(4 hosts / 2 workers)
    claimed = [e.key for f, hs in ((a, ha), (b, hb)) for h in hs for e in f.next_batch(h, 100, set())]
    assert len(claimed) == len(set(claimed)) == 24
    assert b.next_batch(ha[0], 100, set()) == [] and a.next_batch(ha[0], 100, set()) == []  # not B's; all claimed


def test_fair_share_splits_hosts_and_release_carries_the_delay(workers) -> None:
    sites = [f"h{h}.vn" for h in range(6)]
    _begin(workers, _seeds(6, 2))
    held = [set(f.hosts(sites)) for f in workers]
    assert [len(h) for h in held] == [2, 2, 2] and len(set.union(*held)) == 6
    a, b, _ = workers
    host = sorted(held[0])[0]
    a.release(host, 0.5)  # its batch is done: the next request to it no sooner than 0.5 s from now
    assert host not in b.hosts(sites)  # b has its share
    assert host in a.hosts(sites) and 0.3 < a.ready_in(host) <= 0.5  # a has room again; the delay carried


def test_an_expired_lease_is_taken_over_and_the_late_record_refused(pg_dsn) -> None:
    with Corpus(pg_dsn) as ca, Corpus(pg_dsn) as cb:
        written: list[str] = []
        a = PgFrontier(ca, lambda page, prepared: written.append(page.url), lease=0.6)
        b = PgFrontier(cb, lambda page, prepared: written.append(page.url), lease=30)
        _begin([a, b], _seeds(1, 3))
        assert a.hosts(["h0.vn"]) == ["h0.vn"] and b.hosts(["h0.vn"]) == []  # a took it first: share 1
        first, *_ = a.next_batch("h0.vn", 10, set())
        a._beat.stop()  # frozen: no more heartbeats
        time.sleep(0.7)
        assert not a.alive()
        assert b.hosts(["h0.vn"]) == ["h0.vn"]  # taken over, a's claims queued again
        again = b.next_batch("h0.vn", 10, set())
        assert [e.key for e in again][0] == first.key and len(again) == 3
        a.record(Visit(first, "done", 200, page=_page(first.url), prepared="x"))  # a wakes up: too late
        assert a.refused == 1 and written == []
        b.record(Visit(again[0], "done", 200, page=_page(first.url), prepared="x"))
        assert written == [first.url]
        a.renew()  # its lease had expired: it stays dead
        assert not a.alive() and a.hosts(["h0.vn"]) == []
        a.close()
        b.close()


def test_finish_frees_everything_and_marks_the_run_finished_once(workers) -> None:
    a, b, _ = workers
    _begin([a, b], _seeds(2, 1))
    for f in (a, b):
        for host in f.hosts(["h0.vn", "h1.vn"]):
            for e in f.next_batch(host, 10, set()):
                f.record(Visit(e, "done", 200))
    a.finish(True)
    b.finish(True)
    conn = a.conn
    assert conn.execute("SELECT count(*) FROM crawl_runs WHERE finished_at IS NOT NULL").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM crawl_hosts WHERE worker_id IS NOT NULL").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM crawl_workers WHERE stopped_at IS NULL").fetchone()[0] == 0


def test_worker_needs_postgresql(fresh_db, capsys) -> None:
    from corpus.cli import main

    assert main(["crawl", "--worker", "--site", "http://127.0.0.1:9/", "--db", fresh_db]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "needs a PostgreSQL corpus" in err and "SQLite has one writer" in err
    assert not os.path.exists(fresh_db)


# -- three worker processes on five fixture hosts ---------------------------------------
class _Handler(fx.Handler):
    site = "workers"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def site_workers(self, path: str, q: dict[str, str]) -> None:
        b, port = self.base, self.server.server_address[1]
        if path == "/robots.txt":
            self.send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        elif path in ("/", "/tin"):
            page = int(q.get("page", 1))
            ids = range((page - 1) * PER_LISTING, page * PER_LISTING)
            nxt = f'<link rel="next" href="{b}/tin?page={page + 1}">' if page * PER_LISTING < ARTICLES else ""
            self.send(200, fx.listing_html([b + fx.plain_path(i) for i in ids], nxt).encode())
        elif path.startswith("/tin/") and int(path[5:].split(".")[0]) < ARTICLES:
            i = int(path[5:].split(".")[0])
            self.send(200, fx.article_html(f"Tin số {i} của cổng {port}", i, 1 + i % 28, 1 + i % 12).encode())
        else:
            self.send(404, b"<p>not found</p>", etag=False)


@pytest.fixture
def sites() -> Iterator[tuple[fx.Network, list[str]]]:
    net = fx.Network()
    servers = [fx._Server(("127.0.0.1", 0), type("H", (_Handler,), {"net": net})) for _ in range(HOSTS)]
    for s in servers:
        threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield net, [f"http://127.0.0.1:{s.server_address[1]}/" for s in servers]
    fx.stop_network(net, servers)


def test_without_worker_a_postgresql_crawl_is_one_worker(sites, pg_dsn) -> None:
    from corpus.cli import main

    net, bases = sites
    assert main(["-q", "crawl", "--db", pg_dsn, "--delay", "0", *[a for b in bases[:2] for a in ("--site", b)]]) == 0
    with Corpus(pg_dsn) as c:
        assert c.count("articles") == 2 * ARTICLES
        assert c.conn.execute("SELECT count(*) FROM crawl_workers WHERE stopped_at IS NOT NULL").fetchone()[0] == 1
        assert c.conn.execute("SELECT count(*) FROM crawl_runs WHERE finished_at IS NOT NULL").fetchone()[0] == 1
    assert max(Counter((h.port, h.path) for h in net.hits).values()) == 1


def _start(bases: list[str], dsn: str, n: int, log_dir) -> list[subprocess.Popen]:
    Corpus(dsn).close()  # the schema, before the test polls it (the workers would race to make it)
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    procs = []
    for i in range(n):
        cmd = [sys.executable, "-m", "corpus.cli", "-v", "crawl", "--worker", "--db", dsn, "--delay", str(DELAY),
               "--lease", str(LEASE), "--max-pages", "1000", "--user-agent", f"vnnews-test/w{i}"]
        cmd += [a for base in bases for a in ("--site", base)]
        with open(log_dir / f"w{i}.log", "w") as out:
            procs.append(subprocess.Popen(cmd, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT))
    return procs


def _victim(dsn: str, procs: list[subprocess.Popen], total: int) -> tuple[subprocess.Popen, int]:
    """The first worker with a few pages stored and a host in hand while most of the crawl
    is still ahead: (its process, its worker id)."""
    import psycopg

    deadline = time.monotonic() + DEADLINE
    with psycopg.connect(dsn, autocommit=True) as conn:
        while time.monotonic() < deadline:
            rows = conn.execute(
                "SELECT w.pid, w.id, count(*) FROM crawl_workers w JOIN crawl_frontier f ON f.worker_id = w.id "
                "AND f.state = 'done' AND f.page_id IS NOT NULL "
                "WHERE EXISTS (SELECT 1 FROM crawl_hosts h WHERE h.worker_id = w.id) GROUP BY w.pid, w.id").fetchall()
            done = conn.execute("SELECT count(*) FROM articles").fetchone()[0] if rows else 0
            for pid, wid, stored in rows:
                if stored >= 2 and done < total // 2:
                    return next(p for p in procs if p.pid == pid), wid
            time.sleep(0.01)
    raise AssertionError("no worker got going")


def _finish(procs: list[subprocess.Popen], log_dir) -> list[int]:
    codes = []
    for i, p in enumerate(procs):
        try:
            codes.append(p.wait(timeout=DEADLINE))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=10)
            raise AssertionError(f"worker {i} did not finish:\n" + (log_dir / f"w{i}.log").read_text()[-3000:])
    return codes


def _check_politeness_and_storage(net: fx.Network, bases: list[str], dsn: str,
                                  excused: frozenset[fx.Hit] = frozenset()) -> Counter:
    by_port: dict[int, list[fx.Hit]] = defaultdict(list)
    for hit in net.hits:
        if hit not in excused:
            by_port[hit.port].append(hit)
    pairs = [(b.at - a.at, a, b) for hits in by_port.values() for a, b in zip(hits, hits[1:])]
    gap, first, second = min(pairs, key=lambda x: x[0])
    assert gap >= DELAY - TOLERANCE, (gap, first, second)  # whichever workers sent them
    expected = {base.rstrip("/") + fx.plain_path(i) for base in bases for i in range(ARTICLES)}
    with Corpus(dsn) as c:
        urls = [r[0] for r in c.conn.execute("SELECT url FROM articles")]
        pages = [r[0] for r in c.conn.execute("SELECT url FROM pages")]
        left = c.conn.execute("SELECT count(*) FROM crawl_frontier WHERE state IN ('queued', 'claimed')").fetchone()[0]
        finished = c.conn.execute("SELECT count(*) FROM crawl_runs WHERE finished_at IS NOT NULL").fetchone()[0]
    assert sorted(urls) == sorted(expected) and sorted(pages) == sorted(expected)  # each stored exactly once
    assert left == 0 and finished == 1
    return Counter((h.port, h.path) for h in net.hits)


def _kill_all(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait(timeout=10)


def test_a_killed_worker_costs_only_its_requests_in_flight(sites, pg_dsn, tmp_path) -> None:
    net, bases = sites
    procs = _start(bases, pg_dsn, 3, tmp_path)
    try:
        victim, wid = _victim(pg_dsn, procs, HOSTS * ARTICLES)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=10)
        with Corpus(pg_dsn) as c:  # the lease has not run out yet: nobody has taken its hosts
            held = {r[0] for r in c.conn.execute("SELECT host FROM crawl_hosts WHERE worker_id=?", (wid,))}
        codes = _finish([p for p in procs if p is not victim], tmp_path)
    finally:
        _kill_all(procs)
    assert codes == [0, 0]
    counts = _check_politeness_and_storage(net, bases, pg_dsn)
    twice = {key for key, n in counts.items() if n > 1}
    assert all(counts[key] == 2 for key in twice)
    ua = f"vnnews-test/w{procs.index(victim)}"
    last = {}  # the victim's last request to each host: the only one that can have been in flight
    for hit in net.hits:
        if hit.user_agent == ua:
            last[hit.port] = (hit.port, hit.path)
    in_flight = {last[port] for port in last if f"127.0.0.1:{port}" in held}
    assert twice <= in_flight and len(twice) <= len(held)  # per_host 1: one request per host it held


def test_a_terminated_worker_leaves_nothing_to_fetch_twice(sites, pg_dsn, tmp_path) -> None:
    net, bases = sites
    procs = _start(bases, pg_dsn, 3, tmp_path)
    try:
        victim, wid = _victim(pg_dsn, procs, HOSTS * ARTICLES)
        victim.send_signal(signal.SIGTERM)
        assert victim.wait(timeout=10) == 0
        with Corpus(pg_dsn) as c:  # it let go of everything itself, before its lease could run out
            assert c.conn.execute("SELECT stopped_at FROM crawl_workers WHERE id=?", (wid,)).fetchone()[0]
            assert c.conn.execute("SELECT count(*) FROM crawl_hosts WHERE worker_id=?", (wid,)).fetchone()[0] == 0
            assert c.conn.execute("SELECT count(*) FROM crawl_frontier WHERE worker_id=? AND state='claimed'",
                                  (wid,)).fetchone()[0] == 0
        codes = _finish([p for p in procs if p is not victim], tmp_path)
    finally:
        _kill_all(procs)
    assert codes == [0, 0]
    counts = _check_politeness_and_storage(net, bases, pg_dsn)
    assert max(counts.values()) == 1, [k for k, n in counts.items() if n > 1]


def test_a_frozen_worker_outlived_by_its_lease_stops_itself(sites, pg_dsn, tmp_path) -> None:
    """SIGSTOP past the lease, then SIGCONT: the others have taken its hosts; on waking it
    stores nothing its claims no longer cover and exits.  The one request it may still send
    per host it held is one that had passed its lease check when it froze (no check can be
    atomic with the send): like a request in flight, it is excused from the spacing rule."""
    net, bases = sites
    procs = _start(bases, pg_dsn, 3, tmp_path)
    try:
        zombie, wid = _victim(pg_dsn, procs, HOSTS * ARTICLES)
        zombie.send_signal(signal.SIGSTOP)
        with Corpus(pg_dsn) as c:
            held = {r[0] for r in c.conn.execute("SELECT host FROM crawl_hosts WHERE worker_id=?", (wid,))}
        time.sleep(LEASE * 2)
        woke = time.monotonic()  # the fixture servers' clock
        zombie.send_signal(signal.SIGCONT)
        codes = _finish(procs, tmp_path)
    finally:
        _kill_all(procs)
    log = (tmp_path / f"w{procs.index(zombie)}.log").read_text()
    assert "stops: its lease expired" in log
    # frozen inside a transaction, it had its session ended by the server (so its locks held no one up)
    assert codes[procs.index(zombie)] == 0 or "lost the connection" in log
    assert [code for p, code in zip(procs, codes) if p is not zombie] == [0, 0]
    for i, p in enumerate(procs):  # nobody else lost its lease, waiting on the frozen worker's locks
        assert p is zombie or "stops" not in (tmp_path / f"w{i}.log").read_text()
    late = [h for h in net.hits if h.user_agent == f"vnnews-test/w{procs.index(zombie)}" and h.at > woke]
    assert len({h.port for h in late}) == len(late) and {f"127.0.0.1:{h.port}" for h in late} <= held
    counts = _check_politeness_and_storage(net, bases, pg_dsn, frozenset(late))
    assert sum(n - 1 for n in counts.values()) <= len(held)  # at most what it had in flight when frozen
