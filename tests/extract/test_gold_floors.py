"""The extractor against the hand-annotated gold set: every field at or above its floor.

Floors live in tests/gold/floors.toml (see docs/quality.md); `vnnews eval tests/gold --diff`
shows what is missed or wrongly found, article by article.
"""

from __future__ import annotations

from functools import lru_cache

from corpus.evalcmd import load_floors, load_gold_set
from extract import extract_record
from extract.evaluate import FIELDS, check_floors, score_article, summarize
from tests.conftest import REPO

GOLD = REPO / "tests" / "gold"


@lru_cache(maxsize=1)
def _scored():
    items = load_gold_set(GOLD)
    results = [score_article(item.gold, extract_record(item.article)) for item in items]
    return items, summarize(results)


def test_gold_set_is_large_and_varied():
    items, _ = _scored()
    assert len(items) >= 40
    assert len({item.article.province for item in items}) >= 10
    assert len({item.article.site for item in items}) >= 10


def test_floors_file_covers_every_field():
    assert set(load_floors(GOLD / "floors.toml")) == set(FIELDS)


def test_every_field_reaches_its_floor():
    _, summary = _scored()
    failures = check_floors(summary, load_floors(GOLD / "floors.toml"))
    assert not failures, "below floor: " + "; ".join(failures) + " (run `vnnews eval tests/gold --diff`)"
