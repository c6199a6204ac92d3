"""Find health bodies that are not hospitals: "Bộ Y tế", "Cục Quản lý Khám, chữa bệnh",
"Sở Y tế tỉnh Nghệ An", "Trung tâm Y tế huyện Nam Đàn", "CDC Nghệ An", "Trạm y tế xã
Nghi Phong" — typed organisations, kept apart from ``hospitals`` so the hospital facet
stays a list of hospitals.

Names are canonical (``extract._orgs.org_at``: lexicon casing, TTYT → Trung tâm Y tế,
CDC → Trung tâm Kiểm soát bệnh tật, "tỉnh" resolved to the article's province; a bare
"Sở Y tế" is the province's).  Kinds: ministry, agency (a Cục/Vụ with a health word in
its name), department (Sở Y tế), health_centre (Trung tâm Y tế), cdc, health_station
(trạm y tế).  One entry per organisation per article, at its first mention.

Refuses: a local body with no place ("460 trạm y tế xã, phường", "các Trung tâm Y tế"),
and a body that is part of a hospital name.
"""

from __future__ import annotations

import re

from extract._orgs import org_at
from extract._text import key_of, keys_of, tokenize, without_province
from extract.doc import Doc
from extract.normalize import fold_key
from extract.types import Organization

# canonical prefix -> (kind, needs a place after it)
_KINDS = (
    ("Bộ Y tế", "ministry", False),
    ("Cục ", "agency", False),
    ("Vụ ", "agency", False),
    ("Sở Y tế", "department", False),
    ("Trung tâm Kiểm soát bệnh tật", "cdc", True),
    ("Trung tâm Y tế", "health_centre", True),
    ("Trạm Y tế", "health_station", True),
)
_HEALTH_WORDS = ("y tế", "dược", "bệnh", "bà mẹ", "dân số", "an toàn thực phẩm", "phòng bệnh",
                 "khám", "bảo hiểm y tế")
_LEVEL = re.compile(r"\b(?:tỉnh|thành phố|tp\.) ")
_FIRST_KEYS = frozenset({"bộ", "cục", "vụ", "sở", "trung", "ttyt", "cdc", "trạm", "tyt"})


def _kind(name: str) -> str | None:
    for prefix, kind, needs_place in _KINDS:
        if name.startswith(prefix):
            rest = name[len(prefix):].strip()
            if needs_place and not rest:
                return None
            if prefix == "Bộ Y tế" and rest:
                return None  # "Bộ Y tế …" nested in something longer
            if kind == "agency" and not any(w in fold_key(name) for w in _HEALTH_WORDS):
                return None  # "Cục Thuế", "Vụ Pháp chế Bộ Tư pháp": not health bodies
            return kind
    return None


def find_organizations(doc: Doc) -> list[Organization]:
    toks, keys = tokenize(doc.text), keys_of(doc.text)
    seen: set[str] = set()
    placed: set[str] = set()  # bodies the text names with their place, at any mention
    out: list[Organization] = []
    i = 0
    while i < len(toks):
        found = org_at(toks, keys, i, doc.province) if keys[i] in _FIRST_KEYS else None
        if not found:
            i += 1
            continue
        end, name = found
        kind = _kind(name)
        key = _LEVEL.sub("", fold_key(name))  # "Sở Y tế tỉnh Hà Tĩnh" == "Sở Y tế Hà Tĩnh"
        s, e = toks[i].start, toks[end - 1].end
        if kind and _places(doc.text[s:e]):
            placed.add(key)
        if kind and (i == 0 or keys[i - 1] not in ("các", "những")) and key not in seen:
            seen.add(key)
            out.append(Organization(name=name, kind=kind, text=doc.text[s:e], start=s, end=e))
        i = end
    return _drop_implied(out, placed)


def _places(text: str) -> bool:
    return without_province(text) != key_of(text)


def _drop_implied(found: list[Organization], placed: set[str]) -> list[Organization]:
    """A bare "Sở Y tế" is placed in the article's province by default; when the article
    names a Sở Y tế elsewhere and never its own, the bare one is that other one."""
    elsewhere = {without_province(o.name) for o in found if _places(o.text)}
    return [o for o in found if _places(o.text) or _LEVEL.sub("", fold_key(o.name)) in placed
            or without_province(o.name) not in elsewhere]
