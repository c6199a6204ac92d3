"""``vnnews eval GOLD_DIR``: extract every gold article and score it (see extract.evaluate).

A gold set is a folder of articles, one sub-folder each: ``input.txt`` (a text dump,
see scraper.textdump) and ``gold.json`` (the expected mentions).  Floors are a TOML
file, one table per field, ``metric = minimum``; without ``--floors`` the set's own
``floors.toml`` is used when there is one.  Exit codes: 0 all floors met, 1 a floor
not met, 2 unusable gold set or floors file (one line on stderr).
"""

from __future__ import annotations

import json
import sys
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence, TextIO

from extract.evaluate import (
    CORE_ATTRS,
    EXTRA_ATTRS,
    FIELDS,
    ArticleResult,
    FieldSummary,
    GoldArticle,
    GoldError,
    check_floors,
    metric_names,
    resolve_gold,
    score_article,
    summarize,
)
from scraper.errors import InputError
from scraper.types import Article

VN_TZ_OFFSET = "+07:00"


@dataclass(frozen=True, slots=True)
class EvalOptions:
    gold_dir: Path
    fields: tuple[str, ...] = FIELDS
    diff: bool = False
    floors: Path | None = None  # None: GOLD_DIR/floors.toml when it exists
    format: str = "table"  # table | json


@dataclass(frozen=True, slots=True)
class GoldItem:
    gold: GoldArticle
    article: Article


def _published(name: str, value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        dt = datetime.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{name}: \"published\" is not an ISO date: {value!r}") from None
    return dt if dt.tzinfo else datetime.fromisoformat(dt.isoformat() + VN_TZ_OFFSET)


def load_gold_set(gold_dir: Path) -> list[GoldItem]:
    """Parse every ``NNN_slug/input.txt`` and resolve its ``gold.json``; InputError on bad data."""
    from scraper.textdump import parse_text_dump

    if not gold_dir.is_dir():
        raise InputError(f"no such gold folder: {gold_dir}")
    items = []
    for folder in sorted(p for p in gold_dir.iterdir() if p.is_dir() and (p / "input.txt").exists()):
        name = folder.name
        gold_path = folder / "gold.json"
        if not gold_path.exists():
            raise InputError(f"{name}: no gold.json next to input.txt")
        try:
            raw = (folder / "input.txt").read_text("utf-8")
            gold = json.loads(gold_path.read_text("utf-8"))
        except UnicodeDecodeError:
            raise InputError(f"{name}: not UTF-8 text") from None
        except json.JSONDecodeError as exc:
            raise InputError(f"{name}/gold.json: not valid JSON: {exc}") from None
        if not isinstance(gold, dict):
            raise InputError(f"{name}/gold.json: must be a JSON object")
        try:
            article = parse_text_dump(raw, url=gold.get("url"), published=_published(name, gold.get("published")))
        except InputError as exc:
            raise InputError(f"{name}/input.txt: {exc}") from None
        try:
            items.append(GoldItem(resolve_gold(name, gold, article.text), article))
        except GoldError as exc:
            raise InputError(str(exc)) from None
    if not items:
        raise InputError(f"no gold articles (NNN_slug/input.txt + gold.json) in {gold_dir}")
    return items


def load_floors(path: Path) -> dict[str, dict[str, float]]:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise InputError(f"no such floors file: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from None
    floors: dict[str, dict[str, float]] = {}
    for fname, table in data.items():
        if fname not in FIELDS or not isinstance(table, dict):
            raise InputError(f"{path}: unknown field table [{fname}] (fields: {', '.join(FIELDS)})")
        for metric, minimum in table.items():
            if metric not in metric_names(fname):
                raise InputError(f"{path}: [{fname}] unknown metric {metric!r}")
            if not isinstance(minimum, (int, float)) or not 0 <= minimum <= 1:
                raise InputError(f"{path}: [{fname}] {metric} must be a number from 0 to 1")
        floors[fname] = {k: float(v) for k, v in table.items()}
    return floors


def run_eval(options: EvalOptions, out: TextIO | None = None,
             extractor: Callable[[Article], Any] | None = None) -> int:
    out = out or sys.stdout
    floors_path = options.floors
    if floors_path is None and (options.gold_dir / "floors.toml").exists():
        floors_path = options.gold_dir / "floors.toml"
    floors = load_floors(floors_path) if floors_path else {}
    items = load_gold_set(options.gold_dir)
    if extractor is None:
        from extract import extract_record as extractor
    results: list[ArticleResult] = []
    finder_errors: list[str] = []
    extractor_name = ""
    for item in items:
        record = extractor(item.article)
        extractor_name = getattr(record, "extractor", "") or extractor_name
        finder_errors += [f"{item.gold.name}: {e}" for e in getattr(record, "errors", ())]
        results.append(score_article(item.gold, record, options.fields))
    summary = summarize(results, options.fields)
    failures = check_floors(summary, {f: v for f, v in floors.items() if f in options.fields})
    if options.format == "json":
        payload = report_json(options, summary, failures, floors_path, len(items), extractor_name, finder_errors)
        if options.diff:
            payload["diff"] = [_diff_json(r) for r in results]
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(format_table(summary, options.gold_dir, len(items), extractor_name) + "\n")
        for line in finder_errors:
            out.write(f"finder error: {line}\n")
        out.write(_floor_lines(failures, floors_path))
        if options.diff:
            out.write("\n" + format_diff(results))
    return 1 if failures else 0


# --------------------------------------------------------------------------- output


def format_table(summary: Mapping[str, FieldSummary], gold_dir: Path, n: int, extractor: str) -> str:
    head = f"{'field':<11} {'gold':>5} {'pred':>5}  {'P':>5} {'R':>5} {'F1':>5}  {'exF1':>5}  {'values':>6}  notes"
    lines = [f"gold set {gold_dir} — {n} articles — {extractor or 'extractor ?'}", head, "-" * len(head)]
    for fname, s in summary.items():
        m = s.metrics()
        notes = []
        if fname == "officials":
            notes.append(f"titles {m['titles_correct']:.3f}")
        if fname == "agreements":
            notes.append(f"scope {m['scope_correct']:.3f}")
        weak = [a for a in CORE_ATTRS[fname] if len(CORE_ATTRS[fname]) > 1 and m[f"{a}_correct"] < 1.0]
        notes += [f"{a} {m[f'{a}_correct']:.2f}" for a in weak]
        if s.bad_offsets:
            notes.append(f"BAD OFFSETS {s.bad_offsets}")
        lines.append(f"{fname:<11} {s.gold:>5} {s.predicted:>5}  {m['precision']:>5.3f} {m['recall']:>5.3f} "
                     f"{m['f1']:>5.3f}  {m['exact_f1']:>5.3f}  {m['values']:>6.3f}  {', '.join(notes)}")
    return "\n".join(lines)


def _floor_lines(failures: Sequence[str], path: Path | None) -> str:
    if path is None:
        return "floors: none\n"
    if not failures:
        return f"floors ({path}): all met\n"
    return "".join(f"BELOW FLOOR: {f}\n" for f in failures) + f"floors ({path}): {len(failures)} not met\n"


def report_json(options: EvalOptions, summary: Mapping[str, FieldSummary], failures: Sequence[str],
                floors_path: Path | None, n: int, extractor: str, errors: Sequence[str]) -> dict[str, Any]:
    fields = {}
    for fname, s in summary.items():
        fields[fname] = {"gold": s.gold, "predicted": s.predicted, "overlap_tp": s.overlap_tp,
                         "exact_tp": s.exact_tp, "bad_offsets": s.bad_offsets,
                         **{k: round(v, 4) for k, v in s.metrics().items()}}
    return {"gold_dir": str(options.gold_dir), "articles": n, "extractor": extractor, "fields": fields,
            "floors": {"file": str(floors_path) if floors_path else None, "failures": list(failures)},
            "finder_errors": list(errors)}


def _gold_values(fname: str, values: Mapping[str, Any]) -> str:
    keys = [k for k in values if k not in ("text", "occurrence")]
    return " ".join(f"{k}={values[k]!r}" for k in keys)


def _pred_values(fname: str, pred: Any) -> str:
    attrs = list(CORE_ATTRS[fname]) + list(EXTRA_ATTRS.get(fname, ()))
    attrs = [a for a in attrs if a != "period"] + (["start_year", "end_year"] if fname == "agreements" else [])
    parts = []
    for a in attrs:
        v = getattr(pred, a, None)
        parts.append(f"{a}={list(v) if isinstance(v, tuple) else v!r}")
    return " ".join(parts)


def _diff_lines(res: ArticleResult) -> list[str]:
    lines = []
    for fname, fr in res.fields.items():
        for g in fr.misses:
            lines.append(f"  {fname:<10} MISS   {g.text!r} [{g.start}:{g.end}]  want {_gold_values(fname, g.values)}")
        for p in fr.false_hits:
            lines.append(f"  {fname:<10} FALSE  {p.text!r} [{p.start}:{p.end}]  got {_pred_values(fname, p)}")
        for pair in fr.pairs:
            if not pair.exact:
                lines.append(f"  {fname:<10} SPAN   want {pair.gold.text!r} got {pair.pred.text!r}")
            wrong = [a for a, ok in pair.checks.items() if not ok]
            if wrong:
                lines.append(f"  {fname:<10} VALUE  {pair.gold.text!r} wrong {', '.join(wrong)}:  want "
                             f"{_gold_values(fname, pair.gold.values)}  got {_pred_values(fname, pair.pred)}")
    return lines


def format_diff(results: Sequence[ArticleResult]) -> str:
    """Per article: misses, false hits, span differences and wrong values."""
    chunks = []
    for res in results:
        lines = _diff_lines(res)
        if lines:
            chunks.append(f"== {res.name}\n" + "\n".join(lines))
    return ("\n".join(chunks) + "\n") if chunks else "no differences\n"


def _diff_json(res: ArticleResult) -> dict[str, Any]:
    return {"article": res.name, "lines": [line.strip() for line in _diff_lines(res)]}
