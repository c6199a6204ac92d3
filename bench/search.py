"""Search latency on a synthetic 200,000-article corpus, on SQLite or PostgreSQL.

    PYTHONPATH=. python bench/search.py [--db /tmp/vnnews-bench.db] [--articles 200000] [--rebuild]
    PYTHONPATH=. python bench/search.py --db postgresql://localhost/bench --source /tmp/vnnews-bench-50k.db

With a PostgreSQL ``--db`` (an existing, empty database), the corpus is a copy of the
SQLite one named by ``--source`` (built when missing, with ``--articles``):
bench/synth_pg.py.  Both backends then hold the same articles.

Builds the corpus once (bench/synth.py: Zipf-distributed Vietnamese health-news text,
inserted straight into the tables), then runs 20 typical queries through
``corpus.search.search`` — the same code path as ``vnnews search``, snippets and
per-hit lookups included — ``--repeat`` times each after one warm-up, and reports the
median and p95 latency over all runs.  ``--naive`` times a plain one-stage top-20 bm25
query for comparison.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import synth  # noqa: E402  (bench/ is on sys.path: the script's folder)
import synth_pg  # noqa: E402

from corpus.db import POSTGRESQL, parse_db  # noqa: E402
from corpus.query import for_engine  # noqa: E402
from corpus.search import SearchOptions, search  # noqa: E402
from corpus.store import Corpus  # noqa: E402

QUERIES = [
    SearchOptions("Bach Mai"),
    SearchOptions("benh vien"),
    SearchOptions("y te"),
    SearchOptions("hop tac y te"),
    SearchOptions('"chuyen doi so"'),
    SearchOptions("Da Nang"),
    SearchOptions("ghep tang"),
    SearchOptions('"Cho Ray"'),
    SearchOptions("bac si tre tinh nguyen"),
    SearchOptions("vac xin OR tiem chung"),
    SearchOptions("benh vien NOT Bach"),
    SearchOptions("kham chua benh mien phi"),
    SearchOptions('"benh an dien tu"'),
    SearchOptions("Bộ trưởng Bộ Y tế"),
    SearchOptions("tram y te xa"),
    SearchOptions("ung buou*"),
    SearchOptions("benh vien", province="Nghệ An"),
    SearchOptions("hop tac", hospital="Bạch Mai"),
    SearchOptions("y te", date_from="2024-01-01", date_to="2024-06-30"),
    SearchOptions("ky ket", period_overlaps=2026),
]


def _label(o: SearchOptions) -> str:
    extra = [f"{k}={v}" for k, v in (("province", o.province), ("hospital", o.hospital), ("from", o.date_from),
                                      ("to", o.date_to), ("period", o.period_overlaps)) if v]
    return o.query + (f" [{', '.join(extra)}]" if extra else "")


def _naive(corpus: Corpus, o: SearchOptions) -> list:
    m = for_engine(corpus.dialect, o.query)
    return corpus.conn.execute(
        "SELECT a.id, a.title FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
        f"WHERE {m.cond} ORDER BY {m.rank} LIMIT 20", (m.value, *m.rank_params)).fetchall()


def measure(db: str, repeat: int, naive: bool, rank: str) -> tuple[list[float], list[tuple[str, float, int]]]:
    samples: list[float] = []
    per_query = []
    with Corpus(db, readonly=True) as corpus:
        for o in (replace(q, rank=rank) for q in QUERIES):
            run = (lambda: _naive(corpus, o)) if naive else (lambda: search(corpus, o))
            hits = run()  # warm-up
            times = []
            for _ in range(repeat):
                t = time.perf_counter()
                run()
                times.append((time.perf_counter() - t) * 1000)
            samples.extend(times)
            per_query.append((_label(o), statistics.median(times), len(hits)))
    return samples, per_query


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _prepare(args: argparse.Namespace) -> None:
    """Build the SQLite corpus when missing; copy it into an empty PostgreSQL one."""
    pg = parse_db(args.db)[0] == POSTGRESQL
    sqlite_db = (args.source or Path(f"/tmp/vnnews-bench-{args.articles // 1000}k.db")) if pg else Path(args.db)
    if (args.rebuild and not pg) or not sqlite_db.exists():
        print(f"building {args.articles:,} synthetic articles in {sqlite_db}")
        synth.build(sqlite_db, args.articles)
    if pg:
        with Corpus(args.db) as corpus:
            empty = corpus.count() == 0
        if empty:
            print(f"copying {sqlite_db} into {args.db}")
            synth_pg.copy_from_sqlite(sqlite_db, args.db)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="/tmp/vnnews-bench.db", help="SQLite file or postgresql:// URL")
    ap.add_argument("--source", type=Path, help="PostgreSQL --db: the SQLite synthetic corpus to copy")
    ap.add_argument("--articles", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--naive", action="store_true", help="time a one-stage top-20 bm25 query instead")
    ap.add_argument("--rank", default="title", choices=("title", "bm25"), help="vnnews search --rank")
    args = ap.parse_args()
    _prepare(args)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    samples, per_query = measure(args.db, args.repeat, args.naive, args.rank)
    for label, median, n in per_query:
        print(f"  {median:7.1f} ms  {n:3d} hits  {label}")
    print(f"{'naive bm25' if args.naive else f'vnnews search --rank {args.rank}'}: {len(QUERIES)} queries × {args.repeat} runs: "
          f"median {statistics.median(samples):.1f} ms, p95 {p95(samples):.1f} ms, max {max(samples):.1f} ms")


if __name__ == "__main__":
    main()
