"""Find periods: spans of years named in the text.

- KIND YEAR–YEAR: "giai đoạn 2024 – 2030", "nhiệm kỳ 2021- 2026", "Kế hoạch 5 năm
  2021-2025", "giai đoạn từ năm 2025 đến năm 2030" (any dash - – —, any spacing, "đến");
  kinds: giai đoạn, nhiệm kỳ, thời hạn, thời kỳ, kế hoạch, chiến lược, đề án, chương trình,
  quy hoạch, niên khóa, năm học, khóa, tầm nhìn;
- "từ năm 2025 đến năm 2030" (kind "từ năm");
- "đến năm 2030" (kind "đến năm", start_year None), "tầm nhìn đến năm 2045" (kind "tầm
  nhìn").

Refuses: a bare year range not after one of those keywords ("2021-2025" alone), ranges
that run backwards, years outside 1900–2100.
"""

from __future__ import annotations

import re

from extract.doc import Doc
from extract.types import Period

_YEAR = r"(?:19|20|21)\d\d"
_DASH = r"\s*(?:-|–|—|đến(?:\s+năm)?|den(?:\s+nam)?)\s*"
_KINDS = (r"giai doan|nhiem ky|thoi han|thoi ky|ke hoach|chien luoc|de an|chuong trinh|"
          r"quy hoach|nien khoa|nam hoc|khoa|tam nhin")
_RANGE = re.compile(
    rf"\b(?P<kind>{_KINDS})(?:\s+\d+\s+nam)?\s+\(?(?:tu\s+)?(?:nam\s+)?"
    rf"(?P<y1>{_YEAR}){_DASH}(?P<y2>{_YEAR}|\d\d)(?!\d)"
)
_FROM_TO = re.compile(rf"\b(?P<kind>tu nam)\s+(?P<y1>{_YEAR}){_DASH}(?P<y2>{_YEAR})(?!\d)")
_UNTIL = re.compile(rf"\b(?:(?P<vision>tam nhin)\s+)?(?P<kind>den nam)\s+(?P<y2>{_YEAR})(?!\d)")


def _end_year(y1: int, raw: str) -> int:
    return int(raw) if len(raw) == 4 else (y1 // 100) * 100 + int(raw)


def _kind(doc: Doc, m: re.Match[str], group: str = "kind") -> str:
    return doc.tone[m.start(group):m.end(group)].lower()


def find_periods(doc: Doc) -> list[Period]:
    found: list[Period] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], kind: str, y1: int | None, y2: int, start: int) -> None:
        end = m.end("y2")
        if any(s < end and start < e for s, e in taken):
            return
        if y1 is not None and not y1 <= y2 <= y1 + 100:
            return
        taken.append((start, end))
        found.append(Period(text=doc.text[start:end], kind=kind, start_year=y1, end_year=y2,
                            start=start, end=end))

    for m in _RANGE.finditer(doc.plain):
        y1 = int(m.group("y1"))
        add(m, _kind(doc, m), y1, _end_year(y1, m.group("y2")), m.start("kind"))
    for m in _FROM_TO.finditer(doc.plain):
        add(m, _kind(doc, m), int(m.group("y1")), int(m.group("y2")), m.start("kind"))
    for m in _UNTIL.finditer(doc.plain):
        vision = m.group("vision")
        start = m.start("vision") if vision else m.start("kind")
        add(m, _kind(doc, m, "vision") if vision else _kind(doc, m), None,
            int(m.group("y2")), start)
    return sorted(found, key=lambda p: p.start)
