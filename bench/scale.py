"""Re-extraction speed-up with Dask: 1 worker → all cores, per-worker throughput, and a
projection for a 10-million-page archive.

    PYTHONPATH=. python bench/scale.py [--pages 3000] [--db postgresql://…/empty_db]

A corpus of N fetched pages is generated from the 32 demo-site articles (each stored under
its own URL, with an older extractor stamp), then `reextract --all` runs serially, and with
`reextract_dask` on a LocalCluster of 1 and of all cores (processes, one thread each).
With ``--db`` (an empty PostgreSQL database) the corpus is built there once and every run
rewrites all of it (``--all``), so the client writes to PostgreSQL instead of SQLite.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from corpus.dask_reextract import dask_client, reextract_dask
from corpus.reextract import reextract
from corpus.store import Corpus, RawInput
from extract import Record
from scraper.html import parse_page
from scraper.types import Page

DEMO = Path(__file__).resolve().parents[1] / "corpus" / "demo_site"


def build(db: str, n: int) -> int:
    pages = sorted(DEMO.glob("*/*/*/index.html"))
    stored = 0
    with Corpus(db) as c:
        for i in range(n):
            path = pages[i % len(pages)]
            url = f"http://127.0.0.1:8000/{path.parent.relative_to(DEMO)}-{i}/"
            page = Page(url=url, final_url=url, status=200, headers={"Content-Type": "text/html; charset=utf-8"},
                        body=path.read_bytes(), fetched_at=datetime(2025, 3, 1, tzinfo=timezone.utc))
            article = parse_page(page)
            if article is not None:
                c.store(Record(article=article, extractor="old"), RawInput(
                    body=page.body, input_format="html", url=url, status=200, headers=page.headers,
                    fetched_at=page.fetched_at))
                stored += 1
    return stored


def timed(db: str, workers: int | None) -> tuple[float, int]:
    with Corpus(db) as c:
        if workers is None:
            t = time.perf_counter()
            s = reextract(c, all_articles=True)
            return time.perf_counter() - t, s.changed
        with dask_client(None, workers) as client:
            client.submit(sum, [1]).result()  # cluster up and warm before the clock starts
            t = time.perf_counter()
            s = reextract_dask(c, client, all_articles=True)
            return time.perf_counter() - t, s.changed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=3000)
    ap.add_argument("--db", help="an empty PostgreSQL database to use instead of temporary SQLite files")
    args = ap.parse_args()
    cores = os.cpu_count() or 1
    tmp = Path(tempfile.mkdtemp())
    try:
        base = args.db or str(tmp / "base.db")
        t = time.perf_counter()
        n = build(base, args.pages)
        print(f"corpus: {n} articles from {args.pages} pages built in {time.perf_counter() - t:.1f} s; {cores} cores")
        rows = []
        for label, workers in (("serial (no Dask)", None), ("dask, 1 worker", 1), (f"dask, {cores} workers", cores)):
            db = args.db or str(tmp / f"{workers}.db")
            if not args.db:
                shutil.copy(base, db)
            secs, done = timed(db, workers)
            rows.append((label, workers or 1, secs, done / secs))
        one = rows[1][3]
        print("| run | workers | seconds | articles/s | per worker | speed-up vs 1 worker |\n|---|---|---|---|---|---|")
        for label, w, secs, rate in rows:
            print(f"| {label} | {w} | {secs:.1f} | {rate:.0f} | {rate / w:.0f} | {rate / one:.2f}× |")
        per = rows[2][3] / cores
        for workers in (8, 32, 128):
            print(f"projection: 10,000,000 pages on {workers} workers at {per:.0f}/s each: "
                  f"{1e7 / (per * workers) / 3600:.1f} h (compute only; see docs/scaling.md for the writer limit)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
