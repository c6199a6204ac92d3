"""Author bylines: 'Thái Dương – Trường Ca', 'Đức Minh, Thiên Thanh', '(BTV) Lê Phương'.

A byline is a short line of 1–4 capitalised names.  Place names look the same ("Nghệ An",
"Hà Nội – Hải Phòng"), so a line that starts with an administrative or institutional word
("Tỉnh", "TP", "Bệnh viện", "Báo") is not a byline, nor one whose every name is a place in
``sites/places.tsv`` — unless it comes from an author element (``allow_places``), where a
reporter called "Hà Giang" is more likely than a province.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from importlib import resources

_AGENCY = re.compile(r"^\s*\(([^)]{1,20})\)\s*|\s*\(([^)]{1,20})\)\s*$")
_SEPARATORS = re.compile(r"\s*(?:[,;&/]|\s[–—-]\s|\bvà\b)\s*")
_PREFIX = re.compile(r"^(bài(\s+và\s+ảnh)?|ảnh|tác giả|phóng viên|pv|btv|theo|nhóm pv)\s*:?\s+",
                     re.IGNORECASE)
_NAME_WORD = re.compile(r"^[A-ZĐÀ-ỸÂĂÊÔƠƯ][^\s\d]*\.?$")
# First words (or word pairs) of places and institutions that are never a person's name.
NOT_A_NAME_START = frozenset(
    "tỉnh tp tp. huyện quận xã phường thôn xóm ấp sở bộ ubnd hđnd ủy cục báo đài tạp bệnh viện "
    "đảng".split()) | frozenset((
        "thành phố", "thị xã", "thị trấn", "trung tâm", "công ty", "chi cục", "hội đồng", "ban quản",
        "trường đại", "trường thpt", "trường tiểu", "trường mầm"))


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """Province, city, region and country names (casefolded), from ``sites/places.tsv``."""
    text = resources.files("scraper").joinpath("sites/places.tsv").read_text("utf-8")
    return frozenset(_key(row["name"]) for row in csv.DictReader(text.splitlines(), delimiter="\t"))


def split_authors(line: str) -> list[str]:
    """'Thái Dương – Trường Ca' -> ['Thái Dương', 'Trường Ca']; agency prefixes removed."""
    line = _AGENCY.sub(" ", line).strip()
    line = _PREFIX.sub("", line).strip()
    parts = [p.strip(" .") for p in _SEPARATORS.split(line)]
    return [p for p in parts if p]


def _looks_like_names(names: list[str]) -> bool:
    if not 1 <= len(names) <= 4:
        return False
    for name in names:
        words = name.split()
        if not 1 <= len(words) <= 4 or not all(_NAME_WORD.match(w) for w in words):
            return False
    # a single word is a byline only in a named form like "(BTV) Hoa" — avoid headings
    return sum(len(n.split()) for n in names) >= 2


def starts_like_institution(names: list[str]) -> bool:
    """'Tỉnh Nghệ An', 'TP Vinh', 'Báo Nghệ An', 'Bệnh viện …'."""
    words = names[0].casefold().split() if names else []
    return bool(words) and (words[0] in NOT_A_NAME_START or " ".join(words[:2]) in NOT_A_NAME_START)


def all_places(names: list[str]) -> bool:
    return bool(names) and all(_key(n) in places() for n in names)


def is_byline(line: str, *, allow_places: bool = False) -> bool:
    """A short line of 1–4 names of 1–4 capitalised words each, no sentence punctuation."""
    if len(line) > 80 or line.endswith((".", ":", "?", "!")) and not line.endswith(" ."):
        return False
    names = split_authors(line)
    if not _looks_like_names(names):
        return False
    return not starts_like_institution(names) and (allow_places or not all_places(names))
