"""robots.txt edge cases: a redirected robots.txt is followed, a server error is not kept."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from scraper.crawl import CrawlOptions, crawl
from scraper.fetch import FetchOptions
from scraper.frontier import MemoryFrontier
from scraper.politeness import RetryPolicy

OPTIONS = CrawlOptions(delay=0.05, retry=RetryPolicy(max_attempts=1), fetch=FetchOptions(timeout=1, total_timeout=3))


class _Handler(BaseHTTPRequestHandler):
    robots_status = 301
    seen: list[str] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.seen.append(self.path)
        if self.path == "/robots.txt" and self.robots_status == 301:
            self._answer(301, b"", Location="/real-robots.txt")
        elif self.path == "/robots.txt":
            self._answer(self.robots_status, b"oops")
        elif self.path == "/real-robots.txt":
            self._answer(200, b"User-agent: *\nDisallow: /secret\n")
        else:
            self._answer(200, b'<html><body><a href="/secret">s</a><a href="/open">o</a></body></html>')

    def _answer(self, status: int, body: bytes, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html" if b"<html" in body else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site():
    handler = type("H", (_Handler,), {"seen": [], "robots_status": 301})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield handler, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_redirected_robots_txt_is_followed(site) -> None:
    handler, base = site
    result = crawl([base + "/"], options=OPTIONS)
    assert handler.seen[:2] == ["/robots.txt", "/real-robots.txt"]
    assert "/secret" not in handler.seen and "/open" in handler.seen
    assert (base + "/secret", "robots") in result.skipped


def test_robots_server_error_allows_this_run_but_is_not_kept(site) -> None:
    handler, base = site
    handler.robots_status = 503
    store = MemoryFrontier()
    crawl([base + "/"], options=OPTIONS, store=store)
    assert "/secret" in handler.seen  # no rules could be read: everything allowed, as before
    assert store.robots(base.split("//")[1]) is None  # …but not remembered: asked again next run
