"""Where article URLs come from: HTML links, sitemaps (indexes, news sitemaps, ``.xml.gz``),
RSS/Atom feeds and the Techcity CMS list endpoint.  Pure parsing: bytes in, URLs (with the
date the source gives, when it gives one) out; the crawler decides what to fetch.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Iterator
from urllib.parse import urlencode, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, uncompressed
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_VN_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")


@dataclass(frozen=True, slots=True)
class Found:
    """A URL a source names, with the publication or modification day it gives (if any)."""

    url: str
    day: date | None = None


@dataclass(frozen=True, slots=True)
class HtmlLinks:
    links: tuple[str, ...]
    canonical: str | None = None
    next_page: str | None = None  # rel="next"


@dataclass(frozen=True, slots=True)
class Sitemap:
    is_index: bool
    entries: tuple[Found, ...]


def parse_day(value: str | None) -> date | None:
    """'2024-10-12T08:00:00+07:00', 'Tue, 15 Oct 2024 08:00:00 GMT', '12/10/2024' -> date."""
    if not value:
        return None
    value = value.strip()
    m = _ISO_DATE.search(value)
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _VN_DATE.search(value)
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return None


def html_links(html: str, base: str) -> HtmlLinks:
    """Absolute http(s) links in document order (``<base href>`` honoured), plus
    ``rel=canonical`` and ``rel=next``."""
    tree = LexborHTMLParser(html)
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
    return HtmlLinks(tuple(links), _rel(tree, base, "canonical"), _rel(tree, base, "next"))


def _rel(tree: LexborHTMLParser, base: str, rel: str) -> str | None:
    node = tree.css_first(f'link[rel="{rel}"][href]') or tree.css_first(f'a[rel="{rel}"][href]')
    href = (node.attributes.get("href") or "").strip() if node is not None else ""
    return urljoin(base, href) if href else None


def gunzip_bounded(body: bytes, limit: int = MAX_SITEMAP_BYTES) -> bytes:
    """Gunzip ``body`` if it is gzip (magic bytes), never past ``limit`` bytes."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    decoder = zlib.decompressobj(zlib.MAX_WBITS | 16)
    out = decoder.decompress(body, limit + 1)
    if len(out) > limit or decoder.unconsumed_tail:
        raise ValueError(f"compressed sitemap is over {limit} bytes")
    return out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _children(node: ET.Element) -> dict[str, ET.Element]:
    found: dict[str, ET.Element] = {}
    for child in node.iter():
        found.setdefault(_local(child.tag), child)
    return found


def parse_sitemap(body: bytes) -> Sitemap:
    """A ``<sitemapindex>`` (its child sitemaps) or a ``<urlset>`` (its pages, with
    ``news:publication_date`` or ``lastmod`` as the day).  Raises ValueError if not a sitemap."""
    try:
        root = ET.fromstring(gunzip_bounded(body))
    except ET.ParseError as exc:
        raise ValueError(f"not XML: {exc}") from exc
    kind = _local(root.tag)
    if kind not in ("sitemapindex", "urlset"):
        raise ValueError(f"not a sitemap: <{kind}>")
    entries = []
    for item in root:
        if _local(item.tag) not in ("sitemap", "url"):
            continue
        parts = _children(item)
        loc = (parts["loc"].text or "").strip() if "loc" in parts else ""
        when = parts.get("publication_date")
        when = when if when is not None else parts.get("lastmod")  # (an Element without children is falsy)
        if loc:
            entries.append(Found(loc, parse_day(when.text if when is not None else None)))
    return Sitemap(kind == "sitemapindex", tuple(entries))


def parse_feed(body: bytes, base: str = "") -> list[Found]:
    """Items of an RSS 2.0 or Atom feed: link and publication day."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise ValueError(f"not XML: {exc}") from exc
    found = []
    for item in root.iter():
        if _local(item.tag) not in ("item", "entry"):
            continue
        link, day = None, None
        for child in item:
            name = _local(child.tag)
            if name == "link":
                link = child.get("href") or (child.text or "").strip() or link
            elif name in ("pubdate", "published", "updated", "date") and day is None:
                day = parse_day(child.text)
        if link:
            found.append(Found(urljoin(base, link), day))
    return found


def _article_dicts(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, dict):
        if "pageUrl" in data:
            yield data
            return
        for value in data.values():
            yield from _article_dicts(value)
    elif isinstance(data, list):
        for value in data:
            yield from _article_dicts(value)


def parse_cms_list(body: bytes, base: str) -> list[Found]:
    """Articles of a Techcity ``/sc_service/api/article/list`` answer (objects with
    ``title``, ``lead``, ``publishDate``, ``pageUrl``, wherever the list sits in the JSON)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"not JSON: {exc}") from exc
    found = []
    for item in _article_dicts(data):
        url = str(item.get("pageUrl") or "").strip()
        if url:
            found.append(Found(urljoin(base, url), _epoch_or_day(item.get("publishDate"))))
    return found


def _epoch_or_day(value: Any) -> date | None:
    if isinstance(value, (int, float)) and value > 0:  # epoch milliseconds or seconds
        seconds = value / 1000 if value > 10**11 else value
        return datetime.fromtimestamp(seconds).date()
    return parse_day(str(value)) if value else None


def cms_list_url(home: str, path: str, unit: str, first: int, size: int) -> str:
    query = urlencode({"scUnitMapId": unit, "first": first, "pageSize": size})
    return urljoin(home, path) + "?" + query


def listing_page_url(template: str, listing: str, n: int) -> str:
    """``"{listing}?page={n}"`` or ``"{listing}/trang-{n}"`` -> the URL of listing page ``n``."""
    return template.format(listing=listing.rstrip("/"), n=n)
