"""Find hospitals: "Bệnh viện Bạch Mai", "BV Hữu nghị Việt Đức", "Bệnh viện HNĐK tỉnh".

A hospital mention starts with a trigger ("Bệnh viện", "BV", "BVĐK", "BVTW" …) followed by
name words: capitalised words, numbers ("108", "7A", "19-8"), abbreviations (HNĐK, ĐK, TW,
T.Ư), a branch ("cơ sở 2") and type words from a small list ("đa khoa", "sản nhi", "y học
cổ truyền", "Trung tâm", "vùng" …).  The name is
canonical: abbreviations expanded, "tỉnh"/"tỉnh này" resolved to the article's province
(the word "tỉnh" itself dropped before a province name), and looked up in
``lexicons/hospitals.json`` (aliases -> canonical name).  One entry per hospital per
article, at its first mention.

Refuses: generic uses ("bệnh viện công lập", "các Bệnh viện tuyến TW", "Bệnh viện TW"
alone, "Bệnh viện chuyên khoa về tim mạch", "bệnh viện hạng đặc biệt"), and a lower-case
"bệnh viện" not followed by a proper name.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from extract._text import (PhraseTable, Tok, key_of, keys_of, provinces, read_json,
                           surnames, title_ends_at, tokenize, canonical_province)
from extract.doc import Doc, memoized
from extract.normalize import fold_key
from extract.types import Hospital

MAX_WORDS = 10

_TRIGGERS = PhraseTable([
    ("bệnh viện", ""), ("BV", ""), ("BVĐK", "Đa khoa"), ("BVĐKTW", "Đa khoa Trung ương"),
    ("BVTW", "Trung ương"), ("BVĐKKV", "Đa khoa khu vực"), ("BVQY", "Quân y"),
    ("BVHNĐK", "Hữu nghị Đa khoa"),
])
_ABBREVIATIONS = PhraseTable([
    ("HNĐK", "Hữu nghị Đa khoa"), ("ĐK", "Đa khoa"), ("ĐKKV", "Đa khoa khu vực"),
    ("ĐKTW", "Đa khoa Trung ương"), ("ĐKTƯ", "Đa khoa Trung ương"), ("TW", "Trung ương"),
    ("TƯ", "Trung ương"), ("T.Ư", "Trung ương"), ("T.W", "Trung ương"),
    ("YHCT", "Y học cổ truyền"), ("PHCN", "Phục hồi chức năng"), ("TP.", "Thành phố"),
    ("TP", "Thành phố"), ("Tp.", "Thành phố"), ("QĐ", "Quân đội"),
])
# Lower-case words that belong inside a hospital name, with their canonical casing.
_TYPE_WORDS = PhraseTable((w, w) for w in (
    "Đa khoa", "Hữu nghị", "Sản Nhi", "Ung bướu", "Phục hồi chức năng", "Y học cổ truyền",
    "Y dược cổ truyền", "Tâm thần", "Phổi", "Mắt", "Nhi", "Sản", "Da liễu", "Nội tiết",
    "Lao và Bệnh phổi", "Quân y", "Trung ương", "khu vực", "Phụ sản", "Răng Hàm Mặt",
    "Chấn thương Chỉnh hình", "Bệnh Nhiệt đới", "Nhi đồng", "Thành phố", "Thị xã", "huyện",
    "quận", "thị xã", "thành phố", "Quân đội", "Lão khoa", "Tim mạch", "Nhiệt đới", "Đại học Y",
    "Trung tâm", "vùng", "liên huyện", "Phụ sản Nhi", "Đột quỵ", "Ung bướu", "Bỏng", "Nhi đồng",
))
# Names made only of these words are generic ("Bệnh viện TW", "Bệnh viện Đa khoa tỉnh").
_GENERIC = frozenset(key_of(w) for w in (
    "trung ương", "đa khoa", "tỉnh", "huyện", "thành phố", "khu vực", "quận", "thị xã",
    "tuyến", "nhi", "sản", "mắt", "phổi", "tâm thần", "ung bướu", "sản nhi",
    "y học cổ truyền", "phục hồi chức năng", "da liễu", "nội tiết", "tim mạch", "nhiệt đới",
    "vùng", "trung tâm", "liên huyện", "tư nhân", "công lập",
))
_PLURAL = frozenset({"các", "những", "nhiều", "một", "số", "mỗi", "từng"})


class _Elem(NamedTuple):
    text: str  # canonical words
    kind: str  # cap | type | num | place | lower | dash
    end: int  # index of the token after this element


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    for entry in read_json("hospitals.json")["hospitals"]:
        name = entry["name"]
        for alias in [name.removeprefix("Bệnh viện ")] + entry.get("aliases", []):
            out[_alias_key([alias])] = name
    return out


def _alias_key(words: list[str]) -> str:
    return fold_key(" ".join(words)).replace(" – ", " - ").replace(" — ", " - ")


def _elements(toks: tuple[Tok, ...], keys: tuple[str, ...], j: int,
              province: str | None) -> list[_Elem]:
    """The words after a trigger, expanded, up to the first punctuation mark."""
    out: list[_Elem] = []
    while j < len(toks) and len(out) < MAX_WORDS:
        t = toks[j]
        if j and t.start - toks[j - 1].end > 1:
            break  # a block (paragraph) boundary: "… BVĐK tỉnh\n\nSáng 5/3"
        if keys[j] == "tỉnh":
            hit = provinces().match(keys, j + 1)
            if hit:
                out.append(_Elem(hit[1], "place", hit[0]))
            elif province:
                end = j + 2 if j + 1 < len(keys) and keys[j + 1] == "này" else j + 1
                out.append(_Elem(canonical_province(province) or province, "place", end))
            else:
                out.append(_Elem("tỉnh", "type", j + 1))
        elif t.cap and (hit := provinces().match(keys, j)):
            out.append(_Elem(hit[1], "place", hit[0]))
        elif hit := _ABBREVIATIONS.match(keys, j):
            out.append(_Elem(hit[1], "type", hit[0]))
        elif hit := _TYPE_WORDS.match(keys, j):
            out.append(_Elem(hit[1], "type", hit[0]))
        elif keys[j] == "cơ" and keys[j + 1:j + 2] == ("sở",) and j + 2 < len(toks) \
                and toks[j + 2].text.isdigit():
            out.append(_Elem(f"cơ sở {toks[j + 2].text}", "branch", j + 3))
        elif t.kind == "w" and t.text[0].isdigit():  # "108", "7A", "19-8"
            if _counts(toks, keys, j):
                break  # "Bệnh viện Chợ Rẫy 1.043 ca bệnh", "… tỉnh 1 máy đo": a figure
            end, text = j + 1, t.text
            if j + 2 < len(toks) and toks[j + 1].text in "-–" and toks[j + 2].text.isdigit() \
                    and toks[j + 2].start - t.end <= 3:
                end, text = j + 3, f"{t.text}-{toks[j + 2].text}"
            out.append(_Elem(text, "num", end))
        elif t.cap:
            out.append(_Elem(_tone_text(t), "cap", j + 1))
        elif t.text in "-–" and out and out[-1].kind in ("cap", "place", "type") \
                and j + 1 < len(toks) and toks[j + 1].cap:
            out.append(_Elem("-", "dash", j + 1))
        elif t.kind == "w" and t.text.islower():
            out.append(_Elem(t.text, "lower", j + 1))
        else:
            break
        j = out[-1].end
    return out


def _counts(toks: tuple[Tok, ...], keys: tuple[str, ...], j: int) -> bool:
    """Does the number at token j count something (thousands groups "1.043", or a counted
    noun after it), rather than being a numeral of the name ("Quân y 175")?"""
    from extract.figures import counted_noun_token  # figures reads hospital names too

    if j + 2 < len(toks) and toks[j + 1].text == "." and toks[j + 2].text.isdigit() \
            and toks[j + 1].start == toks[j].end and toks[j + 2].start == toks[j + 1].end:
        return True
    return counted_noun_token(keys, j + 1)


def _tone_text(t: Tok) -> str:
    """A capitalised word in its tone-folded spelling, keeping the stored case."""
    return "".join(c.upper() if o.isupper() else c for c, o in zip(t.key, t.text))


def _person_at(toks: tuple[Tok, ...], j: int) -> int:
    """Length (2–4) of a person name starting at token j, or 0."""
    if j >= len(toks) or toks[j].key not in surnames() or not toks[j].syllable:
        return 0
    n = 1
    while j + n < len(toks) and n < 4 and toks[j + n].syllable:
        n += 1
    return n if n >= 2 else 0


def _alias_prefix(elems: list[_Elem], toks: tuple[Tok, ...]) -> tuple[int, str] | None:
    """Longest lexicon alias at the start of ``elems`` that ends the name."""
    aliases = _aliases()
    for k in range(len(elems), 0, -1):
        name = aliases.get(_alias_key([e.text for e in elems[:k]]))
        if not name:
            continue
        if k < len(elems) and elems[k].kind == "branch":
            return k + 1, f"{name} {elems[k].text}"
        if k == len(elems) or elems[k].kind == "lower" or _person_at(toks, elems[k - 1].end):
            return k, name
    return None


def _person_cut(elems: list[_Elem], toks: tuple[Tok, ...]) -> int:
    """Where a person's name starts inside a run of capitalised words (after a title:
    "Giám đốc Bệnh viện X Nguyễn Văn A"); len(elems) when none does."""
    cuts = {}
    for k in range(1, len(elems)):
        n = _person_at(toks, elems[k - 1].end)
        if n and all(e.kind == "cap" for e in elems[k:k + n]) and len(elems[k:]) >= n:
            cuts.setdefault(n, k)
    for n in (3, 4, 2):
        if n in cuts:
            return cuts[n]
    return len(elems)


def parse_hospital(toks: tuple[Tok, ...], keys: tuple[str, ...], i: int,
                   province: str | None) -> tuple[int, str] | None:
    """A hospital starting at token ``i``: (index of the token after it, canonical name)."""
    trig = _TRIGGERS.match(keys, i)
    if not trig:
        return None
    j, prefix = trig
    if keys[i] == "bệnh" and not toks[i].cap and (j >= len(toks) or not (
            toks[j].cap or toks[j].text.isdigit())):
        return None
    elems = ([_Elem(prefix, "type", j)] if prefix else []) + _elements(toks, keys, j, province)
    hit = _alias_prefix(elems, toks)
    if hit:
        k, name = hit
        return elems[k - 1].end, name
    n = 0
    while n < len(elems) and elems[n].kind != "lower" and not (
            elems[n].kind == "dash" and (n + 1 == len(elems) or elems[n + 1].kind == "lower")):
        n += 1
    if title_ends_at(keys, i):
        n = min(n, _person_cut(elems[:n], toks))
    words = [e.text for e in elems[:n]]
    if not words or all(key_of(w) in _GENERIC for w in words):
        return None
    if i > 0 and keys[i - 1] in _PLURAL and elems[0].kind != "cap":
        return None
    return elems[n - 1].end, "Bệnh viện " + " ".join(words)


@memoized
def find_hospitals(doc: Doc) -> list[Hospital]:
    """One Hospital per canonical name, at its first mention, in text order."""
    toks, keys = tokenize(doc.text), keys_of(doc.text)
    seen: set[str] = set()
    out: list[Hospital] = []
    i = 0
    while i < len(toks):
        found = parse_hospital(toks, keys, i, doc.province) if keys[i] in _FIRST_KEYS else None
        if not found:
            i += 1
            continue
        end, name = found
        key = fold_key(name)
        if key not in seen:
            seen.add(key)
            s, e = toks[i].start, toks[end - 1].end
            out.append(Hospital(name=name, text=doc.text[s:e], start=s, end=e))
        i = end
    return out


_FIRST_KEYS = frozenset({"bệnh", "bv", "bvđk", "bvđktw", "bvtw", "bvđkkv", "bvqy", "bvhnđk"})
