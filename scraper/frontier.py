"""The crawl frontier as a protocol: what the crawler needs from persistence.

``scraper`` defines the protocols; ``corpus.frontier`` implements them on SQLite (the
frontier and page state live in the corpus database), ``MemoryFrontier`` below in memory
(tests, benchmarks).  The one rule that makes a crawl crash-safe:

    ``FrontierStore.record(visit)`` stores the visit's page (through the ``PageSink``'s
    prepared value), sets the URL's state and enqueues the links it found — in ONE
    transaction.  A URL is never "fetched but not stored": after a crash it is still
    queued and is fetched again; once recorded it is never fetched again in this run.

A *run* spans restarts: ``begin`` resumes an unfinished run (entry points already visited
in it are not re-fetched) or starts a new one (entry points are queued again, with their
ETag / Last-Modified for a conditional GET).

URL states: queued → done | unchanged (304) | redirect | duplicate | failed; a
``SharedFrontier`` (several crawl workers) also has ``claimed``: taken by one worker.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Protocol, Sequence, runtime_checkable

from scraper.types import Page

KINDS = ("page", "article", "listing", "sitemap", "feed", "api")
TRANSIENT = ("timeout", "unreachable", "http-429", "http-500", "http-502", "http-503", "http-504")


@dataclass(frozen=True, slots=True)
class Link:
    """A URL to visit.  ``refresh``: an entry point (seed, sitemap, listing page, feed)
    visited again in each new run; other URLs are visited once, ever."""

    key: str  # canonical URL: the frontier's primary key
    url: str  # what to request (may keep a directory's trailing slash)
    site: str
    host: str  # netloc: the politeness unit
    kind: str = "page"
    depth: int = 0
    priority: int = 1  # lower first
    meta: str = "{}"  # JSON: listing page number, profile name, …
    refresh: bool = False


@dataclass(frozen=True, slots=True)
class Entry:
    """A queued URL handed to the crawler."""

    key: str
    url: str
    site: str
    host: str
    kind: str
    depth: int
    meta: str = "{}"
    etag: str | None = None
    last_modified: str | None = None


@dataclass(slots=True)
class Visit:
    """What happened to one entry; ``prepared`` is the sink's value to store (or None)."""

    entry: Entry
    state: str  # done | unchanged | redirect | duplicate | failed
    status: int | None = None
    reason: str | None = None
    final_url: str | None = None
    page: Page | None = None
    prepared: Any = None
    links: list[Link] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # other keys of the same page (redirect target, canonical)


class PageSink(Protocol):
    def prepare(self, page: Page) -> Any:
        """Parse/extract a fetched page into what the store will write (None: nothing to
        store).  No store I/O here: it may run in a worker thread, outside the transaction."""


class FrontierStore(Protocol):
    def begin(self, seeds: Sequence[Link]) -> int: ...
    def hosts(self, sites: Iterable[str]) -> list[str]: ...
    def next_batch(self, host: str, limit: int, exclude: set[str]) -> list[Entry]: ...
    def known(self, keys: Iterable[str]) -> set[str]: ...
    def record(self, visit: Visit) -> None: ...
    def robots(self, host: str) -> str | None: ...
    def save_robots(self, host: str, text: str) -> None: ...
    def finish(self, complete: bool) -> None: ...


@runtime_checkable
class SharedFrontier(FrontierStore, Protocol):
    """A frontier several crawl workers (processes, machines) work on at once.

    A host is crawled by one worker at a time: ``hosts`` returns the hosts this worker
    holds (taking free ones, or a dead worker's, up to its fair share), ``next_batch``
    claims URLs so that no other worker gets them, and ``release`` hands a host back after
    a batch with the seconds before its next request may start, so the next holder keeps
    the delay.  ``alive`` turns false when this worker may have outlived its lease (the
    store keeps it up): it must then make no more requests."""

    poll: float  # seconds between looks for work while other workers still hold some

    def lock_run(self) -> bool:
        """Serialise starting or joining the run; True: this worker starts a new run."""

    def unlock_run(self) -> None: ...
    def ready_in(self, host: str) -> float: ...  # seconds before the first request to a host just taken
    def release(self, host: str, ready_in: float) -> None: ...
    def pending(self) -> bool: ...  # work left in the shared frontier (possibly held by other workers)
    def alive(self) -> bool: ...


class MemoryFrontier:
    """In-memory FrontierStore (one process, nothing survives it): tests and benchmarks."""

    def __init__(self, write: Callable[[Page, Any], None] | None = None) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self._queues: dict[str, list[tuple[int, int, str]]] = {}
        self._count = 0
        self._write = write or (lambda page, prepared: None)
        self._robots: dict[str, str] = {}
        self.run = 0
        self._finished = True

    def begin(self, seeds: Sequence[Link]) -> int:
        if not self._finished:  # resume (as SqliteFrontier does after a stop)
            self._add(seeds)
            return self.run
        self.run += 1
        self._finished = False
        for row in self.rows.values():  # as SqliteFrontier: sitemaps and transient failures again
            if (row["link"].kind == "sitemap" and row["state"] in ("done", "unchanged")) or \
                    (row["state"] == "failed" and row.get("reason") in TRANSIENT):
                row["state"] = "queued"
                self._queue(row["link"])
        self._add(seeds)
        return self.run

    def _queue(self, link: Link) -> None:
        self._count += 1
        heapq.heappush(self._queues.setdefault(link.host, []), (link.priority, self._count, link.key))

    def _add(self, links: Iterable[Link]) -> None:
        for link in links:
            row = self.rows.get(link.key)
            if row is None:
                self.rows[link.key] = {"link": link, "state": "queued", "run": 0, "etag": None, "lm": None}
                self._queue(link)
            elif link.refresh and row["state"] != "queued" and row["run"] < self.run:
                row["state"] = "queued"
                self._queue(row["link"])

    def hosts(self, sites: Iterable[str]) -> list[str]:
        wanted = set(sites)
        return sorted(h for h, q in self._queues.items()
                      if q and self.rows[q[0][2]]["link"].site in wanted)

    def next_batch(self, host: str, limit: int, exclude: set[str]) -> list[Entry]:
        queue, out, keep = self._queues.get(host, []), [], []
        while queue and len(out) < limit:
            item = heapq.heappop(queue)
            r = self.rows[item[2]]
            if r["state"] != "queued":
                continue  # visited since it was queued: drop the stale heap item
            keep.append(item)  # still queued until recorded, as in SqliteFrontier
            if item[2] not in exclude:
                link = r["link"]
                out.append(Entry(item[2], link.url, link.site, link.host, link.kind, link.depth, link.meta,
                                 r["etag"], r["lm"]))
        for item in keep:
            heapq.heappush(queue, item)
        return out

    def known(self, keys: Iterable[str]) -> set[str]:
        return {k for k in keys if k in self.rows}

    def record(self, visit: Visit) -> None:
        if visit.prepared is not None and visit.page is not None:
            self._write(visit.page, visit.prepared)
        row = self.rows[visit.entry.key]
        row.update(state=visit.state, run=self.run, reason=visit.reason)
        if visit.page is not None:
            row.update(etag=visit.page.etag, lm=visit.page.last_modified)
        self._add(visit.links)
        e = visit.entry
        for alias in visit.aliases:
            self.rows.setdefault(alias, {"link": Link(alias, alias, e.site, e.host, e.kind), "state": "done",
                                         "run": self.run, "etag": None, "lm": None})

    def robots(self, host: str) -> str | None:
        return self._robots.get(host)

    def save_robots(self, host: str, text: str) -> None:
        self._robots[host] = text

    def finish(self, complete: bool) -> None:
        self._finished = self._finished or complete
