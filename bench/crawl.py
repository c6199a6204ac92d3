"""Crawl throughput: vnnews' crawler against Scrapy on the same local site, same run.

    python bench/crawl.py                       # 2,000 pages of ~140 KB, concurrency 16
    python bench/crawl.py --pages 20000 --crawlers vnnews,vnnews-sqlite --rounds 1 --no-polite
                                                # the memory goal: peak RSS for 20,000 pages
    python bench/crawl.py --polite-only         # politeness on: measured spacing per host

A separate server process serves the site from memory (asyncio, keep-alive, bodies built
from pre-generated parts) so that the server is not what is measured.  Each crawler runs in
its own child process; its peak RSS is the child's ``ru_maxrss`` (``os.wait4``).  Both
crawlers follow every ``<a href>`` and drop duplicates (vnnews: canonical URLs in its
frontier; Scrapy: its request fingerprint filter); politeness is off for the throughput
runs (no robots.txt, no delay, ``--concurrency`` requests in flight on the one host).
``vnnews`` keeps its frontier in memory; ``vnnews-sqlite`` in a SQLite corpus, one
transaction per page, as ``vnnews crawl`` does (pages are not parsed into articles here).

Then, politeness on (robots.txt, the default 1 s delay, one request at a time per host),
three hosts crawled together: the minimum spacing the server saw between two requests
to one host.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGE_KB = 140
LINKS_PER_PAGE = 12


# -- the site (server process) ---------------------------------------------------------
def _fillers(n: int = 32) -> list[bytes]:
    rng = random.Random(7)
    words = ("bệnh viện sở y tế hợp tác chuyển giao kỹ thuật đào tạo cán bộ tỉnh nghệ an bắc ninh "
             "ký kết thỏa thuận giai đoạn khám chữa bệnh người dân chuyên môn trung ương").split()
    out = []
    for _ in range(n):
        paras = []
        size = 0
        while size < PAGE_KB * 1024 - 4096:
            p = "<p>" + " ".join(rng.choice(words) for _ in range(60)) + ".</p>\n"
            paras.append(p)
            size += len(p.encode())
        out.append("".join(paras).encode())
    return out


def _links(i: int, pages: int) -> bytes:
    rng = random.Random(i)
    targets = [c for c in range(i * 10 + 1, i * 10 + 11) if c < pages]
    targets += [rng.randrange(pages) for _ in range(LINKS_PER_PAGE - len(targets))]
    hrefs = "".join(f'<li><a href="/tin/{t}.html{"?utm_source=bench" if t % 3 == 0 else ""}">Tin {t}</a></li>'
                    for t in targets)
    return f"<ul class='related'>{hrefs}</ul>".encode()


class Site:
    def __init__(self, pages: int) -> None:
        self.pages, self.fillers = pages, _fillers()
        self.log: dict[int, list[float]] = {}

    def body(self, path: str) -> tuple[int, bytes, str]:
        if path == "/robots.txt":
            return 200, b"User-agent: *\nAllow: /\n", "text/plain"
        if path in ("/", "/index.html"):
            i = 0
        elif path.startswith("/tin/") and path.endswith(".html") and path[5:-5].isdigit():
            i = int(path[5:-5])
            if i >= self.pages:
                return 404, b"not found", "text/plain"
        else:
            return 404, b"not found", "text/plain"
        head = f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Tin {i}</title></head><body>" \
               f"<h1>Tin số {i}</h1>".encode()
        return 200, b"".join((head, self.fillers[i % len(self.fillers)], _links(i, self.pages), b"</body></html>")), \
            "text/html; charset=utf-8"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        port = writer.get_extra_info("sockname")[1]
        try:
            while True:
                request = await reader.readuntil(b"\r\n\r\n")
                path = request.split(b" ", 2)[1].decode().split("?")[0]
                self.log.setdefault(port, []).append(time.monotonic())
                if path == "/__log":
                    status, body, ctype = 200, json.dumps(self.log).encode(), "application/json"
                else:
                    status, body, ctype = self.body(path)
                writer.write(b"HTTP/1.1 %d X\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
                             % (status, ctype.encode(), len(body)) + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


async def _serve(pages: int, ports: int) -> None:
    site = Site(pages)
    servers = [await asyncio.start_server(site.handle, "127.0.0.1", 0, backlog=512) for _ in range(ports)]
    print(json.dumps([s.sockets[0].getsockname()[1] for s in servers]), flush=True)
    await asyncio.Event().wait()


# -- the crawlers (child processes) ------------------------------------------------------
def _run_vnnews(url: str, pages: int, concurrency: int, polite: bool, store=None) -> dict:
    sys.path.insert(0, str(REPO))
    from scraper.crawl import CrawlOptions, Crawler
    from scraper.frontier import MemoryFrontier
    from scraper.scope import Target

    urls = url.split(",")
    options = CrawlOptions(max_pages=pages, delay=1.0, per_host=1, concurrency=concurrency) if polite else \
        CrawlOptions(max_pages=pages, delay=0.0, per_host=concurrency, concurrency=concurrency, obey_robots=False)
    started = time.perf_counter()
    result = asyncio.run(Crawler([Target(u) for u in urls], store or MemoryFrontier(), None, options).run())
    return {"pages": result.fetched, "failed": len(result.failed), "seconds": time.perf_counter() - started}


def _run_vnnews_sqlite(url: str, pages: int, concurrency: int) -> dict:
    """The same crawl with the frontier in a SQLite corpus (one transaction per page)."""
    import tempfile

    sys.path.insert(0, str(REPO))
    from corpus.frontier import SqliteFrontier
    from corpus.store import Corpus

    with tempfile.TemporaryDirectory() as tmp, Corpus(str(Path(tmp) / "bench.db")) as corpus:
        return _run_vnnews(url, pages, concurrency, False, SqliteFrontier(corpus))


def _run_scrapy(url: str, pages: int, concurrency: int) -> dict:
    import scrapy
    from scrapy.crawler import CrawlerProcess

    counter = {"pages": 0}

    class Bench(scrapy.Spider):
        name = "bench"
        start_urls = [url]

        def parse(self, response):
            counter["pages"] += 1
            for href in response.css("a::attr(href)").getall():
                yield response.follow(href, callback=self.parse)

    process = CrawlerProcess(settings={
        "CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "DOWNLOAD_DELAY": 0, "ROBOTSTXT_OBEY": False, "LOG_LEVEL": "ERROR", "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False, "CLOSESPIDER_PAGECOUNT": pages, "AUTOTHROTTLE_ENABLED": False,
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7", "RETRY_ENABLED": False,
    })
    started = time.perf_counter()
    process.crawl(Bench)
    process.start()
    return {"pages": counter["pages"], "failed": 0, "seconds": time.perf_counter() - started}


def _child(args: list[str]) -> tuple[dict, float]:
    """Run this script as a child; (its JSON answer, its peak RSS in MB)."""
    proc = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read().decode() if proc.stdout else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"child {args[:2]} failed ({proc.returncode})")
    return json.loads(out.strip().splitlines()[-1]), usage.ru_maxrss / 1024


def _server(pages: int, ports: int) -> tuple[subprocess.Popen, list[int]]:
    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(pages), "--ports", str(ports)],
                            stdout=subprocess.PIPE)
    return proc, json.loads(proc.stdout.readline())


def _throughput(pages: int, concurrency: int, rounds: int, crawlers: list[str]) -> None:
    server, (port,) = _server(pages, 1)
    url = f"http://127.0.0.1:{port}/"
    try:
        rows: dict[str, list] = {name: [] for name in crawlers}
        for _ in range(rounds):
            for name in rows:
                answer, rss = _child(["--run", name, url, "--pages", str(pages), "--concurrency", str(concurrency)])
                rows[name].append((answer["pages"] / answer["seconds"], rss, answer))
        best = {name: max(r, key=lambda x: x[0]) for name, r in rows.items()}
        print(f"site: {pages} pages of ~{PAGE_KB} KB on 127.0.0.1; concurrency {concurrency}; best of {rounds}")
        print("| crawler | pages | seconds | pages/s | peak RSS (MB) |\n|---|---:|---:|---:|---:|")
        for name, (rate, rss, answer) in best.items():
            print(f"| {name} | {answer['pages']} | {answer['seconds']:.2f} | {rate:.0f} | {rss:.0f} |")
        if "scrapy" in best:
            for name in best:
                if name != "scrapy":
                    print(f"ratio {name} / scrapy: {best[name][0] / best['scrapy'][0]:.2f}x")
    finally:
        server.kill()


def _polite(pages_per_host: int) -> None:
    server, ports = _server(10_000, 3)
    urls = ",".join(f"http://127.0.0.1:{p}/" for p in ports)
    try:
        answer, rss = _child(["--run", "vnnews-polite", urls, "--pages", str(3 * pages_per_host)])
        import urllib.request

        log = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{ports[0]}/__log").read())
    finally:
        server.kill()
    print(f"politeness on (robots.txt, default delay 1 s, 1 request per host), 3 hosts, "
          f"{answer['pages']} pages in {answer['seconds']:.1f} s:")
    for port in ports:
        times = log[str(port)][:-1] if str(port) == str(ports[0]) else log[str(port)]  # minus the /__log request
        gaps = [b - a for a, b in zip(times, times[1:])]
        print(f"  host :{port}: {len(times)} requests, minimum spacing {min(gaps):.3f} s")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pages", type=int, default=2000)
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--crawlers", default="vnnews,vnnews-sqlite,scrapy",
                   help="which to run, comma-separated (default: vnnews,vnnews-sqlite,scrapy)")
    p.add_argument("--polite-only", action="store_true")
    p.add_argument("--no-polite", action="store_true")
    p.add_argument("--polite-pages", type=int, default=12, help="pages per host in the politeness run")
    p.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    p.add_argument("--ports", type=int, default=1, help=argparse.SUPPRESS)
    p.add_argument("--run", nargs=2, metavar=("CRAWLER", "URL"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.serve:
        asyncio.run(_serve(args.serve, args.ports))
    elif args.run:
        name, url = args.run
        if name == "scrapy":
            print(json.dumps(_run_scrapy(url, args.pages, args.concurrency)))
        elif name == "vnnews-sqlite":
            print(json.dumps(_run_vnnews_sqlite(url, args.pages, args.concurrency)))
        else:
            print(json.dumps(_run_vnnews(url, args.pages, args.concurrency, polite=name == "vnnews-polite")))
    else:
        if not args.polite_only:
            _throughput(args.pages, args.concurrency, args.rounds, args.crawlers.split(","))
        if not args.no_polite:
            _polite(args.polite_pages)


if __name__ == "__main__":
    main()
