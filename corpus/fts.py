"""What the PostgreSQL full-text index stores (SQLite's FTS5 tokenises by itself).

The folded text (``extract.fold_search``) is cut into words exactly as the query side
cuts a query (``WORD``), and the words are joined by spaces before ``to_tsvector('simple',
…)``: PostgreSQL's parser then sees only plain words, so "2025-2030" or "20.386" index as
the same separate words as in FTS5's unicode61 tokenizer, whatever the parser would make
of the punctuation.  Title words carry weight A (title matches rank first, and
``'word':A`` finds a word in the title).
"""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W_]+")
# a tsvector holds at most 1 MB; a 10 MB page is cut (its later words are not searchable)
MAX_INDEXED_CHARS = 600_000
PG_INDEX_SQL = ("INSERT INTO articles_fts (rowid, title, text, tsv) VALUES (?, ?, ?, "
                "setweight(to_tsvector('simple', ?), 'A') || to_tsvector('simple', ?))")


def words(folded: str) -> str:
    """The words of a folded text, space-separated, at most ``MAX_INDEXED_CHARS`` long."""
    out = " ".join(m.group(0)[:200] for m in WORD.finditer(folded))
    return out[:MAX_INDEXED_CHARS].rsplit(" ", 1)[0] if len(out) > MAX_INDEXED_CHARS else out
