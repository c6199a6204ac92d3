"""Score extracted records against hand-annotated gold mentions.  Pure: no I/O.

A gold article names each expected mention by its surface ``text`` (plus an
``occurrence`` index, 0-based, when the same surface appears more than once) and the
values a careful reader expects.  ``resolve_gold`` turns that into offsets in the
parsed article text; ``score_article`` matches gold against a ``Record`` field by field;
``summarize`` adds the articles up (micro-averaged) and ``check_floors`` compares the
result with pinned minimums.

Matching, per field and article, one-to-one:
- *exact*: the predicted ``start``/``end`` equal the gold offsets;
- *overlap*: the spans share at least one character (exact pairs first, then the
  largest overlap).  Precision, recall and F1 are reported for both; floors use overlap.

Value correctness is measured on overlap-matched pairs.  Comparisons are made on keys
(``org_key``): NFC, one tone-mark placement, case-folded, dashes unified, common
abbreviations expanded (UBND, HĐND, BV, BVĐK, HNĐK, ĐK, TW/T.Ư, BCH, ĐBQH, TP., and the
organisation aliases the extractor writes out: BHXH, CDC, TYT …), and
"Tỉnh ủy <the article's province>" read as "Tỉnh ủy" and "tỉnh <province>" as
"<province>" (so "UBND tỉnh Nghệ An" = "UBND Nghệ An", but a bare "UBND tỉnh" stays unresolved).  Official titles are compared
as sets after dropping academic/medical degrees (GS.TS., ThS.BS., BS.CK2 …) and titles
that another title of the same person extends ("Thứ trưởng" next to "Thứ trưởng Bộ Y tế").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from extract.normalize import fold_key, nfc

FIELDS: tuple[str, ...] = ("dates", "officials", "hospitals", "periods", "figures", "agreements")

# Attributes whose agreement makes a matched mention "value-correct", per field.
CORE_ATTRS: dict[str, tuple[str, ...]] = {
    "dates": ("value", "granularity", "part_of_day", "time", "end_value"),
    "officials": ("name",),
    "hospitals": ("name",),
    "periods": ("kind", "start_year", "end_year"),
    "figures": ("value", "unit", "qualifier"),
    "agreements": ("parties", "signed", "period"),
}
# Reported per attribute but not part of "value-correct".
EXTRA_ATTRS: dict[str, tuple[str, ...]] = {"officials": ("titles",), "agreements": ("scope",)}
REQUIRED: dict[str, tuple[str, ...]] = {
    "dates": ("value",),
    "officials": ("name", "titles"),
    "hospitals": ("name",),
    "periods": ("kind", "start_year", "end_year"),
    "figures": ("value", "unit"),
    "agreements": ("parties",),
}
DATE_DEFAULTS = {"granularity": "day", "part_of_day": None, "time": None, "end_value": None}


class GoldError(ValueError):
    """A gold annotation that cannot be used (missing key, text not in the article)."""


# --------------------------------------------------------------------------- keys

_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    (r"ubnd", "ủy ban nhân dân"),
    (r"hđnd", "hội đồng nhân dân"),
    (r"ubmttq", "ủy ban mặt trận tổ quốc"),
    (r"mttqvn", "mặt trận tổ quốc việt nam"),
    (r"mttq", "mặt trận tổ quốc"),
    (r"bch", "ban chấp hành"),
    (r"btv", "ban thường vụ"),
    (r"uv", "ủy viên"),
    (r"đbqh", "đại biểu quốc hội"),
    (r"bvđkkv", "bệnh viện đa khoa khu vực"),
    (r"bvđk", "bệnh viện đa khoa"),
    (r"bv", "bệnh viện"),
    (r"hnđk", "hữu nghị đa khoa"),
    (r"đkkv", "đa khoa khu vực"),
    (r"đk", "đa khoa"),
    (r"twqđ", "trung ương quân đội"),
    (r"tw|t\.ư|t\.w|tư(?= đảng)", "trung ương"),
    (r"ttyt", "trung tâm y tế"),
    (r"tp\.?", "thành phố"),
    (r"gd-đt|gd&đt|gdđt", "giáo dục và đào tạo"),
    (r"qđ", "quân đội"),
    # organisation aliases the extractor writes out (lexicons/orgs.tsv)
    (r"bhxh", "bảo hiểm xã hội"),
    (r"cdc", "trung tâm kiểm soát bệnh tật"),
    (r"tyt", "trạm y tế"),
    (r"bđbp", "bộ đội biên phòng"),
    (r"chqs", "chỉ huy quân sự"),
    (r"bcđ", "ban chỉ đạo"),
    (r"bql", "ban quản lý"),
    (r"tand", "tòa án nhân dân"),
    (r"ksnd", "kiểm sát nhân dân"),
)
_ABBREV_RE = [(re.compile(rf"(?<![\w.])(?:{p})(?![\w])"), fold_key(full)) for p, full in _ABBREVIATIONS]
_DASHES = re.compile(r"\s*[-–—‑]\s*")


def _expand(key: str) -> str:
    key = _DASHES.sub(" - ", key)
    for pattern, full in _ABBREV_RE:
        key = pattern.sub(full, key)
    return key


def org_key(text: str, province: str | None = None) -> str:
    """A comparison key for titles, organisations and hospital names."""
    key = _expand(fold_key(text))
    key = " ".join(key.replace(",", " ").split()).replace("ban chấp hành trung ương đảng", "trung ương đảng")
    if province:
        prov = _expand(fold_key(province)).removeprefix("thành phố ")
        key = re.sub(rf"\b(tỉnh ủy|thành ủy) {re.escape(prov)}\b", r"\1", key)
        key = re.sub(rf"\b(tỉnh|thành phố) ({re.escape(prov)})\b", r"\2", key)
    return key.strip(" ,.;")


_DEGREE_WORDS = frozenset(
    "gs pgs ts ths bs ds cn ks bsck1 bsck2 bscki bsckii ck1 ck2 cki ckii bsnt tts".split()
)
_DEGREE_PHRASES = re.compile(
    r"^(phó giáo sư|giáo sư|tiến sĩ|thạc sĩ|bác sĩ|dược sĩ|cử nhân|kỹ sư)"
    r"( (nội trú|chuyên khoa( cấp)? (i|ii|1|2)))*$"
)


def is_degree(title: str) -> bool:
    """'GS.TS.', 'ThS.BS.', 'BS.CK2', 'Bác sĩ chuyên khoa II' -> True."""
    key = fold_key(title).strip(" .,")
    words = [w for w in re.split(r"[.\s]+", key) if w]
    return bool(words) and (all(w in _DEGREE_WORDS for w in words) or bool(_DEGREE_PHRASES.match(key)))


def title_keys(titles: Iterable[str], province: str | None) -> frozenset[str]:
    keys = {org_key(t, province) for t in titles if t and not is_degree(t)}
    return frozenset(k for k in keys if not any(o != k and o.startswith(k + " ") for o in keys))


def _num_equal(a: Any, b: Any) -> bool:
    try:
        return a is not None and b is not None and abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))
    except (TypeError, ValueError):
        return False


def _opt_key(value: Any) -> str | None:
    return fold_key(str(value)) if value not in (None, "") else None


def compare_values(field_name: str, gold: Mapping[str, Any], pred: Any, province: str | None) -> dict[str, bool]:
    """Attribute -> correct?, for one overlap-matched pair."""
    g = gold
    get = lambda name: getattr(pred, name, None)  # noqa: E731
    if field_name == "dates":
        want = {**DATE_DEFAULTS, **{k: g[k] for k in DATE_DEFAULTS if k in g}}
        out = {"value": _opt_key(g["value"]) == _opt_key(get("value"))}
        out.update({k: _opt_key(want[k]) == _opt_key(get(k)) for k in DATE_DEFAULTS})
        # every matched date is checked (gold without "calendar" is solar), so the share
        # calendar_correct is over the same pairs it is divided by
        out["calendar"] = _opt_key(g.get("calendar") or "solar") == _opt_key(get("calendar") or "solar")
        return out
    if field_name == "officials":
        return {"name": fold_key(g["name"]) == fold_key(get("name") or ""),
                "titles": title_keys(g["titles"], province) == title_keys(get("titles") or (), province)}
    if field_name == "hospitals":
        return {"name": org_key(g["name"], province) == org_key(get("name") or "", province)}
    if field_name == "periods":
        return {"kind": _opt_key(g["kind"]) == _opt_key(get("kind")),
                "start_year": g["start_year"] == get("start_year"),
                "end_year": g["end_year"] == get("end_year")}
    if field_name == "figures":
        return {"value": _num_equal(get("value"), g["value"]),
                "unit": _opt_key(g["unit"]) == _opt_key(get("unit")),
                "qualifier": _opt_key(g.get("qualifier")) == _opt_key(get("qualifier"))}
    if field_name == "agreements":
        parties = lambda xs: frozenset(org_key(x, province) for x in xs or ())  # noqa: E731
        scope = lambda xs: frozenset(fold_key(x) for x in xs or ())  # noqa: E731
        return {"parties": parties(g["parties"]) == parties(get("parties")),
                "signed": _opt_key(g.get("signed")) == _opt_key(get("signed")),
                "period": (g.get("start_year"), g.get("end_year")) == (get("start_year"), get("end_year")),
                "scope": scope(g.get("scope")) == scope(get("scope"))}
    raise ValueError(f"unknown field {field_name!r}")


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True, slots=True)
class GoldMention:
    start: int
    end: int
    text: str
    values: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class GoldArticle:
    name: str
    mentions: Mapping[str, tuple[GoldMention, ...]]


def _nth(text: str, needle: str, n: int) -> int:
    pos = -1
    for _ in range(n + 1):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            return -1
    return pos


def resolve_gold(name: str, gold: Mapping[str, Any], text: str) -> GoldArticle:
    """Gold mentions (text + occurrence) -> offsets into ``text``; GoldError when impossible."""
    if not isinstance(gold, Mapping):
        raise GoldError(f"{name}: gold must be a JSON object")
    unknown = [k for k in gold if k not in FIELDS and k not in ("url", "published", "notes", "traps")]
    if unknown:
        raise GoldError(f"{name}: unknown key {unknown[0]!r}")
    mentions: dict[str, tuple[GoldMention, ...]] = {}
    for fname in FIELDS:
        items = gold.get(fname, [])
        if not isinstance(items, list):
            raise GoldError(f"{name}: {fname} must be a list")
        out = []
        for i, item in enumerate(items):
            where = f"{name}: {fname}[{i}]"
            if not isinstance(item, Mapping) or not isinstance(item.get("text"), str) or not item["text"]:
                raise GoldError(f"{where}: each mention needs a non-empty \"text\"")
            missing = [k for k in REQUIRED[fname] if k not in item]
            if missing:
                raise GoldError(f"{where}: missing {missing[0]!r}")
            surface = nfc(item["text"])
            occurrence = item.get("occurrence", 0)
            if not isinstance(occurrence, int) or occurrence < 0:
                raise GoldError(f"{where}: occurrence must be a non-negative integer")
            start = _nth(text, surface, occurrence)
            if start < 0:
                raise GoldError(f"{where}: {surface!r} (occurrence {occurrence}) is not in the article text")
            out.append(GoldMention(start, start + len(surface), surface, dict(item)))
        mentions[fname] = tuple(sorted(out, key=lambda m: (m.start, m.end)))
    return GoldArticle(name, mentions)


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True, slots=True)
class Pair:
    gold: GoldMention
    pred: Any
    exact: bool
    checks: Mapping[str, bool]


@dataclass(frozen=True, slots=True)
class FieldResult:
    pairs: tuple[Pair, ...]
    misses: tuple[GoldMention, ...]
    false_hits: tuple[Any, ...]
    exact_tp: int
    bad_offsets: int


@dataclass(frozen=True, slots=True)
class ArticleResult:
    name: str
    fields: Mapping[str, FieldResult]


def _predicted(record: Any, fname: str) -> list[Any]:
    items = list(getattr(record, fname, ()) or ())
    if fname == "hospitals":  # other health bodies, if typed, are not hospitals
        items = [m for m in items if getattr(m, "kind", None) in (None, "hospital")]
    return items


def match_field(fname: str, gold: Sequence[GoldMention], pred: Sequence[Any],
                text: str, province: str | None) -> FieldResult:
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            overlap = min(g.end, p.end) - max(g.start, p.start)
            if overlap > 0:
                exact = (g.start, g.end) == (p.start, p.end)
                candidates.append((not exact, -overlap, g.start, pi, gi, exact))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, _, _, pi, gi, exact in sorted(candidates):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append(Pair(gold[gi], pred[pi], exact, compare_values(fname, gold[gi].values, pred[pi], province)))
    gold_spans: dict[tuple[int, int], int] = {}
    for g in gold:
        gold_spans[(g.start, g.end)] = gold_spans.get((g.start, g.end), 0) + 1
    exact_tp = 0
    for p in pred:
        if gold_spans.get((p.start, p.end), 0) > 0:
            gold_spans[(p.start, p.end)] -= 1
            exact_tp += 1
    bad = sum(1 for p in pred if text[p.start:p.end] != getattr(p, "text", None))
    return FieldResult(
        pairs=tuple(sorted(pairs, key=lambda x: x.gold.start)),
        misses=tuple(g for i, g in enumerate(gold) if i not in used_g),
        false_hits=tuple(p for i, p in enumerate(pred) if i not in used_p),
        exact_tp=exact_tp,
        bad_offsets=bad,
    )


def score_article(gold: GoldArticle, record: Any, fields: Sequence[str] = FIELDS) -> ArticleResult:
    text = record.text
    province = getattr(record.article, "province", None)
    return ArticleResult(gold.name, {
        f: match_field(f, gold.mentions.get(f, ()), _predicted(record, f), text, province) for f in fields
    })


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class FieldSummary:
    gold: int = 0
    predicted: int = 0
    overlap_tp: int = 0
    exact_tp: int = 0
    bad_offsets: int = 0
    attr_correct: dict[str, int] = field(default_factory=dict)
    values_correct: int = 0

    def metrics(self) -> dict[str, float]:
        p, r, f = _prf(self.overlap_tp, self.predicted, self.gold)
        ep, er, ef = _prf(self.exact_tp, self.predicted, self.gold)
        m = {"precision": p, "recall": r, "f1": f,
             "exact_precision": ep, "exact_recall": er, "exact_f1": ef,
             "values": self.values_correct / self.overlap_tp if self.overlap_tp else 1.0}
        for attr, n in self.attr_correct.items():
            m[f"{attr}_correct"] = n / self.overlap_tp if self.overlap_tp else 1.0
        return m


def summarize(results: Iterable[ArticleResult], fields: Sequence[str] = FIELDS) -> dict[str, FieldSummary]:
    out = {f: FieldSummary(attr_correct={a: 0 for a in _attrs(f)}) for f in fields}
    for res in results:
        for f in fields:
            fr, s = res.fields[f], out[f]
            s.gold += len(fr.pairs) + len(fr.misses)
            s.predicted += len(fr.pairs) + len(fr.false_hits)
            s.overlap_tp += len(fr.pairs)
            s.exact_tp += fr.exact_tp
            s.bad_offsets += fr.bad_offsets
            for pair in fr.pairs:
                for attr, ok in pair.checks.items():
                    s.attr_correct[attr] = s.attr_correct.get(attr, 0) + int(ok)
                s.values_correct += int(all(pair.checks.get(a, True) for a in CORE_ATTRS[f]))
    return out


def _attrs(fname: str) -> tuple[str, ...]:
    return CORE_ATTRS[fname] + EXTRA_ATTRS.get(fname, ()) + (("calendar",) if fname == "dates" else ())


def metric_names(fname: str) -> set[str]:
    base = {"precision", "recall", "f1", "exact_precision", "exact_recall", "exact_f1", "values"}
    return base | {f"{a}_correct" for a in _attrs(fname)}


def check_floors(summary: Mapping[str, FieldSummary], floors: Mapping[str, Mapping[str, float]]) -> list[str]:
    """One line per floor not reached, e.g. 'officials f1 0.842 < 0.90'."""
    failures = []
    for fname, wanted in floors.items():
        if fname not in summary:
            continue
        got = summary[fname].metrics()
        for metric, minimum in wanted.items():
            value = got.get(metric, 1.0)
            if value + 1e-12 < float(minimum):
                failures.append(f"{fname} {metric} {value:.3f} < {float(minimum):.2f}")
    return failures

