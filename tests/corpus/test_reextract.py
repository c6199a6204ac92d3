"""`vnnews reextract`: stored raw pages are parsed and extracted again when the extractor
version changes — the same article row is updated, nothing is refetched — and every run
is recorded in ``runs``."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

import corpus.reextract as rx
from corpus.cli import main
from corpus.store import Corpus, RawInput
from extract import EXTRACTOR_VERSION, Hospital, Record
from scraper.textdump import parse_text_dump
from tests.conftest import REPO

DUMP = ("Bệnh viện Bạch Mai hỗ trợ tỉnh\n\nChiều 14/1, Bệnh viện Bạch Mai chuyển giao kỹ thuật cho "
        "bệnh viện tỉnh.\n").encode()
DEMO_PAGE = (REPO / "corpus" / "demo_site" / "thoi-su" / "202503" /
             "benh-vien-bach-mai-va-ubnd-tinh-nghe-an-ky-ket-hop-tac-giai-doan-2025-2030-1a2b3c4" / "index.html")


def fake_extract(version):
    """An extractor that finds Bạch Mai wherever it is, stamped with ``version``."""
    def extract_record(article):
        at = article.text.find("Bệnh viện Bạch Mai")
        found = (Hospital("Bệnh viện Bạch Mai", "Bệnh viện Bạch Mai", at, at + 18),) if at >= 0 else ()
        return Record(article=article, hospitals=found, extractor=version)
    return extract_record


@pytest.fixture
def stored(corpus_db, monkeypatch):
    """A text dump stored with --url/--published hints by an older extractor."""
    published = datetime(2025, 1, 14, 18, 30, tzinfo=timezone.utc)
    article = parse_text_dump(DUMP.decode(), url="https://bacninhtv.vn/tin/202501/x/", published=published)
    raw = RawInput(body=DUMP, input_format="text", url=article.url,
                   hints={"url": article.url, "published": published.isoformat()})
    with Corpus(corpus_db) as c:
        c.store(Record(article=article, extractor="vnnews 0.0.1"), raw)
    monkeypatch.setattr(rx, "extract_record", fake_extract(EXTRACTOR_VERSION))
    return corpus_db


def test_reextract_updates_old_versions_in_place_without_refetching(stored, capsys):
    with Corpus(stored) as c:
        before = c.conn.execute("SELECT id, page_id, published FROM articles").fetchone()
        summary = rx.reextract(c)
        assert (summary.considered, summary.changed, summary.failed) == (1, 1, [])
        after = c.conn.execute("SELECT id, page_id, published, extractor, hospital_names FROM articles").fetchone()
        assert tuple(after)[:3] == tuple(before)  # same row, same page, the --published hint kept
        assert after["extractor"] == EXTRACTOR_VERSION
        assert json.loads(after["hospital_names"]) == ["Bệnh viện Bạch Mai"]
        assert (c.count("pages"), c.count("articles"), c.count("hospitals")) == (1, 1, 1)
        again = rx.reextract(c)  # already current: nothing to do
        assert again.considered == 0
        forced = rx.reextract(c, all_articles=True)
        assert (forced.considered, forced.changed) == (1, 1) and c.count("hospitals") == 1


def test_reextract_cli_records_a_run(stored, capsys):
    with Corpus(stored) as c:  # an article stored without its raw page cannot be redone: said, not hidden
        c.store(Record(article=parse_text_dump("Tin\n\nMột bài không có trang gốc."), extractor="old"))
    assert main(["reextract", "--db", stored]) == 0
    out = capsys.readouterr().out
    assert "1 changed" in out and "1 without a stored page (skipped)" in out
    with Corpus(stored, readonly=True) as c:
        run = c.conn.execute("SELECT command, status, articles_added, summary FROM runs").fetchone()
    assert (run["command"], run["status"], run["articles_added"]) == ("reextract", "ok", 1)
    assert json.loads(run["summary"])["articles_considered"] == 1


def test_fetched_html_pages_go_through_the_crawler_parser(corpus_db, monkeypatch):
    from scraper.html import parse_page
    from scraper.types import Page

    page = Page(url="http://127.0.0.1:8000/thoi-su/202503/x/", final_url="http://127.0.0.1:8000/thoi-su/202503/x/",
                status=200, headers={"Content-Type": "text/html; charset=utf-8"}, body=DEMO_PAGE.read_bytes(),
                fetched_at=datetime(2025, 3, 1, tzinfo=timezone.utc))
    article = parse_page(page)
    assert article is not None
    raw = RawInput(body=page.body, input_format="html", url=page.url, final_url=page.final_url, status=200,
                   headers=page.headers, fetched_at=page.fetched_at)
    with Corpus(corpus_db) as c:
        c.store(Record(article=article, extractor="old"), raw)
        monkeypatch.setattr(rx, "extract_record", fake_extract("new"))
        monkeypatch.setattr(rx, "EXTRACTOR_VERSION", "new")
        assert rx.reextract(c).changed == 1
        (title, extractor) = c.conn.execute("SELECT title, extractor FROM articles").fetchone()
    assert title == article.title and extractor == "new"


def test_unparseable_stored_page_is_reported_not_dropped(stored, capsys):
    with Corpus(stored) as c:
        c.conn.execute("UPDATE pages SET body = ?", (b"not zlib",))
    assert main(["reextract", "--db", stored]) == 1
    out = capsys.readouterr().out
    assert "1 failed" in out and "bacninhtv.vn" in out
    with Corpus(stored, readonly=True) as c:  # the article is still there, untouched
        assert c.conn.execute("SELECT extractor FROM articles").fetchone()[0] == "vnnews 0.0.1"
        assert c.conn.execute("SELECT status FROM runs").fetchone()[0] == "partial"


def test_extract_with_db_records_a_run(corpus_db, capsys, tmp_path, monkeypatch):
    import extract

    monkeypatch.setattr(extract, "extract_record", fake_extract("v"))
    dump = tmp_path / "a.txt"
    dump.write_bytes(DUMP)
    assert main(["extract", str(dump), "--db", corpus_db]) == 0
    assert main(["extract", str(dump), "--db", corpus_db]) == 0
    with Corpus(corpus_db, readonly=True) as c:
        runs = c.conn.execute("SELECT command, status, articles_added, articles_unchanged FROM runs").fetchall()
        assert [tuple(r) for r in runs] == [("extract", "ok", 1, 0), ("extract", "ok", 0, 1)]
        assert c.conn.execute("SELECT run_id FROM articles").fetchone()[0] == 1
