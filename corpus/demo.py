"""``vnnews demo``: serve the bundled sample site on 127.0.0.1, crawl it into a fresh
SQLite corpus, and show what was extracted.  Works offline.

The sample site (``corpus/demo_site``, described in its ``SITE.md``) has 32 articles from
provincial stations in two layout families (Techcity-like and WordPress-like), listing pages
with pagination, trailer boxes full of other people's names, and a robots.txt.  The demo
ends with what to try next: a search, an export for researchers, the browser UI and the
nightly job.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import threading
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Iterator

from corpus.pipeline import CrawlJob, run_crawl
from corpus.render import print_crawl_summary, print_hits, print_records
from corpus.search import SearchOptions, search
from corpus.store import Corpus

# articles shown in full: a signing ceremony, a statistics report, a WordPress page
_SHOWCASE = ("-1a2b3c4/", "-3d5f7b9/", "/so-y-te-lao-cai-ky-ket-hop-tac-voi-benh-vien-nhi-trung-uong/")
_SEARCH = ("Bach Mai", "Nghệ An")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on an ephemeral 127.0.0.1 port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="demo-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _print_overview(records: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(soft_wrap=False, highlight=False)
    table = Table(title=f"{len(records)} articles from "
                        f"{len({r.get('province') for r in records})} provinces", show_lines=False)
    table.add_column("date", no_wrap=True, min_width=10)
    table.add_column("province", no_wrap=True, min_width=11)
    table.add_column("title", no_wrap=True, overflow="ellipsis", max_width=max(20, console.width - 56))
    for name in ("off", "hosp", "fig"):  # officials, hospitals, figures found
        table.add_column(name, justify="right", no_wrap=True, min_width=len(name))
    table.add_column("agr", justify="center", no_wrap=True, min_width=3)  # an agreement was found
    for r in records:
        table.add_row((r.get("published") or "")[:10], r.get("province") or "?", r["title"],
                      str(len(r["officials"])), str(len(r["hospitals"])), str(len(r["figures"])),
                      "✓" if r["agreements"] else "")
    console.print(table)


def _next_steps(path: Path) -> None:
    db = str(path)
    print("\nWhat next:")
    print(f'  search      vnnews search "Bach Mai" --province "Nghệ An" --db {db}')
    print(f'              vnnews search "ghep than" --format json --db {db}')
    print(f"  export      vnnews export --format jsonl --out vnnews-demo.jsonl --db {db}")
    print(f"              vnnews export --format parquet --out vnnews-demo-parquet --db {db}")
    print(f"  browse      vnnews serve --db {db}    (then open http://127.0.0.1:8001/ in a browser)")
    print("  schedule    vnnews nightly --config nightly.toml --summary last-run.json --log-json"
          "    (cron and systemd: docs/nightly.md)")


def run_demo(db: str = "vnnews-demo.db", keep_serving: bool = False) -> int:
    from corpus.db import sqlite_path

    path = sqlite_path(db)  # the demo deletes and recreates its corpus: a file, never a shared database
    for suffix in ("", "-wal", "-shm", ".nightly.lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    with resources.as_file(resources.files("corpus").joinpath("demo_site")) as folder, serve_folder(folder) as base:
        print(f"Serving the bundled sample site at {base}")
        print(f"Crawling it into a fresh corpus: {path}\n")
        with Corpus(str(path)) as corpus:
            summary = run_crawl(corpus, CrawlJob(start_urls=(base,), max_pages=500, delay=0.0))
            rows = corpus.conn.execute("SELECT url, record FROM articles ORDER BY coalesce(published, published_month), id")
            records = [(url, json.loads(rec)) for url, rec in rows]
            _print_overview([r for _, r in records])
            print("\nThree of them in full (what the extractor found, trailer boxes left out):")
            print_records(r for url, r in records if any(mark in (url or "") for mark in _SHOWCASE))
            sites = Counter(r.get("site") for _, r in records)
            print(f"\n{len(records)} articles, {len(sites)} sites, "
                  f"{sum(len(r['officials']) for _, r in records)} officials, "
                  f"{sum(len(r['hospitals']) for _, r in records)} hospitals, "
                  f"{sum(len(r['agreements']) for _, r in records)} agreements")
            print_crawl_summary(summary)
            query, province = _SEARCH
            print(f'\nSearch ignores diacritics — vnnews search "{query}" --province "{province}" --db {path}:')
            print_hits(search(corpus, SearchOptions(query=query, province=province, limit=5)), query)
        _next_steps(path)
        if keep_serving:
            print(f"\nServing {base} until Ctrl-C")
            threading.Event().wait()
    return 1 if summary.failed else 0
