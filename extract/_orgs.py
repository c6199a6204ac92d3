"""Organisation names inside officials' titles: "Bộ Y tế", "UBND tỉnh", "Tỉnh ủy",
"Ban Thường vụ Tỉnh ủy", "Sở Y tế Nghệ An", "Bệnh viện Bạch Mai", "Quân khu 4".

``org_at`` returns the canonical form: lexicon casing ("Bộ y tế" -> "Bộ Y tế"), TW/TƯ
expanded, and a bare "tỉnh" (or an implicit one: "Tỉnh ủy", a bare "Sở Y tế"; "thành phố"
in a centrally-run city's article) resolved to the article's province ("UBND tỉnh" ->
"UBND tỉnh Nghệ An").  Generic heads take the name after them: capitalised words ("Viện
Pasteur"), a department's lower-case words too ("khoa Hồi sức tích cực", "Trung tâm Kiểm
tra sức khỏe"), a board's remit ("Ban Chỉ đạo phòng, chống dịch tỉnh").  Everyday words
that start names ("cơ sở y tế", "cán bộ y tế") start none when lower-case.  Lexicon:
``lexicons/orgs.tsv``.
"""

from __future__ import annotations

from functools import lru_cache

from extract._text import (PhraseTable, Tok, canonical_province, compound_surnames, province_phrase,
                           provinces, read_tsv, surnames, titles, two_syllable_words)
from extract.hospitals import parse_hospital

_LEVELS = PhraseTable([("tỉnh", "tỉnh"), ("thành phố", "thành phố"), ("TP.", "TP."),
                       ("TP", "TP."), ("huyện", "huyện"), ("quận", "quận"),
                       ("thị xã", "thị xã"), ("xã", "xã"), ("phường", "phường")])
_CENTRAL = PhraseTable([("Trung ương", "Trung ương"), ("TW", "Trung ương"),
                        ("TƯ", "Trung ương"), ("T.Ư", "Trung ương")])
MAX_HEAD_WORDS = 8
MAX_DEPT_LOWER = 5
CITIES = frozenset({"Hà Nội", "TP. Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"})
# First words of organisation names that are also everyday words ("cơ sở", "cán bộ", "toàn
# bộ", "viện trợ"): lower-case, they start no organisation.  "tỉnh ủy", "trạm y tế xã X" may.
_COMMON_FIRST_WORDS = frozenset("""bộ sở cục vụ viện hội ban trường trung văn công học đại quân
tổng liên tập binh đội đoàn vùng""".split())
_CONJUNCTIONS = frozenset({"và", "với", "cùng", ","})
# Lower-case words that end an organisation name: what follows is the sentence going on.
_STOP_WORDS = frozenset("""cho và với của tại đã đang sẽ cũng là có được nói chia phát nhấn
khẳng thông trao đề mong biết về đến từ trong khi thì mà để này tiếp nhận khám thăm làm
điều kiểm bàn họp ký dự tới sang vừa mới đi gặp tặng tổ""".split())
_CLAUSE_WORDS = _STOP_WORDS - {"và"}  # names have "và": "Viện Sức khỏe Nghề nghiệp và Môi trường"


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


MAX_NAME = 5  # syllables: "Huỳnh Thị Ngọc Thanh Tâm"; longer after a compound surname
_GENDER_MIDDLE = frozenset({"văn", "thị"})


def name_at(toks: tuple[Tok, ...], keys: tuple[str, ...], i: int) -> int:
    """End index of a person name (2–5 capitalised syllables, the first a surname, or a
    compound surname and up to three more) starting at token i, or 0.  Stops before a
    title or organisation word, and before a second name ("… Nguyễn Văn A": a surname and
    Văn/Thị after two syllables).  A fifth syllable is not taken when the last words are a
    province ("Lê Văn Tám Hà Tĩnh")."""
    if i >= len(toks) or not toks[i].syllable:
        return 0
    compound = compound_surnames().match(keys, i)
    if compound is None and keys[i] not in surnames():
        return 0
    if provinces().match(keys, i):
        return 0  # "Hà Nội", "Hà Tĩnh", "Thái Bình": places, not people
    limit = max(MAX_NAME, compound[1] + 3) if compound else MAX_NAME
    j = i + 1
    while j < len(toks) and j - i < limit and toks[j].syllable and toks[j].start - toks[j - 1].end == 1:
        if titles().match(keys, j) or _org_word(keys, j) or (
                j - i >= 2 and keys[j] in surnames() and keys[j + 1:j + 2] and keys[j + 1] in _GENDER_MIDDLE):
            break
        j += 1
    if j - i == MAX_NAME and not compound:
        for p in (i + 2, i + 3):
            if (hit := provinces().match(keys, p)) and hit[0] == j:
                return p
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
    # a full name right after the level word ("UBND thành phố Lê Văn A"): the place is
    # implied; two names in a row ("thành phố Hà Tiên Nguyễn Văn A"): the first is the place
    person = (e := name_at(toks, keys, end)) - end >= 3 and not name_at(toks, keys, e)
    if level == "tỉnh" or (level in ("thành phố", "TP.") and _is_city(province)
                           and not (end < len(toks) and toks[end].syllable and not person)):
        if end < len(keys) and keys[end] == "này":
            end += 1
        resolved = province_phrase(province, level="thành phố" if level != "tỉnh" else "tỉnh")
        return end, resolved or level
    k = end
    while k < len(toks) and k - end < 3 and toks[k].syllable and (k > end or not person) \
            and not (k > end and name_at(toks, keys, k)):
        k += 1
    if k == end:
        return (end, level) if person else None
    return k, level + " " + " ".join(tone_text(t) for t in toks[end:k])


def _is_city(province: str | None) -> bool:
    """A centrally-run city ("thành phố" in its articles means the city itself)."""
    return canonical_province(province) in CITIES


def _board_tail(toks, keys, j: int) -> int:
    """End of a board's lower-case remit: "Ban Chỉ đạo [vận động hiến máu tình nguyện]
    tỉnh" — up to punctuation, a place word, a title, a name or a stop word."""
    k = j
    while k < len(toks) and k - j < MAX_HEAD_WORDS and toks[k].kind == "w" \
            and not toks[k].cap and keys[k] not in _STOP_WORDS and not _LEVELS.match(keys, k) \
            and not titles().match(keys, k):
        k += 1
    return k


def _dept_tail(toks, keys, j: int, last_cap: int) -> int:
    """A department's name words, lower-case ones included ("khoa Tim mạch can thiệp",
    "Trung tâm Kiểm tra sức khỏe Chợ Rẫy Việt Nhật"): up to punctuation, a paragraph
    break, a hospital, an organisation, a title or a name.  A stop word ("cho", "đã") ends
    it; so does a lower-case run that the sentence goes on from ("khoa Nội tiếp nhận")."""
    k, end = last_cap, last_cap
    while k < len(toks) and k - j < MAX_HEAD_WORDS:
        t = toks[k]
        if t.kind != "w" or t.start - toks[k - 1].end > 1 or keys[k] in _STOP_WORDS \
                or _LEVELS.match(keys, k) or provinces().match(keys, k) \
                or _org_word(keys, k) or parse_hospital(toks, keys, k, None) \
                or titles().match(keys, k) or (t.syllable and name_at(toks, keys, k)):
            break
        k += 1
        if t.cap or t.text[0].isdigit():
            end = k
    boundary = k >= len(toks) or toks[k].kind == "p" or _org_word(keys, k) \
        or parse_hospital(toks, keys, k, None) or bool(_LEVELS.match(keys, k))
    if keys[k:k + 1] and keys[k] in _STOP_WORDS:  # "Trung tâm Đột quỵ của bệnh viện"
        return k if k - end <= MAX_DEPT_LOWER else end
    return k if boundary and k - end <= MAX_DEPT_LOWER else end


def _head_tail(toks, keys, j: int) -> int:
    """End of the name after a generic head ("Viện Pasteur", "Quân khu 4"): capitalised
    words, with lower-case words kept only when a parent organisation follows ("khoa Hồi
    sức tích cực Bệnh viện X")."""
    k, last_cap = j, j
    while k < len(toks) and k - j < MAX_HEAD_WORDS:
        t = toks[k]
        if t.kind == "p" or (k > j and t.syllable and name_at(toks, keys, k)) \
                or (k > j and t.start - toks[k - 1].end > 1):  # a paragraph break
            break
        if k > j and (_org_word(keys, k) or parse_hospital(toks, keys, k, None)):
            if last_cap > j and keys[k - 1] in _CONJUNCTIONS:  # "Trường X và Sở Y tế"
                return last_cap
            return k if last_cap > j else j
        if k > j and titles().match(keys, k):
            break
        if t.cap or (t.text.isdigit() and len(t.text) < 4):  # "Quân khu 4", not a year
            run = keys[last_cap:k]  # lower-case words since the last capitalised one
            if len(run) > 2 or any(w in _CLAUSE_WORDS for w in run) or (run and t.text.isdigit()):
                break  # "Trường X đã diễn ra Lễ", "… X giai đoạn 2024": the name ended at X
            last_cap = k + 1  # "Viện Sức khỏe Nghề nghiệp và Môi trường"
        elif k - last_cap >= 3:
            break
        k += 1
    if j < last_cap < len(toks) and toks[last_cap].text.isalpha() and toks[last_cap].text.islower() \
            and keys[last_cap] not in _STOP_WORDS \
            and (keys[last_cap - 1], keys[last_cap]) in two_syllable_words():
        last_cap += 1  # finish the word: "… và Môi [trường]"
    return last_cap


def _one_org(toks, keys, i: int, province: str | None) -> tuple[int, str] | None:
    hosp = parse_hospital(toks, keys, i, province)
    if hosp:
        return hosp
    hit = orgs().match(keys, i)
    if not hit:
        return None
    end, (canon, kind) = hit
    if not toks[i].cap and canon[0].isupper() and keys[i] in _COMMON_FIRST_WORDS:
        return None  # "cơ sở y tế", "cán bộ y tế", "bệnh viện công lập": no Sở, Bộ, Viện
    if kind in ("head", "dept", "board"):
        if kind == "board":
            tail = _board_tail(toks, keys, end)
        else:
            tail = _head_tail(toks, keys, end)
            if kind == "dept" and tail > end:
                tail = _dept_tail(toks, keys, end, tail)
        name = " ".join([canon] + [tone_text(t) for t in toks[end:tail]])
        if kind != "head" and (place := _place(toks, keys, tail, province)):
            return place[0], f"{name} {place[1]}"
        return (tail, name) if tail > end or kind == "board" else None
    if kind in ("scoped", "party"):
        if end + 3 < len(toks) and keys[end] == "(" and keys[end + 2] == ")":
            end_abbr = end + 3  # "Trung tâm Kiểm soát bệnh tật (CDC) Nghệ An"
            if (place := _place(toks, keys, end_abbr, province)) and place[1][0].isupper():
                return place[0], f"{canon} {place[1]}"
        place = _place(toks, keys, end, province)
        if place:
            return place[0], f"{canon} {place[1]}"
        if kind == "party" and canonical_province(province) and (
                canon.startswith("Tỉnh") or _is_city(province)):  # Tỉnh ủy, Thành đoàn
            return end, f"{canon} {canonical_province(province)}"
        if kind == "scoped" and canon.startswith("Sở ") and province_phrase(province):
            return end, f"{canon} {province_phrase(province)}"  # a Sở is the province's
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
