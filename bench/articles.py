"""Article extraction speed and memory: vnnews (profile path, generic path) against
``trafilatura.extract`` on the same pages, in the same run.

``trafilatura.extract`` is called plainly (the baseline) and with ``fast=True`` (no
readability/jusText fallback, which plain extract runs when its first pass looks wrong —
on teaser-heavy pages that is most of its time).

Pages: every golden page (tests/golden_pages/*/page.html.gz) and the real saved pages in
../shared/realpages/ (read from there, never copied).  For each page the three extractors
are timed by CPU time (process time, so other processes' load counts less) in rounds of
blocks of calls (see ``time_page``); the median per page is reported, then per path the
median of the per-page ratios trafilatura / vnnews.
Memory: RSS after parsing the pages over and over, 10,000 parses in all.

    python bench/articles.py [--rounds 6] [--memory-pages 10000] [--only NAME-PART]
"""

from __future__ import annotations

import argparse
import gc
import gzip
import statistics
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from selectolax.lexbor import LexborHTMLParser  # noqa: E402

from scraper.html import parse_html  # noqa: E402
from scraper.profiles import profile_for  # noqa: E402


@dataclass
class Page:
    name: str
    url: str
    html: str
    profiled: bool  # a site profile fits (the profile path), else the generic path


def pages() -> list[Page]:
    out = []
    for folder in sorted((REPO / "tests/golden_pages").glob("*/meta.toml")):
        url = tomllib.loads(folder.read_text("utf-8"))["url"]
        html = gzip.decompress((folder.parent / "page.html.gz").read_bytes()).decode("utf-8")
        out.append(Page(folder.parent.name, url, html, _fits(url, html)))
    for path in sorted((REPO.parent / "shared/realpages").glob("*.html.gz")):
        html = gzip.decompress(path.read_bytes()).decode("utf-8")
        out.append(Page(path.name.removesuffix(".html.gz"), "https://vnexpress.net/x.html", html, False))
    return out


def _fits(url: str, html: str) -> bool:
    profile = profile_for(url, html)
    return profile is not None and any(LexborHTMLParser(html).css_first(s) for s in profile.selectors.body)


def _once(fn) -> float:
    """CPU seconds of one call (process time: other processes' load does not count)."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def time_page(page: Page, rounds: int, extract) -> dict[str, float]:
    """Median milliseconds per extractor: ``rounds`` rounds, each running every extractor
    in a block of calls (a block of the slow one is shorter), so each is measured in its
    steady state and a change in the machine's load hits all of them alike."""
    runs = {
        "lexbor parse": (lambda: LexborHTMLParser(page.html), 10),
        "vnnews": (lambda: parse_html(page.html, page.url), 10),
        "vnnews generic": (lambda: parse_html(page.html, page.url, profile=None), 5),
        "trafilatura": (lambda: extract(page.html), 3),
        "trafilatura fast": (lambda: extract(page.html, fast=True), 3),
    }
    times: dict[str, list[float]] = {k: [] for k in runs}
    for fn, _ in runs.values():
        fn()  # warm up
    for _ in range(rounds):
        for key, (fn, block) in runs.items():
            times[key] += [_once(fn) for _ in range(block)]
    return {k: statistics.median(v) * 1000 for k, v in times.items()}


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def memory(all_pages: list[Page], total: int) -> list[tuple[int, int]]:
    """(pages parsed, RSS KiB) every tenth of the run."""
    points, step = [], max(total // 10, 1)
    for i in range(1, total + 1):
        page = all_pages[i % len(all_pages)]
        parse_html(page.html, page.url)
        if i % step == 0:
            gc.collect()
            points.append((i, rss_kib()))
    return points


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--memory-pages", type=int, default=10_000)
    ap.add_argument("--only", default="", help="only pages whose name contains this")
    args = ap.parse_args()
    import trafilatura

    all_pages = [p for p in pages() if args.only in p.name]
    print("| page | KB | path | lexbor parse ms | vnnews ms | vnnews generic ms | trafilatura ms "
          "| trafilatura fast ms | ratio | ratio fast |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    ratios: dict[str, list[float]] = {"profile": [], "generic": [], "generic forced": [],
                                      "profile vs fast": [], "generic vs fast": []}
    for page in all_pages:
        t = time_page(page, args.rounds, trafilatura.extract)
        path = "profile" if page.profiled else "generic"
        ratio, fast = t["trafilatura"] / t["vnnews"], t["trafilatura fast"] / t["vnnews"]
        ratios[path].append(ratio)
        ratios[f"{path} vs fast"].append(fast)
        ratios["generic forced"].append(t["trafilatura"] / t["vnnews generic"])
        print(f"| {page.name} | {len(page.html.encode()) // 1024} | {path} | {t['lexbor parse']:.2f} | {t['vnnews']:.2f} "
              f"| {t['vnnews generic']:.2f} | {t['trafilatura']:.2f} | {t['trafilatura fast']:.2f} | {ratio:.1f}× "
              f"| {fast:.1f}× |")
    print()
    for path, values in ratios.items():
        if values:
            print(f"- {path}: trafilatura / vnnews, median over {len(values)} pages: "
                  f"{statistics.median(values):.1f}× (min {min(values):.1f}×)")
    points = memory(all_pages, args.memory_pages)
    base = points[0][1]
    print(f"\nRSS over {args.memory_pages} parses (KiB): " + ", ".join(f"{n}: {kib}" for n, kib in points))
    print(f"growth after the first tenth: {points[-1][1] - base} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
