"""Find officials: people named with a title.

Patterns (titles from ``lexicons/titles.tsv``, organisations from ``lexicons/orgs.tsv``,
names start with a surname from ``lexicons/surnames.txt``):

- TITLE [ORG] NAME — "Thứ trưởng Bộ Y tế Lê Đức Luận", "Chủ tịch UBND tỉnh Nguyễn Đức
  Trung", also a comma-joined chain "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh NAME";
- HONORIFIC NAME – TITLE, TITLE — "đồng chí Nguyễn Đức Trung – Phó bí thư Tỉnh ủy, Chủ
  tịch UBND tỉnh" (dashes – - —, commas, parentheses);
- NAME, TITLE — at a clause boundary ("…; Nguyễn Văn A – Giám đốc Sở Y tế"), which also
  covers enumerations "các đồng chí: A – TITLE; B – TITLE";
- rank and degree prefixes before a name ("Thiếu tướng, GS.TS Nguyễn Văn A") are titles.

Names are 2–4 capitalised syllables; a name stops at the first lower-case word, title or
organisation.  Honorifics (đồng chí, ông, bà) are not part of names.  Titles are canonical:
lexicon casing, TW -> Trung ương, "tỉnh"/"Tỉnh ủy" resolved to the article's province.
One Official per person per article: titles merged (a bare "Thứ trưởng" is dropped when
"Thứ trưởng Bộ Y tế" is known); text/offsets are those of the first mention, titles
included, honorific excluded ("Nguyễn Đức Trung – Phó bí thư Tỉnh ủy, Chủ tịch UBND tỉnh").

Refuses: a title with no name after it ("Chủ tịch UBND tỉnh cũng đề nghị"), a name that
never gets a title in the article ("đồng chí Nguyễn Đức…" cut off in a teaser), places that
look like names ("Hà Nội", "Thái Bình").
"""

from __future__ import annotations

from extract._orgs import name_at, org_at, tone_text
from extract._text import Tok, keys_of, surnames, titles, tokenize
from extract.doc import Doc
from extract.normalize import fold_key
from extract.types import Official

_HONORIFICS = (("đồng", "chí"), ("ông",), ("bà",))
_FIRST_WORDS = frozenset(h[0] for h in _HONORIFICS) | {"nguyên"}
_SEPARATORS = frozenset({",", "-", "–", "—", "("})
_BOUNDARY = frozenset({".", ";", ":", ",", "(", "“", '"', "-", "–", "—", "và", "cùng"})
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
            elif kind == "needs_org":
                continue
        if best is None or end > best[0]:
            best = (end, text)
    return best


def _prefixes(toks: Toks, keys: Keys, i: int) -> tuple[int, list[str]]:
    """Ranks and degrees right before a name: "Thiếu tướng, GS.TS." -> their titles."""
    found: list[str] = []
    while i < len(toks):
        if toks[i].kind == "a":
            found.append(toks[i].text.replace(" ", "").rstrip("."))
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


def _person_at(toks: Toks, keys: Keys, i: int) -> tuple[int, int, list[str]] | None:
    """[prefixes] NAME at i: (name start, name end, prefix titles)."""
    j, pre = _prefixes(toks, keys, i)
    end = name_at(toks, keys, j)
    return (j, end, pre) if end else None


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
        if not (i + 1 < len(toks) and keys[i] in (",", "kiêm")):
            return i, []
        i += 1


def _at_boundary(doc: Doc, toks: Toks, keys: Keys, i: int) -> bool:
    return i == 0 or keys[i - 1] in _BOUNDARY or "\n" in doc.text[toks[i - 1].end:toks[i].start]


def _match_at(doc: Doc, toks: Toks, keys: Keys, i: int) -> tuple[int, int, int, int, list[str]] | None:
    """One official at token i: (mention start, end token, name start, name end, titles).
    The mention runs from the first title (or the name) to the last title; an honorific
    before it is left out."""
    prov = doc.province
    for hon in _HONORIFICS:
        if tuple(keys[i:i + len(hon)]) == hon and (p := _person_at(toks, keys, i + len(hon))):
            s, e, pre = p
            end, post = _trailing_titles(toks, keys, e, prov)
            return i + len(hon), end, s, e, pre + post
    chain_end, chain = _title_chain(toks, keys, i, prov)
    if chain:
        s, e, pre = _person_at(toks, keys, chain_end)  # type: ignore[misc]
        end, post = _trailing_titles(toks, keys, e, prov)
        return i, end, s, e, chain + pre + post
    p = _person_at(toks, keys, i)
    if p and (p[2] or _at_boundary(doc, toks, keys, i)):
        s, e, pre = p
        end, post = _trailing_titles(toks, keys, e, prov)
        if post or pre:
            return i, end, s, e, pre + post
    return None


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
            _merge(entry[1], title)
        i = max(end, i + 1)
    # a person named only with an honorific ("đồng chí Nguyễn Đức…") is no official,
    # but such a mention still counts as the first one of a person titled later
    return [Official(name=n, titles=tuple(ts), text=doc.text[a:b], start=a, end=b)
            for n, ts, a, b in people.values() if ts]
