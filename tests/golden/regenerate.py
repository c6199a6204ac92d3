"""Rewrite tests/golden/*/expected.json from each folder's input.txt (a text dump).

Run from the repository root:  PYTHONPATH=. python tests/golden/regenerate.py [NAME…]
Then review the diff: an expected file is a reviewed claim, never a blind snapshot.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from extract import extract_record, record_to_json
from scraper.textdump import parse_text_dump

GOLDEN = Path(__file__).resolve().parent


def golden_record(folder: Path) -> dict:
    article = parse_text_dump((folder / "input.txt").read_text(encoding="utf-8"))
    return record_to_json(extract_record(article))


def main(names: list[str]) -> int:
    folders = [GOLDEN / n for n in names] if names else sorted(
        p.parent for p in GOLDEN.glob("*/input.txt"))
    for folder in folders:
        out = folder / "expected.json"
        text = json.dumps(golden_record(folder), ensure_ascii=False, indent=2) + "\n"
        changed = not out.exists() or out.read_text(encoding="utf-8") != text
        out.write_text(text, encoding="utf-8")
        print(f"{'updated' if changed else 'same   '} {out.relative_to(GOLDEN.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
