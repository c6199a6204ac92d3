"""fetch_once (the crawler's one-request fetch) against the loopback fixture server."""

from __future__ import annotations

import asyncio
import time

import pytest

from scraper.errors import FetchError
from scraper.fetch import USER_AGENT, FetchOptions, fetch_once, make_async_client, resolves_private

QUICK = FetchOptions(timeout=0.5, total_timeout=3.0)


def _run(url: str, options: FetchOptions = QUICK, headers: dict | None = None):
    async def go():
        async with make_async_client(options) as client:
            return await fetch_once(client, url, options, headers)

    return asyncio.run(go())


def _reason(url: str, options: FetchOptions = QUICK) -> FetchError:
    with pytest.raises(FetchError) as info:
        _run(url, options)
    assert "\n" not in str(info.value)
    return info.value


def test_page_and_identity(server: str) -> None:
    resp = _run(f"{server}/ua")
    assert resp.status == 200 and resp.body.decode() == USER_AGENT and resp.headers["etag"] == '"v1-abc"'
    page = resp.page(f"{server}/ua")
    assert page.etag == '"v1-abc"' and page.last_modified.startswith("Tue, 15 Oct 2024")


def test_redirect_is_handed_back_not_followed(server: str) -> None:
    resp = _run(f"{server}/redirect/2")
    assert resp.status == 302 and resp.location == f"{server}/redirect/1" and resp.body == b""


def test_status_errors_carry_status(server: str) -> None:
    error = _reason(f"{server}/status/503")
    assert error.reason == "http-503" and error.status == 503


@pytest.mark.parametrize("path", ["/big", "/big/chunked"])
def test_body_limit_while_streaming(server: str, path: str) -> None:
    assert _reason(server + path, FetchOptions(timeout=2, max_bytes=1024 * 1024)).reason == "too-large"
    assert len(_run(server + path, FetchOptions(timeout=2)).body) == 2 * 1024 * 1024


def test_gzip_bomb_is_cut_off_while_inflating(server: str) -> None:
    started = time.monotonic()
    assert _reason(f"{server}/gzip-bomb", FetchOptions(timeout=2, max_bytes=1024 * 1024)).reason == "too-large"
    assert time.monotonic() - started < 2


def test_hanging_and_slow_answers_time_out(server: str) -> None:
    for path in ("/hang", "/slow"):
        started = time.monotonic()
        assert _reason(server + path).reason == "timeout"
        assert time.monotonic() - started < 3.5


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "file:///etc/hostname"])
def test_only_http(url: str) -> None:
    assert _reason(url).reason == "scheme"


def test_localhost_resolves_private() -> None:
    assert asyncio.run(resolves_private("localhost")) is True
    assert asyncio.run(resolves_private("no-such-host.invalid")) is False  # unresolvable: the fetch fails later
