"""Rewrite tests/golden_pages/*/expected.json from what vnnews extracts now.

Run from the repository root:  PYTHONPATH=. python tests/golden_pages/regenerate.py [NAME…]
``must_not_contain`` (hand-written) is kept.  Review the diff: an expected file is a
reviewed claim about the page, never a blind snapshot.
"""

from __future__ import annotations

import gzip
import json
import sys
import tomllib
from pathlib import Path

from scraper.html import parse_html

GOLDEN = Path(__file__).resolve().parent


def read_page(folder: Path) -> str:
    plain, packed = folder / "page.html", folder / "page.html.gz"
    return plain.read_text("utf-8") if plain.is_file() else gzip.decompress(packed.read_bytes()).decode("utf-8")


def extracted(folder: Path) -> dict:
    url = tomllib.loads((folder / "meta.toml").read_text("utf-8"))["url"]
    article = parse_html(read_page(folder), url)
    return {
        "url": url, "canonical_url": article.canonical_url, "title": article.title, "lead": article.lead,
        "paragraphs": list(article.paragraphs), "captions": list(article.captions),
        "authors": list(article.authors),
        "published": article.published.isoformat() if article.published else None,
        "category": article.category, "tags": list(article.tags),
    }


def main(names: list[str]) -> int:
    folders = [GOLDEN / n for n in names] if names else sorted(p.parent for p in GOLDEN.glob("*/meta.toml"))
    for folder in folders:
        out = folder / "expected.json"
        old = json.loads(out.read_text("utf-8")) if out.exists() else {}
        new = extracted(folder) | {"must_not_contain": old.get("must_not_contain", [])}
        text = json.dumps(new, ensure_ascii=False, indent=2) + "\n"
        changed = not out.exists() or out.read_text("utf-8") != text
        out.write_text(text, encoding="utf-8")
        print(f"{'updated' if changed else 'same   '} {out.relative_to(GOLDEN.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
