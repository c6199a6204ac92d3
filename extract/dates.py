"""Find dates: "Chiều 12/10", "ngày 12 tháng 10 năm 2024", "12-10-2024", "tháng 10/2024",
"quý II/2025", "năm 2024", "14h30 ngày 12/10", "12-14/10".

A day/month without a year takes its year from the publication date (``doc.anchor``; the
month when only the month is known): of the neighbouring years, the one that puts the
event nearest publication, an event after publication counting double ("28/12" in an
article of 2025-01-03 is 2024-12-28).  Never today's clock; with no anchor at all the value
is "--MM-DD".  A part of day (rạng sáng, sáng, trưa, chiều, tối, đêm, khuya) and a time
(14h30, 14 giờ 30 phút, 8h) just before the date are kept.  Values are validated
(31/2 is no date).  Granularity is stored (day, month, quarter, year); no day is invented.

Ranges become one mention with ``end_value``: "từ ngày 15/1 đến ngày 25/1", "Từ ngày 12
đến 14/11", "hai ngày 7 và 8/12", "14 - 15/11", "từ tháng 3/2023 đến tháng 3/2025".
"17 giờ cùng ngày" / "sáng hôm sau" take the previous day mention's date (+1 for "hôm
sau"); a bare "Cùng ngày" is no mention.  Lunar dates ("Tết Nguyên đán Ất Tỵ", "đêm giao
thừa", "Rằm tháng Bảy", "mùng 10 tháng 3 âm lịch") come from ``extract.lunar`` with
``calendar="lunar"`` and their solar ``value``.  No dateparser search over free text.

Refuses: ratios ("8/10 huyện": a counted noun follows), decimals and percents ("12,9",
"40%"), document numbers ("Chỉ thị số 12-CT/TW", "Nghị định 15/2023/NĐ-CP"), bare years and
year ranges ("2024 – 2030" — periods), and a "năm 2030" that is part of a period.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from extract.doc import Doc, memoized
from extract.figures import counted_noun_at
from extract.lunar import find_lunar_dates
from extract.periods import find_periods
from extract.types import DateMention

_POD_WORDS = r"rang sang|sang|trua|chieu|toi|dem|khuya"
_POD = rf"(?P<pod>{_POD_WORDS})"
_TIME = r"(?P<hh>[01]?\d|2[0-3])\s?(?:h|gio)(?:\s?(?P<mm>[0-5]\d)(?:\s?phut)?)?(?![^\W\d_])"
# Between a part of day and its date: "nay"/"qua", a weekday, a comma or a parenthesis —
# "Sáng Thứ Hai, 17/3", "Sáng nay (14/3)", "chiều qua (4/2)", "Sáng Chủ nhật (14/12)".
_WEEKDAY = r"(?:thu\s+(?:hai|ba|tu|nam|sau|bay|[2-7])|chu\s+nhat)"
_POD_GAP = rf"(?:(?:nay|qua)\s*)?(?:{_WEEKDAY}\s*)?[,(]?\s*"
_PREFIX = (rf"(?:{_TIME}\s*,?\s*)?(?:{_POD}\s+{_POD_GAP}|hom\s+(?:nay|qua)\s*[,(]?\s*)?"
           rf"(?P<ngay>(?:ngay|hom)\s+)?")
# The prefix is matched backwards from a date core found first (a leading optional group
# would make the engine try it at every character).
_PREFIX_BACK = re.compile(rf"(?<![^\W\d_]){_PREFIX}$")
_TIME_FROM_BACK = re.compile(rf"(?<![^\W\d_])(?:tu\s+)?{_TIME}\s*(?:-|–|den|toi)\s*$")
PREFIX_WINDOW = 40
_EDGE = r"(?<![\w/.,-])"
_AFTER = r"(?![\d]|[/.,-]\d|[/-][^\W\d_])"
_YEAR = r"(?P<y>(?:19|20)\d\d)"

_DAY_FORMS = [
    re.compile(rf"{_EDGE}(?P<d>\d{{1,2}})\s?(?P<sep>[/.-])\s?(?P<m>\d{{1,2}})"
               rf"\s?(?P=sep)\s?{_YEAR}{_AFTER}"),
    re.compile(rf"(?<=ngay\s)(?P<d>\d{{1,2}})\s?thang\s+(?P<m>\d{{1,2}})"
               rf"(?:\s*(?:nam|,)\s*{_YEAR})?(?!\d)"),
    re.compile(rf"{_EDGE}(?:(?P<d0>\d{{1,2}})\s?[-–]\s?)?(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})"
               rf"{_AFTER}"),
    # "ngày 1 và 2 tháng 11 (năm 2024)": a day range written out
    re.compile(rf"(?<=ngay\s)(?P<d0>\d{{1,2}})\s*(?:va|den|toi|-|–)\s*(?:ngay\s+)?(?P<d>\d{{1,2}})"
               rf"\s+thang\s+(?P<m>\d{{1,2}})(?:\s*(?:nam|,)\s*{_YEAR})?(?!\d)"),
    # "(hai) ngày 7 và 8/12", "từ ngày 12 đến 14/11": a day range sharing one month
    re.compile(rf"(?<=ngay\s)(?P<d0>\d{{1,2}})\s+(?:va|den|toi)\s+(?:ngay\s+)?(?P<d>\d{{1,2}})"
               rf"/(?P<m>\d{{1,2}}){_AFTER}"),
    # "ngày 12-9", "Sáng 23-9", "chiều thứ Ba, 5.8": day-month after "ngày" or a part of day
    re.compile(rf"(?<![^\W\d_])(?:ngay|(?:{_POD_WORDS})\s+{_POD_GAP})\s*"
               rf"(?P<core>(?P<d>\d{{1,2}})[.-](?P<m>\d{{1,2}})){_AFTER}"),
]
_MONTH = re.compile(rf"\bthang\s+(?P<m>\d{{1,2}})\s*(?:/|-|nam)\s*{_YEAR}(?!\d)")
_QUARTER = re.compile(rf"\bquy\s+(?P<q>iv|iii|ii|i|[1-4])\s*(?:/|-|nam)\s*{_YEAR}(?!\d)")
_YEAR_ONLY = re.compile(rf"\bnam\s+{_YEAR}(?![\d/-])")
_DOC_NUMBER = re.compile(r"\bso\s*$")
_SAME_DAY = re.compile(r"\b(?:cung ngay|hom sau)\b")
# "Chiều qua, …", "sáng nay …" with no date after them: a day counted from publication.
_BARE_RELATIVE = re.compile(rf"(?<![^\W\d_])(?:{_POD_WORDS})\s+(?P<rel>nay|qua)\b"
                            r"(?!\s*[,(]?\s*(?:ngay\s+)?\d)")
_FROM_BACK = re.compile(r"(?<![^\W\d_])tu\s+$")
_RANGE_JOIN = re.compile(r"\s*(?:(?:cho\s+)?(?:den|toi)|(?P<dash>[-–—]))\s*(?:het\s+)?")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_PARTS_OF_DAY = frozenset({"rạng sáng", "sáng", "trưa", "chiều", "tối", "đêm", "khuya"})
FUTURE_WEIGHT = 2


def _last_day(d: date) -> date:
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def infer_year(day: int, month: int, anchor: date | None, precision: str | None) -> int | None:
    """The year of day/month nearest the anchor (future distances weigh double); None when
    there is no anchor or the day never exists."""
    if anchor is None:
        return None
    lo, hi = anchor, (_last_day(anchor) if precision == "month" else anchor)
    best: tuple[int, int] | None = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            d = date(year, month, day)
        except ValueError:
            continue
        cost = (lo - d).days if d < lo else (FUTURE_WEIGHT * (d - hi).days if d > hi else 0)
        if best is None or cost < best[0]:
            best = (cost, year)
    return best[1] if best else None


def _valid(y: int | None, m: int, d: int) -> bool:
    try:
        date(y or 2000, m, d)  # 2000 is a leap year: 29/2 stays possible
        return True
    except ValueError:
        return False


def _prefix(doc: Doc, core: int) -> tuple[int, str | None, str | None]:
    """Start, part of day and time of what precedes a date core ("Chiều ", "14h30 ngày ")."""
    pm = _PREFIX_BACK.search(doc.plain, max(0, core - PREFIX_WINDOW), core)
    if not pm or pm.start() == core:
        return core, None, None
    time = None
    if pm.group("hh"):
        time = f"{int(pm.group('hh')):02d}:{int(pm.group('mm') or 0):02d}"
    pod = doc.tone[pm.start("pod"):pm.end("pod")].lower() if pm.group("pod") else None
    if pod and pod not in _PARTS_OF_DAY:  # "tới 12/10", "đem": not a part of day
        return (pm.start("ngay") if pm.group("ngay") else core), None, None
    start = pm.start()
    if time and (tr := _TIME_FROM_BACK.search(doc.plain, max(0, start - 20), start)):
        start = tr.start()  # "Từ 7h30 đến 11h ngày 12/10": the event starts at 7:30
        time = f"{int(tr.group('hh')):02d}:{int(tr.group('mm') or 0):02d}"
    return start, pod, time


def _day_mention(doc: Doc, mt: re.Match[str]) -> DateMention | None:
    groups = mt.groupdict()
    d, m = int(mt.group("d")), int(mt.group("m"))
    y = int(groups["y"]) if groups.get("y") else None
    if not _valid(y, m, d):
        return None
    core = mt.start("core") if groups.get("core") else mt.start()
    if _DOC_NUMBER.search(doc.plain, max(0, core - 6), core):
        return None
    if y is None and counted_noun_at(doc, mt.end()):
        return None  # "8/10 huyện": a ratio; "Tối 5-7 người": a range
    if y is None:
        y = infer_year(d, m, doc.anchor, doc.anchor_precision)
    value = f"{y:04d}-{m:02d}-{d:02d}" if y else f"--{m:02d}-{d:02d}"
    end_value = None
    if groups.get("d0"):
        d0 = int(groups["d0"])
        if not d0 < d or not _valid(y, m, d0):
            return None
        value, end_value = value[:-2] + f"{d0:02d}", value
    s, pod, time = _prefix(doc, core)
    if end_value and (frm := _FROM_BACK.search(doc.plain, max(0, s - 4), s)):
        s = frm.start()  # "Từ ngày 12 đến 14/11"
    e = mt.end()
    if "(" in doc.text[s:core] and doc.text.startswith(")", e):
        e += 1  # "Sáng nay (14/3)": the parenthesis opened in the prefix closes
    return DateMention(text=doc.text[s:e], start=s, end=e, value=value, granularity="day",
                       part_of_day=pod, time=time, end_value=end_value)


def _coarse(doc: Doc) -> list[DateMention]:
    out = []
    for mt in _MONTH.finditer(doc.plain):
        m, y = int(mt.group("m")), int(mt.group("y"))
        if 1 <= m <= 12:
            out.append(DateMention(text=doc.text[mt.start():mt.end()], start=mt.start(),
                                   end=mt.end(), value=f"{y}-{m:02d}", granularity="month"))
    for mt in _QUARTER.finditer(doc.plain):
        q = mt.group("q")
        q_n = int(q) if q.isdigit() else _ROMAN[q]
        out.append(DateMention(text=doc.text[mt.start():mt.end()], start=mt.start(),
                               end=mt.end(), value=f"{mt.group('y')}-Q{q_n}",
                               granularity="quarter"))
    for mt in _YEAR_ONLY.finditer(doc.plain):
        out.append(DateMention(text=doc.text[mt.start():mt.end()], start=mt.start(),
                               end=mt.end(), value=mt.group("y"), granularity="year"))
    return out


def _lunar(doc: Doc) -> list[DateMention]:
    out = []
    for m in find_lunar_dates(doc):
        s, pod, time = _prefix(doc, m.start)
        out.append(replace(m, text=doc.text[s:m.end], start=s, part_of_day=pod, time=time))
    return out


def _relative(doc: Doc, chosen: list[DateMention]) -> list[DateMention]:
    """"17 giờ cùng ngày", "sáng hôm sau": the date of the previous day mention (+1 for
    "hôm sau"), kept only with a time or a part of day (a bare "Cùng ngày" is no date)."""
    out = []
    for mt in _SAME_DAY.finditer(doc.plain):
        s, pod, time = _prefix(doc, mt.start())
        if not (pod or time):
            continue
        prev = [d for d in chosen if d.end <= s and d.granularity == "day"
                and d.value[:1].isdigit()]
        if not prev:
            continue
        day = date.fromisoformat(prev[-1].end_value or prev[-1].value)
        if mt.group(0) != "cung ngay":
            day += timedelta(days=1)
        out.append(DateMention(text=doc.text[s:mt.end()], start=s, end=mt.end(),
                               value=day.isoformat(), part_of_day=pod, time=time))
    if doc.anchor is not None and doc.anchor_precision == "day":
        for mt in _BARE_RELATIVE.finditer(doc.plain):
            s, pod, time = _prefix(doc, mt.end())
            day = doc.anchor - timedelta(days=mt.group("rel") == "qua")
            out.append(DateMention(text=doc.text[s:mt.end()], start=s, end=mt.end(),
                                   value=day.isoformat(), part_of_day=pod, time=time))
    return out


def _merge_ranges(doc: Doc, found: list[DateMention]) -> list[DateMention]:
    """"từ ngày 15/1 đến ngày 25/1", "từ tháng 3/2023 đến tháng 3/2025", "12/10 – 14/10":
    two mentions of one granularity become one with ``end_value``."""
    out: list[DateMention] = []
    for d in found:
        a = out[-1] if out else None
        if a is not None and a.end_value is None and d.end_value is None \
                and a.granularity == d.granularity and a.value <= d.value \
                and (join := _RANGE_JOIN.fullmatch(doc.plain, a.end, d.start)) \
                and ((frm := _FROM_BACK.search(doc.plain, max(0, a.start - 4), a.start))
                     or join.group("dash")):
            s = frm.start() if frm else a.start
            out[-1] = replace(a, text=doc.text[s:d.end], start=s, end=d.end, end_value=d.value,
                              calendar="lunar" if "lunar" in (a.calendar, d.calendar) else "solar")
        else:
            out.append(d)
    return out


@memoized
def find_dates(doc: Doc) -> list[DateMention]:
    candidates: list[DateMention] = []
    for pattern in _DAY_FORMS:
        for mt in pattern.finditer(doc.plain):
            mention = _day_mention(doc, mt)
            if mention:
                candidates.append(mention)
    candidates.extend(_coarse(doc))
    candidates.extend(_lunar(doc))
    taken = [(p.start, p.end) for p in find_periods(doc)]
    chosen: list[DateMention] = []
    # longest first: "ngày 12 tháng 10 năm 2024" wins over "năm 2024"
    for c in sorted(candidates, key=lambda c: (c.start - c.end, c.start)):
        if any(s < c.end and c.start < e for s, e in taken):
            continue
        taken.append((c.start, c.end))
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    chosen.extend(r for r in _relative(doc, chosen)
                  if not any(s < r.end and r.start < e for s, e in taken))
    return _merge_ranges(doc, sorted(chosen, key=lambda c: c.start))
