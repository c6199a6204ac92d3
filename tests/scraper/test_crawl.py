"""crawl() over the fixture site and the demo site, both on 127.0.0.1."""

from __future__ import annotations

import time

from scraper.crawl import CrawlOptions, crawl, extract_links
from scraper.fetch import FetchOptions
from scraper.html import parse_page
from scraper.types import Page

FAST = CrawlOptions(delay=0, fetch=FetchOptions(timeout=1, total_timeout=5))


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
    assert result.skipped == [(f"{server}/site/private/secret.html", "robots")]


def test_max_pages(server: str) -> None:
    pages, result = _crawl(f"{server}/site/index.html", CrawlOptions(delay=0, max_pages=2, fetch=FAST.fetch))
    assert len(pages) == 2 and result.fetched == 2


def test_delay_between_requests_to_one_host(server: str) -> None:
    started = time.monotonic()
    _crawl(f"{server}/site/a.html", CrawlOptions(delay=0.2, max_pages=3, fetch=FAST.fetch))
    assert time.monotonic() - started >= 0.4  # three fetches, two pauses


def test_unreachable_start_is_a_failure_not_an_exception() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    pages, result = _crawl(f"http://127.0.0.1:{port}/")
    assert pages == [] and result.failed == [(f"http://127.0.0.1:{port}/", "unreachable")]


def test_extract_links_resolves_and_filters(server: str) -> None:
    html = '<base href="/x/"><a href="a">A</a><a href="#top">t</a><a href="mailto:a@b.vn">m</a><a href="//h.vn/p">p</a>'
    page = Page(url=f"{server}/p", final_url=f"{server}/p", status=200, headers={}, body=html.encode(),
                fetched_at=None)  # type: ignore[arg-type]
    assert extract_links(page) == [f"{server}/x/a", "http://h.vn/p"]


def test_demo_site_crawl(demo_server: str) -> None:
    pages, result = _crawl(demo_server + "/")
    assert result.failed == [] and result.fetched == len(pages) == 10  # home, 2 listings, 7 articles
    assert all("/tim-kiem/" in url for url, _ in result.skipped) and result.skipped
    articles = [a for p in pages if (a := parse_page(p)) is not None]
    assert len(articles) == 7
    assert len({a.canonical_url for a in articles}) == 7
    assert {a.site for a in articles} == {
        "truyenhinhnghean.vn", "bacninhtv.vn", "hatinhtv.vn", "truyenhinhthanhhoa.vn",
        "la34.com.vn", "qbtv.vn", "laocaitv.vn"}
    assert all(a.published is not None and a.authors and a.province for a in articles)
