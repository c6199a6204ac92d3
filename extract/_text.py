"""Shared helpers for the finders: tokens with offsets, lexicon loading, phrase tables.

Tokens are cut from the stored NFC text; each carries its character span and a *key*
(the tone-folded, lower-cased form) so that lexicon matching ignores case and tone-mark
placement ("Tỉnh uỷ" == "tỉnh ủy").  Lexicons are package data under
``extract/lexicons/`` and are read once.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, NamedTuple

from extract.normalize import fold_tone, nfc

# Academic / professional degree prefixes: GS.TS., PGS.TS, ThS.BS, BS.CK2, BSCKII, TTND …
_ACAD_PART = (
    r"(?:BSCKII|BSCKI|BSCK1|BSCK2|CKII|CKI|CK1|CK2|PGS|GS|TS|ThS|Ths|BS|DS|ĐD|KTV|"
    r"TTND|TTƯT|TTUT|NGND|NGƯT|NSND|NSƯT)"
)
_TOKEN = re.compile(
    rf"(?P<a>(?<![^\W_]){_ACAD_PART}(?:(?:\.\s?|\s)?{_ACAD_PART})*\.?(?![^\W_]))"
    r"|(?P<w>[^\W_]+)|(?P<p>\S)"
)


_ACAD_PARTS = re.compile(_ACAD_PART)


def acad_parts(text: str) -> list[str]:
    """The parts of a degree prefix token: "TTƯT.BSCKII" -> ["TTƯT", "BSCKII"]."""
    return _ACAD_PARTS.findall(text)


class Tok(NamedTuple):
    start: int
    end: int
    text: str  # as stored
    key: str  # tone-folded, lower case
    kind: str  # "w" word, "p" punctuation, "a" academic prefix (GS.TS.)

    @property
    def cap(self) -> bool:
        """Starts with a capital letter (a proper-noun syllable or an abbreviation)."""
        return self.kind == "w" and self.text[0].isupper()

    @property
    def syllable(self) -> bool:
        """A capitalised name syllable: 'Đức', 'A' — not 'UBND', not '108'."""
        t = self.text
        return (self.kind == "w" and t[0].isupper() and t.isalpha()
                and (len(t) == 1 or not t[1:].isupper()))


def key_of(text: str) -> str:
    return fold_tone(nfc(text)).lower()


@lru_cache(maxsize=8)
def tokenize(text: str) -> tuple[Tok, ...]:
    """Tokens of ``text`` (NFC).  Cached: every finder of one article shares them."""
    low = fold_tone(text).lower()
    if len(low) != len(text):  # a character whose lower case is longer: fold token by token
        return tuple(Tok(m.start(), m.end(), m.group(), fold_tone(m.group()).lower(), m.lastgroup)
                     for m in _TOKEN.finditer(text))
    new = tuple.__new__  # Tok(...) without NamedTuple's Python-level __new__: ~2x faster
    out = []
    for m in _TOKEN.finditer(text):
        s, e = m.span()
        out.append(new(Tok, (s, e, text[s:e], low[s:e], m.lastgroup)))
    return tuple(out)


def phrase_keys(phrase: str) -> tuple[str, ...]:
    """The token keys of a lexicon phrase, tokenised like article text."""
    return tuple(t.key for t in tokenize(nfc(phrase)))


class PhraseTable:
    """Longest-match lookup of multi-token phrases at a token position."""

    def __init__(self, items: Iterable[tuple[str, Any]]):
        self._by_first: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        for phrase, value in items:
            keys = phrase_keys(phrase)
            if keys:
                self._by_first.setdefault(keys[0], []).append((keys, value))
        for entries in self._by_first.values():
            entries.sort(key=lambda kv: -len(kv[0]))
        self.first_keys = frozenset(self._by_first)

    def match_all(self, keys: list[str] | tuple[str, ...], i: int) -> list[tuple[int, Any]]:
        """Every (end index, value) of a phrase starting at ``keys[i]``, longest first."""
        entries = self._by_first.get(keys[i]) if i < len(keys) else None
        if not entries:
            return []
        keys = tuple(keys) if not isinstance(keys, tuple) else keys
        return [(i + len(phrase), value) for phrase, value in entries
                if keys[i:i + len(phrase)] == phrase]

    def match(self, keys: list[str] | tuple[str, ...], i: int) -> tuple[int, Any] | None:
        """The longest phrase at ``keys[i]``: (end index, value), or None."""
        entries = self._by_first.get(keys[i]) if i < len(keys) else None
        if entries:
            keys = tuple(keys) if not isinstance(keys, tuple) else keys
            for phrase, value in entries:
                if keys[i:i + len(phrase)] == phrase:
                    return i + len(phrase), value
        return None


def toks_keys(toks: tuple[Tok, ...]) -> tuple[str, ...]:
    return tuple(t.key for t in toks)


@lru_cache(maxsize=8)
def keys_of(text: str) -> tuple[str, ...]:
    return toks_keys(tokenize(text))


# --- lexicon files -------------------------------------------------------------------

def _read(name: str) -> str:
    return resources.files("extract").joinpath("lexicons", name).read_text(encoding="utf-8")


def read_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a lexicon text file."""
    return [ln.strip() for ln in _read(name).splitlines()
            if ln.strip() and not ln.lstrip().startswith("#")]


def read_tsv(name: str) -> list[list[str]]:
    return [[c.strip() for c in ln.split("\t")] for ln in read_lines(name)]


def read_json(name: str) -> Any:
    return json.loads(_read(name))


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    return frozenset(key_of(s) for s in read_lines("surnames.txt") if " " not in s)


@lru_cache(maxsize=1)
def compound_surnames() -> PhraseTable:
    """Surnames of several syllables ("Tôn Nữ", "Công Tằng Tôn Nữ") -> their length."""
    return PhraseTable((s, len(s.split())) for s in read_lines("surnames.txt") if " " in s)


@lru_cache(maxsize=1)
def provinces() -> PhraseTable:
    """Province names and aliases -> canonical province name."""
    items = []
    for line in read_lines("provinces.txt"):
        names = [n.strip() for n in line.split("|")]
        items.extend((n, names[0]) for n in names)
    return PhraseTable(items)


def canonical_province(name: str | None) -> str | None:
    """'Thanh Hoá' -> 'Thanh Hóa'; unknown names come back unchanged."""
    if not name:
        return None
    keys = phrase_keys(name)
    hit = provinces().match(keys, 0)
    return hit[1] if hit and hit[0] == len(keys) else name


@lru_cache(maxsize=1)
def _province_suffix() -> re.Pattern[str]:
    names = sorted({key_of(n.strip()) for line in read_lines("provinces.txt")
                    for n in line.split("|")}, key=len, reverse=True)
    return re.compile(r"\s+(?:(?:tỉnh|thành phố)\s+)?(?:%s)$" % "|".join(map(re.escape, names)))


def without_province(name: str) -> str:
    """'Phó Giám đốc Sở Y tế tỉnh Nghệ An' -> 'phó giám đốc sở y tế' (a key, place dropped)."""
    return _province_suffix().sub("", key_of(" ".join(name.split())))


def province_phrase(province: str | None, level: str = "tỉnh") -> str | None:
    """How an organisation names the article's province: 'tỉnh Nghệ An', 'TP. Hồ Chí Minh'."""
    name = canonical_province(province)
    if not name:
        return None
    return name if name.startswith("TP.") else f"{level} {name}"


# --- words ---------------------------------------------------------------------------

_TWO_SYLLABLES = re.compile(r"^([^\W\d_]+) ([^\W\d_]+)$", re.MULTILINE)
WORD_LIST = ("underthesea", "corpus/data/Viet74K.txt")  # Hồ Ngọc Đức's word list, shipped
                                                       # with underthesea (a dependency)


@lru_cache(maxsize=1)
def two_syllable_words() -> frozenset[tuple[str, str]]:
    """Two-syllable Vietnamese words as token-key pairs ("tiêu hóa", "lưu động"), read from
    the word list without importing its package; empty if the list is not installed."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec(WORD_LIST[0])
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = Path(list(spec.submodule_search_locations)[0]) / WORD_LIST[1]
    if not path.exists():
        return frozenset()
    text = fold_tone(nfc(path.read_text(encoding="utf-8"))).lower()  # keys: "hoá" -> "hóa"
    return frozenset(_TWO_SYLLABLES.findall(text))  # one regex pass: ~0.1 s for 74K lines


# --- sentences -----------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“'‘(]?[^\W\d_])|\n+")
_ABBREV_END = re.compile(r"(?:\b(?:TP|Tp|GS|PGS|TS|ThS|BS|Th\.S|St|Mr|Dr|v\.v)|\b[A-ZĐ])\.$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: split at . ! ? … followed by a word (not after an
    abbreviation such as "TP." or "GS."), and at paragraph breaks."""
    spans, pos = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.group(0)[0] != "\n" and _ABBREV_END.search(text, max(0, m.start() - 6), m.start()):
            continue
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


@lru_cache(maxsize=1)
def titles() -> PhraseTable:
    """Official titles -> (canonical, kind); see lexicons/titles.tsv."""
    items = []
    for row in read_tsv("titles.tsv"):
        value = (row[0], row[1])
        items.append((row[0], value))
        if len(row) > 2:
            items.extend((alias.strip(), value) for alias in row[2].split("|"))
    return PhraseTable(items)


def title_ends_at(keys: tuple[str, ...], i: int) -> bool:
    """Does a title phrase ('Giám đốc', 'Phó Trưởng khoa') end right before token i?"""
    table = titles()
    return any(end == i for k in range(1, 6) if i - k >= 0
               for end, _ in table.match_all(keys, i - k))
