"""Wire the stages together: crawl (scraper) → parse → extract → store (corpus)."""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field

from corpus.store import Corpus, RawInput
from extract import extract_record
from scraper.types import Page

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CrawlJob:
    start_urls: tuple[str, ...]
    max_pages: int = 200
    delay: float = 1.0


@dataclass(slots=True)
class CrawlSummary:
    pages_fetched: int = 0
    articles_added: int = 0
    articles_unchanged: int = 0
    pages_without_article: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    per_site: Counter = field(default_factory=Counter)
    article_ids: list[int] = field(default_factory=list)
    duration_s: float = 0.0


def store_page(corpus: Corpus, page: Page, summary: CrawlSummary) -> None:
    """Parse one fetched page; if it is an article, extract and store it."""
    from scraper.html import parse_page

    summary.pages_fetched += 1
    article = parse_page(page)
    if article is None:
        summary.pages_without_article += 1
        return
    record = extract_record(article)
    raw = RawInput(body=page.body, input_format="html", url=page.url, final_url=page.final_url,
                   status=page.status, headers=page.headers, fetched_at=page.fetched_at,
                   etag=page.etag, last_modified=page.last_modified)
    article_id, changed = corpus.store(record, raw)
    summary.article_ids.append(article_id)
    if changed:
        summary.articles_added += 1
        summary.per_site[article.site or "?"] += 1
    else:
        summary.articles_unchanged += 1


def run_crawl(corpus: Corpus, job: CrawlJob) -> CrawlSummary:
    from scraper.crawl import CrawlOptions, crawl

    summary = CrawlSummary()
    started = time.monotonic()
    result = crawl(
        list(job.start_urls),
        on_page=lambda page: store_page(corpus, page, summary),
        options=CrawlOptions(max_pages=job.max_pages, delay=job.delay),
    )
    summary.failed.extend(result.failed)
    summary.duration_s = time.monotonic() - started
    return summary
