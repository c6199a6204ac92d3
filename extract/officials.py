"""Find officials: people named with a title.

Patterns (titles from ``lexicons/titles.tsv``, organisations from ``lexicons/orgs.tsv``,
names start with a surname from ``lexicons/surnames.txt``):

- TITLE [ORG] NAME — "Thứ trưởng Bộ Y tế Lê Đức Luận", "Chủ tịch UBND tỉnh Nguyễn Đức
  Trung", also a comma-joined chain "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh NAME";
- TITLE – HONORIFIC NAME — "Phó Chủ tịch UBND tỉnh – ông Nguyễn Văn A";
- HONORIFIC NAME – TITLE, TITLE — "đồng chí Nguyễn Đức Trung – Phó bí thư Tỉnh ủy, Chủ
  tịch UBND tỉnh" (dashes – - —, commas, parentheses);
- NAME, TITLE — at a clause boundary ("…; Nguyễn Văn A – Giám đốc Sở Y tế"), which also
  covers enumerations "các đồng chí: A – TITLE; B – TITLE";
- rank and degree prefixes before a name ("Thiếu tướng, GS.TS Nguyễn Văn A") are titles;
  degrees keep their dots ("ThS BS" -> "ThS.BS"), an honour glued to one is its own title
  ("TTƯT.BSCKII" -> "Thầy thuốc Ưu tú", "BSCKII");
- an appointment adds the new post ("bổ nhiệm ông A, Phó Giám đốc Sở Y tế giữ chức Giám đốc
  Sở Y tế tỉnh"; "Ông A sinh năm 1975, từng giữ chức Giám đốc …" — later in the same clause,
  no other name between);
- a department's parent organisation after a comma belongs to the title ("Trưởng khoa Hồi
  sức, Bệnh viện Chợ Rẫy", "Trưởng phòng Nghiệp vụ Y, Sở Y tế"); a bare "Giám đốc Bệnh viện" means the hospital the article last named;
- after an honorific, a name whose surname the lexicon lacks still counts when a title
  follows ("bà Tráng Thị Hương, Phó Giám đốc Sở Y tế").

Names are 2–5 capitalised syllables (more after "Công Tằng Tôn Nữ"); a name stops at the
first lower-case word, title, organisation or second name, and a fifth syllable is not
taken when the last ones are a province.  Honorifics (đồng chí, ông, bà; anh, chị, đại
biểu only before a surname and a title) are not part of names.  Titles are canonical:
lexicon casing, TW -> Trung ương, "tỉnh"/"Tỉnh ủy"/a bare "Sở Y tế" (and "thành phố" in a
city's article) resolved to the article's province.
One Official per person per article: titles merged (a bare "Thứ trưởng" is dropped when
"Thứ trưởng Bộ Y tế" is known); text/offsets are those of the first mention, titles
included, honorific excluded ("Nguyễn Đức Trung – Phó bí thư Tỉnh ủy, Chủ tịch UBND tỉnh").

Refuses: a title with no name after it ("Chủ tịch UBND tỉnh cũng đề nghị"), a name that
never gets a title in the article ("đồng chí Nguyễn Đức…" cut off in a teaser), places that
look like names ("Hà Nội", "Thái Bình"), a profession in the plural ("các bác sĩ Bạch Mai").
"""

from __future__ import annotations

from extract._orgs import name_at, org_at, tone_text
from extract._text import (Tok, acad_parts, key_of, keys_of, province_phrase, provinces, surnames, titles,
                           tokenize, without_province)
from extract.doc import Doc
from extract.hospitals import find_hospitals
from extract.normalize import fold_key
from extract.types import Official

_HONORIFICS = (("đồng", "chí"), ("ông",), ("bà",), ("anh",), ("chị",), ("đại", "biểu"))
# honorifics that are also everyday words ("anh em", "Anh" the country, "đại biểu Quốc
# hội"): they vouch only for a surname-led name that a title follows
_WEAK_HONORIFICS = frozenset({("anh",), ("chị",), ("đại", "biểu")})
_FIRST_WORDS = frozenset(h[0] for h in _HONORIFICS) | {"nguyên"}
_DASHES = frozenset({"-", "–", "—"})
_SEPARATORS = frozenset({",", "-", "–", "—", "("})
_BOUNDARY = frozenset({".", ";", ":", ",", "(", "“", '"', "-", "–", "—", "và", "cùng"})
_HOSPITAL = ("bệnh", "viện")
_PLURAL = frozenset({"các", "những", "nhiều", "mấy"})
BARE_HOSPITAL = "Bệnh viện"
_APPOINTED = tuple(sorted((tuple(p.split()) for p in (  # longest first
    "giữ chức vụ", "giữ chức", "nhận chức", "được bổ nhiệm giữ chức vụ", "được bổ nhiệm giữ chức",
    "được bổ nhiệm làm", "được bổ nhiệm", "được bầu giữ chức", "được bầu làm", "được bầu")),
    key=len, reverse=True))
_CLAUSE_END = frozenset({".", ";", "!", "?", ":"})
APPOINTMENT_WINDOW = 25  # tokens after a name in which "giữ chức TITLE" is still about them
_MODIFIERS = {("thường", "trực"): "Thường trực", ("phụ", "trách"): "phụ trách"}

Toks = tuple[Tok, ...]
Keys = tuple[str, ...]


def _title_at(toks: Toks, keys: Keys, i: int, province: str | None) -> tuple[int, str] | None:
    """The longest title at token i: [nguyên] head [Thường trực] [ORG…]."""
    if keys[i] == "nguyên" and i + 1 < len(toks):  # "nguyên Tư lệnh": a former post
        inner = _title_at(toks, keys, i + 1, province)
        return (inner[0], f"nguyên {inner[1]}") if inner else None
    best: tuple[int, str] | None = None
    for end, (canon, kind) in titles().match_all(keys, i):
        text = canon
        if kind != "rank":
            for mod, word in _MODIFIERS.items():
                if tuple(keys[end:end + len(mod)]) == mod:
                    end, text = end + len(mod), f"{text} {word}"
            org = org_at(toks, keys, end, province)
            if org:
                end, text = org[0], f"{text} {org[1]}"
                end, text = _parent_hospital(toks, keys, end, text, province)
            elif tuple(keys[end:end + 2]) == _HOSPITAL and _no_name_after(toks, end + 2):
                end, text = end + 2, f"{text} {BARE_HOSPITAL}"  # resolved by find_officials
            elif kind == "needs_org":
                continue
        if best is None or end > best[0]:
            best = (end, text)
    return best


def _parent_hospital(toks: Toks, keys: Keys, end: int, text: str,
                     province: str | None) -> tuple[int, str]:
    """"Trưởng khoa Hồi sức, Bệnh viện Chợ Rẫy", "Trưởng phòng Nghiệp vụ Y, Sở Y tế Nam
    Định": a department's parent organisation after a comma (not one a name follows)."""
    words = fold_key(text).split()
    if not {"khoa", "phòng", "tâm"} & set(words[1:]) or "viện" in words:
        return end, text
    k = end + 3 if end + 2 < len(toks) and keys[end] == "(" and keys[end + 2] == ")" else end
    if k + 1 < len(toks) and keys[k] == "," and toks[k + 1].cap and (  # "(HECI), Bệnh viện Chợ Rẫy"
            parent := org_at(toks, keys, k + 1, province)) and not name_at(toks, keys, parent[0]):
        return parent[0], f"{text} {parent[1]}"
    return end, text


def _no_name_after(toks: Toks, j: int) -> bool:
    return j >= len(toks) or not (toks[j].cap or toks[j].text.isdigit())


def _prefixes(toks: Toks, keys: Keys, i: int) -> tuple[int, list[str]]:
    """Ranks and degrees right before a name: "Thiếu tướng, GS.TS." -> their titles."""
    found: list[str] = []
    while i < len(toks):
        if toks[i].kind == "a":
            found.extend(_degree_titles(toks[i].text))
            i += 1
        elif (hit := titles().match(keys, i)) and hit[1][1] == "rank":
            found.append(hit[1][0])
            i = hit[0]
        else:
            break
        if found and i + 1 < len(toks) and keys[i] == "," and (
                toks[i + 1].kind == "a" or name_at(toks, keys, i + 1)):
            i += 1
    return i, found


def _degree_titles(text: str) -> list[str]:
    """"TTƯT.BSCKII" -> ["Thầy thuốc Ưu tú", "BSCKII"]; "ThS BS" -> ["ThS.BS"]: an honour
    is a title, the degrees stay together, written with dots."""
    out: list[str] = []
    degrees: list[str] = []
    for part in acad_parts(text):
        hit = titles().match((key_of(part),), 0)
        if hit and hit[1][1] == "rank":
            out.append(hit[1][0])
        else:
            degrees.append(part)
    return out + ([".".join(degrees)] if degrees else [])


def _person_at(toks: Toks, keys: Keys, i: int) -> tuple[int, int, list[str]] | None:
    """[prefixes] NAME at i: (name start, name end, prefix titles)."""
    j, pre = _prefixes(toks, keys, i)
    end = name_at(toks, keys, j)
    return (j, end, pre) if end else None


def _loose_name(toks: Toks, keys: Keys, j: int) -> int:
    """End of 2–5 capitalised syllables at j (no surname check), or 0."""
    k = j
    while k < len(toks) and k - j < 5 and toks[k].syllable and (
            k == j or toks[k].start - toks[k - 1].end == 1) and not titles().match(keys, k) \
            and not (k > j + 1 and provinces().match(keys, k)):
        k += 1
    return k if k - j >= 2 and not provinces().match(keys, j) else 0


def _trailing_titles(toks: Toks, keys: Keys, j: int, province: str | None) -> tuple[int, list[str]]:
    """", TITLE – TITLE, TITLE" after a name; a title followed by another name belongs to
    that next person and is left alone."""
    found: list[str] = []
    while j + 1 < len(toks) and toks[j].text in _SEPARATORS:
        title = _title_at(toks, keys, j + 1, province)
        if not title or _person_at(toks, keys, title[0]):
            break
        j = title[0]
        found.append(title[1])
        if j < len(toks) and toks[j].text == ")":
            j += 1
            break
    return j, found


def _title_chain(toks: Toks, keys: Keys, i: int, province: str | None) -> tuple[int, list[str]]:
    """TITLE (, TITLE)* followed by a person: "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh"."""
    found: list[str] = []
    while True:
        title = _title_at(toks, keys, i, province)
        if not title:
            return i, []
        i = title[0]
        found.append(title[1])
        if _person_at(toks, keys, i):
            return i, found
        if keys[i:i + 1] and keys[i] in _DASHES and (hon := _honorific_at(keys, i + 1)) \
                and _person_at(toks, keys, hon):
            return hon, found  # "Phó Chủ tịch UBND tỉnh – ông Nguyễn Văn A"
        if not (i + 1 < len(toks) and keys[i] in (",", "kiêm")):
            return i, []
        i += 1


def _honorific_at(keys: Keys, i: int) -> int:
    """End of a strong honorific (ông, bà, đồng chí) at token i, or 0."""
    return next((i + len(h) for h in _HONORIFICS[:3] if keys[i:i + len(h)] == h), 0)


def _at_boundary(doc: Doc, toks: Toks, keys: Keys, i: int) -> bool:
    return i == 0 or keys[i - 1] in _BOUNDARY or "\n" in doc.text[toks[i - 1].end:toks[i].start]


def _match_at(doc: Doc, toks: Toks, keys: Keys, i: int) -> tuple[int, int, int, int, list[str]] | None:
    """One official at token i: (mention start, end token, name start, name end, titles).
    The mention runs from the first title (or the name) to the last title; an honorific
    before it is left out."""
    prov = doc.province
    for hon in _HONORIFICS:
        if tuple(keys[i:i + len(hon)]) != hon:
            continue
        weak, strict = hon in _WEAK_HONORIFICS, None
        if p := _person_at(toks, keys, i + len(hon)):
            s, e, pre = p
            end, post = _after_name(toks, keys, e, prov)
            if pre or post:
                return i + len(hon), end, s, e, pre + post
            if weak:
                return None
            strict = (i + len(hon), end, s, e, [])
        if weak:
            break  # "đại biểu Quốc hội X": a title may start here
        # an honorific and a title vouch for a name the lexicon does not know
        s = i + len(hon)
        if (e := _loose_name(toks, keys, s)) and (after := _after_name(toks, keys, e, prov))[1]:
            return s, after[0], s, e, after[1]
        return strict
    if i > 0 and keys[i - 1] in _PLURAL:
        return None  # "các bác sĩ Bạch Mai": a group, not a person's title
    chain_end, chain = _title_chain(toks, keys, i, prov)
    if chain:
        s, e, pre = _person_at(toks, keys, chain_end)  # type: ignore[misc]
        end, post = _after_name(toks, keys, e, prov)
        return i, end, s, e, chain + pre + post
    p = _person_at(toks, keys, i)
    if p and (p[2] or _at_boundary(doc, toks, keys, i)):
        s, e, pre = p
        end, post = _after_name(toks, keys, e, prov)
        if post or pre:
            return i, end, s, e, pre + post
    return None


def _after_name(toks: Toks, keys: Keys, e: int, province: str | None) -> tuple[int, list[str]]:
    """Titles after a name: ", TITLE, TITLE" and then "giữ chức (vụ) TITLE" (an
    appointment: "bổ nhiệm ông A, Phó Giám đốc Sở Y tế giữ chức Giám đốc Sở Y tế")."""
    end, found = _trailing_titles(toks, keys, e, province)
    k = end
    while k < len(toks) and k - end < APPOINTMENT_WINDOW and keys[k] not in _CLAUSE_END \
            and toks[k].start - toks[k - 1].end <= 1 and not name_at(toks, keys, k):
        words = next((w for w in _APPOINTED if keys[k:k + len(w)] == w), None)
        if words:  # "…, sinh năm 1975, từng giữ chức Giám đốc Bệnh viện Đa khoa tỉnh"
            if title := _title_at(toks, keys, k + len(words), province):
                found.append(title[1])
            break
        k += 1
    return end, found


def _merge(titles_: list[str], new: str) -> None:
    """Add ``new`` unless known; a more specific title replaces its bare prefix."""
    k = fold_key(new)
    for n, old in enumerate(titles_):
        ko = fold_key(old)
        if ko == k or ko.startswith(k + " "):
            return
        if k.startswith(ko + " "):
            titles_[n] = new
            return
    titles_.append(new)


def _resolve_hospital(doc: Doc, title: str, pos: int) -> str:
    """"Giám đốc Bệnh viện" (no name) means the hospital the article last named."""
    before = [h for h in find_hospitals(doc) if h.start < pos]
    bare = title[: -len(BARE_HOSPITAL) - 1]
    return f"{bare} {before[-1].name}" if before else bare


def _could_start(tok: Tok) -> bool:
    """A cheap filter: only honorifics, titles, degrees and surnames start a match."""
    return tok.kind == "a" or tok.key in titles().first_keys or tok.key in _FIRST_WORDS \
        or (tok.key in surnames() and tok.syllable)


def find_officials(doc: Doc) -> list[Official]:
    toks, keys = tokenize(doc.text), keys_of(doc.text)
    people: dict[str, tuple[str, list[str], int, int]] = {}
    i = 0
    while i < len(toks):
        found = _match_at(doc, toks, keys, i) if _could_start(toks[i]) else None
        if not found:
            i += 1
            continue
        first, end, s, e, titles_ = found
        name = " ".join(tone_text(t) for t in toks[s:e])
        entry = people.setdefault(fold_key(name), (name, [], toks[first].start, toks[end - 1].end))
        for title in titles_:
            if title.endswith(" " + BARE_HOSPITAL):
                title = _resolve_hospital(doc, title, toks[first].start)
            _merge(entry[1], title)
        i = max(end, i + 1)
    # a person named only with an honorific ("đồng chí Nguyễn Đức…") is no official,
    # but such a mention still counts as the first one of a person titled later
    return [Official(name=n, titles=tuple(_drop_implied(ts, doc.province)), text=doc.text[a:b],
                     start=a, end=b) for n, ts, a, b in people.values() if ts]


def _drop_implied(titles_: list[str], province: str | None) -> list[str]:
    """A title placed in the article's province only by default ("Phó Giám đốc Sở Y tế" ->
    "… tỉnh Nghệ An") yields to the same post the article places elsewhere ("Phó Giám
    đốc Sở Y tế Đà Nẵng": an article about Đà Nẵng on a Nghệ An station's site)."""
    home = province_phrase(province)
    if not home or len(titles_) < 2:
        return titles_
    default = [t for t in titles_ if t.endswith(" " + home)]
    placed = {without_province(t) for t in titles_ if t not in default and without_province(t) != key_of(t)}
    return [t for t in titles_ if t not in default or without_province(t) not in placed]
