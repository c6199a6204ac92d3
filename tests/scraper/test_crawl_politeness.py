"""Politeness as pure functions (no network, no clock) and the per-host gate."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timezone

import pytest

from scraper.politeness import DEFAULT_DELAY, HostGate, RetryPolicy, host_delay, next_delay, \
    parse_retry_after, should_retry
from scraper.urls import is_private_host

POLICY = RetryPolicy(max_attempts=4, base=1.0, cap=5.0, max_retry_after=120)


def test_defaults_are_polite() -> None:
    from scraper.crawl import CrawlOptions
    from scraper.fetch import USER_AGENT, FetchOptions

    options = CrawlOptions()
    assert DEFAULT_DELAY == options.delay == 1.0 and options.per_host == 1 and options.obey_robots
    assert "+http" in USER_AGENT and FetchOptions().max_bytes == 10 * 1024 * 1024


@pytest.mark.parametrize(("configured", "robots", "expected"), [
    (1.0, None, 1.0), (1.0, 0.5, 1.0), (1.0, 3.0, 3.0), (0.0, 2.0, 2.0), (0.0, None, 0.0)])
def test_host_delay_takes_the_longer_of_ours_and_crawl_delay(configured, robots, expected) -> None:
    assert host_delay(configured, robots) == expected


def test_parse_retry_after() -> None:
    now = datetime(2025, 1, 14, 8, 0, 0, tzinfo=timezone.utc)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after("Tue, 14 Jan 2025 08:00:30 GMT", now) == 30.0
    assert parse_retry_after("Tue, 14 Jan 2025 07:00:00 GMT", now) == 0.0  # in the past
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None


@pytest.mark.parametrize(("status", "reason", "expected"), [
    (429, "http-429", True), (503, "http-503", True), (500, "http-500", True), (None, "timeout", True),
    (None, "unreachable", True), (404, "http-404", False), (None, "too-large", False), (None, "redirects", False)])
def test_should_retry(status, reason, expected) -> None:
    assert should_retry(status, reason) is expected


def test_next_delay_is_exponential_with_jitter_and_capped() -> None:
    low = [next_delay(a, 500, None, policy=POLICY, rng=lambda: 0.0) for a in (1, 2, 3)]
    high = [next_delay(a, 500, None, policy=POLICY, rng=lambda: 1.0) for a in (1, 2, 3)]
    assert low == [0.5, 1.0, 2.0] and high == [1.0, 2.0, 4.0]
    assert next_delay(3, None, None, policy=RetryPolicy(max_attempts=9, base=4, cap=5), rng=lambda: 1.0) == 5.0


def test_next_delay_honours_retry_after_and_gives_up() -> None:
    assert next_delay(1, 429, 30.0, policy=POLICY) == 30.0
    assert next_delay(1, 503, 7.0, policy=POLICY) == 7.0
    assert next_delay(1, 429, 3600.0, policy=POLICY) is None  # longer than we wait: fail for this run
    assert next_delay(4, 500, None, policy=POLICY) is None  # attempts used up
    assert 0.5 <= next_delay(1, 429, None, policy=POLICY) <= 1.0  # no Retry-After: plain backoff


@pytest.mark.parametrize(("host", "private"), [
    ("127.0.0.1", True), ("10.1.2.3", True), ("192.168.0.10", True), ("172.16.5.4", True),
    ("169.254.169.254", True), ("[::1]", True), ("::ffff:127.0.0.1", True), ("0.0.0.0", True),
    ("localhost", True), ("api.localhost", True), ("fe80::1", True),
    ("8.8.8.8", False), ("truyenhinhnghean.vn", False), ("2001:4860:4860::8888", False)])
def test_private_hosts(host: str, private: bool) -> None:
    assert is_private_host(host) is private


def _starts(gate: HostGate, hosts: list[str], delay: float, work: float = 0.0) -> dict[str, list[float]]:
    starts: dict[str, list[float]] = {h: [] for h in hosts}

    async def one(host: str) -> None:
        async with gate.slot(host, delay):
            starts[host].append(time.monotonic())
            await asyncio.sleep(work)

    async def main() -> None:
        await asyncio.gather(*(one(h) for h in hosts))

    asyncio.run(main())
    return starts


def test_gate_spaces_one_host_and_runs_hosts_in_parallel() -> None:
    started = time.monotonic()
    starts = _starts(HostGate(), ["a"] * 4 + ["b"] * 4, 0.05, work=0.01)
    for times in starts.values():
        assert all(b - a >= 0.05 + 0.01 for a, b in zip(times, times[1:]))  # from the end of the last one
    assert time.monotonic() - started < 0.6  # a and b did not wait for each other


def test_gate_pause_holds_the_host() -> None:
    gate = HostGate()
    gate.pause("a", 0.2)
    started = time.monotonic()
    starts = _starts(gate, ["a", "b"], 0.0)
    assert starts["a"][0] - started >= 0.2 and starts["b"][0] - started < 0.1
