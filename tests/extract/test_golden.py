"""Every golden folder (tests/golden/<name>/input.txt + expected.json, reviewed by hand;
rewrite with tests/golden/regenerate.py) against a fresh extraction."""

import json
from pathlib import Path

import pytest

from extract import extract_record, record_to_json
from extract.types import MENTION_TYPES
from scraper.textdump import parse_text_dump

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
FOLDERS = sorted(p.parent for p in GOLDEN.glob("*/expected.json"))


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_golden_record(folder):
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    article = parse_text_dump((folder / "input.txt").read_text(encoding="utf-8"))
    got = record_to_json(extract_record(article))
    for key in (*MENTION_TYPES, "text", "province"):
        assert got[key] == expected[key], key
