"""Crawl workers: pages/s with 1 and with 3 `vnnews crawl --worker` processes sharing one
PostgreSQL frontier, on local sites where politeness makes the host the bottleneck.

    PYTHONPATH=. python bench/crawl_workers.py                 # 12 hosts × 40 articles, delay 0.2 s
    PYTHONPATH=. python bench/crawl_workers.py --delay 0       # no delay: the crawler is the bottleneck
    VNNEWS_BENCH_PG=postgresql://user@host/postgres python bench/crawl_workers.py

A server process serves every host from memory (asyncio, keep-alive): robots.txt, listing
pages of 10 links (rel=next) and Vietnamese article pages, logging each request's arrival
per host.  Each round crawls into a new database (parse, extract, store: the whole
`vnnews crawl`), timed from starting the workers to the last exit, Python start-up included.
With a delay, one worker already keeps every host busy, so three cannot be faster: the
table shows what sharing costs (hand-overs, polling) and that politeness still holds
across workers (the smallest gap the server saw between two requests to one host).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PER_LISTING = 10
PARA = ("Sở Y tế tỉnh và Bệnh viện Bạch Mai ký kết thỏa thuận hợp tác giai đoạn 2025-2030: chuyển giao "
        "{n} gói kỹ thuật, đào tạo hơn {k} lượt cán bộ y tế tuyến tỉnh, khám chữa bệnh cho người dân.")


# -- the sites (server process) ---------------------------------------------------------
def _article(port: int, i: int) -> bytes:
    paras = "".join(f"<p>{PARA.format(n=i + j, k=100 + 7 * i + j)} Bài số {i}, cổng {port}.</p>" for j in range(8))
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Tin y tế số {i}</title>'
            f'<meta property="og:type" content="article"></head><body><article><h1>Tin y tế số {i} ({port})</h1>'
            f'<time datetime="2025-03-{1 + i % 28:02d}T08:00:00+07:00">{1 + i % 28}/3/2025</time>'
            f"{paras}</article></body></html>").encode()


def _listing(port: int, page: int, articles: int) -> bytes:
    ids = range((page - 1) * PER_LISTING, min(articles, page * PER_LISTING))
    nxt = f'<link rel="next" href="/tin?page={page + 1}">' if page * PER_LISTING < articles else ""
    items = "".join(f'<li><a href="/tin/{i}.html">Bài {i}</a></li>' for i in ids)
    return f'<!DOCTYPE html><html><head><meta charset="utf-8">{nxt}</head><body><ul>{items}</ul></body></html>'.encode()


def _answer(port: int, target: str, articles: int, log: dict[int, list[float]]) -> tuple[int, bytes, str]:
    path, _, query = target.partition("?")
    if path == "/__log":
        return 200, json.dumps(log).encode(), "application/json"
    if path == "/robots.txt":
        return 200, b"User-agent: *\nAllow: /\n", "text/plain"
    if path in ("/", "/tin"):
        page = int(query.split("page=")[1]) if "page=" in query else 1
        return 200, _listing(port, page, articles), "text/html; charset=utf-8"
    if path.startswith("/tin/") and path[5:-5].isdigit() and int(path[5:-5]) < articles:
        return 200, _article(port, int(path[5:-5])), "text/html; charset=utf-8"
    return 404, b"not found", "text/plain"


async def _serve(ports: int, articles: int) -> None:
    log: dict[int, list[float]] = {}

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        port = writer.get_extra_info("sockname")[1]
        try:
            while True:
                target = (await reader.readuntil(b"\r\n\r\n")).split(b" ", 2)[1].decode()
                if not target.startswith("/__log"):
                    log.setdefault(port, []).append(time.monotonic())
                status, body, ctype = _answer(port, target, articles, log)
                writer.write(b"HTTP/1.1 %d X\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
                             % (status, ctype.encode(), len(body)) + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    servers = [await asyncio.start_server(handle, "127.0.0.1", 0, backlog=512) for _ in range(ports)]
    print(json.dumps([s.sockets[0].getsockname()[1] for s in servers]), flush=True)
    await asyncio.Event().wait()


# -- one round ------------------------------------------------------------------------------
def _database(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
    return admin_url.rsplit("/", 1)[0] + "/" + name


def _round(admin_url: str, ports: list[int], workers: int, delay: float) -> dict:
    sys.path.insert(0, str(REPO))
    from corpus.store import Corpus

    dsn = _database(admin_url, f"vnnews_bench_workers_{workers}")
    Corpus(dsn).close()  # the schema first: not part of what is timed
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, "-m", "corpus.cli", "-q", "crawl", "--worker", "--db", dsn, "--delay", str(delay),
           "--max-pages", "1000000", "--lease", "10", *[a for p in ports for a in ("--site", f"http://127.0.0.1:{p}/")]]
    before = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{ports[0]}/__log").read())
    started = time.perf_counter()
    procs = [subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL) for _ in range(workers)]
    codes = [p.wait(timeout=3600) for p in procs]
    seconds = time.perf_counter() - started
    log = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{ports[0]}/__log").read())
    gaps = [b - a for port, times in log.items() for a, b in zip(times[len(before.get(port, [])):],
                                                                    times[len(before.get(port, [])) + 1:])]
    with Corpus(dsn) as c:
        pages = c.conn.execute("SELECT count(*) FROM crawl_frontier WHERE state='done'").fetchone()[0]
        articles = c.count("articles")
        split = [r[0] for r in c.conn.execute(
            "SELECT count(*) FROM crawl_frontier WHERE state='done' GROUP BY worker_id ORDER BY 1 DESC")]
    return {"workers": workers, "codes": codes, "seconds": seconds, "pages": pages, "articles": articles,
            "split": split, "min_gap": min(gaps) if gaps else None}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--hosts", type=int, default=12)
    p.add_argument("--articles", type=int, default=40, help="articles per host (default 40)")
    p.add_argument("--delay", type=float, default=0.2)
    p.add_argument("--workers", default="1,3", help="worker counts to compare (default 1,3)")
    p.add_argument("--rounds", type=int, default=2, help="rounds per worker count; the best is shown")
    p.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.serve:
        asyncio.run(_serve(args.serve, args.articles))
        return
    admin = os.environ.get("VNNEWS_BENCH_PG", "postgresql://postgres@127.0.0.1:55432/postgres")
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(args.hosts), "--articles", str(args.articles)],
                              stdout=subprocess.PIPE)
    try:
        ports = json.loads(server.stdout.readline())  # type: ignore[union-attr]
        rows = []
        for n in (int(x) for x in args.workers.split(",")):
            rows.append(min((_round(admin, ports, n, args.delay) for _ in range(args.rounds)),
                            key=lambda r: r["seconds"]))
    finally:
        server.kill()
    print(f"{args.hosts} hosts × ({args.articles} articles + listings) on 127.0.0.1, delay {args.delay} s, "
          f"{os.cpu_count()} CPUs, best of {args.rounds}")
    print("| workers | pages | articles | seconds | pages/s | pages per worker | min gap per host (s) | exit |")
    print("|---:|---:|---:|---:|---:|---|---:|---|")
    for r in rows:
        gap = f"{r['min_gap']:.3f}" if r["min_gap"] is not None else "–"
        print(f"| {r['workers']} | {r['pages']} | {r['articles']} | {r['seconds']:.2f} | {r['pages'] / r['seconds']:.1f} "
              f"| {'/'.join(map(str, r['split']))} | {gap} | {','.join(map(str, r['codes']))} |")


if __name__ == "__main__":
    main()
