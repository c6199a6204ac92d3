"""Turn response bytes into NFC text.

The cascade, first hit wins:

1. a byte-order mark (as browsers do, it overrides any declaration);
2. the ``charset`` of the Content-Type header;
3. ``<meta charset>`` / ``<meta http-equiv="Content-Type">`` in the first few KB;
4. detection: strict UTF-8, else the best of charset-normalizer's guess and
   windows-1258 (Vietnamese), scored by how Vietnamese the result looks.

A declaration is trusted only while it decodes without errors and without mojibake:
a header that says UTF-8 over windows-1258 bytes fails strict decoding, and one that says
ISO-8859-1 over UTF-8 bytes yields "Ã¡"-style text that scores worse than the UTF-8
reading — both fall through to detection.  Python's cp1258 codec yields combining tone
marks, so the result is always normalised to NFC.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from functools import lru_cache

from charset_normalizer import from_bytes

log = logging.getLogger(__name__)

SNIFF_BYTES = 4096
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# WHATWG: these labels mean windows-1252 on the web.
_ALIASES = {"latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252", "windows-1252": "cp1252"}
# Punctuation and symbols that honest Vietnamese pages use outside ASCII.
_FINE_SYMBOLS = frozenset("“”‘’–—…•·«»©®°×÷±€£¥§¶†‰′″™¼½¾²³¹µ\u00a0\u200b\ufeff")


@lru_cache(maxsize=1)
def _vietnamese_letters() -> frozenset[str]:
    """Every precomposed letter of the Vietnamese alphabet, both cases."""
    tones = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
    bases = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")
    letters = {"đ", "Đ"}
    for base in bases:
        for tone in tones:
            ch = unicodedata.normalize("NFC", base + tone)
            letters.update((ch, ch.upper()))
    return frozenset(letters)


@lru_cache(maxsize=1)
def _odd_char() -> re.Pattern[str]:
    """One non-ASCII character that is neither a Vietnamese letter nor a fine symbol."""
    allowed = "".join(sorted(_vietnamese_letters() | _FINE_SYMBOLS))
    return re.compile("[^\x00-\x7f" + re.escape(allowed) + "]")


def badness(text: str) -> float:
    """Share of non-ASCII characters that no Vietnamese page would contain (0 = clean).
    (Counted in C — a regex and an encode — since it runs on every page of a crawl.)"""
    total = len(text) - len(text.encode("ascii", "ignore"))
    if not total:
        return 0.0
    return len(_odd_char().findall(text)) / total


def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        log.debug("unknown charset label %r", label)
        return None
    return _ALIASES.get(name, name)


def charset_from_content_type(content_type: str | None) -> str | None:
    m = _HEADER_CHARSET.search(content_type or "")
    return m.group(1) if m else None


def _bom_codec(body: bytes) -> str | None:
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    return None


def _meta_charset(body: bytes) -> str | None:
    m = _META_CHARSET.search(body[:SNIFF_BYTES])
    return m.group(1).decode("ascii", "ignore") if m else None


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return unicodedata.normalize("NFC", body.decode(codec))
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(body: bytes) -> str:
    """Strict UTF-8, else the least mojibake-looking of the detector's guess and cp1258."""
    text = _strict(body, "utf-8")
    if text is not None:
        return text
    candidates: list[str] = []
    best = from_bytes(body).best()
    if best is not None and best.encoding:
        candidates.append(best.encoding)
    candidates += ["cp1258", "cp1252"]
    readings = [(badness(t), i, t) for i, c in enumerate(candidates) if (t := _strict(body, c))]
    if readings:
        return min(readings)[2]
    return unicodedata.normalize("NFC", body.decode("utf-8", errors="replace"))


def _trusted(body: bytes, codec: str) -> str | None:
    """The declared reading, unless it fails or a UTF-8/cp1258 reading looks cleaner."""
    text = _strict(body, codec)
    if text is None:
        log.debug("declared charset %s does not decode; detecting", codec)
        return None
    score = badness(text)
    if score == 0.0:
        return text
    for other in ("utf-8", "cp1258"):
        if other != codec and (alt := _strict(body, other)) is not None and badness(alt) < score:
            log.debug("declared charset %s looks like mojibake; %s reads cleaner", codec, other)
            return None
    return text


def decode_body(body: bytes, content_type: str | None = None) -> str:
    """Decode an HTTP body to NFC text (see the module docstring for the cascade)."""
    if not body:
        return ""
    bom = _bom_codec(body)
    if bom:
        return unicodedata.normalize("NFC", body.decode(bom, errors="replace"))
    for label in (charset_from_content_type(content_type), _meta_charset(body)):
        codec = _codec(label)
        if codec and (text := _trusted(body, codec)) is not None:
            return text
    return _detect(body)
