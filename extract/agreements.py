"""Find agreements (first version): a sentence that reports a signing — "ký kết", "ký thỏa
thuận", "ký biên bản ghi nhớ", "hợp tác toàn diện" — becomes an Agreement with

- parties: UBND/HĐND/Sở of a province, ministries (Bộ X), hospitals, universities found in
  that sentence (canonical names; an organisation right after a title such as "Thứ trưởng
  Bộ Y tế" is a witness, not a party, unless it is a hospital or a UBND);
- signed: the date mentioned in that sentence, else the nearest one before it;
- start_year/end_year: a period mentioned in that sentence;
- scope: the enumeration after "gồm:", "các nội dung:", "lĩnh vực:" … in that sentence or
  the next few sentences, split on commas and semicolons.

Agreements whose party lists overlap are one agreement (title and lead often repeat it).
Refuses: cooperation that is not a signing ("hợp tác tăng cường năng lực"), and signing
sentences that name no party.
"""

from __future__ import annotations

import re

from extract._orgs import org_at, orgs
from extract._text import keys_of, phrase_keys, sentence_spans, title_ends_at, tokenize
from extract.dates import find_dates
from extract.doc import Doc
from extract.hospitals import parse_hospital
from extract.normalize import fold_key
from extract.periods import find_periods
from extract.types import Agreement

_TRIGGER = re.compile(
    r"\b(?:ky ket|ky thoa thuan|ky bien ban ghi nho|ky ghi nho|ky hop dong hop tac"
    r"|hop tac toan dien)\b"
)
_SCOPE = re.compile(
    r"\b(?:bao gom|gom|cac noi dung|noi dung|cac linh vuc|linh vuc|cac nhiem vu)"
    r"(?:\s+\w+){0,3}?\s*:\s*"
)
_PARTY_PREFIXES = ("UBND", "HĐND", "Sở ", "Bộ ", "Trường Đại học", "Đại học", "Học viện",
                   "Bệnh viện", "Viện ")
_ALWAYS_PARTY = ("UBND", "Bệnh viện")
SCOPE_SENTENCES = 4


def _bare(name: str) -> bool:
    """An organisation that needs a place but has none: "UBND" (from "15/KH-UBND"),
    "Sở Y tế" — which province's is not said, so it is no party."""
    keys = phrase_keys(name)
    hit = orgs().match(keys, 0)
    return bool(hit) and hit[0] == len(keys) and hit[1][1] in ("scoped", "party")


def _parties(doc: Doc, start: int, end: int) -> list[str]:
    toks, keys = tokenize(doc.text), keys_of(doc.text)
    out: list[str] = []
    i = next((n for n, t in enumerate(toks) if t.start >= start), len(toks))
    while i < len(toks) and toks[i].end <= end:
        found = parse_hospital(toks, keys, i, doc.province) or org_at(toks, keys, i, doc.province)
        if not found:
            i += 1
            continue
        stop, name = found
        witness = title_ends_at(keys, i) and not name.startswith(_ALWAYS_PARTY)
        if name.startswith(_PARTY_PREFIXES) and not witness and not _bare(name) \
                and fold_key(name) not in {fold_key(p) for p in out}:
            out.append(name)
        i = stop
    return out


def _scope(doc: Doc, spans: list[tuple[int, int]], n: int) -> tuple[str, ...]:
    for s, e in spans[n:n + SCOPE_SENTENCES]:
        m = _SCOPE.search(doc.plain, s, e)
        if m:
            body = doc.text[m.end():e].rstrip(" .;")
            items = [x.strip(" .") for x in re.split(r"[;,]", body)]
            if len(items) > 1 and " và " in items[-1]:
                items[-1:] = [x.strip() for x in items[-1].split(" và ", 1)]
            return tuple(x for x in items if x)
    return ()


def _merge(found: list[Agreement], new: Agreement) -> None:
    keys = {fold_key(p) for p in new.parties}
    for n, old in enumerate(found):
        old_keys = {fold_key(p) for p in old.parties}
        if keys <= old_keys or old_keys <= keys:
            parties = old.parties + tuple(p for p in new.parties if fold_key(p) not in old_keys)
            found[n] = Agreement(parties=parties, signed=old.signed or new.signed,
                                 start_year=old.start_year or new.start_year,
                                 end_year=old.end_year or new.end_year,
                                 scope=old.scope or new.scope,
                                 text=old.text, start=old.start, end=old.end)
            return
    found.append(new)


def find_agreements(doc: Doc) -> list[Agreement]:
    if not _TRIGGER.search(doc.plain):
        return []
    spans = sentence_spans(doc.text)
    dates = [d for d in find_dates(doc) if d.granularity == "day"]
    periods = find_periods(doc)
    found: list[Agreement] = []
    for n, (s, e) in enumerate(spans):
        if not _TRIGGER.search(doc.plain, s, e):
            continue
        parties = _parties(doc, s, e)
        if not parties:
            continue
        inside = [d for d in dates if s <= d.start < e]
        before = [d for d in dates if d.start < s]
        signed = (inside or before[-1:] or [None])[0]
        period = next((p for p in periods if s <= p.start < e), None)
        _merge(found, Agreement(
            parties=tuple(parties), signed=signed.value if signed else None,
            start_year=period.start_year if period else None,
            end_year=period.end_year if period else None,
            scope=_scope(doc, spans, n), text=doc.text[s:e], start=s, end=e))
    return found
