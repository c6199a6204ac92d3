"""The same real-looking corpus in SQLite and PostgreSQL, for the tests that compare the
two backends: the demo site's 32 articles, extracted for real, stored with their pages in
path order, and a republished copy of one of them on another site (a near-duplicate)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Iterator

import pytest

from corpus.store import Corpus, RawInput
from extract import Record, extract_record
from scraper.html import parse_page
from scraper.types import Page
from tests import pgserver
from tests.conftest import REPO

DEMO = REPO / "corpus" / "demo_site"
COPY_URL = "https://baonghean.vn/y-te/bach-mai-nghe-an-ky-ket.html"  # republishes the Bạch Mai–Nghệ An story


@lru_cache(maxsize=1)
def demo_records() -> tuple[tuple[Record, RawInput], ...]:
    out = []
    for path in sorted(DEMO.rglob("index.html")):
        url = f"http://127.0.0.1:8000/{path.parent.relative_to(DEMO)}/"
        page = Page(url=url, final_url=url, status=200, headers={"Content-Type": "text/html; charset=utf-8"},
                    body=path.read_bytes(), fetched_at=datetime(2025, 11, 1, tzinfo=timezone.utc))
        article = parse_page(page)
        if article is not None:
            out.append((extract_record(article), RawInput.from_page(page)))
    original = next(r for r, _ in out if "bach-mai-va-ubnd-tinh-nghe-an" in (r.article.url or ""))
    copy = dataclasses.replace(original.article, url=COPY_URL, site="baonghean.vn",
                               published=original.article.published + timedelta(hours=5))
    out.append((dataclasses.replace(original, article=copy), RawInput(body=b"copy", input_format="text", url=COPY_URL)))
    return tuple(out)


STORED_AT = "2025-03-01T00:00:00+00:00"


def fill(db: str) -> str:
    """The demo corpus in ``db``; storage times are pinned so that the two backends,
    filled a moment apart, export the same bytes."""
    with Corpus(db) as c:
        for record, raw in demo_records():
            c.store(record, raw)
        c.conn.execute("UPDATE articles SET stored_at = ?", (STORED_AT,))
    return db


@pytest.fixture(scope="module")
def both(pg_server: pgserver.PgServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(SQLite path, PostgreSQL URL) holding the same demo corpus, for a whole module."""
    url = pg_server.create_database()
    try:
        yield fill(str(tmp_path_factory.mktemp("both") / "corpus.db")), fill(url)
    finally:
        pg_server.drop_database(url.rsplit("/", 1)[1])


def open_both(dbs: tuple[str, str]) -> tuple[Corpus, Corpus]:
    return Corpus(dbs[0], readonly=True), Corpus(dbs[1], readonly=True)


def ids_by(c: Corpus) -> dict[str, int]:
    """Article id by URL."""
    return {r[0]: r[1] for r in c.conn.execute("SELECT url, id FROM articles")}

