"""Politeness: how long to wait before the next request to a host, and before a retry.

The decisions are small pure functions (tested without a network or a clock):

    host_delay(configured, crawl_delay)           -> seconds between two requests to a host
    parse_retry_after(value, now)                 -> seconds, or None
    should_retry(status, reason)                  -> is this failure worth another attempt?
    next_delay(attempt, status, retry_after, ...) -> seconds before attempt ``attempt + 1``

``HostGate`` applies them: one request at a time per host (configurable), at least the
host's delay between the end of one request and the start of the next, and a host-wide
pause after a 429/503.  Hosts are independent, so many run in parallel.
"""

from __future__ import annotations

import asyncio
import random
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import AsyncIterator, Callable

DEFAULT_DELAY = 1.0  # seconds between two requests to one host
RETRY_STATUSES = frozenset((429, 500, 502, 503, 504))
RETRY_REASONS = frozenset(("timeout", "unreachable"))


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 3  # the first try included
    base: float = 1.0  # first backoff, doubled per attempt
    cap: float = 60.0  # longest backoff
    max_retry_after: float = 300.0  # a longer Retry-After gives up on the page for this run


def host_delay(configured: float, crawl_delay: float | None) -> float:
    """The robots.txt ``Crawl-delay`` wins when it asks for more than we would wait anyway."""
    return max(configured, crawl_delay or 0.0)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After: 120`` or an HTTP date -> seconds from now (never negative); None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())


def should_retry(status: int | None, reason: str) -> bool:
    return (status in RETRY_STATUSES) or reason in RETRY_REASONS


def next_delay(attempt: int, status: int | None, retry_after: float | None, *,
               policy: RetryPolicy = RetryPolicy(), rng: Callable[[], float] = random.random) -> float | None:
    """Seconds to wait before retrying after failed attempt number ``attempt`` (1-based);
    None when the page should be given up.

    429 and 503 honour ``Retry-After`` when the server sends one; otherwise exponential
    backoff ``base * 2**(attempt-1)`` capped at ``cap``, with "full jitter" between half and
    all of it so that many clients do not retry in step.
    """
    if attempt >= policy.max_attempts:
        return None
    if status in (429, 503) and retry_after is not None:
        return retry_after if retry_after <= policy.max_retry_after else None
    backoff = min(policy.cap, policy.base * 2 ** (attempt - 1))
    return backoff * (0.5 + 0.5 * rng())


class HostGate:
    """Per-host admission: ``async with gate.slot(host, delay): <one request>``.

    A request starts no earlier than ``delay`` after the previous request to the host
    started *and* ended, and not before a pause (429/503) is over."""

    def __init__(self, per_host: int = 1, clock: Callable[[], float] = time.monotonic) -> None:
        self._per_host = per_host
        self._clock = clock
        self._sems: dict[str, asyncio.Semaphore] = {}
        self._last: dict[str, float] = {}
        self._paused: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def pause(self, host: str, seconds: float) -> None:
        """No request to ``host`` for ``seconds`` (a 429/503 answer, or another crawl worker's
        last request to a host this one takes over)."""
        self._paused[host] = max(self._paused.get(host, 0.0), self._clock() + seconds)

    def ready_at(self, host: str, delay: float) -> float:
        return max(self._last.get(host, float("-inf")) + delay, self._paused.get(host, 0.0))

    def free_in(self, host: str, delay: float) -> float:
        """Seconds before the next request to ``host`` may start (0: now): what a crawl
        worker handing the host over tells the next one."""
        return max(0.0, self.ready_at(host, delay) - self._clock())

    @asynccontextmanager
    async def slot(self, host: str, delay: float) -> AsyncIterator[None]:
        sem = self._sems.setdefault(host, asyncio.Semaphore(self._per_host))
        async with sem:
            if delay > 0 or host in self._paused:
                async with self._locks.setdefault(host, asyncio.Lock()):
                    while (wait := self.ready_at(host, delay) - self._clock()) > 0:
                        await asyncio.sleep(wait)
                    self._last[host] = self._clock()
            try:
                yield
            finally:
                if delay > 0:
                    self._last[host] = self._clock()
