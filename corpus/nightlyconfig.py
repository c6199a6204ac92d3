"""What a nightly run does: a TOML config file and/or command-line flags, validated strictly.

```toml
db = "corpus.db"            # SQLite file (or sqlite:///path), relative to this file; or postgresql://…
output_dir = "runs"         # optional: a JSON summary per run + nightly-latest.json
summary = "last-run.json"   # optional: the same summary at a fixed path (--summary wins)
max_pages = 500             # per site, unless the site says otherwise
delay = 1.0                 # seconds between two requests to one host
user_agent = "vnnews (+https://example.org/contact)"   # optional: who is crawling
warc_dir = "warc"           # optional: also archive every fetched page as WARC files here
sites = [
    "https://truyenhinhnghean.vn/",                           # a start URL
    "bacninhtv.vn",                                           # a domain
    { url = "https://hatinhtv.vn/", max_pages = 100, delay = 2.0 },
]
```

An unknown key, a wrong type or an unusable value is an ``InputError`` (exit 2) whose one
line names the file and the key.  Flags override the file: ``--site`` replaces ``sites``,
``--db`` replaces ``db``, ``--summary`` replaces ``summary``, ``--warc`` replaces ``warc_dir``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scraper.errors import InputError, VnnewsError
from scraper.warc import warc_folder

__all__ = ["NightlyConfig", "SiteTarget", "load_config", "resolve_config"]

DEFAULT_MAX_PAGES = 500
DEFAULT_DELAY = 1.0
_TOP_KEYS = {"db": str, "output_dir": str, "summary": str, "max_pages": int, "delay": (int, float), "sites": list,
             "user_agent": str, "warc_dir": str}
_SITE_KEYS = {"url": str, "max_pages": int, "delay": (int, float)}


@dataclass(frozen=True, slots=True)
class SiteTarget:
    url: str
    max_pages: int = DEFAULT_MAX_PAGES
    delay: float = DEFAULT_DELAY


@dataclass(frozen=True, slots=True)
class NightlyConfig:
    sites: tuple[SiteTarget, ...]
    db: str | None = None
    output_dir: Path | None = None
    summary: Path | None = None
    user_agent: str | None = None
    warc_dir: Path | None = None


def _type_name(kind: Any) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join({"str": "a string", "int": "an integer", "float": "a number", "list": "a list"}[k.__name__]
                       for k in kinds)


def _check(table: dict[str, Any], schema: dict[str, Any], where: str) -> None:
    for key, value in table.items():
        if key not in schema:
            raise InputError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(schema))})")
        kind = schema[key]
        if not isinstance(value, kind) or isinstance(value, bool):
            raise InputError(f"{where}: {key!r} must be {_type_name(kind)}, not {type(value).__name__}")
        if key == "max_pages" and value < 1:
            raise InputError(f"{where}: 'max_pages' must be at least 1")
        if key == "delay" and value < 0:
            raise InputError(f"{where}: 'delay' must not be negative")


def load_config(path: Path) -> dict[str, Any]:
    """Read and validate a config file; paths in it are made relative to its folder."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise InputError(f"no such config file: {path}") from None
    except IsADirectoryError:
        raise InputError(f"config {path} is a folder, not a TOML file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"config {path}: not valid TOML: {exc}") from None
    _check(data, _TOP_KEYS, str(path))
    sites = []
    for i, item in enumerate(data.get("sites", [])):
        where = f"{path}: sites[{i}]"
        if isinstance(item, str):
            item = {"url": item}
        elif not isinstance(item, dict):
            raise InputError(f"{where}: expected a URL string or a table with 'url'")
        _check(item, _SITE_KEYS, where)
        if "url" not in item:
            raise InputError(f"{where}: missing 'url'")
        sites.append(item)
    data["sites"] = sites
    base = path.resolve().parent
    for key in ("output_dir", "summary", "warc_dir"):
        if key in data:
            data[key] = base / data[key]
    if "db" in data and "://" not in data["db"]:
        data["db"] = str(base / data["db"])
    elif "db" in data and data["db"].startswith("sqlite:///") and not data["db"].startswith("sqlite:////"):
        data["db"] = "sqlite:///" + str(base / data["db"][len("sqlite:///"):])
    return data


def site_url(spec: str) -> str:
    """What the crawler is given for a site: a crawler profile name as it is, else a start URL
    from a URL, a domain, or a provincial station's short name ('bacninhtv')."""
    spec = spec.strip()
    if "://" not in spec and _is_profile_name(spec):
        return spec
    if "://" in spec:
        if not spec.startswith(("http://", "https://")):
            raise InputError(f"site {spec!r}: only http:// and https:// start URLs can be crawled")
        return spec
    if "." in spec and " " not in spec:
        return f"https://{spec.rstrip('/')}/"
    from importlib import resources

    table = resources.files("scraper").joinpath("sites/provincial_tv.tsv").read_text("utf-8")
    for line in table.splitlines()[1:]:
        domain = line.split("\t", 1)[0]
        if domain.split(".", 1)[0] == spec.lower():
            return f"https://{domain}/"
    raise InputError(f"site {spec!r}: not a URL, a domain or a known station name (e.g. bacninhtv)")


def _is_profile_name(spec: str) -> bool:
    try:
        from scraper.scope import resolve_target
    except ImportError:  # a crawler without profile-name targets
        return False
    try:
        resolve_target(spec)
    except VnnewsError:
        return False
    return True


def resolve_config(config_file: str | None, *, sites: list[str] | None = None, db: str | None = None,
                   summary: str | None = None, max_pages: int | None = None,
                   delay: float | None = None, warc_dir: str | None = None) -> NightlyConfig:
    """Merge the config file (if any) with the flags; flags win."""
    data = load_config(Path(config_file)) if config_file else {"sites": []}
    default_pages = max_pages or data.get("max_pages", DEFAULT_MAX_PAGES)
    default_delay = delay if delay is not None else float(data.get("delay", DEFAULT_DELAY))
    if sites:
        targets = [SiteTarget(site_url(s), default_pages, default_delay) for s in sites]
    else:
        targets = [SiteTarget(site_url(item["url"]), item.get("max_pages", default_pages),
                              float(item.get("delay", default_delay))) for item in data["sites"]]
    if not targets:
        raise InputError("no sites to crawl: give --site URL or a --config file with sites = [...]")
    db = db or data.get("db")
    warc_dir = warc_dir or data.get("warc_dir")
    return NightlyConfig(
        sites=tuple(dict.fromkeys(targets)),
        db=db,
        output_dir=data.get("output_dir"),
        summary=Path(summary) if summary else data.get("summary"),
        user_agent=data.get("user_agent"),
        warc_dir=warc_folder(warc_dir) if warc_dir else None,  # created now: an unusable folder is exit 2
    )
