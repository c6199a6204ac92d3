"""Score article extraction against saved pages: ``vnnews eval-articles DIR``.

A case is a folder holding ``page.html`` or ``page.html.gz`` and ``expected.json``
(``tests/golden_pages/<name>/``), or a flat pair ``NAME.html.gz`` + ``NAME.expected.json``
(``../shared/realpages``; a Fundus-style ``{"V1": {...}}`` file is read too).

Per page and overall, for vnnews and for plain ``trafilatura.extract`` side by side:

- body recall and precision by paragraph: the body is the lead plus the paragraphs;
  paragraphs match fuzzily (NFC, case and spacing folded, similarity ≥ 0.9, one-to-one);
  extracted captions and the title are neutral, a byline or a teaser line counts against;
- leaks: strings of the expected file's ``must_not_contain`` found in the extracted text;
- for vnnews, the metadata fields that differ from the expected file.
"""

from __future__ import annotations

import gzip
import json
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Callable, Iterable

from scraper.errors import InputError
from scraper.html import parse_html
from scraper.types import Article

MATCH_RATIO = 0.9
RECALL_FLOOR = 0.98
FIELDS = ("title", "lead", "authors", "published", "captions", "category", "tags", "canonical_url")


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    html: str
    expected: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Score:
    """Body matching for one extractor on one page."""

    expected: int  # expected body paragraphs (lead included)
    extracted: int  # extracted body paragraphs (captions and title left out)
    matched: int  # extracted body paragraphs that match an expected one
    found: int  # expected paragraphs found in the body or, kept apart, in the captions
    leaks: tuple[str, ...] = ()

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else (1.0 if not self.expected else 0.0)


@dataclass(frozen=True, slots=True)
class PageResult:
    name: str
    vnnews: Score
    trafilatura: Score | None
    field_errors: tuple[str, ...] = field(default=())


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.real_quick_ratio() >= MATCH_RATIO and matcher.quick_ratio() >= MATCH_RATIO \
        and matcher.ratio() >= MATCH_RATIO


def match(expected: list[str], extracted: list[str]) -> list[int]:
    """Indexes into ``expected`` matched one-to-one by ``extracted`` (greedy, in order)."""
    free = [fold(p) for p in extracted]
    used = [False] * len(free)
    hits = []
    for j, want in enumerate(map(fold, expected)):
        for i, got in enumerate(free):
            if not used[i] and _similar(want, got):
                used[i] = True
                hits.append(j)
                break
    return hits


def score(expected: dict[str, Any], body: list[str], captions: Iterable[str], text: str) -> Score:
    """Match ``body`` (minus caption lines) against the expected body; an expected paragraph
    that the extractor kept as a caption still counts as found."""
    want = ([expected["lead"]] if expected.get("lead") else []) + list(expected["paragraphs"])
    captions = [c for c in captions if fold(c)]
    skip = {fold(c) for c in captions}
    got = [p for p in body if fold(p) and fold(p) not in skip]
    in_body = match(want, got)
    rest = [w for j, w in enumerate(want) if j not in set(in_body)]
    leaks = tuple(s for s in expected.get("must_not_contain", []) if fold(s) in fold(text))
    return Score(len(want), len(got), len(in_body), len(in_body) + len(match(rest, captions)), leaks)


def score_vnnews(case: Case) -> tuple[Score, tuple[str, ...]]:
    exp = case.expected
    try:
        article = parse_html(case.html, exp.get("url"))
    except InputError:
        return Score(len(exp["paragraphs"]) + bool(exp.get("lead")), 0, 0, 0), ("all",)
    body = ([article.lead] if article.lead else []) + list(article.paragraphs)
    return score(exp, body, article.captions, article.text), field_errors(article, exp)


def score_trafilatura(case: Case, extract: Callable[[str], str | None]) -> Score:
    exp = case.expected
    text = extract(case.html) or ""
    lines = [line.lstrip("-•* ").strip() for line in text.splitlines()]
    neutral = list(exp.get("captions", [])) + [exp.get("title", "")]
    return score(exp, [line for line in lines if line], [n for n in neutral if n in lines], text)


def field_errors(article: Article, exp: dict[str, Any]) -> tuple[str, ...]:
    got = {
        "title": article.title, "lead": article.lead, "authors": list(article.authors),
        "published": article.published.isoformat() if article.published else None,
        "captions": list(article.captions), "category": article.category, "tags": list(article.tags),
        "canonical_url": article.canonical_url,
    }
    wrong = []
    for key in FIELDS:
        if key not in exp:
            continue
        want = exp[key]
        if key == "published" and want and got[key]:
            same = datetime.fromisoformat(want) == datetime.fromisoformat(got[key]) or \
                (len(want) == 10 and got[key].startswith(want))
        else:
            same = got[key] == want
        if not same:
            wrong.append(key)
    return tuple(wrong)


# ---- loading -------------------------------------------------------------------------


def _read_html(path: Path) -> str:
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")


def _from_fundus(data: dict[str, Any]) -> dict[str, Any]:
    v1 = data["V1"]
    body = v1.get("body", {})
    paras = [p for s in body.get("sections", []) for p in s.get("paragraphs", [])]
    exp = {"title": v1.get("title"), "lead": " ".join(body.get("summary", [])), "paragraphs": paras,
           "authors": v1.get("authors", [])}
    return {k: v for k, v in exp.items() if v is not None}


def _expected(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text("utf-8"))
    return _from_fundus(data) if "V1" in data else data


def load_cases(folder: Path) -> list[Case]:
    """Cases under ``folder``, sorted by name; InputError when there is none."""
    cases = []
    for exp in sorted(folder.glob("*/expected.json")):
        pages = [p for p in (exp.parent / "page.html", exp.parent / "page.html.gz") if p.is_file()]
        if pages:
            cases.append(Case(exp.parent.name, _read_html(pages[0]), _expected(exp)))
    for exp in sorted(folder.glob("*.expected.json")):
        page = exp.with_name(exp.name.removesuffix(".expected.json") + ".html.gz")
        if page.is_file():
            cases.append(Case(page.name.removesuffix(".html.gz"), _read_html(page), _expected(exp)))
    if not cases:
        raise InputError(f"{folder}: no pages with an expected.json found")
    return cases


def _trafilatura() -> Callable[[str], str | None] | None:
    try:
        import trafilatura
    except ImportError:
        return None
    return trafilatura.extract


def evaluate(folder: Path, with_trafilatura: bool = True) -> list[PageResult]:
    extract = _trafilatura() if with_trafilatura else None
    results = []
    for case in load_cases(folder):
        vn, wrong = score_vnnews(case)
        tf = score_trafilatura(case, extract) if extract else None
        results.append(PageResult(case.name, vn, tf, wrong))
    return results


def total(scores: Iterable[Score]) -> Score:
    scores = list(scores)
    return Score(sum(s.expected for s in scores), sum(s.extracted for s in scores), sum(s.matched for s in scores),
                 sum(s.found for s in scores), tuple(leak for s in scores for leak in s.leaks))


def failures(results: list[PageResult]) -> list[str]:
    """Pages below the floors: a leak, or body recall under RECALL_FLOOR (vnnews)."""
    return [r.name for r in results if r.vnnews.leaks or r.vnnews.recall < RECALL_FLOOR]


# ---- reports ---------------------------------------------------------------------------


def _cells(s: Score | None) -> str:
    if s is None:
        return f"{'–':>6} {'–':>6} {'–':>5}"
    return f"{s.recall:6.3f} {s.precision:6.3f} {len(s.leaks):5d}"


def format_table(results: list[PageResult]) -> str:
    """Per page and overall: recall, precision, leaks for vnnews | trafilatura."""
    width = max([len(r.name) for r in results] + [7])
    head = f"{'page':<{width}}  {'vnnews':^19}  {'trafilatura.extract':^19}  fields wrong (vnnews)"
    sub = f"{'':<{width}}  {'recall':>6} {'prec':>6} {'leaks':>5}  {'recall':>6} {'prec':>6} {'leaks':>5}"
    lines = [head, sub]
    for r in results:
        lines.append(f"{r.name:<{width}}  {_cells(r.vnnews)}  {_cells(r.trafilatura)}  {', '.join(r.field_errors) or '-'}")
    tf = [r.trafilatura for r in results if r.trafilatura is not None]
    overall = total(r.vnnews for r in results)
    lines.append(f"{'overall':<{width}}  {_cells(overall)}  {_cells(total(tf) if tf else None)}  "
                 f"{sum(bool(r.field_errors) for r in results)} page(s)")
    failed = failures(results)
    lines.append(f"floors (vnnews: zero leaks, recall ≥ {RECALL_FLOOR} on every page): "
                 + ("met" if not failed else "NOT met on " + ", ".join(failed)))
    return "\n".join(lines)


def _score_json(s: Score | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {"recall": round(s.recall, 4), "precision": round(s.precision, 4), "expected": s.expected,
            "extracted": s.extracted, "matched": s.matched, "found": s.found, "leaks": list(s.leaks)}


def results_json(results: list[PageResult]) -> str:
    """One JSON object per page, then one for the overall scores."""
    lines = [json.dumps({"page": r.name, "vnnews": _score_json(r.vnnews), "trafilatura": _score_json(r.trafilatura),
                         "fields_wrong": list(r.field_errors)}, ensure_ascii=False) for r in results]
    tf = [r.trafilatura for r in results if r.trafilatura is not None]
    lines.append(json.dumps({"page": "overall", "vnnews": _score_json(total(r.vnnews for r in results)),
                             "trafilatura": _score_json(total(tf)) if tf else None,
                             "floors_met": not failures(results)}, ensure_ascii=False))
    return "\n".join(lines)
