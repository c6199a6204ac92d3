"""crawl() (the blocking wrapper, in-memory frontier) over the fixture site and the demo site."""

from __future__ import annotations

import time

from scraper.crawl import CrawlOptions, crawl
from scraper.discovery import html_links
from scraper.fetch import FetchOptions
from scraper.html import parse_page
from scraper.politeness import RetryPolicy
from scraper.types import Page

FAST = CrawlOptions(delay=0, retry=RetryPolicy(base=0.01), fetch=FetchOptions(timeout=1, total_timeout=5))


def _crawl(start: str, options: CrawlOptions = FAST) -> tuple[list[Page], object]:
    pages: list[Page] = []
    result = crawl([start], on_page=pages.append, options=options)
    return pages, result


def test_each_page_once_robots_obeyed_failures_collected(server: str) -> None:
    pages, result = _crawl(f"{server}/site/index.html")
    fetched = sorted(p.final_url.replace(server, "") for p in pages)
    assert fetched == ["/redirect/0", "/site/a.html", "/site/b.html?page=1", "/site/index.html"]
    assert result.fetched == 4
    assert result.failed == [(f"{server}/status/404", "http-404")]
    assert (f"{server}/site/private/secret.html", "robots") in result.skipped


def test_max_pages(server: str) -> None:
    pages, result = _crawl(f"{server}/site/index.html", CrawlOptions(delay=0, max_pages=2, fetch=FAST.fetch))
    assert len(pages) == 2 and result.fetched == 2 and not result.complete


def test_delay_between_requests_to_one_host(server: str) -> None:
    started = time.monotonic()
    _crawl(f"{server}/site/a.html", CrawlOptions(delay=0.2, max_pages=3, fetch=FAST.fetch))
    assert time.monotonic() - started >= 0.4  # robots.txt and a.html: at least two pauses


def test_unreachable_start_is_a_failure_not_an_exception() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    pages, result = _crawl(f"http://127.0.0.1:{port}/")
    assert pages == [] and result.failed == [(f"http://127.0.0.1:{port}/", "unreachable")]


def test_html_links_resolves_and_filters(server: str) -> None:
    html = ('<base href="/x/"><link rel="canonical" href="/c"><a href="a">A</a><a href="#top">t</a>'
            '<a href="mailto:a@b.vn">m</a><a href="//h.vn/p">p</a><a rel="next" href="?page=2">2</a>')
    found = html_links(html, f"{server}/p")
    assert found.links == (f"{server}/x/a", "http://h.vn/p", f"{server}/x/?page=2")
    assert found.canonical == f"{server}/c" and found.next_page == f"{server}/x/?page=2"


def test_demo_site_crawl(demo_server: str) -> None:
    from tests.scraper.conftest import DEMO_SITE

    files = list(DEMO_SITE.rglob("*.html"))  # the sample site grows; every page is linked
    pages, result = _crawl(demo_server + "/")
    assert result.failed == [] and result.fetched == len(pages) == len(files)
    assert all("/tim-kiem/" in url for url, _ in result.skipped) and result.skipped
    articles = [a for p in pages if (a := parse_page(p)) is not None]
    assert len(articles) >= 7  # the parser's business which pages are articles; the crawl's is to fetch each once
    assert len({a.canonical_url for a in articles}) == len(articles)
    assert {a.site for a in articles} >= {
        "truyenhinhnghean.vn", "bacninhtv.vn", "hatinhtv.vn", "truyenhinhthanhhoa.vn",
        "la34.com.vn", "qbtv.vn", "laocaitv.vn"}
    assert all(a.published is not None and a.province for a in articles)
