"""`vnnews reextract --dask`: the same records as the serial re-extraction, computed on a
LocalCluster (threads here, so it starts fast) that is always closed."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

pytest.importorskip("distributed")

from corpus.dask_reextract import reextract_dask
from corpus.reextract import reextract
from corpus.store import Corpus, RawInput
from extract import Record
from scraper.html import parse_page
from scraper.types import Page
from tests.conftest import REPO

PAGES = sorted((REPO / "corpus" / "demo_site").glob("*/*/*/index.html"))


def _fill(db: str) -> None:
    with Corpus(db) as c:
        for i, path in enumerate(PAGES[:12]):
            url = f"http://127.0.0.1:8000/{path.parent.relative_to(REPO / 'corpus' / 'demo_site')}/"
            page = Page(url=url, final_url=url, status=200, headers={"Content-Type": "text/html; charset=utf-8"},
                        body=path.read_bytes(), fetched_at=datetime(2025, 3, 1, tzinfo=timezone.utc))
            article = parse_page(page)
            if article is not None:
                c.store(Record(article=article, extractor="old"), RawInput(
                    body=page.body, input_format="html", url=url, status=200, headers=page.headers,
                    fetched_at=page.fetched_at))


def _records(db: str) -> list[dict]:
    with Corpus(db, readonly=True) as c:
        return [json.loads(r[0]) for r in c.conn.execute("SELECT record FROM articles ORDER BY key")]


def test_dask_reextract_equals_serial(tmp_path):
    from distributed import Client, LocalCluster

    serial, dask = str(tmp_path / "s.db"), str(tmp_path / "d.db")
    _fill(serial)
    _fill(dask)
    with Corpus(serial) as c:
        s = reextract(c)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client, Corpus(dask) as c:
        d = reextract_dask(c, client, batch_size=3)
    assert s.considered == d.considered > 5 and (s.changed, s.failed) == (d.changed, d.failed)
    assert _records(serial) == _records(dask)
    assert all(r["extractor"] != "old" for r in _records(dask))
