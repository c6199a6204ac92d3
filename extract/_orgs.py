"""Organisation names inside officials' titles: "Bộ Y tế", "UBND tỉnh", "Tỉnh ủy",
"Ban Thường vụ Tỉnh ủy", "Sở Y tế Nghệ An", "Bệnh viện Bạch Mai", "Quân khu 4".

``org_at`` returns the canonical form: lexicon casing ("Bộ y tế" -> "Bộ Y tế"), TW/TƯ
expanded, and a bare "tỉnh" (or an implicit one: "Tỉnh ủy") resolved to the article's
province ("UBND tỉnh" -> "UBND tỉnh Nghệ An").  Lexicon: ``lexicons/orgs.tsv``.
"""

from __future__ import annotations

from functools import lru_cache

from extract._text import (PhraseTable, Tok, canonical_province, province_phrase,
                           provinces, read_tsv, surnames, titles)
from extract.hospitals import parse_hospital

_LEVELS = PhraseTable([("tỉnh", "tỉnh"), ("thành phố", "thành phố"), ("TP.", "TP."),
                       ("TP", "TP."), ("huyện", "huyện"), ("quận", "quận"),
                       ("thị xã", "thị xã"), ("xã", "xã"), ("phường", "phường")])
_CENTRAL = PhraseTable([("Trung ương", "Trung ương"), ("TW", "Trung ương"),
                        ("TƯ", "Trung ương"), ("T.Ư", "Trung ương")])
MAX_HEAD_WORDS = 8


@lru_cache(maxsize=1)
def orgs() -> PhraseTable:
    items = []
    for row in read_tsv("orgs.tsv"):
        value = (row[0], row[1])
        items.append((row[0], value))
        if len(row) > 2:
            items.extend((alias.strip(), value) for alias in row[2].split("|"))
    return PhraseTable(items)


def tone_text(t: Tok) -> str:
    """The stored word in its tone-folded spelling ("Thuỷ" -> "Thủy"), case kept."""
    return "".join(c.upper() if o.isupper() else c for c, o in zip(t.key, t.text))


def name_at(toks: tuple[Tok, ...], keys: tuple[str, ...], i: int) -> int:
    """End index of a person name (2–4 capitalised syllables, the first a surname)
    starting at token i, or 0.  Stops before a title or organisation word."""
    if i >= len(toks) or not toks[i].syllable or keys[i] not in surnames():
        return 0
    if provinces().match(keys, i):
        return 0  # "Hà Nội", "Hà Tĩnh", "Thái Bình": places, not people
    j = i + 1
    while j < len(toks) and j - i < 4 and toks[j].syllable and toks[j].start - toks[j - 1].end == 1:
        if titles().match(keys, j) or _org_word(keys, j):
            break
        j += 1
    return j if j - i >= 2 else 0


def _org_word(keys: tuple[str, ...], j: int) -> bool:
    """An organisation starts at j — but not a one-word generic head that is also a given
    name ("Khoa", "Hội")."""
    hit = orgs().match(keys, j)
    return bool(hit) and (hit[0] - j > 1 or hit[1][1] != "head")


def _place(toks, keys, j: int, province: str | None) -> tuple[int, str] | None:
    """"tỉnh [X]", "huyện Nam Đàn", "TP. Vinh", "Nghệ An", "Trung ương" after an org."""
    hit = provinces().match(keys, j)
    if hit:
        return hit[0], hit[1]
    hit = _CENTRAL.match(keys, j)
    if hit:
        return hit[0], hit[1]
    hit = _LEVELS.match(keys, j)
    if not hit or _org_word(keys, j):  # "Tỉnh ủy" is an organisation, not a place
        return None
    end, level = hit
    after = provinces().match(keys, end)
    if after:
        return after[0], (after[1] if after[1].startswith("TP.") else f"{level} {after[1]}")
    if level == "tỉnh":
        if end < len(keys) and keys[end] == "này":
            end += 1
        resolved = province_phrase(province)
        return end, resolved or "tỉnh"
    k = end
    while k < len(toks) and k - end < 3 and toks[k].syllable and not name_at(toks, keys, k):
        k += 1
    if k == end:
        return None
    return k, level + " " + " ".join(tone_text(t) for t in toks[end:k])


def _head_tail(toks, keys, j: int) -> int:
    """End of the name after a generic head ("Viện Pasteur", "Quân khu 4"): capitalised
    words, with lower-case words kept only when a parent organisation follows ("khoa Hồi
    sức tích cực Bệnh viện X")."""
    k, last_cap = j, j
    while k < len(toks) and k - j < MAX_HEAD_WORDS:
        t = toks[k]
        if t.kind == "p" or (k > j and t.syllable and name_at(toks, keys, k)):
            break
        if k > j and (_org_word(keys, k) or parse_hospital(toks, keys, k, None)):
            return k if last_cap > j else j
        if k > j and titles().match(keys, k):
            break
        if t.cap or t.text.isdigit():
            last_cap = k + 1
        elif k - last_cap >= 3:
            break
        k += 1
    return last_cap


def _one_org(toks, keys, i: int, province: str | None) -> tuple[int, str] | None:
    hosp = parse_hospital(toks, keys, i, province)
    if hosp:
        return hosp
    hit = orgs().match(keys, i)
    if not hit:
        return None
    end, (canon, kind) = hit
    if kind == "head":
        if not toks[i].cap and canon[0].isupper():  # "bệnh viện công lập": no "Viện"
            return None
        tail = _head_tail(toks, keys, end)
        if tail == end:
            return None
        return tail, canon + " " + " ".join(tone_text(t) for t in toks[end:tail])
    if kind in ("scoped", "party"):
        place = _place(toks, keys, end, province)
        if place:
            return place[0], f"{canon} {place[1]}"
        if kind == "party" and canon == "Tỉnh ủy" and canonical_province(province):
            return end, f"{canon} {canonical_province(province)}"
    return end, canon


def org_at(toks: tuple[Tok, ...], keys: tuple[str, ...], i: int,
           province: str | None) -> tuple[int, str] | None:
    """An organisation, possibly nested ("Ban Tuyên giáo Tỉnh ủy"), at token i."""
    first = _one_org(toks, keys, i, province)
    if not first:
        return None
    end, canon = first
    while end < len(toks) and (more := _one_org(toks, keys, end, province)):
        end, canon = more[0], f"{canon} {more[1]}"
    return end, canon
