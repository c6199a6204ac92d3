"""Lunar dates: "Tết Nguyên đán Ất Tỵ", "Tết Giáp Thìn", "mùng 3 Tết", "đêm giao thừa",
"Rằm tháng Bảy", "mùng 10 tháng Giêng", "mùng 10 tháng 3 âm lịch", "15/7 âm lịch".

Each becomes a ``DateMention`` with ``calendar="lunar"`` whose ``value`` is the solar
date, converted with ``vnlunar`` (checked against the Vietnamese calendar for
1900–2099).  The lunar year is, in order: a solar year written after the date ("Tết
Nguyên đán Ất Tỵ 2025"), a can-chi year ("năm Giáp Thìn": the year of that name nearest
the publication date), else the lunar year whose date falls nearest the publication
date.  No anchor and no year: no mention (nothing is invented).

A month is lunar when it is named ("tháng Giêng", "tháng Chạp", "tháng Bảy" after
mùng/mồng/Rằm) or marked "âm lịch"/"(AL)"; "Rằm" is always the 15th of a lunar month.
"mùng 2/9" (a solar date written with a slash) and "mùng 8 tháng 3" without "âm lịch"
are left to the solar finder.  A part of day before the mention ("Sáng mùng 1 Tết",
"đêm giao thừa") is added by ``extract.dates``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

import vnlunar

from extract.doc import Doc
from extract.normalize import fold_key
from extract.types import DateMention

_CAN = r"giap|at|binh|dinh|mau|ky|canh|tan|nham|quy"
_CHI = r"ty|suu|dan|mao|meo|thin|ti|ngo|mui|than|dau|tuat|hoi"
_CANCHI = rf"(?P<cc>(?:{_CAN})\s+(?:{_CHI}))"
_YEAR_AFTER = rf"(?:\s+(?:nam\s+)?{_CANCHI})?(?:\s+(?:nam\s+)?(?P<y>(?:19|20)\d\d))?(?![\d/])"
_DAY_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7,
              "tam": 8, "chin": 9, "muoi": 10}
_MONTH_WORDS = {"gieng": 1, "hai": 2, "ba": 3, "tu": 4, "nam": 5, "sau": 6, "bay": 7,
                "tam": 8, "chin": 9, "muoi": 10, "muoi mot": 11, "mot": 11, "chap": 12}
_ONLY_LUNAR_MONTHS = frozenset({"gieng", "chap"})
_DAY = r"(?P<d>\d{1,2}|muoi|mot|hai|ba|bon|tu|nam|sau|bay|tam|chin)"
_MONTH = r"(?P<m>\d{1,2}|muoi mot|gieng|hai|ba|tu|nam|sau|bay|tam|chin|muoi|mot|chap)"
_AL = r"(?P<al>\s*\(?(?:am lich|al)\)?(?!\w))?"

_TET = re.compile(rf"\btet(?:\s+(?:nguyen\s+dan|co\s+truyen)|(?=\s+(?:nam\s+)?(?:{_CAN})\s+"
                  rf"(?:{_CHI})\b)){_YEAR_AFTER}")
_EVE = re.compile(rf"\bgiao\s+thua(?:\s+tet(?:\s+nguyen\s+dan)?(?:\s+(?:nam\s+)?{_CANCHI})?)?")
_TET_DAY = re.compile(rf"\b(?:mung|mong)\s+{_DAY}\s+tet(?:\s+nguyen\s+dan)?{_YEAR_AFTER}")
_DAY_MONTH = re.compile(
    rf"\b(?:(?P<pre>mung|mong|ngay)\s+{_DAY}|(?P<ram>ram))\s+thang\s+{_MONTH}(?!\w){_AL}"
    rf"{_YEAR_AFTER}"
)
_SLASH = re.compile(rf"(?<![\w/.,-])(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})\s*\(?(?:am lich|al)\)?(?!\w)"
                    rf"{_YEAR_AFTER}")
_DAY_MONTH_HINT = re.compile(r"\b(?:mung|mong|ram|am lich|gieng|chap)\b|\(al\)")
_LUNAR_MARK = re.compile(r"\b(?:am lich|al)\b")


@lru_cache(maxsize=None)
def _can_chi_names() -> dict[str, int]:
    """Folded can-chi name -> its index in the 60-year cycle (year % 60)."""
    out = {}
    for year in range(2000, 2060):
        name = fold_key(vnlunar.get_year_can_chi(year))
        out[name] = year % 60
    for alias, real in (("mẹo", "mão"), ("tị", "tỵ")):
        for name, idx in list(out.items()):
            if name.endswith(" " + real):
                out[name[: -len(real)] + alias] = idx
    return out


@lru_cache(maxsize=4096)
def to_solar(day: int, month: int, lunar_year: int) -> date | None:
    got = vnlunar.convert_lunar_to_solar(day, month, lunar_year, 0)
    return date(got[2], got[1], got[0]) if got else None


def _year_of_can_chi(name: str, anchor: date | None) -> int | None:
    idx = _can_chi_names().get(fold_key(name))
    if idx is None or anchor is None:
        return None
    base = anchor.year - anchor.year % 60 + idx
    return min((base - 60, base, base + 60), key=lambda y: abs(y - anchor.year))


def _nearest(convert, anchor: date | None) -> date | None:
    """The conversion for the lunar year (anchor year -1, 0, +1) nearest the anchor."""
    if anchor is None:
        return None
    found = [d for y in (anchor.year - 1, anchor.year, anchor.year + 1) if (d := convert(y))]
    return min(found, key=lambda d: abs((d - anchor).days)) if found else None


def _resolve(doc: Doc, m: re.Match[str], convert) -> date | None:
    """The solar date of a lunar mention: explicit year, can-chi year, or nearest."""
    groups = m.groupdict()
    year = groups.get("y")
    if year:
        return convert(int(year))
    if groups.get("cc"):
        y = _year_of_can_chi(doc.tone[m.start("cc"):m.end("cc")], doc.anchor)
        return convert(y) if y else None
    return _nearest(convert, doc.anchor)


def _number(raw: str, words: dict[str, int]) -> int:
    return int(raw) if raw.isdigit() else words[raw]


def _mention(doc: Doc, m: re.Match[str], value: date | None) -> DateMention | None:
    if value is None:
        return None
    s, e = m.span()
    return DateMention(text=doc.text[s:e], start=s, end=e, value=value.isoformat(),
                       granularity="day", calendar="lunar")


def _day_month(doc: Doc, m: re.Match[str]) -> DateMention | None:
    month_raw = m.group("m")
    marked = bool(m.group("al"))
    if month_raw.isdigit():
        lunar = marked or bool(m.group("ram"))
    elif month_raw in _ONLY_LUNAR_MONTHS:
        lunar = True
    else:
        lunar = marked or m.group("pre") != "ngay"
    if not lunar:
        return None
    day = 15 if m.group("ram") else _number(m.group("d"), _DAY_WORDS)
    month = _number(month_raw, _MONTH_WORDS)
    if not (1 <= day <= 30 and 1 <= month <= 12):
        return None
    return _mention(doc, m, _resolve(doc, m, lambda y: to_solar(day, month, y)))


def _eve(year: int) -> date | None:
    tet = to_solar(1, 1, year)
    return tet - timedelta(days=1) if tet else None


def find_lunar_dates(doc: Doc) -> list[DateMention]:
    """Lunar date mentions (without a part-of-day prefix), in no particular order.  Each
    pattern runs only when a word it needs is in the text (most articles have none)."""
    plain = doc.plain
    out: list[DateMention | None] = []
    if "tet" in plain:
        for m in _TET.finditer(plain):
            out.append(_mention(doc, m, _resolve(doc, m, lambda y: to_solar(1, 1, y))))
        for m in _TET_DAY.finditer(plain):
            day = _number(m.group("d"), _DAY_WORDS)
            if 1 <= day <= 10:
                out.append(_mention(doc, m, _resolve(doc, m, lambda y, d=day: to_solar(d, 1, y))))
    if "giao thua" in plain:
        for m in _EVE.finditer(plain):
            out.append(_mention(doc, m, _resolve(doc, m, _eve)))
    if _DAY_MONTH_HINT.search(plain):
        for m in _DAY_MONTH.finditer(plain):
            out.append(_day_month(doc, m))
    if _LUNAR_MARK.search(plain):
        for m in _SLASH.finditer(plain):
            day, month = int(m.group("d")), int(m.group("m"))
            if 1 <= day <= 30 and 1 <= month <= 12:
                out.append(_mention(doc, m, _resolve(doc, m, lambda y: to_solar(day, month, y))))
    return [d for d in out if d is not None]
