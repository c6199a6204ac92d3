"""Find agreements: a sentence that reports a signing — "ký kết", "ký thỏa thuận", "ký
biên bản ghi nhớ", "ký hợp đồng", "hợp tác toàn diện" — becomes an Agreement with

- text/start/end: the signing phrase of its first sentence ("Lễ ký kết thỏa thuận hợp
  tác", "ký biên bản ghi nhớ hợp tác", "ký kết hợp đồng chuyển giao");
- parties: UBND/HĐND/Sở of a province, ministries (Bộ X), hospitals, universities found in
  that sentence (canonical names; an organisation right after a title such as "Thứ trưởng
  Bộ Y tế" is a witness, not a party, unless it is a hospital or a UBND; one that an event
  is about — "ra mắt Bệnh viện X", "thăm Bệnh viện Y" — is no party either);
- signed: the date mentioned in that sentence, else the nearest one before it;
- start_year/end_year: a period mentioned in that sentence, else an explicit one in a later
  sentence about the document ("Theo hợp đồng, trong thời hạn 3 năm (2025 - 2028)");
- scope: the enumeration after "gồm:", "các nội dung:", "lĩnh vực:", "về:" … in that
  sentence or the next few, split on commas and semicolons (a final "A và B" is two
  items), or the list of a "Theo thỏa thuận, … 6 kỹ thuật: A, B và C; …" sentence, ending
  where a new clause starts ("; đào tạo …", "; đồng thời …", "… cho Bệnh viện X"); failing that, what the signing is about in its own sentence ("… về đào tạo
  nguồn nhân lực y tế", "hợp đồng chuyển giao kỹ thuật ghép thận từ người cho sống").

Agreements whose party lists overlap are one agreement (title and lead often repeat it).
Refuses: a planned signing ("sẽ ký kết", "dự kiến … ký"), a later sentence about attending
the ceremony ("Dự lễ ký kết có …", "Chứng kiến lễ ký …"), a parent body in parentheses
("Bệnh viện X (Bộ Y tế)"), cooperation that is not a signing ("hợp tác tăng cường năng lực"), pledges
("ký kết giao ước thi đua", "ký cam kết"), and signing sentences that name no party
("Sở Y tế" alone names none: which province's?).
"""

from __future__ import annotations

import re
from dataclasses import replace

from extract._orgs import org_at, orgs
from extract._text import keys_of, phrase_keys, sentence_spans, title_ends_at, tokenize
from extract.dates import find_dates
from extract.doc import Doc
from extract.hospitals import parse_hospital
from extract.normalize import fold_key
from extract.periods import find_periods
from extract.types import Agreement, Period

_TRIGGER = re.compile(
    r"\b(?:ky ket|ky thoa thuan|ky bien ban ghi nho|ky ghi nho|ky hop dong|ky chuong trinh"
    r"|hop tac toan dien)\b"
)
# The signing phrase reported as the mention: [lễ] ký [kết] [document] [hợp tác] [kind].
_PHRASE = re.compile(
    r"(?:\ble\s+)?\bky(?:\s+ket)?(?:\s+(?:thoa thuan|bien ban ghi nho|ghi nho|hop dong|chuong trinh"
    r"|quy che))?(?:\s+(?:hop tac|phoi hop))?(?:\s+(?:toan dien|chuyen mon|chuyen giao))?\b"
    r"|\bhop tac toan dien\b"
)
_SCOPE = re.compile(  # "Nội dung hợp tác gồm:", "các nội dung:", "hỗ trợ … về:"
    r"\b(?:(?:bao gom|gom|cac noi dung|noi dung|cac linh vuc|linh vuc|cac nhiem vu|nhiem vu"
    r"|nhu sau|tap trung vao|cu the)(?:\s+\w+){0,3}?|ve)\s*:\s*"
)
# A sentence that reports the document's contents: "Theo thỏa thuận, …", "Theo đó, …".
_BY_DOCUMENT = re.compile(r"\s*theo (?:do|(?:thoa thuan|hop dong|bien ban ghi nho|bien ban|ghi nho"
                          r"|chuong trinh)(?: \w+){0,2}?)\s*,")
# … whose list follows a colon ("6 kỹ thuật: A, B và C") or "các kỹ thuật / lĩnh vực".
_DOCUMENT_LIST = re.compile(r":\s*|\bcac (?:ky thuat|linh vuc|chuyen khoa|goi ky thuat)\s+(?=\w+[^.;:]*,)")
# A list ends where a new clause starts: "…; đào tạo …", "…, đồng thời hỗ trợ …".
_NEW_CLAUSE = r"[,;]\s*(?:dong thoi|ngoai ra|ben canh do|trong do)\b"
_LIST_END = re.compile(rf";|{_NEW_CLAUSE}|\.\s|\s(?:cho|tai|giua|voi|cua)\s+(?=\S)")  # a name after "cho"
_INLINE_SCOPE = re.compile(
    r"\s(?:ve|trong linh vuc|linh vuc|(?:chuyen giao\s+)?(?:cac\s+|\d+\s+)?(?:goi\s+)?ky thuat)\s+"
    r"(?P<body>.+?)(?=\s+(?:giai doan|thoi han|trong thoi han|nhiem ky|tu nam|den nam|nam \d"
    r"|nham|de)\b|\s*[.;:(]|$)"
)
_ABOUT_AGREEMENT = re.compile(
    r"\b(?:noi dung|linh vuc|hop tac|thoa thuan|bien ban|hop dong|hai ben|ho tro|chuyen giao"
    r"|nhiem vu|ky thuat|chuong trinh|phoi hop|trien khai)\b"
)
# "… cho Bệnh viện Đa khoa tỉnh", "… tại Hà Tĩnh": a place or a beneficiary ends the scope.
_SCOPE_CUT = re.compile(r"\s(?:cho|tai|giua|voi|cua)\s+(?=\S)")
# What is signed is a pledge, not a cooperation: "ký kết giao ước thi đua", "ký cam kết".
_NOT_AGREEMENT = re.compile(r"\s+(?:giao uoc|cam ket|ban cam ket|quy uoc thi dua)\b")
# A signing that is only planned: "UBND tỉnh sẽ ký kết …", "dự kiến ký …".
_PLANNED = re.compile(r"\b(?:se|sap|du kien|chuan bi|tien toi)\s+(?:(?:tien hanh|to chuc)\s+)?$")
# A sentence about attending the ceremony, not a signing: "Dự lễ ký kết có …", "Chứng kiến
# lễ ký có …", "Phát biểu tại lễ ký, …"; its organisations are guests.
_ATTENDING = re.compile(r"\b(?:du|tham du|chung kien|tai|sau)\s+(?:buoi\s+)?le\s+$")
# A sentence that speaks of the signed document, whose period is the agreement's:
# "Theo hợp đồng, trong thời hạn 3 năm (…)", "Biên bản có hiệu lực 3 năm, từ năm …".
_ABOUT_TERM = re.compile(r"\b(?:thoa thuan|bien ban|hop dong|ghi nho|chuong trinh|hieu luc"
                         r"|thoi han|hai ben|cac ben)\b")
_EVENT_OBJECT = re.compile(r"\b(?:ra mat|tham|khanh thanh|khai truong|tham quan)\s*$")
_PARTY_PREFIXES = ("UBND", "HĐND", "Sở ", "Bộ ", "Trường Đại học", "Đại học", "Học viện",
                   "Bệnh viện", "Viện ")
_ALWAYS_PARTY = ("UBND", "Bệnh viện")
SCOPE_SENTENCES = 8


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
    last = -2  # the token after the last organisation found
    while i < len(toks) and toks[i].end <= end:
        found = parse_hospital(toks, keys, i, doc.province) or org_at(toks, keys, i, doc.province)
        if not found:
            i += 1
            continue
        stop, name = found
        witness = title_ends_at(keys, i) and not name.startswith(_ALWAYS_PARTY)
        said = doc.text[toks[i].start:toks[stop - 1].end]  # "Sở Y tế": which province's?
        witness = witness or i == last + 1 and toks[i - 1].text == "("  # "X (Bộ Y tế)": X's parent
        witness = witness or bool(_EVENT_OBJECT.search(doc.plain, max(0, toks[i].start - 20),
                                                       toks[i].start))
        if name.startswith(_PARTY_PREFIXES) and not witness and not _bare(said) \
                and fold_key(name) not in {fold_key(p) for p in out}:
            out.append(name)
        i = last = stop
    return out


def _items(body: str, split_last: bool = True) -> tuple[str, ...]:
    items = [x.strip(" .") for x in re.split(r"[;,]", body)]
    if split_last and " và " in items[-1]:
        items[-1:] = [x.strip() for x in items[-1].split(" và ", 1)]
    return tuple(x for x in items if x)


def _document_list(doc: Doc, s: int, e: int) -> tuple[str, ...]:
    """"Theo hợp đồng, X sẽ chuyển giao 6 kỹ thuật: A, B và C; …" -> (A, B, C)."""
    if not _BY_DOCUMENT.match(doc.plain, s):
        return ()
    m = _DOCUMENT_LIST.search(doc.plain, s, e)
    if not m:
        return ()
    end = next((x.start() for x in _LIST_END.finditer(doc.plain, m.end(), e)
                if x.group(0)[0] != " " or doc.text[x.end()].isupper()), e)
    items = _items(doc.text[m.end():end].rstrip(" .;"))
    return items if len(items) > 1 else ()


def _scope(doc: Doc, spans: list[tuple[int, int]], n: int) -> tuple[str, ...]:
    """The enumerated contents of the agreement signed in sentence n."""
    for s, e in spans[n:n + SCOPE_SENTENCES]:
        if items := _document_list(doc, s, e):
            return items
        m = _SCOPE.search(doc.plain, s, e)
        # the lead-in must be about the agreement: not "Các đơn vị tham gia gồm: …"
        if m and (m.group(0).startswith("ve") or _ABOUT_AGREEMENT.search(doc.plain, s, m.end())):
            cut = re.compile(_NEW_CLAUSE).search(doc.plain, m.end(), e)
            items = _items(doc.text[m.end():cut.start() if cut else e].rstrip(" .;"))
            if len(items) > 1 or s == spans[n][0]:
                return items
    return ()


def _inline_scope(doc: Doc, phrase_end: int, e: int) -> tuple[str, ...]:
    """"ký kết biên bản ghi nhớ về đào tạo nguồn nhân lực y tế trong thời hạn …"."""
    m = _INLINE_SCOPE.search(doc.plain, phrase_end, e)
    if not m or m.start() - phrase_end > 60:
        return ()
    start, end = m.span("body")
    for cut in _SCOPE_CUT.finditer(doc.plain, start, end):
        if doc.text[cut.end()].isupper() or doc.plain.startswith("cac ", cut.end()):
            end = cut.start()
            break
    return _items(doc.text[start:end])


def _period(doc: Doc, spans: list[tuple[int, int]], n: int, periods: list) -> Period | None:
    """The period of the agreement signed in sentence n: one in that sentence, else one in
    a following sentence that speaks of the document ("Theo hợp đồng, trong thời hạn 3 năm
    (2025 - 2028)"); an explicit period wins over a relative one ("5 năm tới")."""
    s, e = spans[n]
    own = [p for p in periods if s <= p.start < e]
    if own and own[0].kind != "relative":
        return own[0]
    for s2, e2 in spans[n + 1:n + SCOPE_SENTENCES]:
        later = [p for p in periods if s2 <= p.start < e2 and p.kind != "relative"]
        if later and _ABOUT_TERM.search(doc.plain, s2, later[0].start):
            return later[0]
    return own[0] if own else None


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
    inline: tuple[str, ...] = ()
    for n, (s, e) in enumerate(spans):
        trigger = _TRIGGER.search(doc.plain, s, e)
        if not trigger or _NOT_AGREEMENT.match(doc.plain, trigger.end()) \
                or _PLANNED.search(doc.plain, max(s, trigger.start() - 25), trigger.start()):
            continue
        if found and _ATTENDING.search(doc.plain, max(s, trigger.start() - 25), trigger.start()):
            continue
        parties = _parties(doc, s, e)
        if not parties:
            continue
        phrase = _PHRASE.search(doc.plain, max(s, trigger.start() - 4), e) or trigger
        inline = inline or _inline_scope(doc, phrase.end(), e)
        inside = [d for d in dates if s <= d.start < e]
        before = [d for d in dates if d.start < s]
        signed = (inside or before[-1:] or [None])[0]
        period = _period(doc, spans, n, periods)
        ps, pe = phrase.span()
        _merge(found, Agreement(
            parties=tuple(parties), signed=signed.value if signed else None,
            start_year=period.start_year if period else None,
            end_year=period.end_year if period else None,
            scope=_scope(doc, spans, n), text=doc.text[ps:pe], start=ps, end=pe))
    return [a if a.scope or not inline else replace(a, scope=inline) for a in found]
