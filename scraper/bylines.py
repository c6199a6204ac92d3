"""Author bylines: 'Thái Dương – Trường Ca', 'Đức Minh, Thiên Thanh', '(BTV) Lê Phương'."""

from __future__ import annotations

import re

_AGENCY = re.compile(r"^\s*\(([^)]{1,20})\)\s*|\s*\(([^)]{1,20})\)\s*$")
_SEPARATORS = re.compile(r"\s*(?:[,;&/]|\s[–—-]\s|\bvà\b)\s*")
_PREFIX = re.compile(r"^(bài(\s+và\s+ảnh)?|ảnh|tác giả|phóng viên|pv|btv|theo|nhóm pv)\s*:?\s+",
                     re.IGNORECASE)
_NAME_WORD = re.compile(r"^[A-ZĐÀ-ỸÂĂÊÔƠƯ][^\s\d]*\.?$")


def split_authors(line: str) -> list[str]:
    """'Thái Dương – Trường Ca' -> ['Thái Dương', 'Trường Ca']; agency prefixes removed."""
    line = _AGENCY.sub(" ", line).strip()
    line = _PREFIX.sub("", line).strip()
    parts = [p.strip(" .") for p in _SEPARATORS.split(line)]
    return [p for p in parts if p]


def is_byline(line: str) -> bool:
    """A short line of 1–4 names of 1–4 capitalised words each, no sentence punctuation."""
    if len(line) > 80 or line.endswith((".", ":", "?", "!")) and not line.endswith(" ."):
        return False
    names = split_authors(line)
    if not 1 <= len(names) <= 4:
        return False
    for name in names:
        words = name.split()
        if not 1 <= len(words) <= 4 or not all(_NAME_WORD.match(w) for w in words):
            return False
    # a single word is a byline only in a named form like "(BTV) Hoa" — avoid headings
    return sum(len(n.split()) for n in names) >= 2
