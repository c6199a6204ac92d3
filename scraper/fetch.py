"""Fetch one URL into a ``Page`` with httpx, defensively.

Every failure is a ``FetchError`` whose ``reason`` is a short tag:

    scheme        not an http(s) URL (also a redirect to one)
    bad-url       the URL cannot be parsed
    http-<code>   a non-2xx final status (http-404, http-500, …)
    redirects     more than ``max_redirects`` hops (a loop ends here too)
    too-large     the decoded body passed ``max_bytes`` (a gzip bomb counts decoded bytes)
    timeout       no answer within ``timeout`` (per read) or ``total_timeout`` (whole fetch)
    unreachable   DNS, refused or reset connection, TLS and other transport errors
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit

import httpx

from scraper.errors import FetchError
from scraper.types import Page

log = logging.getLogger(__name__)

USER_AGENT = "vnnews/0.1 (+https://github.com/vnnews/vnnews)"


@dataclass(frozen=True, slots=True)
class FetchOptions:
    timeout: float = 20.0  # connect / read / write, each
    total_timeout: float = 60.0  # the whole fetch, redirects and body included
    max_redirects: int = 5
    max_bytes: int = 10 * 1024 * 1024
    user_agent: str = USER_AGENT
    accept_language: str = "vi,en;q=0.5"


def _check_scheme(url: str) -> None:
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError as exc:
        raise FetchError(f"cannot parse URL {url!r}", url=url, reason="bad-url") from exc
    if scheme not in ("http", "https"):
        raise FetchError(f"not an http(s) URL: {url}", url=url, reason="scheme")


def make_client(options: FetchOptions | None = None) -> httpx.Client:
    """A client with vnnews' headers and timeouts; redirects are followed by ``fetch``."""
    options = options or FetchOptions()
    return httpx.Client(
        headers={"User-Agent": options.user_agent, "Accept-Language": options.accept_language,
                 "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"},
        timeout=httpx.Timeout(options.timeout),
        follow_redirects=False,
    )


def _read_body(resp: httpx.Response, url: str, options: FetchOptions, deadline: float) -> bytes:
    declared = resp.headers.get("content-length", "")
    if declared.isdigit() and "content-encoding" not in resp.headers and int(declared) > options.max_bytes:
        raise FetchError(f"{url}: body of {declared} bytes is over the {options.max_bytes}-byte limit",
                         url=url, reason="too-large")
    chunks: list[bytes] = []
    size = 0
    for chunk in resp.iter_bytes():  # decoded bytes: a gzip bomb is caught here
        size += len(chunk)
        if size > options.max_bytes:
            raise FetchError(f"{url}: body is over the {options.max_bytes}-byte limit",
                             url=url, reason="too-large")
        if time.monotonic() > deadline:
            raise FetchError(f"{url}: no complete answer within {options.total_timeout:g} s",
                             url=url, reason="timeout")
        chunks.append(chunk)
    return b"".join(chunks)


def _get(client: httpx.Client, url: str, options: FetchOptions) -> Page:
    deadline = time.monotonic() + options.total_timeout
    current = url
    for _hop in range(options.max_redirects + 1):
        _check_scheme(current)
        with client.stream("GET", current, headers={"User-Agent": options.user_agent},
                           timeout=httpx.Timeout(options.timeout), follow_redirects=False) as resp:
            if resp.is_redirect and resp.next_request is not None:
                current = str(resp.next_request.url)
                continue
            if not 200 <= resp.status_code < 300:
                raise FetchError(f"{current}: HTTP {resp.status_code}", url=url,
                                 reason=f"http-{resp.status_code}")
            body = _read_body(resp, url, options, deadline)
            headers = {k.lower(): v for k, v in resp.headers.items()}
            return Page(url=url, final_url=current, status=resp.status_code, headers=headers, body=body,
                        fetched_at=datetime.now(timezone.utc), etag=headers.get("etag"),
                        last_modified=headers.get("last-modified"))
    raise FetchError(f"{url}: more than {options.max_redirects} redirects", url=url, reason="redirects")


def fetch(url: str, *, options: FetchOptions | None = None, client: httpx.Client | None = None) -> Page:
    """GET ``url`` (following redirects) and return the Page; raises FetchError."""
    options = options or FetchOptions()
    _check_scheme(url)
    own = client is None
    client = client or make_client(options)
    try:
        return _get(client, url, options)
    except httpx.TimeoutException as exc:
        raise FetchError(f"{url}: timed out ({type(exc).__name__})", url=url, reason="timeout") from exc
    except httpx.InvalidURL as exc:
        raise FetchError(f"cannot parse URL {url!r}: {exc}", url=url, reason="bad-url") from exc
    except (httpx.HTTPError, httpx.StreamError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise FetchError(f"{url} is unreachable: {detail}", url=url, reason="unreachable") from exc
    finally:
        if own:
            client.close()
