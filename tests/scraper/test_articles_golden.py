"""Golden pages (tests/golden_pages): every field as reviewed, no boilerplate leaks.

One parametrized test over all saved pages, on the path vnnews picks (profile or generic)
and on the generic path alone; plus the floors of ``vnnews eval-articles``.
"""

from __future__ import annotations

import gzip
import json
import tomllib
from datetime import datetime
from pathlib import Path

import pytest

from scraper.evaluate_articles import RECALL_FLOOR, Case, evaluate, fold, score_vnnews
from scraper.html import parse_html

GOLDEN = Path(__file__).resolve().parents[1] / "golden_pages"
PAGES = sorted(p.parent.name for p in GOLDEN.glob("*/expected.json"))


def _load(name: str) -> tuple[str, dict, dict]:
    folder = GOLDEN / name
    html = gzip.decompress((folder / "page.html.gz").read_bytes()).decode("utf-8")
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    meta = tomllib.loads((folder / "meta.toml").read_text("utf-8"))
    return html, expected, meta


def test_enough_pages_and_layouts() -> None:
    layouts = {_load(name)[2]["layout"] for name in PAGES}
    assert len(PAGES) >= 15 and len(layouts) >= 5
    assert {"techcity", "wordpress", "incolumn", "sidebar", "amp", "comments"} <= layouts


@pytest.mark.parametrize("name", PAGES)
def test_golden_page(name: str) -> None:
    html, exp, meta = _load(name)
    article = parse_html(html, meta["url"])
    assert article.title == exp["title"]
    assert article.lead == exp["lead"]
    assert list(article.paragraphs) == exp["paragraphs"]
    assert list(article.captions) == exp["captions"]
    assert list(article.authors) == exp["authors"]
    assert article.published == datetime.fromisoformat(exp["published"])
    assert article.category == exp["category"]
    assert list(article.tags) == exp["tags"]
    assert article.canonical_url == exp["canonical_url"]
    leaks = [s for s in exp["must_not_contain"] if fold(s) in fold(article.text)]
    assert leaks == []
    for author in article.authors:  # the byline is metadata, not text
        assert author not in article.text


@pytest.mark.parametrize("name", PAGES)
def test_generic_path_keeps_the_floors(name: str) -> None:
    """Without any site profile: zero leaks and body recall ≥ 0.98 still."""
    html, exp, meta = _load(name)
    article = parse_html(html, meta["url"], profile=None)
    leaks = [s for s in exp["must_not_contain"] if fold(s) in fold(article.text)]
    assert leaks == []
    body = [article.lead, *article.paragraphs] if article.lead else list(article.paragraphs)
    want = [exp["lead"], *exp["paragraphs"]] if exp["lead"] else exp["paragraphs"]
    assert sum(w in body for w in want) / len(want) >= RECALL_FLOOR


def test_eval_floors_on_every_golden_page() -> None:
    results = evaluate(GOLDEN, with_trafilatura=False)
    assert [r.name for r in results] == PAGES
    for r in results:
        assert r.vnnews.leaks == () and r.vnnews.recall >= RECALL_FLOOR and r.field_errors == (), r.name


def test_a_leak_and_a_miss_are_counted() -> None:
    html, exp, meta = _load(PAGES[0])
    leak = exp["must_not_contain"][0]
    doctored = dict(exp, paragraphs=exp["paragraphs"] + ["Một đoạn không có trên trang."],
                    must_not_contain=[leak, exp["paragraphs"][0][:30]])
    score, _ = score_vnnews(Case("x", html, doctored))
    assert score.leaks == (exp["paragraphs"][0][:30],)
    assert score.found == score.expected - 1 and score.recall < 1.0
