"""`vnnews serve`: Datasette over the corpus, driven by headless Chromium like a journalist.

The browser test is never skipped: CI installs Debian's chromium (.ci/run)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from corpus.serve import build_app, metadata
from corpus.store import Corpus
from extract import Agreement, Figure, Hospital, Official, Record
from scraper.textdump import parse_text_dump
from scraper.types import Article, Block
from tests.corpus.browser import chromium_page, stop
from tests.conftest import REPO

SEED = REPO / "tests" / "golden" / "seed" / "input.txt"


def seeded_records():
    """The seed article (parsed from its text dump) with hand-placed mentions, and a decoy."""
    seed = parse_text_dump(SEED.read_text(encoding="utf-8"))
    text = seed.text
    at = text.index("Bệnh viện Bạch Mai")
    official = text.index("Lê Đức Luận")
    yield Record(
        article=seed,
        hospitals=(Hospital("Bệnh viện Bạch Mai", "Bệnh viện Bạch Mai", at, at + 18),),
        officials=(Official("Lê Đức Luận", ("Thứ trưởng Bộ Y tế",), "Lê Đức Luận", official, official + 11),),
        agreements=(Agreement(("UBND tỉnh Nghệ An", "Bệnh viện Bạch Mai"), "2024-10-12", 2024, 2030,
                              ("chuyển giao kỹ thuật",), "ký kết", at, at + 18),),
        figures=(Figure("120 bác sĩ", 120, "bác sĩ", None, 0, 10),),
        extractor="test")
    decoy = Article.from_blocks([Block("title", "Đắk Lắk ghép tạng thành công"),
                                 Block("paragraph", "Bệnh viện Chợ Rẫy hỗ trợ Đắk Lắk ghép tạng. "
                                                    "Ông Nguyễn Văn Hùng phát biểu.")],
                                url="https://daklaktv.vn/a/202501/2/", site="daklaktv.vn", province="Đắk Lắk")
    who = decoy.text.index("Nguyễn Văn Hùng")
    yield Record(article=decoy, hospitals=(Hospital("Bệnh viện Chợ Rẫy", "Bệnh viện Chợ Rẫy", 30, 47),),
                 officials=(Official("Nguyễn Văn Hùng", ("Giám đốc",), "Nguyễn Văn Hùng", who, who + 15),),
                 extractor="test")


@pytest.fixture
def served_db(tmp_path):
    db = tmp_path / "corpus.db"
    with Corpus(str(db)) as c:
        for record in seeded_records():
            c.store(record)
    return db


def test_metadata_configures_search_facets_and_queries():
    meta = metadata("corpus")["databases"]["corpus"]
    articles = meta["tables"]["articles"]
    assert articles["fts_table"] == "articles_fts"
    assert {"province", "site"} <= {f for f in articles["facets"] if isinstance(f, str)}
    assert {f["array"] for f in articles["facets"] if isinstance(f, dict)} == {
        "hospital_names", "official_names", "period_labels"}
    assert {"search", "agreements_by_hospital", "officials_by_province", "figures_about_doctors"} <= meta["queries"].keys()


def test_table_search_folds_the_query_and_canned_queries_run(served_db):
    ds, name = build_app(str(served_db))

    async def fetch(path):
        response = await ds.client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        return response.json()

    async def scenario():
        found = {}
        for q in ("Bach Mai", "Bạch Mai", "Dak Lak", "Đắk Lắk", "DAK LAK"):
            rows = await fetch(f"/{name}/articles.json?_search={q}&_shape=array")
            found[q] = sorted(r["title"] for r in rows)
        search = await fetch(f"/{name}/search.json?q=bach%20mai&_shape=array")
        by_hospital = await fetch(f"/{name}/agreements_by_hospital.json?hospital=bach%20mai&_shape=array")
        officials = await fetch(f"/{name}/officials_by_province.json?province=nghe%20an&_shape=array")
        everyone = await fetch(f"/{name}/officials_by_province.json?province=&_shape=array")
        doctors = await fetch(f"/{name}/figures_about_doctors.json?_shape=array")
        return found, search, by_hospital, officials, everyone, doctors

    found, search, by_hospital, officials, everyone, doctors = asyncio.run(scenario())
    assert found["Bach Mai"] == found["Bạch Mai"] and len(found["Bach Mai"]) == 1
    assert found["Dak Lak"] == found["Đắk Lắk"] == found["DAK LAK"] == ["Đắk Lắk ghép tạng thành công"]
    assert len(search) == 1 and "[Bạch] [Mai]" in search[0]["snippet"]
    assert [r["hospital"] for r in by_hospital] == ["Bệnh viện Bạch Mai"]
    assert [(r["province"], r["name"]) for r in officials] == [("Nghệ An", "Lê Đức Luận")]
    assert [(r["province"], r["name"]) for r in everyone] == [("Nghệ An", "Lê Đức Luận"), ("Đắk Lắk", "Nguyễn Văn Hùng")]
    assert [r["value"] for r in doctors] == [120]


def test_write_attempts_are_refused(served_db):
    ds, name = build_app(str(served_db))

    async def scenario():
        sql = "delete from articles"
        return await ds.client.get(f"/{name}.json?sql={sql}")

    response = asyncio.run(scenario())
    assert response.status_code == 400
    with Corpus(str(served_db), readonly=True) as c:
        assert c.count("articles") == 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(proc, url, deadline):
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"vnnews serve exited early: {proc.stderr.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"vnnews serve not ready at {url}")


@pytest.fixture
def server(served_db):
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "corpus.cli", "serve", "--db", str(served_db),
                             "--host", "127.0.0.1", "--port", str(port)],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_ready(proc, f"{base}/-/versions.json", time.monotonic() + 60)
        yield base, served_db.stem
    finally:
        stop(proc)


def test_journalist_searches_bach_mai_in_chromium(server, tmp_path):
    base, name = server
    with chromium_page(tmp_path / "profile") as page:
        page.goto(f"{base}/{name}/articles")
        page.fill('input[name="_search"]', "Bach Mai")
        page.press('input[name="_search"]', "Enter")
        page.wait_for_url("**_search=Bach*")
        table = page.inner_text("table.rows-and-columns")
        assert "Hợp tác tăng cường năng lực y tế Nghệ An" in table
        assert "Đắk Lắk ghép tạng" not in table
        page.click("table.rows-and-columns tbody tr td.col-id a")
        page.wait_for_url(f"**/{name}/articles/*")
        assert "Bệnh viện Bạch Mai" in page.inner_text("body")  # the hospital_names column
        page.click('a[href*="/hospitals?article_id="]')  # "1 row from article_id in hospitals"
        page.wait_for_url("**/hospitals?article_id=*")
        assert "Bệnh viện Bạch Mai" in page.inner_text("table.rows-and-columns")


def test_snapshot_when_idle_live_when_a_writer_holds_the_wal(served_db):
    import sqlite3

    ds, name = build_app(str(served_db))
    assert ds.databases[name].is_mutable is False  # immutable snapshot
    reader = sqlite3.connect(served_db, isolation_level=None)
    writer = sqlite3.connect(served_db, isolation_level=None)
    try:
        writer.execute("UPDATE articles SET title = title || ' (sửa)' WHERE id = 1")  # committed, in the WAL
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM articles").fetchone()  # a reader pins the WAL
        ds, name = build_app(str(served_db))
        assert ds.databases[name].is_mutable is True  # served live, read-only: the edit is visible

        async def title():
            return (await ds.client.get(f"/{name}/articles/1.json?_shape=array")).json()[0]["title"]

        assert asyncio.run(title()).endswith("(sửa)")
    finally:
        reader.close()
        writer.close()
