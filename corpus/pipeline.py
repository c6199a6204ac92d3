"""Wire the stages together: crawl (scraper) → parse → extract → store (corpus).

``CorpusSink.prepare`` parses and extracts a fetched page (off the event loop, no database
access); ``CorpusSink.write`` stores the record and its raw bytes inside the frontier's
transaction (``corpus.frontier.SqliteFrontier.record``), so a page is stored if and only if
its URL is marked fetched.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from corpus.store import Corpus, RawInput
from extract import Record, extract_record, record_to_json
from scraper.types import Page

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
    that was stopped (killed, ``max_pages``) resumes where it stopped."""
    from corpus.frontier import SqliteFrontier
    from scraper.crawl import CrawlOptions, Crawler
    from scraper.fetch import FetchOptions
    from scraper.scope import resolve_target

    summary = CrawlSummary()
    started = time.monotonic()
    targets = [resolve_target(s) for s in job.start_urls]
    own_run = job.run_id is None
    sink = CorpusSink(corpus, summary, corpus.begin_run("crawl") if own_run else job.run_id)
    fetch = FetchOptions(user_agent=job.user_agent) if job.user_agent else FetchOptions()
    options = CrawlOptions(max_pages=job.max_pages, delay=job.delay, since=job.since, fetch=fetch,
                           per_host=job.per_host)
    result = asyncio.run(Crawler(targets, SqliteFrontier(corpus, sink.write), sink, options).run())
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
