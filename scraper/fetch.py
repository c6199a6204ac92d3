"""Fetch one URL into a ``Page`` with httpx, defensively.

Every failure is a ``FetchError`` whose ``reason`` is a short tag:

    scheme        not an http(s) URL (also a redirect to one)
    bad-url       the URL cannot be parsed
    http-<code>   a non-2xx final status (http-404, http-500, …)
    redirects     more than ``max_redirects`` hops (a loop ends here too)
    too-large     the decoded body passed ``max_bytes`` (a gzip bomb counts decoded bytes)
    timeout       no answer within ``timeout`` (per read) or ``total_timeout`` (whole fetch)
    unreachable   DNS, refused or reset connection, TLS and other transport errors
    encoding      a Content-Encoding we did not ask for (async path)

``fetch`` (sync) follows redirects itself; ``fetch_once`` (async, the crawler's) makes one
request and hands a redirect back, so each hop goes through the crawler's politeness and
duplicate checks.  Bodies are streamed and decoded here, in bounded steps, so a 50 MB page
or a gzip bomb is cut off at ``max_bytes`` without being held in memory.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit

import httpx

from scraper.errors import FetchError
from scraper.transport import AsyncioTransport
from scraper.types import Page
from scraper.urls import address_is_private

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


# -- async, one request at a time (the crawler's path) ---------------------------------

ACCEPT_ENCODING = "gzip, deflate"


@dataclass(frozen=True, slots=True)
class Response:
    """One HTTP answer: a 2xx/304 with its body, or a redirect with its ``location``."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes = b""
    location: str | None = None

    def page(self, requested: str) -> Page:
        return Page(url=requested, final_url=self.url, status=self.status, headers=self.headers,
                    body=self.body, fetched_at=datetime.now(timezone.utc), etag=self.headers.get("etag"),
                    last_modified=self.headers.get("last-modified"))


def make_async_client(options: FetchOptions | None = None, max_connections: int = 100,
                      verify: ssl.SSLContext | bool = True) -> httpx.AsyncClient:
    options = options or FetchOptions()
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
    return httpx.AsyncClient(
        headers={"User-Agent": options.user_agent, "Accept-Language": options.accept_language,
                 "Accept-Encoding": ACCEPT_ENCODING,
                 "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5"},
        timeout=httpx.Timeout(options.timeout), follow_redirects=False, limits=limits,
        # plain http over asyncio sockets (scraper.transport); https keeps httpx's own transport
        mounts={"http://": AsyncioTransport(limits=limits, verify=verify)}, verify=verify,
    )


def _decoder(encoding: str, url: str):
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        return zlib.decompressobj(zlib.MAX_WBITS | 32 if encoding != "deflate" else zlib.MAX_WBITS)
    raise FetchError(f"{url}: unrequested Content-Encoding {encoding!r}", url=url, reason="encoding")


def _inflate(decoder, data: bytes, room: int, url: str, limit: int) -> bytes:
    """Decompress ``data`` but never more than ``room + 1`` bytes: a bomb stops here."""
    try:
        out = decoder.decompress(data, room + 1)
    except zlib.error as exc:
        raise FetchError(f"{url}: bad compressed body ({exc})", url=url, reason="unreachable") from exc
    if len(out) > room or decoder.unconsumed_tail:
        raise FetchError(f"{url}: body is over the {limit}-byte limit", url=url, reason="too-large")
    return out


async def _read_body_async(resp: httpx.Response, url: str, limit: int) -> bytes:
    declared = resp.headers.get("content-length", "")
    encoding = resp.headers.get("content-encoding", "")
    if declared.isdigit() and not encoding and int(declared) > limit:
        raise FetchError(f"{url}: body of {declared} bytes is over the {limit}-byte limit", url=url,
                         reason="too-large")
    decoder = _decoder(encoding, url)
    chunks: list[bytes] = []
    size = 0
    async for raw in resp.aiter_raw():
        chunk = raw if decoder is None else _inflate(decoder, raw, limit - size, url, limit)
        size += len(chunk)
        if size > limit:
            raise FetchError(f"{url}: body is over the {limit}-byte limit", url=url, reason="too-large")
        chunks.append(chunk)
    return b"".join(chunks)


async def _request(client: httpx.AsyncClient, url: str, options: FetchOptions,
                   headers: dict[str, str]) -> Response:
    async with client.stream("GET", url, headers=headers) as resp:
        resp_headers = {k.lower(): v for k, v in resp.headers.items()}
        if resp.is_redirect:
            location = resp.headers.get("location")
            target = str(resp.url.join(location)) if location else None
            return Response(url=str(resp.url), status=resp.status_code, headers=resp_headers, location=target)
        if resp.status_code == 304:
            return Response(url=str(resp.url), status=304, headers=resp_headers)
        if not 200 <= resp.status_code < 300:
            error = FetchError(f"{url}: HTTP {resp.status_code}", url=url, reason=f"http-{resp.status_code}")
            error.status, error.retry_after = resp.status_code, resp.headers.get("retry-after")
            raise error
        body = await _read_body_async(resp, url, options.max_bytes)
        return Response(url=str(resp.url), status=resp.status_code, headers=resp_headers, body=body)


async def fetch_once(client: httpx.AsyncClient, url: str, options: FetchOptions,
                     headers: dict[str, str] | None = None) -> Response:
    """One GET (no redirect following); raises FetchError.  ``headers`` adds conditional
    headers (If-None-Match, If-Modified-Since).  A FetchError for an HTTP status carries the
    answer's ``Retry-After`` in ``retry_after`` (seconds as sent)."""
    _check_scheme(url)
    try:
        async with asyncio.timeout(options.total_timeout):
            return await _request(client, url, options, dict(headers or {}))
    except (TimeoutError, httpx.TimeoutException) as exc:
        raise FetchError(f"{url}: timed out ({type(exc).__name__})", url=url, reason="timeout") from exc
    except httpx.InvalidURL as exc:
        raise FetchError(f"cannot parse URL {url!r}: {exc}", url=url, reason="bad-url") from exc
    except (httpx.HTTPError, httpx.StreamError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise FetchError(f"{url} is unreachable: {detail}", url=url, reason="unreachable") from exc


async def resolves_private(host: str) -> bool:
    """True when any address ``host`` resolves to is private, loopback or link-local
    (a public page's link must not reach into the crawler's own network)."""
    import ipaddress

    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        return False  # unresolvable: the fetch itself will fail as unreachable
    return any(address_is_private(ipaddress.ip_address(info[4][0].split("%")[0])) for info in infos)
