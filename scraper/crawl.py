"""The crawler: asynchronous, polite, incremental, crash-safe.

    targets ──seeds──► FrontierStore ──next_batch──► one worker per host slot
       ▲                                               │ robots.txt, HostGate (delay,
       └──── record(visit): page + state + links ◄─────┘ Retry-After), fetch_once, discovery

- Many hosts in parallel (``concurrency`` requests at once); per host ``per_host`` requests
  at a time (default 1) with ``delay`` seconds (default 1, or the robots ``Crawl-delay`` if
  longer) between the end of one and the start of the next.
- Redirects are followed hop by hop through the same gate; a redirect to a URL the frontier
  already knows is recorded, not fetched again.  ``rel=canonical`` adds an alias.
- 429/503 pause the host for ``Retry-After``; timeouts and 5xx are retried with exponential
  backoff and jitter (``politeness.next_delay``), then recorded as failed with their reason.
- Every visit is recorded through ``FrontierStore.record`` (one transaction: page, state,
  links), so a killed crawl resumes where it stopped.
- With a ``SharedFrontier`` this crawler is one of several workers: the run is seeded
  once (under the store's lock), a host is held for one batch of URLs and then handed back
  with the time its next request may start, the worker waits while others still hold work,
  and it makes no request once its lease may be lost.
  ``stop()`` (SIGTERM) lets the visits in flight finish and be recorded, then ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

import httpx

from scraper.discovery import Found, html_links, parse_cms_list, parse_feed, parse_sitemap
from scraper.leads import Leads, is_html, text_for_links
from scraper.errors import FetchError, VnnewsError
from scraper.fetch import FetchOptions, Response, fetch_once, make_async_client, resolves_private
from scraper.frontier import Entry, FrontierStore, MemoryFrontier, PageSink, SharedFrontier, Visit
from scraper.politeness import DEFAULT_DELAY, HostGate, RetryPolicy, host_delay, next_delay, \
    parse_retry_after, should_retry
from scraper.profiles import Profile
from scraper.robots import RobotsCache
from scraper.scope import GENERIC, Scope, Target, resolve_target
from scraper.types import Page
from scraper.urls import canonicalize_url, is_private_host, netloc_of

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CrawlOptions:
    max_pages: int | None = 100  # visits in this run (robots.txt not counted); None: no limit
    delay: float = DEFAULT_DELAY  # seconds between two requests to one host
    per_host: int = 1  # requests in flight per host
    concurrency: int = 32  # requests in flight in all
    batch: int = 64  # URLs taken from the frontier at a time per host (a shared frontier: per hold)
    obey_robots: bool = True
    since: date | None = None  # skip articles known to be older
    max_depth: int | None = None  # for links followed by the generic profile
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    fetch: FetchOptions = field(default_factory=FetchOptions)
    prepare_in_thread: bool = True  # run the sink's parse/extract off the event loop


@dataclass(slots=True)
class CrawlResult:
    fetched: int = 0  # visits answered (200 or 304)
    stored: int = 0  # visits whose page the sink stored
    unchanged: int = 0  # 304 Not Modified
    requests: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (url, "robots" | "redirect-known" | …)
    refused: list[tuple[str, str]] = field(default_factory=list)  # links never queued (private address)
    complete: bool = False  # the frontier ran dry (not stopped by max_pages)


class _Stop(Exception):
    """End a visit early without an error: ``state`` and ``reason`` say why."""

    def __init__(self, state: str, reason: str, final_url: str | None = None) -> None:
        super().__init__(reason)
        self.state, self.reason, self.final_url = state, reason, final_url


class _LeaseLost(Exception):
    """This worker may have outlived its lease: its hosts and claims may be another's now."""


class Crawler:
    def __init__(self, targets: list[Target], store: FrontierStore, sink: PageSink | None = None,
                 options: CrawlOptions | None = None, client: httpx.AsyncClient | None = None) -> None:
        self.targets, self.store, self.sink = targets, store, sink
        self.options = options or CrawlOptions()
        self.scope = Scope(targets, self.options.since, self.options.max_depth)
        self.result = CrawlResult()
        self.leads = Leads(self.scope, store)
        self.result.refused = self.leads.refused
        self._client = client
        self._buffers: dict[str, list[Entry]] = {}
        self._inflight: set[str] = set()
        self._started = 0
        self._private: dict[str, bool] = {}
        self._executor: ThreadPoolExecutor | None = None
        self._shared = store if isinstance(store, SharedFrontier) else None
        self._batched: set[str] = set()  # shared: hosts whose batch of this hold was taken
        self._stopping = False
        self._wake: asyncio.Event | None = None

    def stop(self) -> None:
        """Take no new URL; the visits in flight finish and are recorded (SIGTERM to a
        worker: a graceful stop leaves nothing to fetch twice).  Call on the loop's thread."""
        self._stopping = True
        if self._wake is not None:
            self._wake.set()

    # -- the run -------------------------------------------------------------------
    async def run(self) -> CrawlResult:
        own = self._client is None
        self._ssl = httpx.create_ssl_context()  # built once (~0.1-0.25 s), shared by every pool
        self.client = self._client or make_async_client(self.options.fetch, 4, verify=self._ssl)
        self.gate = HostGate(self.options.per_host)
        self._sem = asyncio.Semaphore(self.options.concurrency)
        self.robots = RobotsCache(self.store, self._get_robots, self.options.fetch.user_agent)
        self._wake = asyncio.Event()
        try:
            await self._seed()
            await self._schedule()
        finally:
            if own:
                await self.client.aclose()
            if self._executor is not None:
                self._executor.shutdown(wait=True)
        shared = self._shared
        left = self.store.hosts(self.scope.sites) if shared is None else not shared.alive() or shared.pending()
        self.result.complete = not self._budget_spent() and not left
        self.store.finish(self.result.complete)
        return self.result

    async def _seed(self) -> None:
        """Queue the targets' entry points.  Workers sharing a frontier do it one at a time;
        only the one starting a new run reads robots.txt for its sitemaps, and it hands the
        hosts it asked on with their delay."""
        shared = self._shared
        new = shared.lock_run() if shared is not None else True
        try:
            sitemaps = await asyncio.gather(*(self._robots_sitemaps(t.start_url) for t in self.targets)) if new \
                else [[] for _ in self.targets]
            self.store.begin([seed for target, found in zip(self.targets, sitemaps)
                              for seed in self.scope.seeds(target, found)])
            if shared is not None and new:
                for host in sorted({netloc_of(t.start_url) for t in self.targets}):
                    shared.release(host, self.gate.free_in(host, self._delay(host)))
        finally:
            if shared is not None:
                shared.unlock_run()

    async def _robots_sitemaps(self, url: str) -> list[str]:
        if not self.options.obey_robots:
            return []
        await self.robots.rules(urlsplit(url).scheme, netloc_of(url))
        return self.robots.sitemaps(netloc_of(url))

    def _budget_spent(self) -> bool:
        """No new visit: ``max_pages`` reached, or ``stop()`` called."""
        return self._stopping or self.options.max_pages is not None and self._started >= self.options.max_pages

    async def _schedule(self) -> None:
        shared = self._shared
        active: dict[asyncio.Task, str] = {}
        while True:
            if not self._budget_spent():
                busy = [h for h in active.values()]
                for host in self.store.hosts(self.scope.sites):
                    if shared is not None and host not in busy:  # wait out the last holder's delay
                        self.gate.pause(host, shared.ready_in(host))
                    for _ in range(self.options.per_host - busy.count(host)):
                        active[asyncio.create_task(self._worker(host))] = host
            if not active:
                if shared is None or self._budget_spent() or not shared.alive() or not shared.pending():
                    return
                await self._nap(shared.poll)  # other workers still hold work; a dead one's comes free
                continue
            done, _ = await asyncio.wait(active, timeout=shared.poll if shared is not None else None,
                                         return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                host = active.pop(task)
                task.result()  # a bug in a worker stops the crawl loudly
                if shared is not None and host not in active.values():
                    self._hand_back(shared, host)

    def _hand_back(self, shared: SharedFrontier, host: str) -> None:
        """The batch of this hold is done (or the crawl stops): release the host, so the work
        rebalances between workers, with the time its next request may start."""
        self._buffers.pop(host, None)  # URLs left (a stop): the store queues them again
        self._batched.discard(host)
        shared.release(host, self.gate.free_in(host, self._delay(host)))

    async def _nap(self, seconds: float) -> None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)  # type: ignore[union-attr]

    def _claim(self, host: str) -> Entry | None:
        buffer = self._buffers.setdefault(host, [])
        if self._shared is not None and not self._shared.alive():
            return None
        if not buffer and (self._shared is None or host not in self._batched):
            buffer.extend(reversed(self.store.next_batch(host, self.options.batch, self._inflight)))
            if self._shared is not None:
                self._batched.add(host)
        while buffer:
            entry = buffer.pop()
            if entry.key not in self._inflight:
                return entry
        return None

    async def _worker(self, host: str) -> None:
        # Each worker has its own small connection pool: httpcore's pool does per-request
        # work proportional to its size, so one shared pool of N connections costs O(N) a request.
        client = self._client or make_async_client(self.options.fetch, 4, verify=self._ssl)
        try:
            while not self._budget_spent():
                entry = self._claim(host)
                if entry is None:
                    return
                self._started += 1
                self._inflight.add(entry.key)
                try:
                    try:
                        visit = await self._visit(entry, client)
                    except _LeaseLost:  # not recorded: the URL stays claimed, the next holder queues it again
                        return
                    self._tally(visit)
                    self.store.record(visit)
                finally:
                    self._inflight.discard(entry.key)
        finally:
            if client is not self._client:
                await client.aclose()

    def _tally(self, visit: Visit) -> None:
        r, url = self.result, visit.entry.url
        if visit.state == "failed":
            r.failed.append((url, visit.reason or "error"))
            log.warning("failed %s: %s", url, visit.reason)
        elif visit.state in ("skipped", "redirect", "duplicate"):
            r.skipped.append((url, visit.reason or visit.state))
        else:
            r.fetched += 1
            r.unchanged += visit.state == "unchanged"
            r.stored += visit.prepared is not None

    # -- one visit -----------------------------------------------------------------
    async def _visit(self, entry: Entry, client: httpx.AsyncClient) -> Visit:
        try:
            resp = await self._fetch_with_retries(entry, client)
        except FetchError as exc:
            return Visit(entry, "failed", status=getattr(exc, "status", None), reason=exc.reason)
        except _Stop as stop:
            return Visit(entry, stop.state, reason=stop.reason, final_url=stop.final_url)
        if resp.status == 304:
            return Visit(entry, "unchanged", status=304, final_url=resp.url)
        page = resp.page(entry.url)
        visit = Visit(entry, "done", status=resp.status, final_url=resp.url, page=page)
        final_key = canonicalize_url(resp.url)
        if final_key != entry.key:
            visit.aliases.append(final_key)
        try:
            await self._discover(visit, page)
        except ValueError as exc:  # a sitemap, feed or API answer we cannot read
            visit.state, visit.reason = "failed", f"unreadable-{entry.kind}"
            log.warning("%s: %s", entry.url, exc)
        return visit

    async def _fetch_with_retries(self, entry: Entry, client: httpx.AsyncClient) -> Response:
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._fetch_following(entry, client)
            except FetchError as exc:
                status = getattr(exc, "status", None)
                if not should_retry(status, exc.reason):
                    raise
                wait = next_delay(attempt, status, parse_retry_after(getattr(exc, "retry_after", None)),
                                  policy=self.options.retry)
                if wait is None:
                    raise
                log.info("retrying %s in %.2f s (%s)", entry.url, wait, exc.reason)
                if status in (429, 503):
                    self.gate.pause(entry.host, wait)  # the whole host waits
                else:
                    await asyncio.sleep(wait)

    async def _fetch_following(self, entry: Entry, client: httpx.AsyncClient) -> Response:
        url, chain = entry.url, {entry.url}
        headers = _conditional(entry)
        for _hop in range(self.options.fetch.max_redirects + 1):
            await self._admit(url)
            resp = await self._request(client, url, headers)
            if resp.location is None:
                return resp
            target = canonicalize_url(resp.location, keep_trailing_slash=True)
            key = canonicalize_url(target)
            if target in chain:
                raise FetchError(f"{entry.url}: redirect loop", url=entry.url, reason="redirects")
            if key != entry.key and self.store.known([key]):
                raise _Stop("redirect", "redirect-known", target)
            reason = self.scope.refusal(target)
            if reason:
                raise FetchError(f"{entry.url}: redirect to {target} refused", url=entry.url, reason=reason)
            chain.add(target)
            url, headers = target, {}
        raise FetchError(f"{entry.url}: more than {self.options.fetch.max_redirects} redirects",
                         url=entry.url, reason="redirects")

    async def _admit(self, url: str) -> None:
        """robots.txt and private-address checks before a request to ``url``."""
        parts, host = urlsplit(url), netloc_of(url)
        if host not in self.scope.start_hosts and not is_private_host(parts.hostname or ""):
            if host not in self._private:
                self._private[host] = await resolves_private(parts.hostname or "")
            if self._private[host]:
                raise FetchError(f"{url}: {parts.hostname} resolves to a private address", url=url,
                                 reason="private-address")
        if self.options.obey_robots:
            await self.robots.rules(parts.scheme, host)
            if not self.robots.allowed(host, url):
                raise _Stop("skipped", "robots")

    def _delay(self, host: str) -> float:
        return host_delay(self.options.delay, self.robots.crawl_delay(host)) if self.options.obey_robots \
            else self.options.delay

    def _check_lease(self) -> None:
        """Right before a request: a worker that may have outlived its lease (a stall, a
        frozen process) must not touch a host another worker may hold now."""
        if self._shared is not None and not self._shared.alive():
            raise _LeaseLost()

    async def _request(self, client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> Response:
        host = netloc_of(url)
        async with self.gate.slot(host, self._delay(host)), self._sem:
            self._check_lease()
            self.result.requests += 1
            return await fetch_once(client, url, self.options.fetch, headers)

    async def _get_robots(self, url: str) -> Response:
        """robots.txt, following redirects (http → https, a new domain) through the gate."""
        for _hop in range(self.options.fetch.max_redirects + 1):
            async with self.gate.slot(netloc_of(url), self.options.delay), self._sem:
                self._check_lease()
                self.result.requests += 1
                resp = await fetch_once(self.client, url, self.options.fetch)
            if resp.location is None or self.scope.refusal(resp.location):
                return resp
            url = resp.location
        return resp

    # -- what a page leads to ------------------------------------------------------
    async def _discover(self, visit: Visit, page: Page) -> None:
        entry = visit.entry
        profile = self.scope.profile(entry.host, entry.site)
        if entry.kind == "sitemap":
            sitemap = parse_sitemap(page.body)
            kind = "sitemap" if sitemap.is_index else None
            visit.links += self.leads.found(sitemap.entries, entry, profile, kind)
        elif entry.kind == "feed":
            visit.links += self.leads.found(parse_feed(page.body, page.final_url), entry, profile)
        elif entry.kind == "api":
            links = self.leads.found(parse_cms_list(page.body, page.final_url), entry, profile)
            visit.links += links + self.leads.next_api_page(entry, profile, links)
        elif is_html(page):
            await self._discover_html(visit, page, profile)

    async def _discover_html(self, visit: Visit, page: Page, profile: Profile) -> None:
        entry = visit.entry
        found = html_links(text_for_links(page), page.final_url)
        if found.canonical and self.scope.in_scope(found.canonical):
            ckey = canonicalize_url(found.canonical)
            if ckey != entry.key and ckey not in visit.aliases:
                if self.store.known([ckey]):
                    visit.state, visit.reason, visit.page = "duplicate", "canonical-known", None
                    return
                visit.aliases.append(ckey)
        if entry.kind in ("page", "article") and self.sink is not None:
            try:
                visit.prepared = await self._prepare(page)
            except VnnewsError as exc:  # the page was fetched but cannot be used: a failure
                visit.state, visit.reason, visit.page = "failed", type(exc).__name__, None
                return
        urls = [*found.links, found.next_page] if found.next_page and entry.kind == "page" else found.links
        links = self.leads.found((Found(u) for u in urls), entry, profile)
        if entry.kind == "listing":
            links += self.leads.next_listing(entry, profile, links, found.next_page)
        visit.links += links

    async def _prepare(self, page: Page) -> Any:
        if not self.options.prepare_in_thread:
            return self.sink.prepare(page)  # type: ignore[union-attr]
        if self._executor is None:  # one thread: parse/extract never run concurrently
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vnnews-prepare")
        return await asyncio.get_running_loop().run_in_executor(self._executor, self.sink.prepare, page)


def _conditional(entry: Entry) -> dict[str, str]:
    headers = {}
    if entry.etag:
        headers["If-None-Match"] = entry.etag
    if entry.last_modified:
        headers["If-Modified-Since"] = entry.last_modified
    return headers


class _CallbackSink:
    def __init__(self, on_page: Callable[[Page], Any] | None) -> None:
        self._on_page = on_page

    def prepare(self, page: Page) -> None:
        if self._on_page is not None:
            self._on_page(page)


def crawl(starts: Iterable[str], *, on_page: Callable[[Page], Any] | None = None,
          options: CrawlOptions | None = None, store: FrontierStore | None = None,
          sink: PageSink | None = None) -> CrawlResult:
    """Crawl from ``starts`` (profile names or URLs) to the end; blocking.

    Without ``store`` the frontier is in memory; ``on_page`` (when no ``sink``) sees every
    fetched HTML page on the event loop's thread."""
    targets = [resolve_target(s) for s in starts]
    if sink is None:
        sink = _CallbackSink(on_page)
        options = options or CrawlOptions()
        options = replace(options, prepare_in_thread=False)
    return asyncio.run(Crawler(targets, store or MemoryFrontier(), sink, options).run())


__all__ = ["CrawlOptions", "CrawlResult", "Crawler", "Target", "GENERIC", "canonicalize_url", "crawl",
           "resolve_target"]
