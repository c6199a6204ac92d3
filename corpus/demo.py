"""``vnnews demo``: serve the bundled sample site on 127.0.0.1, crawl it into a fresh
SQLite corpus, and show what was extracted.  Works offline."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import threading
from importlib import resources
from pathlib import Path
from typing import Iterator

from corpus.pipeline import CrawlJob, run_crawl
from corpus.render import print_crawl_summary, print_hits, print_records
from corpus.search import SearchOptions, search
from corpus.store import Corpus


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on an ephemeral 127.0.0.1 port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="demo-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def run_demo(db: str = "vnnews-demo.db", keep_serving: bool = False) -> int:
    path = Path(db)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    with resources.as_file(resources.files("corpus").joinpath("demo_site")) as folder, serve_folder(folder) as base:
        print(f"Serving the bundled sample site at {base}")
        print(f"Crawling it into a fresh corpus: {path}\n")
        with Corpus(str(path)) as corpus:
            summary = run_crawl(corpus, CrawlJob(start_urls=(base,), max_pages=500, delay=0.0))
            rows = corpus.conn.execute("SELECT record FROM articles ORDER BY coalesce(published, published_month), id")
            print_records(json.loads(r[0]) for r in rows)
            print()
            print_crawl_summary(summary)
            print('\nSearch ignores diacritics — `vnnews search "Bach Mai" --db', path, "`:")
            print_hits(search(corpus, SearchOptions(query="Bach Mai", limit=5)), "Bach Mai")
        print(f"\nTry: vnnews search \"benh vien\" --province \"Nghệ An\" --db {path}")
        if keep_serving:
            print(f"Serving {base} until Ctrl-C")
            threading.Event().wait()
    return 1 if summary.failed else 0
