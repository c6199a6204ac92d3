"""The simple search page (corpus/webui.py) on both backends: in-process through ASGI,
and once in headless Chromium against ``vnnews serve --db postgresql://…``.

The corpus holds the demo-site pages, extracted for real, plus a hand-made article whose
title carries a <script> tag."""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from corpus.serve import _app_for
from corpus.store import Corpus, RawInput
from corpus.webui import Span, WebUI, build_app, highlight, snippet_html
from extract import Hospital, Record, extract_record
from scraper.html import parse_page
from scraper.types import Article, Block, Page
from tests.corpus.browser import chromium_page, stop
from tests.conftest import REPO

DEMO = REPO / "corpus" / "demo_site"
NGHE_AN = "Bệnh viện Bạch Mai và UBND tỉnh Nghệ An ký kết hợp tác giai đoạn 2025 – 2030"
SCRIPT_TITLE = "<script>alert(1)</script> Bệnh viện Chợ Rẫy & Đắk Lắk"


@pytest.fixture(scope="module")
def demo_records() -> list[tuple[Record, RawInput | None]]:
    """Records of the demo pages (extracted once per module) and the <script> article."""
    out: list[tuple[Record, RawInput | None]] = []
    for path in sorted(DEMO.glob("*/*/*/index.html")):
        url = f"http://127.0.0.1:8000/{path.parent.relative_to(DEMO)}/"
        page = Page(url=url, final_url=url, status=200, headers={"Content-Type": "text/html; charset=utf-8"},
                    body=path.read_bytes(), fetched_at=datetime(2025, 3, 1, tzinfo=timezone.utc))
        if (article := parse_page(page)) is not None:
            out.append((extract_record(article), RawInput.from_page(page)))
    body = "Bệnh viện Chợ Rẫy hỗ trợ Đắk Lắk ghép tạng <b>lần đầu</b>."
    article = Article.from_blocks([Block("title", SCRIPT_TITLE), Block("paragraph", body)],
                                  url="https://daklaktv.vn/a/1/", site="daklaktv.vn", province="Đắk Lắk")
    at = article.text.index("Bệnh viện Chợ Rẫy", len(SCRIPT_TITLE))
    out.append((Record(article=article, hospitals=(Hospital("Bệnh viện Chợ Rẫy", "Bệnh viện Chợ Rẫy", at, at + 17),),
                       extractor="test"), None))
    return out


@pytest.fixture
def db(corpus_db: str, demo_records) -> str:
    with Corpus(corpus_db) as c:
        for record, raw in demo_records:
            c.store(record, raw)
    return corpus_db


def get(app: WebUI, path: str, method: str = "GET") -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://webui") as client:
            return await client.request(method, path, timeout=30)

    return asyncio.run(go())


def article_id(db: str, title: str) -> int:
    with Corpus(db, readonly=True) as c:
        return int(c.conn.execute("SELECT id FROM articles WHERE title=?", (title,)).fetchone()[0])


class Marks(HTMLParser):
    """The mentions highlighted in the article text: (css kind, data-start, data-end, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[dict] = []
        self.found: list[tuple[str, int, int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mark":
            a = dict(attrs)
            self.open.append({**a, "text": ""})

    def handle_data(self, data: str) -> None:
        for m in self.open:
            m["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self.open:
            m = self.open.pop()
            if m.get("data-start") is not None:
                kind = re.search(r"m-(\w+)", m["class"])[1]
                self.found.append((kind, int(m["data-start"]), int(m["data-end"]), m["text"]))


def test_search_ignores_diacritics_and_marks_the_match(db):
    r = get(build_app(db), "/?q=Bach+Mai")
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert '<html lang="vi">' in r.text
    assert NGHE_AN in r.text  # the original spelling
    assert "<mark>Bạch</mark> <mark>Mai</mark>" in r.text
    assert "Đắk Lắk ghép tạng" not in r.text


def test_a_facet_link_adds_its_filter_and_narrows(db):
    app = build_app(db)
    page = get(app, "/?q=Bach+Mai").text
    before = page.count('<li class="hit"')
    links = re.findall(r'<section class="facet" data-facet="province">.*?</section>', page, re.S)
    assert links, "no province facet"
    href, value, count = re.search(r'<a href="([^"]+)">([^<]+)</a> <span class="count">(\d+)</span>', links[0]).groups()
    params = dict(parse_qsl(urlsplit(href.replace("&amp;", "&")).query))
    assert params == {"q": "Bach Mai", "province": value}
    narrowed = get(app, href.replace("&amp;", "&")).text
    assert narrowed.count('<li class="hit"') == int(count) < before
    assert f"Tỉnh: {value}" in narrowed  # shown as an active, removable filter


def test_article_page_highlights_mentions_at_their_offsets(db):
    aid = article_id(db, NGHE_AN)
    app = build_app(db)
    r = get(app, f"/article/{aid}")
    assert r.status_code == 200
    record = json.loads(get(app, f"/article/{aid}.json").text)
    text = record["text"]
    parser = Marks()
    parser.feed(r.text)
    marks = parser.found
    assert {kind for kind, *_ in marks} == {"hospital", "official", "date", "period", "figure"}
    for kind, start, end, shown in marks:
        assert shown == text[start:end], (kind, start, end)
    hospitals = {(s, e) for kind, s, e, _ in marks if kind == "hospital"}
    assert hospitals == {(h["start"], h["end"]) for h in record["hospitals"]}
    assert "Bệnh viện Bạch Mai" in {shown for kind, *_, shown in marks if kind == "hospital"}
    assert 'class="legend"' in r.text
    assert "Giám đốc Bệnh viện Bạch Mai" in r.text  # an official's title, in the table
    assert "<td>hơn 600</td><td>lượt cán bộ y tế</td>" in r.text and "<td>khoảng 19.800</td><td>người</td>" in r.text
    assert "Bệnh viện Bạch Mai; UBND tỉnh Nghệ An" in r.text and "2025–2030" in r.text  # the agreement


def test_script_in_a_title_is_escaped(db):
    app = build_app(db)
    aid = article_id(db, SCRIPT_TITLE)
    for path in ("/?q=Cho+Ray", f"/article/{aid}"):
        page = get(app, path).text
        assert "<script>" not in page and "<b>lần" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Bệnh viện Chợ Rẫy &amp; Đắk Lắk" in page
    assert "content-security-policy" in get(app, "/").headers


def test_bad_query_is_a_400_with_one_line(db):
    r = get(build_app(db), '/?q=%22Bach+Mai')
    assert r.status_code == 400
    errors = re.findall(r'<p class="error" role="alert">(.*?)</p>', r.text)
    assert len(errors) == 1 and "unbalanced double quote" in errors[0]
    assert "Traceback" not in r.text
    assert get(build_app(db), "/?q=Bach&from=2025-3").status_code == 400  # a bad date too


def test_unknown_article_is_404_and_json_is_the_stored_record(db):
    app = build_app(db)
    assert get(app, "/article/999999").status_code == 404
    assert get(app, "/article/999999.json").status_code == 404
    assert get(app, "/article/abc").status_code == 404
    aid = article_id(db, NGHE_AN)
    r = get(app, f"/article/{aid}.json")
    assert r.headers["content-type"] == "application/json; charset=utf-8"
    with Corpus(db, readonly=True) as c:
        stored = c.conn.execute("SELECT record FROM articles WHERE id=?", (aid,)).fetchone()[0]
    assert r.json() == json.loads(stored) and r.json()["title"] == NGHE_AN


def test_filters_without_a_query_ask_for_words_and_writes_are_refused(db):
    app = build_app(db)
    r = get(app, "/?province=Nghe+An")
    assert r.status_code == 200 and 'class="notice"' in r.text and 'value="Nghe An"' in r.text
    assert '<li class="hit"' not in r.text  # search needs words; the facets count the filtered corpus
    province = re.search(r'data-facet="province">.*?</section>', r.text, re.S)[0]
    assert re.findall(r'<a href="[^"]+">([^<]+)</a>', province) == ["Nghệ An"]
    assert get(app, "/healthz").text == "ok\n"
    assert get(app, "/", method="POST").status_code == 405
    assert get(app, "/", method="HEAD").content == b""


def test_postgresql_down_is_a_503_page():
    app = WebUI("postgresql://postgres@127.0.0.1:1/nowhere")  # nothing listens on port 1
    for path in ("/?q=Bach+Mai", "/article/1", "/healthz"):
        r = get(app, path)
        assert r.status_code == 503, path
        assert re.findall(r'<p class="error" role="alert">(.*?)</p>', r.text) != []
        assert "Traceback" not in r.text and "postgres@" not in r.text


def test_highlight_nests_and_cuts_crossing_spans():
    text = "Ông A <Giám đốc> Bệnh viện X nói"
    spans = [Span(0, 28, "official", "A"), Span(17, 28, "hospital", "X"), Span(25, 31, "figure", "?")]
    html = str(highlight(text, spans))
    assert "&lt;Giám đốc&gt;" in html
    parser = Marks()
    parser.feed(html)
    assert {(k, s, e) for k, s, e, _ in parser.found} == {("official", 0, 28), ("hospital", 17, 28), ("figure", 25, 31)}
    assert re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">") == text
    marked = str(snippet_html("a <b> [Bạch] [1] [Mai]", "bach mai"))
    assert marked == "a &lt;b&gt; <mark>Bạch</mark> [1] <mark>Mai</mark>"


def test_serve_picks_the_simple_page_for_postgresql_only(pg_dsn, tmp_path):
    with Corpus(pg_dsn):
        pass
    sqlite = str(tmp_path / "c.db")
    with Corpus(sqlite):
        pass
    assert isinstance(_app_for(pg_dsn, None)[0], WebUI)
    assert isinstance(_app_for(sqlite, "simple")[0], WebUI)
    assert not isinstance(_app_for(sqlite, None)[0], WebUI)  # Datasette stays the SQLite default
    with pytest.raises(Exception, match="Datasette reads only SQLite"):
        _app_for(pg_dsn, "datasette")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def pg_server_url(pg_dsn, demo_records):
    """``vnnews serve --db postgresql://…`` in a subprocess on a free loopback port."""
    with Corpus(pg_dsn) as c:
        for record, raw in demo_records:
            c.store(record, raw)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "corpus.cli", "serve", "--db", pg_dsn, "--port", str(port)],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, f"vnnews serve exited: {proc.stderr.read()}"
            assert time.monotonic() < deadline, "vnnews serve not ready"
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        assert proc.stdout.readline().strip() == f"Serving the corpus at {base}/ (Ctrl-C to stop)"
        yield base
    finally:
        stop(proc)


def test_journalist_searches_postgresql_in_chromium(pg_server_url, tmp_path):
    with chromium_page(tmp_path / "profile") as page:
        page.goto(pg_server_url + "/")
        page.fill('input[name="q"]', "Bach Mai")
        page.fill('input[name="province"]', "nghe an")
        page.press('input[name="q"]', "Enter")
        page.wait_for_url("**q=Bach*")
        hits = page.inner_text("ol.hits")
        assert NGHE_AN in hits and page.locator("ol.hits mark").all_inner_texts()[:2] == ["Bạch", "Mai"]
        page.click(f'ol.hits a:text-is("{NGHE_AN}")')
        page.wait_for_url("**/article/*")
        hospitals = page.locator(".text mark.m-hospital").all_inner_texts()
        assert "Bệnh viện Bạch Mai" in hospitals
