"""Find periods: spans of years named in the text.

- KIND YEAR–YEAR: "giai đoạn 2024 – 2030", "nhiệm kỳ 2021- 2026", "Kế hoạch 5 năm
  2021-2025", "giai đoạn từ năm 2025 đến năm 2030" (any dash - – —, any spacing, "đến");
  kinds: giai đoạn, nhiệm kỳ, thời hạn, thời kỳ, kế hoạch, chiến lược, đề án, chương trình,
  quy hoạch, niên khóa, năm học, khóa, tầm nhìn;
- "từ năm 2025 đến năm 2030" (kind "từ năm");
- "đến năm 2030" (kind "đến năm", start_year None), "tầm nhìn đến năm 2045" / "tầm nhìn
  2045" (kind "tầm nhìn");
- "giai đoạn I (2021-2025)"; "giai đoạn 2021-2025 và 2026-2030" (two periods of one kind);
  "từ 2021 đến 2025" (kind "từ năm");
- "từ năm 2020 đến nay" (kind "từ năm"; the end is the publication year); "từ nay đến
  (hết) năm 2028" (kind "đến năm"; the start is the publication year);
- a duration with its years: "trong 5 năm (2025-2030)", "trong 5 năm 2026-2030" (kind
  "giai đoạn"; the years must span about the duration);
- seasons: "mùa đông - xuân 2025 - 2026" (kind "mùa đông - xuân"), "vụ đông xuân 2024-2025";
- relative durations anchored to publication: "5 năm qua", "3 năm gần đây", "10 năm tới"
  (kind "relative"; "5 năm qua" in 2024 is 2019–2024, "10 năm tới" 2024–2034).  Without a
  publication date there is no anchor and no period.

Refuses: a bare year range not after one of those keywords ("2021-2025" alone), ranges
that run backwards, years outside 1900–2100.
"""

from __future__ import annotations

import re

from extract.doc import Doc, memoized
from extract.types import Period

_YEAR = r"(?:19|20|21)\d\d"
_DASH = r"\s*(?:-|–|—|đến(?:\s+năm)?|den(?:\s+nam)?)\s*"
_KINDS = (r"giai doan|nhiem ky|thoi han|thoi ky|ke hoach|chien luoc|de an|chuong trinh|"
          r"quy hoach|nien khoa|nam hoc|khoa|tam nhin")
_RANGE = re.compile(  # "giai đoạn 2024 – 2030", "Kế hoạch 5 năm 2021-2025", "giai đoạn I (2021-2025)"
    rf"\b(?P<kind>{_KINDS})(?:\s+\d+\s+nam|\s+(?:iv|iii|ii|i|v|[1-5])(?=\s*\())?\s*\(?(?:tu\s+)?"
    rf"(?:nam\s+)?(?P<y1>{_YEAR}){_DASH}(?P<y2>{_YEAR}|\d\d)(?!\d)"
)
# "… 2021 - 2025 và 2026 - 2030": a second span of the same kind
_AND_NEXT = re.compile(rf"\s*(?:,|va)\s*(?P<y1>{_YEAR}){_DASH}(?P<y2>{_YEAR}|\d\d)(?![\d/])")
_BARE_FROM_TO = re.compile(rf"\b(?P<kind>tu)\s+(?P<y1>{_YEAR})\s+(?:den|toi)\s+(?P<y2>{_YEAR})(?!\d|[.,/]\d)")
_SEASON = r"(?:mua|vu) (?:xuan|he|thu|dong)(?:\s*-\s*|\s)?(?:xuan|he|thu|dong)?"
_SEASON_RANGE = re.compile(
    rf"\b(?P<kind>{_SEASON})\s+(?P<y1>{_YEAR})(?:{_DASH}(?P<y2>{_YEAR}|\d\d))?(?![\d/])"
)
_FROM_TO = re.compile(rf"\b(?P<kind>tu nam)\s+(?P<y1>{_YEAR}){_DASH}(?P<y2>{_YEAR})(?!\d)")
_SINCE = re.compile(rf"\b(?P<kind>tu nam)\s+(?P<y1>{_YEAR})\s*(?:,\s*)?(?P<y2>den nay|toi nay)\b")
# "5 năm qua": found from its tail (cheap), then the number looked up just before it
_RELATIVE = re.compile(r"(?<=\s)nam\s+(?P<dir>qua|vua qua|gan day|tro lai day|toi|sap toi)\b")
_RELATIVE_NUMBER = re.compile(r"(?<![\w/.,])(?P<n>\d{1,2}|hai|ba|bon|nam|muoi)\s+$")
_SMALL_NUMBERS = {"hai": 2, "ba": 3, "bon": 4, "nam": 5, "muoi": 10}
# "trong 5 năm (2025-2030)", "trong 5 năm 2026-2030": a duration named with its years
_DURATION_RANGE = re.compile(rf"\b(?:trong\s+)?(?P<n>\d{{1,2}})\s+nam\s*(?P<paren>\()?\s*"
                             rf"(?P<y1>{_YEAR}){_DASH}(?P<y2>{_YEAR}|\d\d)(?!\d)")
# "từ nay đến hết năm 2028": from publication to a year
_FROM_NOW = re.compile(rf"\btu nay\s+(?:den|toi)\s+(?:het\s+)?nam\s+(?P<y2>{_YEAR})(?!\d)")
_UNTIL = re.compile(rf"\b(?:(?P<vision>tam nhin)\s+)?(?P<kind>den nam)\s+(?P<y2>{_YEAR})(?!\d)"
                    rf"|\b(?P<vision2>tam nhin)\s+(?P<y3>{_YEAR})(?![\d/])")


def _end_year(y1: int, raw: str) -> int:
    return int(raw) if len(raw) == 4 else (y1 // 100) * 100 + int(raw)


def _kind(doc: Doc, m: re.Match[str], group: str = "kind") -> str:
    return doc.tone[m.start(group):m.end(group)].lower()


@memoized
def find_periods(doc: Doc) -> list[Period]:
    found: list[Period] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, y1: int | None, y2: int | None, start: int, end: int) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        if y1 is not None and y2 is not None and not y1 <= y2 <= y1 + 100:
            return
        taken.append((start, end))
        found.append(Period(text=doc.text[start:end], kind=kind, start_year=y1, end_year=y2,
                            start=start, end=end))

    for m in _RANGE.finditer(doc.plain):
        y1, end = int(m.group("y1")), m.end("y2")
        if "(" in m.group(0) and doc.text.startswith(")", end):
            end += 1  # "giai đoạn I (2021-2025)"
        add(_kind(doc, m), y1, _end_year(y1, m.group("y2")), m.start("kind"), end)
        if nxt := _AND_NEXT.match(doc.plain, m.end("y2")):
            y1 = int(nxt.group("y1"))
            add(_kind(doc, m), y1, _end_year(y1, nxt.group("y2")), nxt.start("y1"), nxt.end("y2"))
    for m in _BARE_FROM_TO.finditer(doc.plain):  # "từ 2021 đến 2025"
        y1, y2 = int(m.group("y1")), int(m.group("y2"))
        if y2 - y1 <= 50:
            add("từ năm", y1, y2, m.start("kind"), m.end("y2"))
    for m in _SEASON_RANGE.finditer(doc.plain):
        y1 = int(m.group("y1"))
        y2 = _end_year(y1, m.group("y2")) if m.group("y2") else y1
        add(" ".join(_kind(doc, m).replace("-", " - ").split()), y1, y2, m.start("kind"), m.end())
    for m in _FROM_TO.finditer(doc.plain):
        add(_kind(doc, m), int(m.group("y1")), int(m.group("y2")), m.start("kind"), m.end("y2"))
    for m in _DURATION_RANGE.finditer(doc.plain):  # the years must span the duration
        y1, end = int(m.group("y1")), m.end("y2") + (m.group("paren") is not None
                                                     and doc.text.startswith(")", m.end("y2")))
        if abs(_end_year(y1, m.group("y2")) - y1 - int(m.group("n"))) <= 1:
            add("giai đoạn", y1, _end_year(y1, m.group("y2")), m.start(), end)
    _open_ended(doc, add)
    return sorted(found, key=lambda p: p.start)


def _open_ended(doc: Doc, add) -> None:
    """"từ năm 2020 đến nay", "đến năm 2030", "5 năm qua" (the last and the first need
    the publication year)."""
    now = doc.anchor.year if doc.anchor else None
    if now is not None:
        for m in _SINCE.finditer(doc.plain):
            add(_kind(doc, m), int(m.group("y1")), now, m.start("kind"), m.end())
        for m in _FROM_NOW.finditer(doc.plain):
            add("đến năm", now, int(m.group("y2")), m.start(), m.end())
    for m in _UNTIL.finditer(doc.plain):
        if m.group("vision2"):  # "tầm nhìn 2045"
            add("tầm nhìn", None, int(m.group("y3")), m.start(), m.end())
            continue
        vision = m.group("vision")
        start = m.start("vision") if vision else m.start("kind")
        add(_kind(doc, m, "vision") if vision else _kind(doc, m), None,
            int(m.group("y2")), start, m.end("y2"))
    if now is None:
        return
    for m in _RELATIVE.finditer(doc.plain):
        num = _RELATIVE_NUMBER.search(doc.plain, max(0, m.start() - 6), m.start())
        if not num:
            continue
        raw = num.group("n")
        n = int(raw) if raw.isdigit() else _SMALL_NUMBERS[raw]
        if not 1 <= n <= 50:
            continue
        future = m.group("dir") in ("toi", "sap toi")
        add("relative", now if future else now - n, now + n if future else now,
            num.start(), m.end())
