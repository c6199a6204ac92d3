"""Full extraction throughput (text dump → Article → Record) on ~900-syllable articles,
in one process and with `extract_many` over N worker processes (what
`vnnews extract --workers N` runs).

Articles are built from the hand-written gold inputs (tests/gold/*/input.txt): each
starts with one gold article and takes whole paragraphs of the following ones until it
has TARGET syllables, so every finder has real Vietnamese health news to read.

    python bench/extract.py [--articles 200] [--syllables 900] [--workers 1 2] [--finders]

Reports wall-clock articles/s and articles per CPU-second (this process plus its worker
processes, so the per-core rate stays readable when other jobs share the machine).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extract import extract_many, extract_record  # noqa: E402
from scraper.textdump import parse_text_dump  # noqa: E402

HEADER = "Powered by Techcity\n\n"


def gold_bodies() -> list[list[str]]:
    """Paragraphs of each gold input, trailer sections ("Cùng chủ đề" …) left out."""
    out = []
    for path in sorted((REPO / "tests" / "gold").glob("*/input.txt")):
        paragraphs = [p.strip() for p in path.read_text("utf-8").split("\n\n") if p.strip()]
        body = []
        for p in paragraphs:
            if p.startswith(("Cùng chủ đề", "Tin mới nhất", "Tin liên quan", "Nguồn:")):
                break
            if p != HEADER.strip():
                body.append(p)
        out.append(body)
    return out


def make_texts(n: int, syllables: int) -> list[str]:
    bodies = gold_bodies()
    texts = []
    for i in range(n):
        parts, count, k = [], 0, i
        while count < syllables:
            for p in bodies[k % len(bodies)][(0 if k == i else 1):]:  # title only once
                parts.append(p)
                count += len(p.split())
                if count >= syllables:
                    break
            k += 1
        url = f"https://www.truyenhinhnghean.vn/thoi-su/2024{10 + i % 3:02d}/bai-{i}/"
        texts.append(HEADER + "\n\n".join(parts) + f"\n\nNguồn: {url}\n")
    return texts


def run(texts: list[str], workers: int) -> tuple[float, float]:
    """Wall and CPU seconds (this process and its workers) to parse and extract every text
    (parsing in this process, as the CLI does)."""
    start, cpu = time.perf_counter(), _cpu()
    articles = (parse_text_dump(t) for t in texts)
    if workers == 1:
        records = [extract_record(a) for a in articles]
    else:
        records = list(extract_many(articles, workers))
    assert len(records) == len(texts)
    return time.perf_counter() - start, _cpu() - cpu


def _cpu() -> float:
    t = os.times()  # children: the pool's workers, once they have exited
    return t.user + t.system + t.children_user + t.children_system


def per_finder(texts: list[str]) -> None:
    """CPU ms per article for each finder, in pipeline order.  Results shared through
    ``Doc.memo`` are charged to the first finder that needs them: dates computes the periods
    (and the tokens), agreements reuses dates, periods and hospitals."""
    from extract.doc import Doc
    from extract.pipeline import _finders

    finders = _finders()
    spent = dict.fromkeys(["parse", "doc"] + [name for name, _ in finders], 0.0)
    for text in texts:
        t = time.process_time()
        article = parse_text_dump(text)
        spent["parse"] += time.process_time() - t
        t = time.process_time()
        doc = Doc.from_article(article)
        spent["doc"] += time.process_time() - t
        for name, finder in finders:
            t = time.process_time()
            finder(doc)
            spent[name] += time.process_time() - t
    print("CPU ms per article: " + ", ".join(f"{k} {v / len(texts) * 1e3:.2f}" for k, v in spent.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--syllables", type=int, default=900)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--rounds", type=int, default=3, help="timed runs per worker count (median)")
    ap.add_argument("--finders", action="store_true", help="also print CPU time per finder")
    args = ap.parse_args()
    texts = make_texts(args.articles, args.syllables)
    sizes = [len(t.split()) for t in texts]
    print(f"{len(texts)} articles, median {statistics.median(sizes):.0f} syllables, "
          f"{statistics.median(len(t) for t in texts):.0f} chars; {os.cpu_count()} cores; "
          f"python {sys.version.split()[0]}")
    run(texts[:10], 1)  # warm up: lexicons, regexes
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'workers':>7} {'wall s':>7} {'articles/s':>11} {'CPU s':>6} {'articles/CPU-s':>15}")
    for w in args.workers:
        wall, cpu = map(statistics.median, zip(*(run(texts, w) for _ in range(args.rounds))))
        print(f"{w:7d} {wall:7.2f} {len(texts) / wall:11.0f} {cpu:6.2f} {len(texts) / cpu:15.0f}")
    print("articles/CPU-s is the per-core rate; on an idle machine articles/s with N workers "
          "approaches N times it")
    if args.finders:
        per_finder(texts)


if __name__ == "__main__":
    main()
