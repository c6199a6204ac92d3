"""`vnnews demo` and its bundled site: ≥ 30 articles, ≥ 3 provinces, both layout families,
every article linked from a listing, SITE.md in step with the pages, and a demo that ends
with a search, an export and the browser UI."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from corpus.cli import main
from corpus.demo import run_demo
from tests.conftest import REPO

DEMO_SITE = REPO / "corpus" / "demo_site"
FIELDS = ("path", "canonical", "site", "province", "title", "published", "authors", "captions", "officials",
          "hospitals", "dates", "periods", "figures", "agreement", "layout")


def _site_md() -> dict[str, dict[str, str]]:
    sections: dict[str, dict[str, str]] = {}
    current = None
    for line in (DEMO_SITE / "SITE.md").read_text("utf-8").splitlines():
        if m := re.match(r"^## (a\d+):", line):
            current = sections.setdefault(m.group(1), {})
        elif current is not None and (m := re.match(r"^- ([a-z ]+): (.*)$", line)):
            current[m.group(1)] = m.group(2)
    return sections


SITE = _site_md()


def _article_pages() -> dict[str, Path]:
    """URL path -> file, for every page that declares a canonical URL (the articles)."""
    pages = {}
    for file in DEMO_SITE.rglob("index.html"):
        if 'rel="canonical"' in file.read_text("utf-8"):
            pages["/" + str(file.parent.relative_to(DEMO_SITE)) + "/"] = file
    return pages


def test_site_md_describes_every_article_page_and_only_those():
    assert len(SITE) >= 30
    for key, facts in SITE.items():
        assert set(FIELDS) <= set(facts), key
    assert sorted(f["path"] for f in SITE.values()) == sorted(_article_pages())
    assert len({f["province"] for f in SITE.values()}) >= 3
    assert len({f["title"] for f in SITE.values()}) == len(SITE)


def test_both_layout_families_are_there():
    pages = [p.read_text("utf-8") for p in _article_pages().values()]
    techcity = sum("Powered by Techcity" in html for html in pages)
    wordpress = sum("powered by WordPress" in html for html in pages)
    assert techcity >= 10 and wordpress >= 5 and techcity + wordpress == len(pages)


def test_every_article_is_linked_from_a_listing_and_one_listing_is_paginated():
    listings = [p for p in DEMO_SITE.rglob("index.html") if 'rel="canonical"' not in p.read_text("utf-8")]
    linked = set()
    for page in listings:
        rel = page.parent.relative_to(DEMO_SITE).as_posix()
        base = "http://h/" if rel == "." else f"http://h/{rel}/"
        for href in re.findall(r'href="([^"]+)"', page.read_text("utf-8")):
            linked.add(urlsplit(urljoin(base, href)).path)
    assert set(_article_pages()) <= linked
    assert (DEMO_SITE / "y-te" / "trang-2" / "index.html").is_file()
    assert 'href="../y-te/trang-2/"' in (DEMO_SITE / "y-te" / "index.html").read_text("utf-8")


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    started = time.monotonic()
    code = run_demo(db=str(db))
    return code, db, time.monotonic() - started


def test_demo_crawls_every_article_quickly(demo_run):
    code, db, seconds = demo_run
    assert code == 0
    assert seconds < 20, f"the demo took {seconds:.1f} s (aim: under 10 s)"
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT url, site, province, title FROM articles").fetchall()
    assert len(rows) == len(SITE)
    by_path = {urlsplit(url).path: (site, province, title) for url, site, province, title in rows}
    for facts in SITE.values():
        assert by_path[facts["path"]] == (facts["site"], facts["province"], facts["title"])


def test_demo_output_ends_with_search_export_and_browser(tmp_path, capsys):
    db = tmp_path / "demo.db"
    assert run_demo(db=str(db)) == 0
    out = capsys.readouterr().out
    assert f"{len(SITE)} articles from" in out
    tail = out[out.index("What next:"):]
    search = re.search(r"vnnews (search .*)$", tail, re.MULTILINE).group(1)
    export = re.search(r"vnnews (export --format jsonl --out \S+ --db \S+)$", tail, re.MULTILINE).group(1)
    assert re.search(rf"vnnews serve --db {re.escape(str(db))}\b", tail)
    # the printed commands work as printed (paths made local to the test)
    jsonl = tmp_path / "out.jsonl"
    argv = export.split()
    argv[argv.index("--out") + 1] = str(jsonl)
    assert main(argv) == 0
    records = [json.loads(line) for line in jsonl.read_text("utf-8").splitlines()]
    assert len(records) == len(SITE) and all(r["schema"] == "vnnews.record/1" for r in records)
    capsys.readouterr()
    assert main(["search", "Bach Mai", "--province", "Nghệ An", "--format", "json", "--db", str(db)]) == 0
    hits = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert hits and all(h["province"] == "Nghệ An" for h in hits)
    assert search.startswith('search "Bach Mai"')


def test_demo_refuses_a_postgresql_corpus_because_it_recreates_its_corpus(capsys):
    code = main(["demo", "--db", "postgresql://reader:s3cret@127.0.0.1:1/vnnews"])
    err = capsys.readouterr().err
    assert code == 2 and "needs a SQLite file" in err and "s3cret" not in err and len(err.strip().splitlines()) == 1
