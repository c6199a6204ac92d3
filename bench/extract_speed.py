"""Articles per second for `vnnews extract`, split into page parsing and NLP.

Inputs: the seed text dump (tests/golden/seed/input.txt) and the real saved pages in
../shared/realpages/ (read from there, never copied).  Each input is parsed and
extracted REPEAT times; the median per-article time is reported.

    python bench/extract_speed.py [--repeat 200]
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extract import extract_record  # noqa: E402
from scraper.encoding import decode_body  # noqa: E402
from scraper.html import parse_html  # noqa: E402
from scraper.textdump import parse_text_dump  # noqa: E402


def inputs() -> list[tuple[str, str, callable]]:
    items = []
    seed = (REPO / "tests/golden/seed/input.txt").read_text("utf-8")
    items.append(("seed text dump", seed, lambda s: parse_text_dump(s)))
    for path in sorted((REPO.parent / "shared/realpages").glob("*.html.gz")):
        html = decode_body(gzip.decompress(path.read_bytes()), None)
        items.append((path.name, html, lambda s: parse_html(s, "https://vnexpress.net/x.html")))
    return items


def timed(fn, arg, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn(arg)
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=200)
    args = ap.parse_args()
    print(f"{'input':40} {'KB':>6} {'chars':>6} {'parse ms':>9} {'NLP ms':>8} {'total ms':>9} {'articles/s':>11}")
    totals = []
    for name, data, parse in inputs():
        parse_s, article = timed(parse, data, args.repeat)
        nlp_s, _ = timed(extract_record, article, args.repeat)
        total = parse_s + nlp_s
        totals.append(total)
        print(f"{name:40} {len(data.encode()) / 1024:6.0f} {len(article.text):6d} {parse_s * 1e3:9.2f} "
              f"{nlp_s * 1e3:8.2f} {total * 1e3:9.2f} {1 / total:11.0f}")
    print(f"\nmedian over inputs: {1 / statistics.median(totals):.0f} articles/s on one core "
          f"(python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
