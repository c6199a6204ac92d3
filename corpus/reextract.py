"""``vnnews reextract``: run the current extractor again over the raw pages kept in the
corpus — no refetching.  An article is redone when its stored extractor version differs
from ``extract.EXTRACTOR_VERSION`` (or always, with ``all_articles``).  Pages are parsed
by the same code as when they were first read: fetched pages through
``scraper.html.parse_page``, files and standard input through ``corpus.inputs.parse_raw``
with the URL/date hints the command line gave then.
"""

from __future__ import annotations

import json
import logging
import zlib
from dataclasses import dataclass, field
from datetime import datetime

from corpus.inputs import options_from_hints, parse_raw, with_published
from corpus.store import Corpus
from extract import EXTRACTOR_VERSION, extract_record
from scraper.errors import VnnewsError
from scraper.types import Article, Page

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ReextractSummary:
    considered: int = 0
    changed: int = 0
    unchanged: int = 0
    without_page: int = 0  # stored without raw bytes (e.g. built by hand): cannot be redone
    failed: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"articles_considered": self.considered, "articles_added": self.changed,
                "articles_unchanged": self.unchanged, "articles_without_page": self.without_page,
                "pages_failed": len(self.failed),
                "failed": [list(f) for f in self.failed]}


def article_from_page(row) -> Article | None:
    """Parse one stored ``pages`` row back into an Article."""
    body = zlib.decompress(row["body"])
    options = options_from_hints(json.loads(row["parse_hints"] or "{}"), row["input_format"], row["url"])
    if row["status"] is not None:  # fetched over HTTP: the crawler's path
        from scraper.html import parse_page

        fetched = datetime.fromisoformat(row["fetched_at"])
        article = parse_page(Page(url=row["url"], final_url=row["final_url"] or row["url"], status=row["status"],
                                  headers=json.loads(row["headers"]), body=body, fetched_at=fetched,
                                  etag=row["etag"], last_modified=row["last_modified"]))
        return with_published(article, options.published) if article is not None else None
    return parse_raw(body, row["input_format"], row["url"] or f"page {row['id']}", options)


def _todo(corpus: Corpus, all_articles: bool) -> list[tuple[str, int | None, str]]:
    sql = "SELECT key, page_id, coalesce(url, key) FROM articles WHERE TRUE"
    params: tuple = ()
    if not all_articles:
        sql += " AND extractor != ?"
        params = (EXTRACTOR_VERSION,)
    return [tuple(r) for r in corpus.conn.execute(sql + " ORDER BY id", params)]


def reextract(corpus: Corpus, all_articles: bool = False, run_id: int | None = None) -> ReextractSummary:
    """Re-run extraction over stored pages; one transaction per article."""
    summary = ReextractSummary()
    todo = _todo(corpus, all_articles)
    summary.without_page = sum(1 for _, page_id, _ in todo if page_id is None)
    for key, page_id, name in (t for t in todo if t[1] is not None):
        summary.considered += 1
        row = corpus.conn.execute("SELECT * FROM pages WHERE id=?", (page_id,)).fetchone()
        try:
            article = article_from_page(row)
            if article is None:
                raise VnnewsError("the stored page no longer parses as an article")
        except (VnnewsError, ValueError, zlib.error) as exc:
            log.warning("reextract %s: %s", name, exc)
            summary.failed.append((name, str(exc)))
            continue
        _, changed = corpus.store(extract_record(article), page_id=page_id, run_id=run_id,
                                  force=all_articles, key=key)
        if changed:
            summary.changed += 1
        else:
            summary.unchanged += 1
    return summary
