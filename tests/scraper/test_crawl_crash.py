"""SIGKILL the crawler at random moments, start it again: no page is lost, and the only
requests made twice are the ones in flight when the process died (their result had not
been committed, so the page must be fetched again — at most one per kill here, one host
at one request at a time).  robots.txt is kept in the corpus, so it is not asked again."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from collections import Counter

import pytest

from corpus.store import Corpus
from tests.conftest import REPO
from tests.scraper import network as fx

KILLS = 3


@pytest.fixture
def small_site():
    net, servers = fx.start_network(("small",))
    yield net
    fx.stop_network(net, servers)


def _crawl_cmd(base: str, db: str) -> list[str]:
    return [sys.executable, "-m", "corpus.cli", "-q", "crawl", "--site", base + "/", "--db", db,
            "--delay", "0.05", "--max-pages", "1000"]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _kill_after(net: fx.Network, cmd: list[str], hits: int, extra: float) -> str | None:
    """Start the crawl, SIGKILL it once the server has seen ``hits`` requests (plus ``extra``
    seconds); returns the path of the last request the killed process made."""
    before = len(net.hits)
    proc = subprocess.Popen(cmd, env=_env(), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(net.hits) - before < hits and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    time.sleep(extra)
    proc.kill()  # SIGKILL
    proc.wait(timeout=10)
    mine = net.hits[before:]
    return mine[-1].path if mine else None


def test_sigkill_at_random_points_loses_nothing_and_refetches_only_in_flight(small_site, tmp_path) -> None:
    net = small_site
    seed = int(os.environ.get("VNNEWS_CRASH_SEED", random.randrange(10**6)))
    rng = random.Random(seed)
    db = str(tmp_path / "crash.db")
    cmd = _crawl_cmd(net.base("small"), db)
    last_before_kill = []
    for _ in range(KILLS):  # each process gets 1-15 requests out (of ~46), then a kill, maybe mid-request
        last_before_kill.append(_kill_after(net, cmd, rng.randint(1, 15), rng.uniform(0, 0.06)))
    done = subprocess.run(cmd, env=_env(), cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, (seed, done.stderr[-2000:])

    counts = Counter(h.path.split("?utm")[0] for h in net.hits)
    repeated = {p for p, n in counts.items() if n > 1}
    assert repeated <= {p for p in last_before_kill if p}, (seed, repeated, last_before_kill)
    assert all(n <= 1 + KILLS for n in counts.values())
    assert counts["/robots.txt"] <= 1 + ("/robots.txt" in last_before_kill)
    with Corpus(db) as corpus:
        urls = [r[0] for r in corpus.conn.execute("SELECT url FROM articles")]
        page_urls = [r[0] for r in corpus.conn.execute("SELECT url FROM pages")]
        queued = corpus.conn.execute("SELECT count(*) FROM crawl_frontier WHERE state='queued'").fetchone()[0]
    expected = {net.base("small") + fx.plain_path(i) for i in range(fx.SMALL_ARTICLES)}
    assert set(urls) == expected and len(urls) == len(expected), seed
    assert len(page_urls) == len(set(page_urls)) and queued == 0
