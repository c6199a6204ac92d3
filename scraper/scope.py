"""What a crawl may visit and how it starts: targets (a start URL and its profile), the
sites in scope, refused addresses, link kinds by profile, ``--since``.

A *target* is a profile name (``truyenhinhnghean``) or a start URL; a URL without a
profile crawls with ``GENERIC`` (follow same-site links, read robots.txt sitemaps).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin, urlsplit

from scraper.discovery import cms_list_url
from scraper.errors import InputError
from scraper.frontier import Link
from scraper.profiles import Profile, builtin_profiles, profile_for
from scraper.urlinfo import date_from_url, month_from_url, site_of
from scraper.urls import canonicalize_url, is_page_link, is_private_host, netloc_of

GENERIC = Profile(name="generic", description="any site: follow same-site links, read robots.txt sitemaps")
ENTRY_KINDS = ("listing", "sitemap", "feed", "api")


@dataclass(frozen=True, slots=True)
class Target:
    start_url: str
    profile: Profile = GENERIC


def resolve_target(spec: str, profiles: tuple[Profile, ...] | None = None) -> Target:
    """``truyenhinhnghean`` (a profile name) or a start URL -> Target; InputError otherwise."""
    profiles = builtin_profiles() if profiles is None else profiles
    by_name = {p.name: p for p in profiles}
    if spec in by_name:
        profile = by_name[spec]
        if not profile.start_url:
            raise InputError(f"profile {spec!r} names no domain or home page to start from")
        return Target(profile.start_url, profile)
    if urlsplit(spec).scheme not in ("http", "https") or not urlsplit(spec).hostname:
        raise InputError(f"--site {spec!r} is neither a profile name (see `vnnews sites list`) nor an http(s) URL")
    return Target(spec, profile_for(spec, "", profiles) or GENERIC)


class Scope:
    def __init__(self, targets: list[Target], since: date | None = None, max_depth: int | None = None) -> None:
        self.since, self.max_depth = since, max_depth
        self.start_hosts = {netloc_of(t.start_url) for t in targets}
        self._by_host = {netloc_of(t.start_url): t.profile for t in targets}
        self._by_site: dict[str, Profile] = {}
        for t in targets:
            for domain in t.profile.domains or (site_of(t.start_url),):
                self._by_site.setdefault(domain, t.profile)
            self._by_site.setdefault(site_of(t.start_url) or "", t.profile)
        self.sites = frozenset(self._by_site)
        self._site_memo: dict[str, str] = {}

    def site(self, url: str) -> str:
        netloc = urlsplit(url).netloc
        if netloc not in self._site_memo:
            site = site_of(url) or ""
            self._site_memo[netloc] = next((d for d in self._by_site if site.endswith("." + d)), site)
        return self._site_memo[netloc]

    def profile(self, host: str, site: str) -> Profile:
        return self._by_host.get(host) or self._by_site.get(site) or GENERIC

    def in_scope(self, url: str) -> bool:
        return self.site(url) in self.sites and is_page_link(url)

    def refusal(self, url: str) -> str | None:
        """Why ``url`` must not be requested: 'scheme', or 'private-address' for a private,
        loopback or link-local host that no start URL named."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return "scheme"
        if netloc_of(url) not in self.start_hosts and is_private_host(parts.hostname or ""):
            return "private-address"
        return None

    def too_old(self, url: str, day: date | None = None) -> bool:
        if self.since is None:
            return False
        day = day or date_from_url(url)
        if day is not None:
            return day < self.since
        month = month_from_url(url)
        return month is not None and month < self.since.strftime("%Y-%m")

    def classify(self, url: str, profile: Profile) -> str | None:
        path = urlsplit(url).path or "/"
        d = profile.discovery
        if d.article_url_pattern is not None and d.article_url_pattern.search(path):
            return "article"
        if d.listing_url_pattern is not None and d.listing_url_pattern.search(path):
            return "listing"
        return "page" if d.follow_links else None

    def link(self, url: str, kind: str, depth: int = 0, meta: dict | None = None, refresh: bool = False,
             key: str | None = None) -> Link:
        """``key``: ``canonicalize_url(url)`` when the caller has it already."""
        key = key or canonicalize_url(url)
        path = urlsplit(url).path
        fetch_url = canonicalize_url(url, keep_trailing_slash=True) if len(path) > 1 and path.endswith("/") else key
        priority = 0 if kind in ENTRY_KINDS else (1 if kind == "article" else 1 + depth)
        return Link(key=key, url=fetch_url, site=self.site(key), host=urlsplit(key).netloc,
                    kind=kind, depth=depth, priority=priority,
                    meta=json.dumps(meta or {}, sort_keys=True) if meta else "{}", refresh=refresh)

    def seeds(self, target: Target, robots_sitemaps: list[str]) -> list[Link]:
        """The entry points of a target, visited again in each new run."""
        home, d = target.start_url, target.profile.discovery
        start_kind = "page" if target.profile is GENERIC or d.follow_links and not d.listing_pages else "listing"
        seeds = [self.link(home, start_kind, meta={"listing": home, "n": 1}, refresh=True)]
        for path in d.listing_pages:
            url = urljoin(home, path)
            seeds.append(self.link(url, "listing", meta={"listing": url, "n": 1}, refresh=True))
        for path in (*d.sitemaps, *(robots_sitemaps if d.robots_sitemaps else ())):
            seeds.append(self.link(urljoin(home, path), "sitemap", refresh=True))
        seeds += [self.link(urljoin(home, path), "feed", refresh=True) for path in d.feeds]
        for unit in d.cms_list_units if d.cms_list_path else ():
            url = cms_list_url(home, d.cms_list_path or "", unit, 0, d.cms_page_size)
            seeds.append(self.link(url, "api", meta={"unit": unit, "first": 0}, refresh=True))
        unique = {s.key: s for s in reversed(seeds)}
        return [s for s in seeds if unique.get(s.key) is s and self.refusal(s.url) is None]
