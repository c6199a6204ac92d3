"""What a fetched page leads to: the links to queue, by kind (article, listing, page,
sitemap), within scope, not refused, not older than ``--since``, not already known; and the
next listing page or list-endpoint page while the current one still names unknown articles
(pagination stops at the first page that holds only known ones)."""

from __future__ import annotations

import json
from typing import Iterable

from scraper.discovery import Found, cms_list_url, listing_page_url
from scraper.encoding import decode_body
from scraper.frontier import Entry, FrontierStore, Link
from scraper.profiles import Profile
from scraper.scope import Scope
from scraper.types import Page
from scraper.urls import canonicalize_url


class Leads:
    def __init__(self, scope: Scope, store: FrontierStore) -> None:
        self.scope, self.store = scope, store
        self.refused: list[tuple[str, str]] = []  # (url, reason): links never queued

    def found(self, found: Iterable[Found], entry: Entry, profile: Profile, kind: str | None = None) -> list[Link]:
        """Links to queue from what a page names: in scope, not refused, not too old; a URL
        the frontier already knows is left out unless it is an entry point to refresh."""
        items: dict[str, Found] = {}
        for item in found:
            key = canonicalize_url(item.url)
            if key != entry.key and key not in items and self.scope.in_scope(key):
                items[key] = item
        known = self.store.known(items) if kind != "sitemap" else set()
        links: dict[str, Link] = {}
        for key, item in items.items():
            if key in known:
                continue
            reason = self.scope.refusal(item.url)
            if reason:
                self.refused.append((item.url, reason))
                continue
            link_kind = kind or self.scope.classify(item.url, profile)
            if entry.kind in ("sitemap", "feed", "api") and link_kind in (None, "page", "listing") and kind is None:
                link_kind = "article"  # what a sitemap, feed or list endpoint names is an article
            if link_kind is None or (link_kind in ("article", "page") and self.scope.too_old(item.url, item.day)):
                continue
            if link_kind == "page" and self.scope.max_depth is not None and entry.depth >= self.scope.max_depth:
                continue
            links[key] = self.scope.link(item.url, link_kind, entry.depth + 1, refresh=link_kind == "sitemap", key=key)
        return list(links.values())

    @staticmethod
    def new_articles(links: list[Link]) -> bool:
        return any(link.kind == "article" for link in links)  # _found keeps only unknown URLs

    def next_listing(self, entry: Entry, profile: Profile, links: list[Link], rel_next: str | None) -> list[Link]:
        """Listing page n+1 while page n holds an article the frontier did not know."""
        meta = json.loads(entry.meta or "{}")
        n, listing = int(meta.get("n", 1)), meta.get("listing", entry.url)
        d = profile.discovery
        if n >= d.max_listing_pages or not self.new_articles(links):
            return []
        url = listing_page_url(d.pagination, listing, n + 1) if d.pagination else rel_next
        if not url or self.scope.refusal(url) or not self.scope.in_scope(url):
            return []
        return [self.scope.link(url, "listing", entry.depth, meta={"listing": listing, "n": n + 1}, refresh=True)]

    def next_api_page(self, entry: Entry, profile: Profile, links: list[Link]) -> list[Link]:
        """The next page of the list endpoint while this one named an unknown article."""
        meta = json.loads(entry.meta or "{}")
        d = profile.discovery
        first = int(meta.get("first", 0)) + d.cms_page_size
        if not self.new_articles(links) or first >= d.cms_page_size * d.max_listing_pages:
            return []
        home = f"{entry.url.split('://')[0]}://{entry.host}/"
        url = cms_list_url(home, d.cms_list_path or "", meta.get("unit", ""), first, d.cms_page_size)
        return [self.scope.link(url, "api", entry.depth, meta={"unit": meta.get("unit", ""), "first": first},
                                refresh=True)]


def text_for_links(page: Page) -> str:
    """Text good enough to find links in: a strict UTF-8 reading when the bytes are UTF-8
    (fast, C), else the full cascade (``decode_body``).  The stored article is decoded by the
    sink with the full cascade either way."""
    try:
        return page.body.decode("utf-8")
    except UnicodeDecodeError:
        return decode_body(page.body, page.content_type)


def is_html(page: Page) -> bool:
    ctype = page.content_type.lower()
    return not ctype or "html" in ctype
