"""Find figures: a number with what it counts — "hơn 500 lượt cán bộ y tế", "12,9 bác
sĩ/vạn dân", "1,5 tỷ đồng", "100% trạm y tế", "hàng trăm người", "8/10 huyện", "30-40 ca".

Numbers are read in Vietnamese format (20.386 = 20386, 12,9 = 12.9), scaled by nghìn/ngàn/
vạn/triệu/tỷ; a qualifier before the number is kept (hơn, gần, khoảng, trên, dưới, gần
như, lên tới, có tới, gấp, ít nhất, hàng trăm …; a bare "tới"/"đến" is a preposition). The
unit is the counted noun phrase from ``lexicons/units.tsv``: [classifier] head [modifiers]
[/per or "trên 100.000 dân"] — an "open" head takes up to five describing words ("bệnh
nhân suy thận mạn"; one more to finish a two-syllable word of the underthesea word list:
"nội soi tiêu hóa") — and more heads joined by commas or "và" ("bác sĩ, điều dưỡng";
"huyện, thị xã, thành phố"). Without a lexicon head, up to five lower-case words before
punctuation, a function word or a verb ("287 bác sĩ [nghỉ việc]"). A hyphened word counts
once ("ê-kíp"); a closing acronym or loanword belongs ("liều vắc xin MR", "máy Phaco"); a
parallel noun after "," or "và" belongs ("vật tư, hóa chất", "tim mạch và thần kinh"). A percent (or ‰) has unit "%"; its text takes a counted
noun after it ("100% trạm y tế") but not other words ("27%" of "27% kế hoạch"). Ratios
"8/10 huyện" keep the whole in ``total``; ranges "từ 1.000 đến 1.500 người" the high end
in ``end_value``.

Refuses: years (2024, "2024 – 2030"), dates (12/10, 20.11), bare ratios (8/10), document
numbers ("Nghị quyết 39", "Đề án 06", "Chỉ thị số 12-CT/TW", "Kỳ họp thứ 24", "lần thứ
2"), numbers glued to a name ("Covid-19", "Thanh Chương 3", "MTQG 1719", "Bệnh viện Nhân
dân 115"), phone numbers (a leading zero, groups written with spaces, "gọi 115", "cấp cứu
115"), durations ("5 năm qua", "trong 3 ngày"), and numbers with no unit.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from extract._text import PhraseTable, Tok, keys_of, read_tsv, tokenize, two_syllable_words
from extract.hospitals import parse_hospital
from extract.doc import Doc
from extract.types import Figure

_NUM = re.compile(  # not a group of a phone number written with spaces ("0238 3844 115")
    r"(?<![\w.,/%-])(?<!\d )(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![\d]|[.,/-]\d|-?[^\W\d_])"
)
_QUALIFIER = re.compile(
    r"(?:^|(?<=\W))(khoang hon|gan nhu|len toi|len den|xap xi|hon|gan|khoang|tren|duoi"
    r"|(?:(?<=co )|(?<=la )|(?<=dat ))(?:toi|den)|chung|it nhat|toi da|gap|hang)\s+$"
)
_VAGUE = re.compile(r"\bhang (chuc|tram|nghin|ngan|van|trieu|ty)(?: (nghin|ngan|trieu|ty))?\b")
_MAGNITUDE = re.compile(r"\s+(nghin|ngan|van|trieu|ty|ti)\b")
_PERCENT = re.compile(r"\s?(%|‰|phan tram\b)")
_SCALE = {"chuc": 10, "tram": 100, "nghin": 1000, "ngan": 1000, "van": 10_000,
          "trieu": 1_000_000, "ty": 1_000_000_000, "ti": 1_000_000_000}
# A number right after these words names a thing, it does not count one.
_NAMING = re.compile(
    r"(?:(?<!\w)(?:(?<!tổng )số|thứ|nghị quyết|quyết định|chỉ thị|đề án|thông tư|nghị định|kết luận|"
    r"công văn|luật|khóa|kỳ|lần|quận|phường|tổ|xóm|thôn|ấp|bản|khu|khu phố|cụm|lô|điểm|mục|"
    r"điều|khoản|chương|phần|nhóm|tầng|phòng|đường|quốc lộ|tỉnh lộ|ngày|tháng|năm|quý|giờ|"
    r"lớp|cơ sở|đội|covid|sars|mã|mẫu|phiên|giai đoạn|chương trình|dự án|kế hoạch|tiêu chí|"
    r"gọi|gọi ngay|tổng đài|đường dây nóng|đường dây|hotline|điện thoại)"
    r"\s*[.:]?\s*)$"
)
_STOP = frozenset("""cho và của tại thuộc trong đã được với để là có so nhưng mà thì như nhằm
từ đến tới lên xuống vào ra trên dưới theo bằng sẽ đang bị do nên vì khi này đó kia nữa các
những mỗi một hơn gần cũng đều chỉ rất còn qua ở nay phải đạt tăng giảm xuống về đi sang
tham hỗ khám giúp nhận trực cần gồm bao trở phản hoặc triển điều chiếm hiện vẫn tự
làm đưa bảo tổng số độ khác sau trước ngay xác dùng tìm gửi""".split())
# Two-word verbs whose first word also names things ("xạ trị", "phục hồi", "phát ban"):
# "100 suất quà trị giá", "25 xe cứu thương phục vụ", "70% ca bệnh tập trung".
# Likewise verbs whose first word also describes ("mẫu thực phẩm", "nhà nghỉ"):
# "287 bác sĩ nghỉ việc", "236 công nhân nhập viện".
_STOP_PAIRS = frozenset({("trị", "giá"), ("phục", "vụ"), ("phát", "hiện"), ("phát", "biểu"),
                         ("tập", "trung"), ("phát", "động"), ("phát", "triển"), ("thực", "hiện"),
                         ("nghỉ", "việc"), ("nghỉ", "hưu"), ("nhập", "viện"), ("xuất", "viện"),
                         ("đặt", "tại")})
# One Vietnamese syllable: onset, vowel nucleus, final.  A capitalised word that is not one
# is a loanword or a brand ("máy Phaco"), not a place name ("Quỳ Hợp").
_VI_SYLLABLE = re.compile(
    r"(?:[bcdđghklmnpqrstvx]|ch|gh|gi|kh|ng|ngh|nh|ph|qu|th|tr)?"
    r"[aăâeêioôơuưyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]{1,3}"
    r"(?:ch|ng|nh|[cmnpt])?", re.IGNORECASE)
_N = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_NUM_RANGE = re.compile(
    rf"(?<![\w.,/%-])(?:tu\s+)?(?P<a>{_N})\s*(?:-|–|den|toi)\s*(?P<b>{_N})(?![\d]|[.,/-]\d|-?[^\W\d_])"
)
_YEARISH = re.compile(r"(19|20)\d\d")
_RATIO = re.compile(r"(?<![\w.,/%-])(\d{1,3}(?:\.\d{3})*)/(\d{1,3}(?:\.\d{3})*)(?![\d/]|[.,-]\d)(?= )")
_PER_NOUNS = frozenset({"dân", "người", "trẻ", "ca", "lượt", "giường"})
_PLACE_WORDS = frozenset({"huyện", "xã", "tỉnh", "phường", "quận", "thị xã", "thành phố", "thị trấn"})
_HOSPITAL_FIRST = frozenset({"bệnh", "bv", "bvđk", "bvtw", "bvqy", "bvđktw"})
HOSPITAL_LOOKBACK = 6
_HOTLINES = frozenset({"111", "112", "113", "114", "115"})
_WORD_BEFORE = re.compile(r"(\S+)\s+$")
MAX_PLAIN_WORDS = 5
MAX_OPEN_WORDS = 5


@lru_cache(maxsize=1)
def _units() -> PhraseTable:
    return PhraseTable((row[0], row[1]) for row in read_tsv("units.tsv"))


def counted_noun_at(doc: Doc, pos: int) -> bool:
    """Does a counted noun (a lexicon head, not a time unit) start at ``pos``?
    "8/10 huyện" is a ratio, not a date."""
    return counted_noun_token(keys_of(doc.text), _tok_index(tokenize(doc.text), pos))


def counted_noun_token(keys: tuple[str, ...], k: int) -> bool:
    """Does a counted noun (a lexicon head, not a time unit) start at token k?"""
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
    """Describing words from k, stopping at punctuation, function words and verbs; a
    hyphened word counts once ("ê-kíp")."""
    n = words = k
    while n < len(toks) and words - k < limit + 1 and _describing(toks, keys, n):
        if words - k == limit and (keys[n - 1], keys[n]) not in two_syllable_words():
            break  # past the limit only to finish a word: "nội soi tiêu [hóa]"
        n, words = _hyphened(toks, n + 1), words + 1
    return n


def _tail(toks, keys, k: int, n: int) -> int:
    """After a described noun k..n: a closing loanword or acronym ("vắc xin MR"), then
    parallel nouns after "," or "và" ("vật tư, hóa chất", "tim mạch và thần kinh")."""
    return _parallel(toks, keys, k, _loanword(toks, keys, n))


def _glued(toks, n: int) -> bool:
    return n < len(toks) and toks[n].start - toks[n - 1].end <= 1


def _hyphened(toks, n: int) -> int:
    """"ê-kíp", "x-quang": a hyphen between lower-case syllables joins one word."""
    while n + 1 < len(toks) and toks[n].text == "-" and toks[n].start == toks[n - 1].end \
            and toks[n + 1].start == toks[n].end and toks[n + 1].text.isalpha() \
            and toks[n + 1].text.islower():
        n += 2
    return n


def _boundary(toks, keys, n: int) -> bool:
    """A noun phrase may end before token n: text end, punctuation (not a hyphen or slash
    inside a word: "Covid-19") or a function word."""
    return n >= len(toks) or keys[n] in _STOP or toks[n].kind == "p" \
        and not (toks[n].text in "-/" and _glued(toks, n + 1) and toks[n].start == toks[n - 1].end)


def _loanword(toks, keys, n: int) -> int:
    """"liều vắc xin MR,", "máy phẫu thuật Phaco.": one acronym or non-Vietnamese word
    that closes the phrase (not "bác sĩ BV Chợ Rẫy", not "cán bộ UBND xã")."""
    if not _glued(toks, n) or toks[n].kind != "w" or not toks[n].text.isalpha():
        return n
    t = toks[n].text
    foreign = len(t) > 1 and (t.isupper() or t[0].isupper() and not _VI_SYLLABLE.fullmatch(t))
    return n + 1 if foreign and _boundary(toks, keys, n + 1) else n


def _parallel(toks, keys, k: int, n: int) -> int:
    """"mặt hàng vật tư, hóa chất", "lượt quân, dân": after "," or "và", a noun of the same
    length as the one before it, ending the phrase (not "300 người, phát quà")."""
    words = two_syllable_words()
    while n + 1 < len(toks) and keys[n] in (",", "và") and _glued(toks, n) and _glued(toks, n + 1):
        m = n + 1
        while m < len(toks) and m - n <= 2 and _describing(toks, keys, m):
            m += 1
        size, before = m - n - 1, n - k - (_units().match(keys, k) or (0, ""))[1].count("cls")
        if not 1 <= size <= 2 or before < size or not _boundary(toks, keys, m) \
                or size == 2 and not ((keys[n - 2], keys[n - 1]) in words
                                      and (keys[n + 1], keys[n + 2]) in words) \
                or size == 1 and (before != 1 or m < len(toks) and toks[m].kind != "p"):
            break
        n = m
    return n


def _describing(toks, keys, n: int) -> bool:
    t = toks[n]
    return t.kind == "w" and t.text.islower() and t.text.isalpha() \
        and t.start - toks[n - 1].end <= 1 and tuple(keys[n:n + 2]) not in _STOP_PAIRS \
        and (keys[n] not in _STOP or _describes(toks, keys, n))


def _before_place_name(toks, keys, k: int, j: int) -> int:
    """"1.000 người dân [huyện] Quỳ Hợp": a place word goes with the name after it."""
    if j < len(toks) and toks[j].syllable and toks[j].start - toks[j - 1].end <= 1:
        for n in (2, 1):
            if j - n > k and " ".join(keys[j - n:j]) in _PLACE_WORDS:
                return j - n
    return j


def _describes(toks, keys, n: int) -> bool:
    """"người tiếp xúc gần": "gần" describes, unless a number follows ("gần 500")."""
    return keys[n] == "gần" and not (n + 1 < len(toks) and toks[n + 1].text[0].isdigit())


def _head_end(toks, keys, k: int) -> int | None:
    """End of a lexicon noun phrase at k: [cls] head [mod…] [/ per] [describing words]."""
    units = _units()
    j = k
    if (hit := units.match(keys, j)) and hit[1] == "cls":
        j = hit[0]
    hit = units.match(keys, j)
    if not hit or hit[1] not in ("head", "cls", "open"):
        return None
    j = hit[0]
    while mods := [end for end, role in units.match_all(keys, j) if role == "mod"]:
        j = mods[0]
    if j + 1 < len(toks) and toks[j].text == "/" and toks[j].start == toks[j - 1].end:
        return _per(toks, keys, j + 1)
    if j + 2 < len(toks) and keys[j] in ("trên", "mỗi") and toks[j + 1].text[0].isdigit() \
            and (end := _per(toks, keys, j + 1)) > j + 2 \
            and any(k in _PER_NOUNS for k in keys[j + 2:end]):
        return end  # "5,6 ca trên 100.000 dân": a rate, not "over 100,000"
    if hit[1] == "open":  # "ca sốt xuất huyết", "bệnh nhân suy thận mạn"
        return _tail(toks, keys, j, _plain_words(toks, keys, j, MAX_OPEN_WORDS))
    return _loanword(toks, keys, j) if j - k > 1 else j


def _per(toks, keys, j: int) -> int:
    """"bác sĩ/vạn dân", "ca/100.000 dân": the denominator after a slash."""
    if j < len(toks) and toks[j].text[0].isdigit():
        j += 1
        while j + 1 < len(toks) and toks[j].text == "." and toks[j + 1].text.isdigit():
            j += 2
    return _plain_words(toks, keys, j, 3)


def _coordinated(toks, keys, j: int) -> int:
    """"bác sĩ, điều dưỡng", "huyện, thị xã, thành phố", "bác sĩ và kỹ thuật viên": more
    counted nouns joined by commas or "và" belong to the unit."""
    while j + 1 < len(toks) and keys[j] in (",", "và") and toks[j].start - toks[j - 1].end <= 1:
        nxt = _head_end(toks, keys, j + 1)
        if nxt is None:
            break
        j = nxt
    return j


def _unit_end(toks, keys, k: int, percent: bool) -> int | None:
    """End token of the unit starting at token k; None when there is no countable unit.
    After a percent only a lexicon noun phrase counts ("100% trạm y tế", not "27% kế hoạch")."""
    if (hit := _units().match(keys, k)) and hit[1] == "time":
        return None  # durations ("5 năm qua", "trong 3 ngày") are not counts
    j = _head_end(toks, keys, k)
    if j is not None:
        return _before_place_name(toks, keys, k, _coordinated(toks, keys, j))
    if percent:
        return k
    j = _plain_words(toks, keys, k, MAX_PLAIN_WORDS)
    return _tail(toks, keys, k, j) if j > k else None


def _value(number: str, scale: int) -> int | float:
    v = float(number.replace(".", "").replace(",", ".")) * scale
    return int(v) if v == int(v) else v


def _naming_context(doc: Doc, start: int) -> bool:
    """The number names something (document number, ordinal, a name's numeral)."""
    before = doc.tone[max(0, start - 30):start].lower()
    if _NAMING.search(before) or _in_hospital_name(doc, start):
        return True
    m = _WORD_BEFORE.search(doc.text, max(0, start - 30), start)
    if not m or not m.group(1)[0].isupper() or m.group(1)[-1] in ",;:)" \
            or re.match(r"\d{1,3}\.\d{3}\b", doc.text[start:start + 8]):
        return False  # a name's numeral has no thousands groups: "Chợ Rẫy 1.043 ca"
    pre = doc.text[:start - len(m.group(0))].rstrip()
    return bool(pre) and pre[-1] not in ".!?:;\n"  # capitalised word mid-sentence


def _in_hospital_name(doc: Doc, start: int) -> bool:
    """"Bệnh viện Nhân dân 115 bàn giao …", "BV Quân y 103": the number is the name's."""
    toks, keys = tokenize(doc.text), keys_of(doc.text)
    k = _tok_index(toks, start)
    for b in range(max(0, k - HOSPITAL_LOOKBACK), k):
        if keys[b] in _HOSPITAL_FIRST and (found := parse_hospital(toks, keys, b, doc.province)):
            return found[0] > k
    return False


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
    unit_text = ("‰" if m.group(1) == "‰" else "%") if m else words
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
        if _naming_context(doc, m.start()) or (
                digits in _HOTLINES and doc.plain.endswith("cap cuu ", 0, m.start())):
            continue  # "cấp cứu 115" is the emergency line, "cấp cứu 2.140 ca" a count
        end, scale = _magnitude(doc, m.end())
        fig = _figure(doc, m.start(), end, _value(digits, scale), toks, keys)
        if fig:
            out.append(fig)
    return out


def _magnitude(doc: Doc, end: int) -> tuple[int, int]:
    """Magnitude words after a number, multiplied: "3 nghìn tỷ" = 3 × 10^12."""
    scale = 1
    while mag := _MAGNITUDE.match(doc.plain, end):
        end, scale = mag.end(), scale * _SCALE[mag.group(1)]
    return end, scale


def _ranges(doc: Doc, toks, keys) -> list[Figure]:
    """"30-40 ca/ngày", "từ 1.000 đến 1.500 người", "2 - 3 triệu đồng": value is the low
    end, ``end_value`` the high end; a magnitude word after the second number scales both."""
    out = []
    for m in _NUM_RANGE.finditer(doc.plain):
        a, b = m.group("a"), m.group("b")
        if _YEARISH.fullmatch(a) and _YEARISH.fullmatch(b) or _naming_context(doc, m.start()):
            continue  # "2021-2025": years
        end, scale = _magnitude(doc, m.end())
        low, high = _value(a, scale), _value(b, scale)
        fig = _figure(doc, m.start("a"), end, low, toks, keys) if low < high else None
        if fig and fig.unit and m.start() < m.start("a"):  # "từ 1.000 đến 1.500 người"
            s = m.start()
            out.append(replace(fig, text=doc.text[s:fig.end], start=s, qualifier=None, end_value=high))
        elif fig and fig.unit:  # "khoảng 30-40 ca/ngày"
            out.append(replace(fig, end_value=high))
    return out


def _ratios(doc: Doc, toks, keys) -> list[Figure]:
    """"8/10 huyện", "161/161 xã, phường, thị trấn": value is the part, ``total`` the whole;
    only with a counted noun after it (a bare "8/10" is a date or nothing)."""
    out = []
    for m in _RATIO.finditer(doc.text):
        part, whole = _value(m.group(1), 1), _value(m.group(2), 1)
        if not 0 < part <= whole or _naming_context(doc, m.start()):
            continue
        fig = _figure(doc, m.start(), m.end(), part, toks, keys)
        if fig and counted_noun_at(doc, m.end() + 1):
            out.append(replace(fig, total=whole))
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
    found = _ranges(doc, toks, keys) + _numbers(doc, toks, keys) + _ratios(doc, toks, keys) \
        + _vague(doc, toks, keys)
    out: list[Figure] = []
    for f in sorted(found, key=lambda f: (f.start, -f.end)):  # the longest at a place wins
        if not out or f.start >= out[-1].end:                 # "5,6 ca trên 100.000 dân": one
            out.append(f)
    return out
