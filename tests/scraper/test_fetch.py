"""fetch() against a real loopback HTTP server."""

from __future__ import annotations

import time

import httpx
import pytest

from scraper.encoding import decode_body
from scraper.errors import FetchError
from scraper.fetch import USER_AGENT, FetchOptions, fetch

QUICK = FetchOptions(timeout=0.5, total_timeout=3.0)


def _reason(url: str, options: FetchOptions = QUICK) -> str:
    with pytest.raises(FetchError) as info:
        fetch(url, options=options)
    assert str(info.value).count("\n") == 0  # one-line messages
    return info.value.reason


def test_fetch_page_records_headers_and_identifies_itself(server: str) -> None:
    page = fetch(f"{server}/ua", options=QUICK)
    assert page.status == 200 and page.final_url == f"{server}/ua"
    assert page.body.decode() == USER_AGENT
    assert "+https://" in USER_AGENT
    assert page.etag == '"v1-abc"'
    assert page.last_modified == "Tue, 15 Oct 2024 08:00:00 GMT"
    assert page.content_type.startswith("text/plain")


def test_redirect_chain_is_followed(server: str) -> None:
    page = fetch(f"{server}/redirect/3", options=QUICK)
    assert page.url == f"{server}/redirect/3"
    assert page.final_url == f"{server}/redirect/0"
    assert b"arrived" in page.body


def test_redirect_limit(server: str) -> None:
    assert _reason(f"{server}/redirect/3", FetchOptions(timeout=0.5, max_redirects=2)) == "redirects"


def test_redirect_loop_ends(server: str) -> None:
    assert _reason(f"{server}/loop/a") == "redirects"


def test_redirect_to_another_scheme(server: str) -> None:
    assert _reason(f"{server}/to-ftp") == "scheme"


@pytest.mark.parametrize("status", [404, 500, 503])
def test_error_status(server: str, status: int) -> None:
    assert _reason(f"{server}/status/{status}") == f"http-{status}"


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "file:///etc/hostname", "javascript:alert(1)"])
def test_only_http(url: str) -> None:
    assert _reason(url) == "scheme"


def test_slow_body_times_out(server: str) -> None:
    started = time.monotonic()
    assert _reason(f"{server}/slow") == "timeout"
    assert time.monotonic() - started < 3


def test_hanging_response_times_out(server: str) -> None:
    started = time.monotonic()
    assert _reason(f"{server}/hang") == "timeout"
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("path", ["/big", "/big/chunked"])
def test_body_over_the_limit(server: str, path: str) -> None:
    assert _reason(server + path, FetchOptions(timeout=2, max_bytes=1024 * 1024)) == "too-large"
    assert len(fetch(server + path, options=FetchOptions(timeout=2)).body) == 2 * 1024 * 1024


def test_gzip_bomb_counts_decoded_bytes(server: str) -> None:
    assert _reason(f"{server}/gzip-bomb", FetchOptions(timeout=2)) == "too-large"  # default 10 MB


def test_unreachable_names_the_url() -> None:
    # a port nobody listens on: bind, read the number, close
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/x"
    with pytest.raises(FetchError) as info:
        fetch(url, options=QUICK)
    assert info.value.reason == "unreachable"
    assert url in str(info.value) and "\n" not in str(info.value)


def test_shared_client_is_left_open(server: str) -> None:
    with httpx.Client() as client:
        fetch(f"{server}/ua", options=QUICK, client=client)
        page = fetch(f"{server}/ua", options=QUICK, client=client)
        assert page.body.decode() == USER_AGENT  # our UA even on a caller's client
        assert not client.is_closed


def test_options_are_frozen() -> None:
    with pytest.raises(AttributeError):
        QUICK.timeout = 3  # type: ignore[misc]


@pytest.mark.parametrize("case", ["cp1258", "cp1258-as-utf8"])
def test_windows_1258_pages(server: str, case: str) -> None:
    page = fetch(f"{server}/charset/{case}", options=QUICK)
    text = decode_body(page.body, page.content_type)
    assert "Bệnh viện Đa khoa tỉnh đã tiếp nhận hệ thống chụp cộng hưởng từ" in text


def test_utf8_page_declared_latin1(server: str) -> None:
    page = fetch(f"{server}/charset/utf8-as-latin1", options=QUICK)
    assert "Bệnh viện Chợ Rẫy hỗ trợ ghép thận." in decode_body(page.body, page.content_type)
