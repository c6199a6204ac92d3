"""The synthetic corpus of bench/synth.py in PostgreSQL: a copy of a SQLite one.

Copying the SQLite build (rather than generating again) puts the very same articles in
both backends, so the search benchmark compares engines, not corpora.  Tables are copied
with COPY; the full-text rows go through ``corpus.fts`` exactly as ``Corpus.store`` writes
them (folded title and text, their words, the weighted tsvector).
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from corpus import fts
from corpus.store import Corpus

TABLES = {
    "articles": "id, key, url, site, province, title, lead, text, published, published_month, authors, category, "
                "tags, text_sha256, record, extractor, stored_at, hospital_names, official_names, period_labels, "
                "duplicate_of, duplicate_similarity",
    "hospitals": "article_id, name, name_key, text, start, \"end\"",
    "officials": "article_id, name, name_key, titles, text, start, \"end\"",
    "periods": "article_id, text, kind, start_year, end_year, start, \"end\"",
    "figures": "article_id, text, value, unit, qualifier, start, \"end\"",
    "agreements": "id, article_id, parties, signed, start_year, end_year, scope, text, start, \"end\"",
    "agreement_parties": "agreement_id, article_id, position, name, name_key",
}
BATCH = 2000


def copy_from_sqlite(source: Path, url: str, log=print) -> None:
    """Fill the empty PostgreSQL corpus at ``url`` with the SQLite corpus ``source``."""
    started = time.monotonic()
    with Corpus(url) as corpus:
        if corpus.count():
            raise SystemExit(f"{corpus.name} is not empty: drop and re-create it first")
        raw = corpus.conn.raw
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        with raw.transaction():  # a COPY checks its foreign keys (duplicate_of) at its end
            for table, cols in TABLES.items():
                with raw.cursor().copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in src.execute(f"SELECT {cols} FROM {table}"):
                        copy.write_row(row)
                log(f"  {table} ({time.monotonic() - started:.0f} s)")
        cur = src.execute("SELECT rowid, title, text FROM articles_fts ORDER BY rowid")
        while rows := cur.fetchmany(BATCH):
            with raw.transaction():
                raw.cursor().executemany(fts.PG_INDEX_SQL.replace("?", "%s"), [
                    (i, title, text, fts.words(title), fts.words(text)) for i, title, text in rows])
        log(f"  articles_fts ({time.monotonic() - started:.0f} s)")
        for table in ("articles", "agreements"):
            raw.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        raw.execute("VACUUM ANALYZE")
        src.close()
    log(f"  copied {source} to {url} in {time.monotonic() - started:.0f} s")
