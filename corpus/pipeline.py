"""Wire the stages together: crawl (scraper) → parse → extract → store (corpus).

``CorpusSink.prepare`` parses and extracts a fetched page (off the event loop, no database
access); ``CorpusSink.write`` stores the record and its raw bytes inside the frontier's
transaction (``corpus.frontier.SqliteFrontier.record``), so a page is stored if and only if
its URL is marked fetched.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from corpus.store import Corpus, RawInput
from extract import Record, extract_record, record_to_json
from scraper.types import Page

if TYPE_CHECKING:
    from scraper.crawl import CrawlResult, Crawler

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CrawlJob:
    start_urls: tuple[str, ...]  # profile names or start URLs
    max_pages: int | None = 200
    delay: float = 1.0
    since: date | None = None
    user_agent: str | None = None
    per_host: int = 1
    run_id: int | None = None  # the caller's run (nightly); None: record a "crawl" run
    warc_dir: str | None = None  # also archive every page fetched with a body as WARC files here
    worker: bool = False  # one of several workers sharing the frontier (needs a PostgreSQL corpus)
    lease: float = 30.0  # worker: seconds its hosts and claims outlive its last heartbeat


@dataclass(slots=True)
class CrawlSummary:
    pages_fetched: int = 0
    articles_added: int = 0
    articles_unchanged: int = 0
    pages_without_article: int = 0
    pages_not_modified: int = 0
    requests: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    per_site: Counter = field(default_factory=Counter)
    article_ids: list[int] = field(default_factory=list)
    duration_s: float = 0.0
    complete: bool = False


class CorpusSink:
    """The crawl's PageSink: an article page becomes a stored record plus its raw bytes."""

    def __init__(self, corpus: Corpus, summary: CrawlSummary, run_id: int | None = None) -> None:
        self.corpus, self.summary, self.run_id = corpus, summary, run_id

    def prepare(self, page: Page) -> tuple[Record, RawInput] | None:
        from scraper.html import parse_page

        article = parse_page(page)
        if article is None:
            return None
        raw = RawInput.from_page(page)
        return extract_record(article), raw

    def write(self, page: Page, prepared: tuple[Record, RawInput]) -> int:
        """Inside the frontier's transaction: store the raw page and the record."""
        record, raw = prepared
        data = record_to_json(record)
        text_sha = hashlib.sha256(record.text.encode("utf-8")).hexdigest()
        key = record.article.url or f"sha256:{text_sha}"
        page_id = self.corpus._store_page(raw)
        article_id, changed = self.corpus._store_in_tx(record, data, key, text_sha, page_id, self.run_id, False)
        self.summary.article_ids.append(article_id)
        if changed:
            self.summary.articles_added += 1
            self.summary.per_site[record.article.site or "?"] += 1
        else:
            self.summary.articles_unchanged += 1
        return page_id


def run_crawl(corpus: Corpus, job: CrawlJob) -> CrawlSummary:
    """Crawl ``job`` into ``corpus``: the frontier lives in the same database, so a crawl
    that was stopped (killed, ``max_pages``) resumes where it stopped.  On PostgreSQL the
    crawl is a worker (``corpus.pgfrontier``): others may join it, on any machine."""
    from corpus.db import POSTGRESQL
    from corpus.errors import CorpusError
    from corpus.frontier import SqliteFrontier
    from corpus.pgfrontier import PgFrontier
    from scraper.crawl import CrawlOptions, Crawler
    from scraper.fetch import FetchOptions
    from scraper.scope import resolve_target
    from scraper.warc import WarcWriter

    shared = getattr(corpus, "dialect", None) == POSTGRESQL
    if job.worker and not shared:
        raise CorpusError(f"crawl workers need a PostgreSQL corpus: SQLite has one writer ({corpus.name})")
    summary = CrawlSummary()
    started = time.monotonic()
    targets = [resolve_target(s) for s in job.start_urls]
    warc = WarcWriter(job.warc_dir) if job.warc_dir else None  # a bad folder: exit 2 before the run starts
    archived = warc.wrap_store if warc else (lambda frontier: frontier)
    own_run = job.run_id is None
    sink = CorpusSink(corpus, summary, corpus.begin_run("crawl") if own_run else job.run_id)
    fetch = FetchOptions(user_agent=job.user_agent) if job.user_agent else FetchOptions()
    options = CrawlOptions(max_pages=job.max_pages, delay=job.delay, since=job.since, fetch=fetch,
                           per_host=job.per_host, batch=16 if shared else 64)  # workers: rebalance often
    with warc or contextlib.nullcontext():  # closed however the crawl ends; each page is flushed as written
        if shared:
            frontier = PgFrontier(corpus, sink.write, lease=job.lease)
            try:
                result = asyncio.run(_graceful(Crawler(targets, archived(frontier), sink, options)))
            finally:
                frontier.close()  # after an error or Ctrl-C: free its hosts and claims now, not after the lease
        else:
            result = asyncio.run(Crawler(targets, archived(SqliteFrontier(corpus, sink.write)), sink, options).run())
    if warc:
        log.info("archived %d pages in %s", warc.pages, ", ".join(map(str, warc.paths)) or "no file")
    summary.pages_fetched = result.fetched
    summary.pages_not_modified = result.unchanged
    summary.pages_without_article = result.fetched - result.unchanged - result.stored
    summary.requests = result.requests
    summary.failed.extend(result.failed)
    summary.complete = result.complete
    summary.duration_s = time.monotonic() - started
    if own_run:
        corpus.finish_run(sink.run_id, "partial" if summary.failed else "ok",
                          {"articles_added": summary.articles_added, "articles_unchanged": summary.articles_unchanged,
                           "pages_fetched": summary.pages_fetched, "pages_failed": len(summary.failed),
                           "per_site": dict(summary.per_site)})
    return summary


async def _graceful(crawler: Crawler) -> CrawlResult:
    """Run a crawl worker; SIGTERM lets its visits in flight finish and be stored, then it
    frees its hosts, so a stopped worker leaves nothing to fetch twice.  Left alone when
    SIGTERM already has a handler (``vnnews nightly`` reports an interrupted run)."""
    loop = asyncio.get_running_loop()
    mine = threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    if mine:
        loop.add_signal_handler(signal.SIGTERM, crawler.stop)
    try:
        return await crawler.run()
    finally:
        if mine:
            loop.remove_signal_handler(signal.SIGTERM)
