"""Loopback HTTP servers for the scraper tests: nothing leaves 127.0.0.1.

``server`` serves ``fixtures/`` plus handlers for the awkward cases (redirect chain and
loop, error statuses, a slow body, a hanging response, an oversized body, a gzip bomb,
charset trouble); ``demo_server`` serves ``corpus/demo_site`` as the demo does.
"""

from __future__ import annotations

import functools
import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[2]
DEMO_SITE = REPO / "corpus" / "demo_site"
REAL_PAGES = REPO.parent / "shared" / "realpages"

BIG_BODY = b"x" * (2 * 1024 * 1024)
BOMB = gzip.compress(bytes(16 * 1024 * 1024), compresslevel=9)  # 16 MiB of zeros, ~16 KiB on the wire
UTF8_PAGE = "<html><head><title>Sở Y tế</title></head><body><p>Bệnh viện Chợ Rẫy hỗ trợ ghép thận.</p></body></html>"
STOP = threading.Event()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


class FixtureHandler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def pause(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not STOP.is_set():
            time.sleep(0.05)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = self.path.split("?")[0]
        parts = path.strip("/").split("/")
        route = getattr(self, "route_" + parts[0].replace("-", "_"), None)
        if route is not None:
            route(parts[1:])
        else:
            self.static(path)

    def static(self, path: str) -> None:
        file = (FIXTURES / path.lstrip("/")).resolve()
        if FIXTURES not in file.parents or not file.is_file():
            self.send(404, b"<p>not found</p>")
            return
        body = file.read_bytes().replace(b"{port}", str(self.server.server_address[1]).encode())
        ctype = "text/plain; charset=utf-8" if file.suffix == ".txt" else "text/html; charset=utf-8"
        self.send(200, body, ctype)

    def route_redirect(self, args: list[str]) -> None:
        hops = int(args[0])
        if hops:
            self.redirect(f"/redirect/{hops - 1}")
        else:
            self.send(200, b"<html><body><p>arrived</p></body></html>")

    def route_loop(self, args: list[str]) -> None:
        self.redirect("/loop/b" if args[0] == "a" else "/loop/a")

    def route_to_ftp(self, args: list[str]) -> None:
        self.redirect("ftp://127.0.0.1/file.txt")

    def route_status(self, args: list[str]) -> None:
        self.send(int(args[0]), b"<p>status page</p>")

    def route_slow(self, args: list[str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(b"<html>")
        self.wfile.flush()
        self.pause(5)

    def route_hang(self, args: list[str]) -> None:
        self.pause(5)

    def route_big(self, args: list[str]) -> None:
        if args and args[0] == "chunked":  # no Content-Length: the limit must count while reading
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for start in range(0, len(BIG_BODY), 65536):
                self.wfile.write(BIG_BODY[start:start + 65536])
        else:
            self.send(200, BIG_BODY)

    def route_gzip_bomb(self, args: list[str]) -> None:
        self.send(200, BOMB, Content_Encoding="gzip")

    def route_charset(self, args: list[str]) -> None:
        cp1258 = (FIXTURES / "cp1258.html").read_bytes()
        cases = {
            "cp1258": (cp1258, "text/html; charset=windows-1258"),
            "cp1258-as-utf8": (cp1258, "text/html; charset=utf-8"),
            "utf8-as-latin1": (UTF8_PAGE.encode("utf-8"), "text/html; charset=iso-8859-1"),
        }
        body, ctype = cases[args[0]]
        self.send(200, body, ctype)

    def route_ua(self, args: list[str]) -> None:
        body = (self.headers.get("User-Agent") or "").encode()
        self.send(200, body, "text/plain", ETag='"v1-abc"', Last_Modified="Tue, 15 Oct 2024 08:00:00 GMT")


def _serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    httpd = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        STOP.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
        STOP.clear()


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """Base URL of the fixture server, e.g. http://127.0.0.1:54321."""
    yield from _serve(FixtureHandler)


class _QuietStatic(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def demo_server() -> Iterator[str]:
    """Base URL of corpus/demo_site served by a plain static server."""
    yield from _serve(functools.partial(_QuietStatic, directory=str(DEMO_SITE)))  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def real_pages() -> Path:
    if not REAL_PAGES.is_dir():
        pytest.skip(f"real pages folder {REAL_PAGES} is absent (it lives in ../shared, outside the repo)")
    return REAL_PAGES
