"""Vietnamese text normalisation that keeps offsets.

Stored text is NFC.  For matching and search two length-preserving folds are applied
to the NFC text, so an offset found in a folded string is the same offset in the
stored one:

- ``fold_tone``: one tone-mark placement.  "hoà"/"hòa", "khoẻ"/"khỏe", "Uỷ"/"Ủy" all
  become the form with the mark on the first vowel of a final oa/oe/uy (not after q,
  where u belongs to the consonant: "quý").
- ``fold_search``: lower case, every diacritic removed, đ → d ("Đà Nẵng" → "da nang").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONES = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}  # huyền sắc hỏi ngã nặng


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _split_tone(ch: str) -> tuple[str, str]:
    """'ả' -> ('a', '\u0309'); 'ấ' -> ('â', '\u0301'); 'a' -> ('a', '')."""
    decomposed = unicodedata.normalize("NFD", ch)
    tone = "".join(c for c in decomposed if c in _TONES)
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return base, tone


# o/u followed by a toned a/e/y, at the end of a syllable, not after q.
_OLD_STYLE = re.compile(
    r"(?<![qQ])([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?![^\W\d_])"
)


def _move_tone(match: re.Match[str]) -> str:
    first, second = match.group(1), match.group(2)
    base, tone = _split_tone(second)
    pair = first.lower() + base.lower()
    if pair not in ("oa", "oe", "uy"):
        return match.group(0)
    return nfc(first + tone) + base


def fold_tone(text: str) -> str:
    """One tone-mark placement; same length as ``text`` (which must be NFC)."""
    return _OLD_STYLE.sub(_move_tone, text)


@lru_cache(maxsize=1)
def _search_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in list(range(0x41, 0x5B)) + list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        low = ch.lower()
        if len(low) != 1:
            low = ch
        base = unicodedata.normalize("NFD", low)[0]
        if base != ch:
            table[cp] = base
    table[ord("đ")] = "d"
    table[ord("Đ")] = "d"
    return table


def fold_search(text: str) -> str:
    """Lower case, no diacritics, đ → d; same length as ``text`` (which must be NFC)."""
    return text.translate(_search_table())


def fold_key(text: str) -> str:
    """A key for comparing names and titles: NFC, one tone placement, case-folded
    (diacritics kept), single spaces."""
    return " ".join(fold_tone(nfc(text)).lower().split())
