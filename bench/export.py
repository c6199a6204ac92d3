"""Export speed and peak memory (RSS) on the synthetic corpora of bench/search.py.

    PYTHONPATH=. python bench/export.py [--db /tmp/vnnews-bench.db] [--small-db /tmp/vnnews-bench-20k.db]

Runs ``vnnews export`` for each format in a fresh process over a 200,000-article corpus
and a 20,000-article one (both built by bench/synth.py when missing) and reports wall
time, output size and the process's peak RSS (its own VmHWM).  Flat memory means the peak
does not grow with the corpus: both corpora should show about the same RSS, close to the
baseline of a process that only imports the export code.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import synth  # noqa: E402  (bench/ is on sys.path: the script's folder)

BASELINE = "import corpus.cli, corpus.export, pyarrow.parquet, pyarrow.csv"


CHILD = ("import sys; from corpus.cli import main; code = main(sys.argv[1:]) if len(sys.argv) > 1 else 0; "
         "{imports}; sys.stderr.write(next(l for l in open('/proc/self/status') if l.startswith('VmHWM'))); "
         "sys.exit(code)")


def _run(argv: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one ``vnnews`` child process.  The peak is the child's
    own VmHWM: ru_maxrss would include the parent's memory at fork time."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", CHILD.format(imports=BASELINE), *argv], cwd=REPO, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"vnnews {' '.join(argv)} failed with exit code {proc.returncode}: {proc.stderr[-500:]}")
    hwm_kb = int(proc.stderr.strip().splitlines()[-1].split()[1])
    return time.monotonic() - started, hwm_kb / 1024


def _size(path: Path) -> float:
    files = [path] if path.is_file() else list(path.iterdir())
    return sum(f.stat().st_size for f in files) / 2**20


def bench(db: Path, articles: int) -> None:
    if not db.exists():
        print(f"building {articles:,} synthetic articles in {db}")
        synth.build(db, articles)
    out_dir = Path(tempfile.mkdtemp(prefix="vnnews-export-"))
    try:
        for fmt in ("jsonl", "parquet", "csv"):
            out = out_dir / (f"x.{fmt}" if fmt == "jsonl" else fmt)
            seconds, rss = _run(["export", "--format", fmt, "--out", str(out), "--db", str(db)])
            print(f"  {articles:>7,} articles  {fmt:7s}  {seconds:6.1f} s  {_size(out):7.0f} MB out  "
                  f"peak RSS {rss:5.0f} MB")
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, default=Path("/tmp/vnnews-bench.db"))
    ap.add_argument("--articles", type=int, default=200_000)
    ap.add_argument("--small-db", type=Path, default=Path("/tmp/vnnews-bench-20k.db"))
    ap.add_argument("--small-articles", type=int, default=20_000)
    args = ap.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    _, base = _run([])
    print(f"  baseline (imports only): peak RSS {base:.0f} MB")
    bench(args.small_db, args.small_articles)
    bench(args.db, args.articles)


if __name__ == "__main__":
    main()
