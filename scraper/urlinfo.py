"""What a URL alone says about an article: its site, the publication month or day, and
(through the provincial site table) its province."""

from __future__ import annotations

import csv
import re
from datetime import date
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

# Cut-over of the 2025 merger of provinces (63 → 34): articles from this day on name the new province.
MERGER_DATE = date(2025, 7, 1)

_MONTH_DIR = re.compile(r"/(20\d\d)(0[1-9]|1[0-2])/")  # /202410/
_YMD_DIR = re.compile(r"/(20\d\d)/(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])/")  # /2024/10/12/
_YM_DIR = re.compile(r"/(20\d\d)/(0[1-9]|1[0-2])/")  # /2024/10/
_YMD_SLUG = re.compile(r"[-/_](20\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{0,9}(?:[-/._]|$)")
_MY_FILE = re.compile(r"/file/[0-9a-f]{32}/(0[1-9]|1[0-2])(20\d\d)/")  # Techcity media


def site_of(url: str | None) -> str | None:
    """'https://www.TruyenHinhNgheAn.vn:443/x' -> 'truyenhinhnghean.vn'."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return host or None


def date_from_url(url: str | None) -> date | None:
    """A full publication day when the URL carries one (/2024/10/12/, -20241012…)."""
    if not url:
        return None
    path = urlsplit(url).path
    for pattern in (_YMD_DIR, _YMD_SLUG):
        m = pattern.search(path)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None


def month_from_url(url: str | None) -> str | None:
    """'…/thoi-su/202410/slug/' -> '2024-10' (also /2024/10/ and full-date forms)."""
    if not url:
        return None
    path = urlsplit(url).path
    day = date_from_url(url)
    if day:
        return f"{day.year:04d}-{day.month:02d}"
    for pattern in (_MONTH_DIR, _YM_DIR):
        m = pattern.search(path)
        if m:
            return f"{m.group(1)}-{m.group(2)}"
    m = _MY_FILE.search(path)
    if m:
        return f"{m.group(2)}-{m.group(1)}"
    return None


@lru_cache(maxsize=1)
def _province_table() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    text = resources.files("scraper").joinpath("sites/provincial_tv.tsv").read_text("utf-8")
    for row in csv.DictReader(text.splitlines(), delimiter="\t"):
        table[row["domain"].lower()] = (row["province_until_2025_06"], row["province_from_2025_07"])
    return table


def province_of(site: str | None, when: date | None = None) -> str | None:
    """The province a provincial site covered at ``when`` (after the 2025 merger by default)."""
    if not site:
        return None
    table = _province_table()
    entry = table.get(site)
    if entry is None:
        # subdomains (m.truyenhinhnghean.vn) and merged outlets (baobacninhtv.vn -> bacninhtv.vn)
        for domain, value in table.items():
            if site.endswith("." + domain) or site == "bao" + domain:
                entry = value
                break
    if entry is None:
        return None
    before, after = entry
    return before if when is not None and when < MERGER_DATE else after
