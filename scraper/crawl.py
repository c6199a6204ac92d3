"""A minimal synchronous crawl: breadth-first over the start URLs' hosts.

Enough for ``vnnews demo`` and small jobs; the polite asynchronous crawler with a persistent
frontier is a separate component.  What it does:

- one URL is fetched once: links are canonicalised (``canonicalize_url``) before queueing;
- robots.txt is obeyed (protego), fetched once per host; a missing one allows everything;
- a per-host delay (``CrawlOptions.delay``, or the robots ``Crawl-delay`` if longer);
- ``max_pages`` fetch attempts at most; failures are collected as ``(url, reason)``, never
  raised; pages robots.txt forbids are listed in ``CrawlResult.skipped``.
"""

from __future__ import annotations

import logging
import posixpath
import re
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Iterable
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

import httpx
from protego import Protego
from selectolax.lexbor import LexborHTMLParser

from scraper.encoding import decode_body
from scraper.errors import FetchError, VnnewsError
from scraper.fetch import FetchOptions, fetch, make_client
from scraper.types import Page
from scraper.urlinfo import site_of

log = logging.getLogger(__name__)

TRACKING_PARAMS = frozenset((
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid",
    "mc_eid", "_ga", "_gl", "zarsrc", "ref_src", "spm", "cmpid",
))
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SKIP_EXTENSIONS = frozenset((
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".bmp", ".pdf", ".doc", ".docx",
    ".xls", ".xlsx", ".zip", ".rar", ".mp3", ".mp4", ".avi", ".mov", ".css", ".js", ".woff", ".woff2",
))
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_ESCAPE = re.compile(r"%[0-9a-f]{2}", re.IGNORECASE)


def _is_tracking(key: str) -> bool:
    return key.lower().startswith("utm_") or key.lower() in TRACKING_PARAMS


def canonicalize_url(url: str, *, keep_trailing_slash: bool = False) -> str:
    """One spelling per page: lower-case scheme and host, no default port, no fragment,
    no tracking parameters (utm_*, fbclid, …), sorted query, no dot segments, no trailing
    slash (except the root; ``keep_trailing_slash`` keeps it, for fetching directories)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = posixpath.normpath(parts.path) if parts.path not in ("", "/") else "/"
    path = "/" if path in (".", "//") else path.replace("//", "/")
    if parts.path.endswith("/") and path != "/" and keep_trailing_slash:
        path += "/"
    path = _ESCAPE.sub(lambda m: m.group(0).upper(), quote(path, safe=_PATH_SAFE))
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k))
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


@dataclass(frozen=True, slots=True)
class CrawlOptions:
    max_pages: int = 100
    delay: float = 1.0  # seconds between two requests to one host
    obey_robots: bool = True
    fetch: FetchOptions = field(default_factory=FetchOptions)


@dataclass(slots=True)
class CrawlResult:
    fetched: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (url, "robots")


def extract_links(page: Page, html: str | None = None) -> list[str]:
    """Absolute http(s) links of an HTML page, in document order (``<base href>`` honoured)."""
    tree = LexborHTMLParser(html if html is not None else decode_body(page.body, page.content_type))
    base = page.final_url or page.url
    base_node = tree.css_first("base[href]")
    if base_node is not None:
        base = urljoin(base, base_node.attributes.get("href") or "")
    links = []
    for a in tree.css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        absolute = urljoin(base, href)
        if urlsplit(absolute).scheme in ("http", "https"):
            links.append(absolute)
    return links


class _Robots:
    """robots.txt per host, fetched on first use; unreadable means allowed."""

    def __init__(self, client: httpx.Client, options: CrawlOptions) -> None:
        self._client, self._options, self._rules = client, options, {}

    def _rules_for(self, url: str) -> Protego | None:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self._rules:
            try:
                page = fetch(key + "/robots.txt", options=self._options.fetch, client=self._client)
                self._rules[key] = Protego.parse(decode_body(page.body, page.content_type))
            except FetchError as exc:
                log.info("no robots.txt for %s (%s): everything allowed", key, exc.reason)
                self._rules[key] = None
        return self._rules[key]

    def allowed(self, url: str) -> bool:
        rules = self._rules_for(url)
        return rules is None or rules.can_fetch(url, self._options.fetch.user_agent)

    def delay(self, url: str) -> float:
        rules = self._rules_for(url)
        robots_delay = rules.crawl_delay(self._options.fetch.user_agent) if rules else None
        return max(self._options.delay, robots_delay or 0.0)


def _wait(last: dict[str, float], host: str, delay: float) -> None:
    if host in last:
        pause = last[host] + delay - time.monotonic()
        if pause > 0:
            time.sleep(pause)
    last[host] = time.monotonic()


def _is_page_link(url: str) -> bool:
    return posixpath.splitext(urlsplit(url).path)[1].lower() not in _SKIP_EXTENSIONS


def crawl(start_urls: Iterable[str], *, on_page: Callable[[Page], None],
          options: CrawlOptions | None = None, client: httpx.Client | None = None) -> CrawlResult:
    """Breadth-first from ``start_urls`` over their hosts; ``on_page`` sees every fetched page.

    A ``VnnewsError`` raised by ``on_page`` is recorded as a failure; other exceptions propagate.
    """
    options = options or CrawlOptions()
    starts = [canonicalize_url(u, keep_trailing_slash=True) for u in start_urls]
    sites = {site_of(u) for u in starts}
    queue = deque(starts)
    seen = {canonicalize_url(u) for u in starts}
    result, last_hit = CrawlResult(), {}
    own = client is None
    client = client or make_client(options.fetch)
    robots = _Robots(client, options)
    try:
        while queue and result.fetched + len(result.failed) < options.max_pages:
            url = queue.popleft()
            if options.obey_robots and not robots.allowed(url):
                result.skipped.append((url, "robots"))
                continue
            _wait(last_hit, urlsplit(url).netloc, robots.delay(url) if options.obey_robots else options.delay)
            try:
                page = fetch(url, options=options.fetch, client=client)
                on_page(page)
            except VnnewsError as exc:
                log.warning("%s", exc)
                result.failed.append((url, getattr(exc, "reason", type(exc).__name__)))
                continue
            result.fetched += 1
            seen.add(canonicalize_url(page.final_url))
            for link in _links_of(page):
                key = canonicalize_url(link)
                if key not in seen and site_of(link) in sites and _is_page_link(link):
                    seen.add(key)
                    queue.append(canonicalize_url(link, keep_trailing_slash=True))
    finally:
        if own:
            client.close()
    return result


def _links_of(page: Page) -> list[str]:
    ctype = page.content_type.lower()
    if ctype and "html" not in ctype:
        return []
    return extract_links(page)
