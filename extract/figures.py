"""Find figures: a number with what it counts — "hơn 500 lượt cán bộ y tế", "12,9 bác
sĩ/vạn dân", "1,5 tỷ đồng", "83% địa hình", "hàng trăm người".

Numbers are read in Vietnamese format (20.386 = 20386, 12,9 = 12.9), scaled by nghìn/ngàn/
vạn/triệu/tỷ; a qualifier before the number is kept (hơn, gần, khoảng, trên, dưới, gần như,
tới, đến, khoảng hơn …).  The unit is the counted noun phrase: [classifier] head
[modifiers] [/per] — or an "open" head and up to three describing words ("ca sốt xuất
huyết") — from ``lexicons/units.tsv``; without a lexicon head, up to two lower-case words
before punctuation or a function word.  A percent has unit "%"; the words after it ("83%
địa hình") stay in the mention text.

Refuses: years (2024, "2024 – 2030"), dates (12/10, 20.11), ratios (8/10), document numbers
("Nghị quyết 39", "Đề án 06", "Chỉ thị số 12-CT/TW", "Kỳ họp thứ 24", "lần thứ 2"), numbers
glued to a name ("Covid-19", "Thanh Chương 3", "MTQG 1719"), phone numbers and other
numbers with a leading zero, durations ("5 năm qua", "trong 3 ngày"), and numbers with no
unit.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extract._text import PhraseTable, Tok, keys_of, read_tsv, tokenize
from extract.doc import Doc
from extract.types import Figure

_NUM = re.compile(
    r"(?<![\w.,/%-])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![\d]|[.,/-]\d|-?[^\W\d_])"
)
_QUALIFIER = re.compile(
    r"(?:^|(?<=\W))(khoang hon|gan nhu|len toi|len den|xap xi|hon|gan|khoang|tren|duoi|toi"
    r"|den|chung|it nhat|toi da)\s+$"
)
_VAGUE = re.compile(r"\bhang (chuc|tram|nghin|ngan|van|trieu|ty)(?: (nghin|ngan|trieu|ty))?\b")
_MAGNITUDE = re.compile(r"\s+(nghin|ngan|van|trieu|ty|ti)\b")
_PERCENT = re.compile(r"\s?(%|phan tram\b)")
_SCALE = {"chuc": 10, "tram": 100, "nghin": 1000, "ngan": 1000, "van": 10_000,
          "trieu": 1_000_000, "ty": 1_000_000_000, "ti": 1_000_000_000}
# A number right after these words names a thing, it does not count one.
_NAMING = re.compile(
    r"(?:(?<!\w)(?:(?<!tổng )số|thứ|nghị quyết|quyết định|chỉ thị|đề án|thông tư|nghị định|kết luận|"
    r"công văn|luật|khóa|kỳ|lần|quận|phường|tổ|xóm|thôn|ấp|bản|khu|khu phố|cụm|lô|điểm|mục|"
    r"điều|khoản|chương|phần|nhóm|tầng|phòng|đường|quốc lộ|tỉnh lộ|ngày|tháng|năm|quý|giờ|"
    r"lớp|cơ sở|đội|covid|sars|mã|mẫu|phiên|giai đoạn|chương trình|dự án|kế hoạch|tiêu chí)"
    r"\s*[.:]?\s*)$"
)
_STOP = frozenset("""cho và của tại thuộc trong đã được với để là có so nhưng mà thì như nhằm
từ đến tới lên xuống vào ra trên dưới theo bằng sẽ đang bị do nên vì khi này đó kia nữa các
những mỗi một hơn gần cũng đều chỉ rất còn qua ở nay phải đạt tăng giảm xuống về đi sang
tham hỗ khám giúp nhận""".split())
MAX_PLAIN_WORDS = 2
MAX_OPEN_WORDS = 3


@lru_cache(maxsize=1)
def _units() -> PhraseTable:
    return PhraseTable((row[0], row[1]) for row in read_tsv("units.tsv"))


def counted_noun_at(doc: Doc, pos: int) -> bool:
    """Does a counted noun (a lexicon head, not a time unit) start at ``pos``?
    "8/10 huyện" is a ratio, not a date."""
    toks, keys = tokenize(doc.text), keys_of(doc.text)
    k = _tok_index(toks, pos)
    hit = _units().match(keys, k)
    return bool(hit) and hit[1] in ("head", "cls", "open")


def _tok_index(toks: tuple[Tok, ...], pos: int) -> int:
    lo, hi = 0, len(toks)
    while lo < hi:
        mid = (lo + hi) // 2
        if toks[mid].start < pos:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _plain_words(toks, keys, k: int, limit: int) -> int:
    n = k
    while n < len(toks) and n - k < limit and toks[n].kind == "w" and toks[n].text.islower() \
            and keys[n] not in _STOP and toks[n].start - toks[n - 1].end <= 1:
        n += 1
    return n


def _unit_end(toks, keys, k: int, percent: bool) -> int | None:
    """End token of the unit starting at token k; None when there is no countable unit."""
    units = _units()
    j = k
    if (hit := units.match(keys, j)) and hit[1] == "cls":
        j = hit[0]
    hit = units.match(keys, j)
    if hit and hit[1] == "time":
        return None  # durations ("5 năm qua", "trong 3 ngày") are not counts
    if hit and hit[1] in ("head", "cls", "open"):
        j = hit[0]
        while (mod := units.match(keys, j)) and mod[1] == "mod":
            j = mod[0]
        if j + 1 < len(toks) and toks[j].text == "/" and toks[j + 1].kind == "w":
            j = _plain_words(toks, keys, j + 1, 2)
        elif hit[1] == "open":  # "ca sốt xuất huyết", "đơn vị máu"
            j = _plain_words(toks, keys, j, MAX_OPEN_WORDS)
    else:
        j = _plain_words(toks, keys, j, MAX_PLAIN_WORDS + percent)
    if j == k and not percent:
        return None
    return j


def _value(number: str, scale: int) -> int | float:
    v = float(number.replace(".", "").replace(",", ".")) * scale
    return int(v) if v == int(v) else v


def _naming_context(doc: Doc, start: int) -> bool:
    """The number names something (document number, ordinal, a name's numeral)."""
    before = doc.tone[max(0, start - 30):start].lower()
    if _NAMING.search(before):
        return True
    m = re.search(r"(\S+)\s+$", doc.text[max(0, start - 30):start])
    if not m or not m.group(1)[0].isupper():
        return False
    pre = doc.text[:start - len(m.group(0))].rstrip()
    return bool(pre) and pre[-1] not in ".!?:;\n"  # capitalised word mid-sentence


def _figure(doc: Doc, start: int, end: int, value: int | float, toks, keys) -> Figure | None:
    m = _PERCENT.match(doc.plain, end)
    percent = bool(m)
    if m:
        end = m.end()
    k = _tok_index(toks, end)
    j = _unit_end(toks, keys, k, percent)
    if j is None:
        return None
    u_end = toks[j - 1].end if j > k else end
    words = " ".join(doc.text[toks[k].start:u_end].split()) if j > k else ""
    unit_text = "%" if percent else words
    q = _QUALIFIER.search(doc.plain, max(0, start - 14), start)
    qualifier = doc.text[q.start(1):q.end(1)].lower() if q else None
    s = q.start(1) if q else start
    return Figure(text=doc.text[s:u_end], value=value, unit=unit_text, qualifier=qualifier,
                  start=s, end=u_end)


def _numbers(doc: Doc, toks, keys) -> list[Figure]:
    out = []
    for m in _NUM.finditer(doc.text):
        digits = m.group(1)
        plain_digits = digits.replace(".", "").replace(",", "")
        if len(plain_digits) > 1 and plain_digits[0] == "0" and "," not in digits[:2]:
            continue  # "06", phone numbers
        if re.fullmatch(r"(19|20)\d\d", digits) or len(plain_digits) >= 8 and "." not in digits:
            continue  # years, long identifiers
        if _naming_context(doc, m.start()):
            continue
        end, scale = m.end(), 1
        mag = _MAGNITUDE.match(doc.plain, end)
        if mag:
            end, scale = mag.end(), _SCALE[mag.group(1)]
        fig = _figure(doc, m.start(), end, _value(digits, scale), toks, keys)
        if fig:
            out.append(fig)
    return out


def _vague(doc: Doc, toks, keys) -> list[Figure]:
    """"hàng trăm người" -> 100 người, qualifier "hàng trăm"."""
    out = []
    for m in _VAGUE.finditer(doc.plain):
        value = _SCALE[m.group(1)] * (_SCALE[m.group(2)] if m.group(2) else 1)
        fig = _figure(doc, m.start(), m.end(), value, toks, keys)
        if fig and fig.unit:
            qual = doc.text[m.start():m.start() + len("hàng ") + len(m.group(1))].lower()
            out.append(Figure(text=doc.text[m.start():fig.end], value=value, unit=fig.unit, qualifier=qual,
                              start=m.start(), end=fig.end))
    return out


def find_figures(doc: Doc) -> list[Figure]:
    toks, keys = tokenize(doc.text), keys_of(doc.text)
    found = _numbers(doc, toks, keys) + _vague(doc, toks, keys)
    return sorted(found, key=lambda f: f.start)
