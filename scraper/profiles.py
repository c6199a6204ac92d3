"""Site profiles: selectors and boilerplate rules as TOML data (``scraper/sites/*.toml``).

A profile is validated strictly on load: an unknown key, a value of the wrong type, a CSS
selector lexbor cannot parse or a bad regular expression is a ``ProfileError`` naming the
file and the key.  A site profile may ``extends = "<family>"``: its selectors replace the
family's per field, its ``drop`` list adds to the family's.

A page gets the profile whose ``domains`` contain its site, else the first profile whose
``markers`` (e.g. "Powered by Techcity") occur in its HTML, else none (generic path).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from scraper.errors import ProfileError
from scraper.urlinfo import site_of


@dataclass(frozen=True, slots=True)
class Selectors:
    """CSS selectors per field, tried in order; the first that matches wins."""

    title: tuple[str, ...] = ()
    lead: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    published: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    captions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Discovery:
    """Where a crawl of the site starts and which links it follows (paths are relative
    to the site's ``home``)."""

    listing_pages: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    article_url_pattern: re.Pattern[str] | None = None
    listing_url_pattern: re.Pattern[str] | None = None
    pagination: str | None = None  # "{listing}?page={n}"
    max_listing_pages: int = 30
    cms_list_path: str | None = None  # "/sc_service/api/article/list"
    cms_list_units: tuple[str, ...] = ()  # scUnitMapId values
    cms_page_size: int = 20
    follow_links: bool = True  # follow other same-site links (depth-limited by the crawl)
    robots_sitemaps: bool = True  # also read the Sitemap: lines of robots.txt


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    description: str = ""
    extends: str | None = None
    site_name: str | None = None
    province: str | None = None
    domains: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()
    selectors: Selectors = Selectors()
    drop: tuple[str, ...] = ()
    discovery: Discovery = Discovery()
    home: str | None = None  # start URL; default https://<first domain>/
    verified: bool = False  # checked against a saved real page of the site?

    @property
    def start_url(self) -> str | None:
        return self.home or (f"https://{self.domains[0]}/" if self.domains else None)


_TOP_STR = ("name", "description", "extends", "site_name", "province", "home")
_TOP_LIST = ("domains", "markers", "drop")
_TOP_BOOL = ("verified",)
_TABLES = ("selectors", "discovery")
_PROBE = LexborHTMLParser("<p></p>")


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProfileError(f"{where}: expected a list of strings")
    return tuple(value)


def _css(value: Any, where: str) -> tuple[str, ...]:
    selectors = _strings(value, where)
    for sel in selectors:
        try:
            _PROBE.css(sel)
        except Exception as exc:  # lexbor raises its own SelectolaxError
            raise ProfileError(f"{where}: invalid CSS selector {sel!r}") from exc
    return selectors


def _check_keys(table: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise ProfileError(f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(allowed)})")


def _selectors(table: Any, where: str) -> Selectors:
    if not isinstance(table, dict):
        raise ProfileError(f"{where}: expected a table")
    names = tuple(f.name for f in fields(Selectors))
    _check_keys(table, names, where)
    return Selectors(**{k: _css(v, f"{where}.{k}") for k, v in table.items()})


def _regex(value: Any, where: str) -> re.Pattern[str]:
    try:
        return re.compile(value)
    except (re.error, TypeError) as exc:
        raise ProfileError(f"{where}: {exc}") from exc


def _typed(value: Any, kind: type, where: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ProfileError(f"{where}: expected {'an integer' if kind is int else 'a ' + kind.__name__}")
    return value


_DISCOVERY_SCALARS = {"pagination": str, "cms_list_path": str, "max_listing_pages": int,
                      "cms_page_size": int, "follow_links": bool, "robots_sitemaps": bool}


def _discovery_value(key: str, value: Any, where: str) -> Any:
    if key.endswith("_pattern"):
        return _regex(value, where)
    if key in _DISCOVERY_SCALARS:
        return _typed(value, _DISCOVERY_SCALARS[key], where)
    return _strings(value, where)


def _discovery(table: Any, where: str) -> Discovery:
    if not isinstance(table, dict):
        raise ProfileError(f"{where}: expected a table")
    _check_keys(table, tuple(f.name for f in fields(Discovery)), where)
    values = {k: _discovery_value(k, v, f"{where}.{k}") for k, v in table.items()}
    template = values.get("pagination")
    if template is not None and "{n}" not in template:
        raise ProfileError(f"{where}.pagination: the template needs {{n}} (the page number)")
    return Discovery(**values)


def profile_from_dict(data: dict[str, Any], source: str = "<profile>") -> Profile:
    """Validate one parsed TOML document into a Profile."""
    _check_keys(data, _TOP_STR + _TOP_LIST + _TOP_BOOL + _TABLES, source)
    if not isinstance(data.get("name"), str) or not data["name"]:
        raise ProfileError(f"{source}: 'name' is required")
    values: dict[str, Any] = {}
    for key in _TOP_STR:
        if key in data:
            if not isinstance(data[key], str):
                raise ProfileError(f"{source}.{key}: expected a string")
            values[key] = data[key]
    for key in _TOP_BOOL:
        if key in data:
            values[key] = _typed(data[key], bool, f"{source}.{key}")
    for key in ("domains", "markers"):
        if key in data:
            values[key] = tuple(s.lower() for s in _strings(data[key], f"{source}.{key}"))
    if "drop" in data:
        values["drop"] = _css(data["drop"], f"{source}.drop")
    if "selectors" in data:
        values["selectors"] = _selectors(data["selectors"], f"{source}.selectors")
    if "discovery" in data:
        values["discovery"] = _discovery(data["discovery"], f"{source}.discovery")
    return Profile(**values)


def load_profile(path: Path) -> Profile:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"{path.name}: {exc}") from exc
    return profile_from_dict(data, path.name)


def _merge(family: Profile, site: Profile) -> Profile:
    chosen = {f.name: getattr(site.selectors, f.name) or getattr(family.selectors, f.name)
              for f in fields(Selectors)}
    return replace(
        site,
        markers=site.markers or family.markers,
        selectors=Selectors(**chosen),
        drop=family.drop + site.drop,
        discovery=_merge_discovery(family.discovery, site.discovery),
    )


def _merge_discovery(family: Discovery, site: Discovery) -> Discovery:
    """The discovery keys a site sets (to other than the default) replace the family's."""
    default = Discovery()
    return replace(family, **{f.name: getattr(site, f.name) for f in fields(Discovery)
                              if getattr(site, f.name) != getattr(default, f.name)})


def resolve(profiles: list[Profile]) -> tuple[Profile, ...]:
    """Apply ``extends``; an unknown parent is a ProfileError."""
    by_name = {p.name: p for p in profiles}
    out = []
    for p in profiles:
        if p.extends:
            if p.extends not in by_name:
                raise ProfileError(f"profile {p.name!r} extends unknown profile {p.extends!r}")
            p = _merge(by_name[p.extends], p)
        out.append(p)
    return tuple(out)


@lru_cache(maxsize=1)
def builtin_profiles() -> tuple[Profile, ...]:
    folder = resources.files("scraper").joinpath("sites")
    paths = sorted(Path(str(folder)).glob("*.toml"))
    return resolve([load_profile(p) for p in paths])


def profile_for(url: str | None, html: str = "", profiles: tuple[Profile, ...] | None = None) -> Profile | None:
    """The profile for a page: by domain first, then by a marker in its HTML (a family
    profile before the site profiles that inherit its markers)."""
    profiles = builtin_profiles() if profiles is None else profiles
    site = site_of(url)
    if site and (by_domain := _profile_of_site(site, profiles)) is not None:
        return by_domain
    seen: dict[str, bool] = {}  # family members share their markers: search each once
    for p in sorted(profiles, key=lambda p: bool(p.domains)):  # a family before its sites
        for m in p.markers:
            if m not in seen:
                seen[m] = has_marker(html, m)
            if seen[m]:
                return p
    return None


_BY_SITE: dict[str, Profile | None] = {}  # for the built-in profiles only


def _profile_of_site(site: str, profiles: tuple[Profile, ...]) -> Profile | None:
    cache = _BY_SITE if profiles is builtin_profiles() else {}
    if site not in cache:
        if len(cache) > 4096:
            cache.clear()
        cache[site] = next((p for p in profiles if any(site == d or site.endswith("." + d) for d in p.domains)), None)
    return cache[site]


def has_marker(html: str, marker: str) -> bool:
    """Case-insensitive ``marker in html`` without lower-casing the whole page (that costs
    more than parsing it): find the marker's last three letters, in lower case or capitals,
    then compare the text around each hit."""
    core = marker[-3:]
    for variant in dict.fromkeys((core, core.upper())):
        start = html.find(variant)
        while start != -1:
            window = html[max(0, start - len(marker)):start + len(marker)].lower()
            if marker in window:
                return True
            start = html.find(variant, start + 1)
    return False
