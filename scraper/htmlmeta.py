"""Page metadata read before any stripping: ``<meta>``, JSON-LD, title, category, tags,
canonical site and the publication date.

Published, in order: the caller's value → JSON-LD ``datePublished`` → meta/itemprop
(``article:published_time``, …) → date text in the page ("Thứ bảy, 12/10/2024 - 18:30",
"Cập nhật: 18:30 14-01-2025"; first when a fitting profile's selector found it) → the URL
(a day, else only ``published_month``).  On unknown layouts the sapo and the date line
are looked for right after the headline (``find_lead``, ``date_lines``).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any, Callable, Iterator, Mapping
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.boilerplate import heading_key, is_block_heading, is_boilerplate_line
from scraper.datetext import VN_TZ, find_date, parse_datetime
from scraper.htmlnodes import first_match, link_density, text_of
from scraper.profiles import Selectors
from scraper.types import tidy
from scraper.urlinfo import date_from_url, month_from_url, site_of

_ARTICLE_TYPES = frozenset(("article", "newsarticle", "reportagenewsarticle", "blogposting"))
_SUFFIX = re.compile(r"^(.*\S)\s+[-–—|]\s+([^-–—|]+)$")
_LOOPBACK = re.compile(r"^(localhost|127\.\d+\.\d+\.\d+|\[?::1\]?)$")
_PUBLISHED_KEYS = ("article:published_time", "og:published_time", "datepublished", "pubdate",
                   "publishdate", "dc.date.issued", "date")


class Lazy(Mapping[str, Any]):
    """A mapping read from the tree on first use (``<meta>`` tags, JSON-LD): a profile page
    whose selectors find every field never pays for it."""

    def __init__(self, tree: LexborHTMLParser, reader: Callable[[LexborHTMLParser], dict[str, Any]]) -> None:
        self._tree, self._reader, self._data = tree, reader, None

    @property
    def data(self) -> dict[str, Any]:
        if self._data is None:
            self._data = self._reader(self._tree)
        return self._data

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


def read_meta(tree: LexborHTMLParser) -> dict[str, list[str]]:
    """``<meta property|name|itemprop=… content=…>`` by lower-cased key."""
    meta: dict[str, list[str]] = {}
    for node in tree.css("meta[content]"):
        a = node.attributes
        for key in (a.get("property"), a.get("name"), a.get("itemprop")):
            if key and a.get("content"):
                meta.setdefault(key.lower(), []).append(tidy(a["content"]))
    return meta


def _jsonld_objects(tree: LexborHTMLParser) -> Iterator[dict[str, Any]]:
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text(), strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                stack.extend(item.get("@graph", []))
                yield item


def read_jsonld(tree: LexborHTMLParser) -> dict[str, Any]:
    """The article's JSON-LD facts (first article object wins) and its breadcrumb names."""
    found: dict[str, Any] = {}
    for obj in _jsonld_objects(tree):
        types = obj.get("@type", "")
        types = {t.lower() for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)}
        if types & _ARTICLE_TYPES:
            found.setdefault("article", True)
            for key in ("datePublished", "headline", "articleSection", "author", "keywords"):
                if obj.get(key):
                    found.setdefault(key, obj[key])
        if "breadcrumblist" in types:
            items = obj.get("itemListElement") or []
            names = [(i.get("item") or {}).get("name") or i.get("name") for i in items if isinstance(i, dict)]
            found.setdefault("breadcrumb", [n for n in names if isinstance(n, str)])
    return found


def jsonld_authors(value: Any) -> list[str]:
    people = value if isinstance(value, list) else [value]
    return [p["name"] for p in people
            if isinstance(p, dict) and p.get("@type") == "Person" and isinstance(p.get("name"), str)]


def published_from(meta: Mapping[str, list[str]], ld: Mapping[str, Any], texts: list[str | None],
                   texts_first: bool = False) -> datetime | None:
    """JSON-LD, then meta tags, then date texts (first when a fitting profile found them)."""
    if texts_first and (found := _first_datetime(texts)):
        return found
    candidates = [ld.get("datePublished")] if isinstance(ld.get("datePublished"), str) else []
    for key in _PUBLISHED_KEYS:
        candidates += meta.get(key, [])
    return _first_datetime(candidates + texts)


def _first_datetime(candidates: list[str | None]) -> datetime | None:
    return next((dt for c in candidates if (dt := parse_datetime(c))), None)


def publication(when: datetime | None, url: str | None, canonical: str | None
                ) -> tuple[datetime | None, date | None, str | None]:
    """(published, the day used for the province, published_month) with the URL as fallback."""
    day = when.date() if when else date_from_url(url) or date_from_url(canonical)
    if when is None and day is not None:
        when = datetime(day.year, day.month, day.day, tzinfo=VN_TZ)
    month = None if when else month_from_url(url) or month_from_url(canonical)
    if day is None and month:
        day = date(int(month[:4]), int(month[5:7]), 1)
    return when, day, month


def strip_site_suffix(title: str, names: Callable[[], set[str]]) -> str:
    """'Tiêu đề - Báo Nghệ An' -> 'Tiêu đề' only when the suffix names the site."""
    m = _SUFFIX.match(title)
    if m:
        key, known = heading_key(m.group(2)), names()
        if key in known or key.replace(" ", "") in known:
            return m.group(1)
    return title



def site_names(meta: Mapping[str, list[str]], site: str | None) -> set[str]:
    names = {heading_key(n) for n in meta.get("og:site_name", []) + meta.get("application-name", [])}
    if site:
        names |= {site, site.split(".")[0]}
    return names


def find_title(tree: LexborHTMLParser, scope: LexborNode, sels: Selectors, meta: Mapping[str, list[str]],
               site: str | None) -> tuple[str, LexborNode | None]:
    """The whole headline and its node: profile → the h1 og:title agrees with → og:title → <title>."""
    node = first_match(scope, sels.title)
    if node is None:
        h1s = [h for h in scope.css("h1") if text_of(h)]
        og = heading_key((meta.get("og:title") or [""])[0])
        matching = [h for h in h1s if og and (heading_key(text_of(h)) in og or og in heading_key(text_of(h)))]
        node = (matching or sorted(h1s, key=lambda h: -len(text_of(h))) or [None])[0]
    if node is not None:  # a headline element names the site rarely: the domain will do
        return strip_site_suffix(text_of(node), lambda: site_names({}, site)), node
    title = (meta.get("og:title") or [""])[0] or text_of(tree.css_first("title"))
    title = strip_site_suffix(title, lambda: site_names(meta, site))
    node = _element_saying(scope, title)
    if node is None and (m := _SUFFIX.match(title)) and (node := _element_saying(scope, m.group(1))):
        title = m.group(1)  # an unnamed suffix ("… - Cổng thông tin điện tử tỉnh"): the page shows the rest
    return title, node


_TITLE_LIKE = "[class*=title], [class*=tieude], [class*=tieu-de], [id*=title], h2, h3, strong, b"


def _element_saying(scope: LexborNode, title: str) -> LexborNode | None:
    """The page element showing the headline when it is no ``h1`` (a portal's
    ``<span class="title-news">``): the lead and the date are looked for after it."""
    key = heading_key(title)
    if not key:
        return None
    for node in scope.css(_TITLE_LIKE):
        if heading_key(text_of(node)) == key:
            return node
    return None


def find_category(crumbs: list[str], meta: Mapping[str, list[str]], ld: Mapping[str, Any]) -> str | None:
    crumbs = [c for c in crumbs if heading_key(c) not in ("trang chu", "home")] or ld.get("breadcrumb", [])
    if crumbs:
        return crumbs[-1]
    section = meta.get("article:section") or [ld.get("articleSection")]
    return section[0] if section and isinstance(section[0], str) else None


def find_tags(found: list[str], meta: Mapping[str, list[str]], ld: Mapping[str, Any]) -> list[str]:
    """Tag links, else article:tag / news_keywords / keywords meta, else JSON-LD keywords."""
    raw = found or meta.get("article:tag") or meta.get("news_keywords") or meta.get("keywords") or []
    if not raw:
        keywords = ld.get("keywords")
        raw = [keywords] if isinstance(keywords, str) else [k for k in keywords or () if isinstance(k, str)]
    tags = [t.strip() for item in raw for t in (item.split(",") if not found else [item])]
    return list(dict.fromkeys(t for t in tags if t and not is_block_heading(t)))


def canonical_site(url: str | None, canonical: str | None) -> str | None:
    """The page's site; from the canonical URL when the page came from a loopback host."""
    host = urlsplit(url).hostname if url else None
    return site_of(canonical) if not host or _LOOPBACK.match(host) else site_of(url)


# ---- what follows the headline: a lead (sapo) and a date line, on unknown layouts -----

_LEAD_CLASS = re.compile(r"sapo|lead|lede|desc|summary|chapeau|intro|excerpt|dek|tomtat|mota|teaser-text")
_BLOCKS = "p, div, h2, h3, section, article, figure, table, ul, ol"
LEAD_MIN, LEAD_MAX = 40, 1200


def _fully_bold(node: LexborNode, text: str) -> bool:
    bold = "".join(text_of(b) for b in node.css("strong, b"))
    return bold.replace(" ", "") == text.replace(" ", "")


def _describes(text: str, meta: Mapping[str, list[str]]) -> bool:
    for key in ("description", "og:description"):
        for value in meta.get(key, []):
            value = value.rstrip(". …")
            if len(value) >= LEAD_MIN and (text.startswith(value) or value.startswith(text.rstrip(". "))):
                return True
    return False


def _after(root: LexborNode, start: LexborNode) -> Iterator[LexborNode]:
    """Elements that follow ``start`` in document order (its descendants skipped)."""
    seen, inside = False, set()
    for node in root.traverse():
        if node.mem_id == start.mem_id:
            seen = True
            inside = {n.mem_id for n in start.traverse()}
        elif seen and node.mem_id not in inside:
            yield node


def _has_blocks(node: LexborNode) -> bool:
    return any(n.mem_id != node.mem_id for n in node.css(_BLOCKS))


def _alone(node: LexborNode) -> bool:
    """A paragraph with no sibling paragraph: it stands between the headline and the body."""
    parent = node.parent
    return parent is not None and not any(
        n.mem_id != node.mem_id and n.parent is not None and n.parent.mem_id == parent.mem_id
        for n in parent.css("p"))


def find_lead(root: LexborNode, title_node: LexborNode, meta: Mapping[str, list[str]]) -> LexborNode | None:
    """The sapo on an unknown layout: the first text block after the headline, when it is an
    ``h2``, a sapo-like class, wholly bold, the page's meta description, or a paragraph
    standing alone outside the body's run of paragraphs."""
    for node in _after(root, title_node):
        if node.tag not in ("p", "div", "h2", "h3", "span") or _has_blocks(node):
            continue
        text = text_of(node)
        if len(text) < LEAD_MIN or len(text) <= 100 and find_date(text) or link_density(node) > 0.3 \
                or is_boilerplate_line(text):
            continue  # labels, date lines, share bars and teaser links sit between headline and sapo
        if len(text) > LEAD_MAX:
            return None
        label = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}".lower()
        if node.tag == "h2" or _LEAD_CLASS.search(label) or _fully_bold(node, text) \
                or _describes(text, meta) or _alone(node):
            return node
        return None
    return None


def date_lines(title_node: LexborNode, limit: int = 2) -> list[str]:
    """Short lines with a date near the headline (its parent, then grandparent), first first."""
    node: LexborNode | None = title_node
    for _ in range(limit):
        node = node.parent if node is not None else None
        if node is None or node.tag in ("body", "html"):
            return []
        found = [t for n in node.traverse(include_text=True) if n.tag == "-text"
                 and 6 <= len(t := (n.text_content or "").strip()) <= 100 and find_date(t)]
        if found:
            return found[:1]
    return []
