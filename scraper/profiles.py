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
    listing_pages: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    article_url_pattern: re.Pattern[str] | None = None


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


_TOP_STR = ("name", "description", "extends", "site_name", "province")
_TOP_LIST = ("domains", "markers", "drop")
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


def _discovery(table: Any, where: str) -> Discovery:
    if not isinstance(table, dict):
        raise ProfileError(f"{where}: expected a table")
    _check_keys(table, tuple(f.name for f in fields(Discovery)), where)
    pattern = table.get("article_url_pattern")
    if pattern is not None:
        try:
            pattern = re.compile(pattern)
        except (re.error, TypeError) as exc:
            raise ProfileError(f"{where}.article_url_pattern: {exc}") from exc
    lists = {k: _strings(v, f"{where}.{k}") for k, v in table.items() if k != "article_url_pattern"}
    return Discovery(article_url_pattern=pattern, **lists)


def profile_from_dict(data: dict[str, Any], source: str = "<profile>") -> Profile:
    """Validate one parsed TOML document into a Profile."""
    _check_keys(data, _TOP_STR + _TOP_LIST + _TABLES, source)
    if not isinstance(data.get("name"), str) or not data["name"]:
        raise ProfileError(f"{source}: 'name' is required")
    values: dict[str, Any] = {}
    for key in _TOP_STR:
        if key in data:
            if not isinstance(data[key], str):
                raise ProfileError(f"{source}.{key}: expected a string")
            values[key] = data[key]
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
        discovery=site.discovery if site.discovery != Discovery() else family.discovery,
    )


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
    """The profile for a page: by domain first, then by a marker in its HTML."""
    profiles = builtin_profiles() if profiles is None else profiles
    site = site_of(url)
    if site:
        for p in profiles:
            if any(site == d or site.endswith("." + d) for d in p.domains):
                return p
    lowered = html.lower()
    for p in profiles:
        if any(m in lowered for m in p.markers):
            return p
    return None
