"""`vnnews nightly` as a scheduler meets it: config errors, exit codes, the summary, the lock,
idempotent reruns and SIGKILL at random points.  Every site is served on 127.0.0.1."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus.cli import main
from corpus.demo import serve_folder
from corpus.nightly import EXIT_LOCKED, RunLockedError, lock_path, run_lock
from corpus.nightlyconfig import resolve_config
from scraper.errors import InputError
from tests.conftest import REPO

DEMO_SITE = REPO / "corpus" / "demo_site"
ARTICLE_PATHS = re.findall(r"^- path: (\S+)$", (DEMO_SITE / "SITE.md").read_text("utf-8"), re.MULTILINE)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def demo_site():
    with serve_folder(DEMO_SITE) as base:
        yield base


def _articles(db: Path) -> list[tuple[str, int | None]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT url, page_id FROM articles ORDER BY url").fetchall()


# -- configuration ----------------------------------------------------------------------
@pytest.mark.parametrize("toml, pattern", [
    ('sitez = ["https://x.vn/"]\n', r"unknown key 'sitez'"),
    ('sites = ["https://x.vn/"]\nmax_pages = "many"\n', r"'max_pages' must be an integer"),
    ('sites = ["https://x.vn/"]\ndelay = -1\n', r"'delay' must not be negative"),
    ('sites = [{ url = "https://x.vn/", depth = 3 }]\n', r"sites\[0\]: unknown key 'depth'"),
    ('sites = [{ max_pages = 3 }]\n', r"sites\[0\]: missing 'url'"),
    ('sites = [3]\n', r"sites\[0\]: expected a URL"),
    ('sites = ["https://x.vn/"\n', r"not valid TOML"),
    ('sites = []\n', r"no sites to crawl"),
    ('sites = ["ftp://x.vn/"]\n', r"only http:// and https://"),
])
def test_bad_config_is_one_line_and_exit_2(tmp_path, capsys, toml, pattern):
    config = tmp_path / "nightly.toml"
    config.write_text(toml, "utf-8")
    code, out, err = run(capsys, "nightly", "--config", str(config), "--summary", str(tmp_path / "s.json"))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert re.search(pattern, err), err
    assert not (tmp_path / "s.json").exists()


def test_missing_config_and_no_sites(tmp_path, capsys):
    code, _, err = run(capsys, "nightly", "--config", str(tmp_path / "nope.toml"))
    assert code == 2 and "no such config file" in err
    code, _, err = run(capsys, "nightly", "--db", str(tmp_path / "c.db"))
    assert code == 2 and "no sites to crawl" in err and len(err.strip().splitlines()) == 1


def test_config_paths_are_relative_to_the_file_and_flags_win(tmp_path):
    (tmp_path / "etc").mkdir()
    config = tmp_path / "etc" / "nightly.toml"
    config.write_text('db = "corpus.db"\noutput_dir = "runs"\nmax_pages = 7\ndelay = 0.5\n'
                      'sites = ["bacninhtv.vn", "truyenhinhnghean", { url = "http://127.0.0.1:9/", max_pages = 3 }]\n')
    c = resolve_config(str(config))
    assert c.db == str(tmp_path / "etc" / "corpus.db") and c.output_dir == tmp_path / "etc" / "runs"
    assert [(s.url, s.max_pages, s.delay) for s in c.sites][::2] == [("https://bacninhtv.vn/", 7, 0.5),
                                                                      ("http://127.0.0.1:9/", 3, 0.5)]
    # a crawler profile name goes to the crawler as it is; a bare station name becomes its home page
    assert c.sites[1].url in ("truyenhinhnghean", "https://truyenhinhnghean.vn/")
    c = resolve_config(str(config), sites=["https://hatinhtv.vn/"], db="other.db", delay=0.0)
    assert [(s.url, s.delay) for s in c.sites] == [("https://hatinhtv.vn/", 0.0)] and c.db == "other.db"
    with pytest.raises(InputError, match="known station name"):
        resolve_config(None, sites=["no-such-station"])


def test_the_documented_config_is_valid(tmp_path):
    docs = (REPO / "docs" / "nightly.md").read_text("utf-8")
    example = re.search(r"```toml\n(.*?)```", docs, re.DOTALL).group(1)
    (tmp_path / "nightly.toml").write_text(example, "utf-8")
    config = resolve_config(str(tmp_path / "nightly.toml"))
    assert len(config.sites) == 4 and config.output_dir == tmp_path / "runs"
    assert [s.max_pages for s in config.sites] == [500, 500, 500, 200]


# -- a run, twice -------------------------------------------------------------------------
def test_second_run_adds_nothing(tmp_path, capsys, demo_site):
    db, summary = tmp_path / "c.db", tmp_path / "s.json"
    argv = ("nightly", "--site", demo_site, "--db", str(db), "--delay", "0", "--summary", str(summary))
    code, out, err = run(capsys, *argv)
    assert (code, out, err) == (0, "", "")  # not a terminal: quiet
    first = json.loads(summary.read_text("utf-8"))
    assert first["exit_code"] == 0 and first["status"] == "ok"
    assert first["articles_added"] == len(ARTICLE_PATHS) and first["pages_failed"] == 0 and first["failures"] == []
    assert first["pages_fetched"] > len(ARTICLE_PATHS)  # listings too
    assert {"pages_not_modified", "started", "finished", "duration_s", "sites", "warnings"} <= set(first)
    assert sum(first["sites"][demo_site]["articles_by_site"].values()) == len(ARTICLE_PATHS)
    stored = _articles(db)

    code, _, _ = run(capsys, *argv)
    second = json.loads(summary.read_text("utf-8"))
    assert code == 0 and second["articles_added"] == 0 and second["pages_failed"] == 0
    # conditional GET: every page asked again was answered 304 Not Modified, none re-parsed
    assert 0 < second["pages_fetched"] == second["pages_not_modified"] < first["pages_fetched"]
    assert _articles(db) == stored
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM pages").fetchone()[0] == len(ARTICLE_PATHS)
        runs = conn.execute("SELECT command, status, articles_added FROM runs ORDER BY id").fetchall()
    assert runs == [("nightly", "ok", len(ARTICLE_PATHS)), ("nightly", "ok", 0)]


def test_the_next_run_adds_a_new_article_and_nothing_else(tmp_path, capsys):
    site = tmp_path / "site"
    shutil.copytree(DEMO_SITE, site)
    db, summary = tmp_path / "c.db", tmp_path / "s.json"
    with serve_folder(site) as base:
        argv = ("nightly", "--site", base, "--db", str(db), "--delay", "0", "--summary", str(summary))
        assert run(capsys, *argv)[0] == 0
        # the station publishes one more article and links it from the home page
        source = site / ARTICLE_PATHS[0].strip("/") / "index.html"
        new_path = "thoi-su/202504/bai-moi-ve-hop-tac-y-te-9f9f9f9/"
        html = source.read_text("utf-8").replace("Bệnh viện Bạch Mai và UBND tỉnh Nghệ An ký kết",
                                                  "Bệnh viện Bạch Mai và UBND tỉnh Nghệ An sơ kết")
        html = html.replace(ARTICLE_PATHS[0].strip("/"), new_path.strip("/"))
        (site / new_path).mkdir(parents=True)
        (site / new_path / "index.html").write_text(html, "utf-8")
        home = site / "index.html"
        home.write_text(home.read_text("utf-8").replace('<div class="list-news">',
                                                        f'<div class="list-news"><a href="{new_path}">Bài mới</a>', 1))
        later = time.time() + 5  # a Last-Modified the first run cannot have seen
        os.utime(home, (later, later))
        assert run(capsys, *argv)[0] == 0
    third = json.loads(summary.read_text("utf-8"))
    assert third["articles_added"] == 1 and third["pages_failed"] == 0
    assert len(_articles(db)) == len(ARTICLE_PATHS) + 1
    assert any(url.endswith(new_path) for url, _ in _articles(db))


def test_page_failures_exit_1_with_reasons(tmp_path, capsys):
    site = tmp_path / "site"
    article = DEMO_SITE / ARTICLE_PATHS[0].strip("/") / "index.html"
    (site / "a" / "202503" / "bai-viet-1a2b3c4").mkdir(parents=True)
    html = re.sub(r'href="[^"]*"', 'href="#"', article.read_text("utf-8"))  # no links out of the page
    (site / "a" / "202503" / "bai-viet-1a2b3c4" / "index.html").write_text(html, "utf-8")
    (site / "index.html").write_text('<a href="a/202503/bai-viet-1a2b3c4/">ok</a> <a href="mat-roi/">gone</a>')
    with serve_folder(site) as base:
        code, _, err = run(capsys, "nightly", "--site", base, "--db", str(tmp_path / "c.db"), "--delay", "0",
                           "--summary", str(tmp_path / "s.json"))
    summary = json.loads((tmp_path / "s.json").read_text("utf-8"))
    assert code == 1 and summary["exit_code"] == 1 and summary["status"] == "partial"
    assert summary["articles_added"] == 1 and summary["pages_failed"] == 1
    assert summary["failures"][0]["url"] == base + "mat-roi/" and summary["failures"][0]["reason"]
    assert summary["failure_reasons"] == {summary["failures"][0]["reason"]: 1}
    assert "1 page(s) failed" in err  # a warning, so cron mails it


def test_layout_change_is_a_warning(tmp_path, capsys):
    site = tmp_path / "site"
    site.mkdir()
    links = "".join(f'<li><a href="tin-{i}.html">Tin {i}</a></li>' for i in range(8))
    (site / "index.html").write_text(f"<html><body><ul>{links}</ul></body></html>")
    for i in range(8):  # the CMS moved the article body somewhere no rule looks
        (site / f"tin-{i}.html").write_text(f'<html><body><div class="x"><a href="index.html">Trang chủ</a>'
                                            f'<span>Tin {i}</span></div></body></html>')
    with serve_folder(site) as base:
        code, _, err = run(capsys, "nightly", "--site", base, "--db", str(tmp_path / "c.db"), "--delay", "0",
                           "--summary", str(tmp_path / "s.json"), "--log-json")
    summary = json.loads((tmp_path / "s.json").read_text("utf-8"))
    assert code == 0 and summary["articles_added"] == 0
    assert len(summary["warnings"]) == 1 and "layout may have changed" in summary["warnings"][0]
    events = [json.loads(line) for line in err.splitlines()]
    assert [e["event"] for e in events if e["level"] == "warning"] == ["layout_changed"]


def test_log_json_lines(tmp_path, capsys, demo_site):
    code, out, err = run(capsys, "-v", "nightly", "--site", demo_site, "--db", str(tmp_path / "c.db"),
                         "--delay", "0", "--log-json", "--max-pages", "3")
    assert code == 0 and out == ""
    lines = [json.loads(line) for line in err.splitlines()]
    assert lines and all({"ts", "level", "logger", "msg"} <= set(e) for e in lines)
    final = [e for e in lines if e.get("event") == "summary"]
    assert len(final) == 1 and final[0]["summary"]["pages_fetched"] == 3


def test_output_dir_keeps_one_summary_per_run(tmp_path, capsys, demo_site):
    config = tmp_path / "nightly.toml"
    config.write_text(f'db = "c.db"\noutput_dir = "runs"\ndelay = 0\nmax_pages = 2\nsites = ["{demo_site}"]\n')
    assert run(capsys, "nightly", "--config", str(config))[0] == 0
    time.sleep(1.05)  # summaries are named by the second the run started
    assert run(capsys, "nightly", "--config", str(config))[0] == 0
    names = sorted(p.name for p in (tmp_path / "runs").iterdir())
    assert len(names) == 3 and names[-1] == "nightly-latest.json" and all(n.startswith("nightly-") for n in names)
    latest = json.loads((tmp_path / "runs" / "nightly-latest.json").read_text())
    assert latest == json.loads((tmp_path / "runs" / names[1]).read_text()) and latest["pages_fetched"] <= 2


# -- one at a time ------------------------------------------------------------------------
def test_a_second_run_while_one_holds_the_lock_exits_75(tmp_path, capsys, demo_site):
    db = tmp_path / "c.db"
    with run_lock(str(db)):
        code, out, err = run(capsys, "nightly", "--site", demo_site, "--db", str(db), "--summary",
                             str(tmp_path / "s.json"))
    assert code == EXIT_LOCKED == 75 and out == ""
    assert len(err.strip().splitlines()) == 1 and re.search(rf"another nightly run .*pid {os.getpid()}", err), err
    assert not (tmp_path / "s.json").exists() and not db.exists()
    with run_lock(str(db)):  # released
        pass


def test_lock_of_a_killed_holder_is_recovered(tmp_path):
    db = tmp_path / "c.db"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from corpus.nightly import run_lock\n"
                               "with run_lock(sys.argv[1]):\n    print('held', flush=True); time.sleep(60)", str(db)],
                              cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(RunLockedError, match="another nightly run"):
            with run_lock(str(db)):
                pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
    assert "pid" in lock_path(str(db)).read_text()  # the dead holder's note is still there …
    with run_lock(str(db)):  # … but the kernel released its lock
        pass


def _nightly(db: Path, base: str, *extra: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen([sys.executable, "-m", "corpus.cli", "nightly", "--site", base, "--db", str(db), *extra],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


_PRELOAD = """import importlib, sys
for name in ("corpus.cli", "corpus.nightly", "corpus.pipeline", "corpus.frontier", "scraper.crawl", "scraper.html"):
    try:
        importlib.import_module(name)
    except ImportError:
        pass
sys.stdin.readline()
from corpus.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _nightly_on_go(db: Path, base: str, *extra: str) -> subprocess.Popen:
    """A nightly process that has done its (slow) imports and starts when told: `_go(proc)`."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen([sys.executable, "-c", _PRELOAD, "nightly", "--site", base, "--db", str(db), *extra],
                            cwd=REPO, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _go(proc: subprocess.Popen) -> None:
    proc.stdin.write("go\n")
    proc.stdin.flush()


def _wait_for_lock(db: Path, proc: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    path = lock_path(str(db))
    while time.monotonic() < deadline and proc.poll() is None:
        if path.exists() and f"pid {proc.pid} " in path.read_text():
            return
        time.sleep(0.02)
    raise AssertionError(f"nightly (pid {proc.pid}) never took the lock: {proc.poll()}")


def test_two_processes_never_overlap(tmp_path, demo_site):
    db = tmp_path / "c.db"
    first = _nightly_on_go(db, demo_site, "--delay", "0.15", "--max-pages", "12")
    second = _nightly_on_go(db, demo_site, "--delay", "0")
    try:
        _go(first)
        _wait_for_lock(db, first)
        _, err = second.communicate("go\n", timeout=30)
        assert first.poll() is None, "the first run ended before the second started"
        assert second.returncode == 75, err
        assert err.count("\n") == 1 and f"pid {first.pid}" in err and "Traceback" not in err
    finally:
        second.kill()
        first.communicate(timeout=60)
    assert first.returncode == 0 and 0 < len(_articles(db)) < 12


def test_sigterm_writes_an_interrupted_summary_and_the_rerun_finishes(tmp_path, capsys, demo_site):
    db, summary = tmp_path / "c.db", tmp_path / "s.json"
    proc = _nightly(db, demo_site, "--delay", "0.1", "--summary", str(summary))
    _wait_for_lock(db, proc)
    time.sleep(0.8)
    proc.send_signal(signal.SIGTERM)  # what systemd sends to stop the unit
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "Traceback" not in err, err
    stopped = json.loads(summary.read_text("utf-8"))
    assert stopped["status"] == "interrupted" and stopped["exit_code"] == 130 and stopped["error"] == "interrupted by SIGTERM"
    assert lock_path(str(db)).read_text() == ""  # the holder's note is cleared on the way out
    assert run(capsys, "nightly", "--site", demo_site, "--db", str(db), "--delay", "0")[0] == 0
    assert len(_articles(db)) == len(ARTICLE_PATHS)


# -- crash safety -------------------------------------------------------------------------
def _count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet, or mid-migration
        return 0


def _wait_for_articles(db: Path, proc: subprocess.Popen, target: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None and _count(db) < target:
        time.sleep(0.01)


def test_sigkill_at_random_points_loses_and_duplicates_nothing(tmp_path, capsys, demo_site):
    seed = int(os.environ.get("VNNEWS_KILL_SEED", time.time_ns() % 100_000))
    rng = random.Random(seed)
    db = tmp_path / "c.db"
    # kill points: after a random number of stored articles, plus a random pause (lands mid-fetch,
    # mid-parse or mid-transaction); the targets grow because every rerun resumes the crawl
    # leave >= 6 articles after the last target so the pause (<= 0.15 s) cannot finish the crawl
    targets = sorted(rng.sample(range(1, len(ARTICLE_PATHS) - 6), 4))
    mid_crawl, counts = 0, []
    runs = [_nightly_on_go(db, demo_site, "--delay", "0.1") for _ in targets]  # imports in parallel
    for proc, target in zip(runs, targets):
        _go(proc)
        _wait_for_lock(db, proc)
        _wait_for_articles(db, proc, target)
        time.sleep(rng.uniform(0, 0.15))
        mid_crawl += proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=10)
        counts.append(_count(db))
    assert mid_crawl == 4, f"seed {seed}: only {mid_crawl} of 4 kills landed mid-crawl (counts {counts})"
    assert counts[-1] < len(ARTICLE_PATHS), f"seed {seed}: the killed runs stored everything {counts}"
    code, _, err = run(capsys, "nightly", "--site", demo_site, "--db", str(db), "--delay", "0",
                       "--summary", str(tmp_path / "s.json"))
    assert code == 0, f"seed {seed}: {err}"
    summary = json.loads((tmp_path / "s.json").read_text())
    rows = _articles(db)
    urls = [url for url, _ in rows]
    assert len(urls) == len(set(urls)) == len(ARTICLE_PATHS), f"seed {seed}, counts after kills {counts}"
    assert sorted(u.removeprefix(demo_site.rstrip("/")) for u in urls) == sorted(ARTICLE_PATHS)
    assert all(page_id is not None for _, page_id in rows)
    assert summary["articles_added"] == len(ARTICLE_PATHS) - counts[-1]
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(DISTINCT url), count(*) FROM pages").fetchone() == (len(ARTICLE_PATHS),) * 2
        fts = conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
    assert fts == len(ARTICLE_PATHS)
