"""Every mention of every finder slices exactly its own text out of the record's text."""

from pathlib import Path

import pytest

from extract import extract_record
from extract.types import MENTION_TYPES
from scraper.textdump import parse_text_dump

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
INPUTS = sorted(GOLDEN.glob("*/input.txt"))


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.parent.name)
def test_every_mention_slices_its_text(path):
    record = extract_record(parse_text_dump(path.read_text(encoding="utf-8")))
    assert not record.errors
    count = 0
    for key in MENTION_TYPES:
        for m in getattr(record, key):
            assert record.text[m.start:m.end] == m.text, (key, m)
            count += 1
    assert count > 0


def test_there_are_golden_inputs():
    assert len(INPUTS) >= 4
