"""`vnnews crawl --warc DIR` and `vnnews nightly --warc DIR`: what the crawl fetched comes
back out of the WARC files — `import-warc` builds the same articles, `extract --input-format
warc` reads them — and a crawl killed mid-way leaves files that read cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from corpus.cli import main
from corpus.store import Corpus
from scraper.warc import WarcStats, domain_filter, read_pages
from tests.conftest import REPO
from tests.scraper import network as fx


@pytest.fixture(scope="module")
def small_site():
    net, servers = fx.start_network(("small",))
    yield net
    fx.stop_network(net, servers)


def _articles(db: Path) -> dict[str, tuple[dict, bytes]]:
    """key -> (record, raw page body as fetched)."""
    with Corpus(str(db), readonly=True) as c:
        rows = c.conn.execute("SELECT a.key, a.record, p.body FROM articles a JOIN pages p ON p.id = a.page_id")
        return {key: (json.loads(record), zlib.decompress(body)) for key, record, body in rows}


def _warcs(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.glob("*.warc.gz"))


def test_crawl_warc_then_import_gives_the_same_articles(small_site, tmp_path, capsys) -> None:
    crawl_db, import_db, warc = tmp_path / "crawl.db", tmp_path / "import.db", tmp_path / "warc"
    code = main(["crawl", "--site", small_site.base("small") + "/", "--db", str(crawl_db), "--delay", "0",
                 "--max-pages", "500", "--warc", str(warc)])
    assert code == 0, capsys.readouterr().err
    files = _warcs(warc)
    assert len(files) == 1
    stats = WarcStats()
    urls = [p.url for f in files for p in read_pages(f, domain_filter(None), stats)]
    assert stats.truncated == 0 and stats.kept == fx.SMALL_ARTICLES + 4  # articles and the 4 listing pages
    assert not any(u.endswith("robots.txt") for u in urls)

    capsys.readouterr()
    assert main(["import-warc", *files, "--domain", "127.0.0.1", "--db", str(import_db)]) == 0
    assert f"{fx.SMALL_ARTICLES} articles added, 0 unchanged, 4 kept pages not articles" in capsys.readouterr().out
    crawled, imported = _articles(crawl_db), _articles(import_db)
    assert len(crawled) == fx.SMALL_ARTICLES and imported == crawled  # same keys, records and raw bytes

    assert main(["extract", "--input-format", "warc", "--domain", "127.0.0.1", *files]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted(r["url"] for r in records) == sorted(record["url"] for record, _ in crawled.values())


def test_nightly_warc_flag_and_config_key(small_site, tmp_path, capsys) -> None:
    config = tmp_path / "nightly.toml"
    config.write_text(f'sites = ["{small_site.base("small")}/"]\ndelay = 0\nwarc_dir = "archive"\n', "utf-8")
    assert main(["nightly", "--config", str(config), "--db", str(tmp_path / "c.db")]) == 0
    files = _warcs(tmp_path / "archive")  # relative to the config file
    assert files and sum(1 for f in files for _ in read_pages(f, domain_filter(None))) == fx.SMALL_ARTICLES + 4
    assert main(["nightly", "--config", str(config), "--db", str(tmp_path / "d.db"),
                 "--warc", str(tmp_path / "flag")]) == 0
    assert _warcs(tmp_path / "flag") and len(_warcs(tmp_path / "archive")) == len(files)  # the flag wins


@pytest.mark.parametrize("command", ["crawl", "nightly"])
def test_a_warc_dir_that_cannot_be_created_is_exit_2_before_crawling(small_site, tmp_path, capsys, command) -> None:
    (tmp_path / "file").write_text("x")
    small_site.reset()
    code = main([command, "--site", small_site.base("small") + "/", "--db", str(tmp_path / "c.db"),
                 "--warc", str(tmp_path / "file" / "warc")])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "cannot create the WARC folder" in err, err
    assert small_site.hits == []


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_crawl_leaves_whole_records_for_every_stored_page(small_site, tmp_path, sig) -> None:
    db, warc = tmp_path / "c.db", tmp_path / "warc"
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    before = len(small_site.hits)
    proc = subprocess.Popen([sys.executable, "-m", "corpus.cli", "-q", "crawl", "--site", small_site.base("small") + "/",
                             "--db", str(db), "--delay", "0.02", "--max-pages", "500", "--warc", str(warc)],
                            env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(small_site.hits) - before < 20 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(sig)
    assert proc.wait(timeout=30) != 0  # killed mid-crawl, not finished
    stats = WarcStats()
    archived = {p.url: p.body for f in _warcs(warc) for p in read_pages(f, domain_filter(None), stats)}
    stored = _articles(db)
    assert 0 < len(stored) < fx.SMALL_ARTICLES and stats.truncated <= 1
    assert all(archived.get(record["url"]) == body for record, body in stored.values())  # stored ⊆ archived


def test_import_of_a_cut_off_file_keeps_what_precedes_and_exits_1(small_site, tmp_path, capsys) -> None:
    warc = tmp_path / "warc"
    assert main(["crawl", "--site", small_site.base("small") + "/", "--db", str(tmp_path / "c.db"),
                 "--delay", "0", "--warc", str(warc)]) == 0
    (path,) = _warcs(warc)
    data = Path(path).read_bytes()
    Path(path).write_bytes(data[: len(data) * 2 // 3])
    capsys.readouterr()
    assert main(["import-warc", path, "--domain", "127.0.0.1", "--db", str(tmp_path / "i.db")]) == 1
    out, err = capsys.readouterr()
    assert "1 file(s) end in a cut-off record" in out and "cut-off or damaged record" in err
    assert 0 < len(_articles(tmp_path / "i.db")) < fx.SMALL_ARTICLES
