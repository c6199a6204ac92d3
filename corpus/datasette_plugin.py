"""The Datasette plugin behind ``vnnews serve``, registered in-process.

It gives every Datasette connection the SQL functions the corpus needs:

- ``vn_fold(text)``: the search fold (no diacritics, đ→d, lower case).
- ``vn_match(query)``: a user query folded for the folded FTS index (``corpus.search.fts_query``).
- ``vn_snippet(text, query)``: the original text around the first match, matches in [brackets].
- ``escape_fts(query)``: Datasette's own function, replaced so that the table search box
  folds the query first — "Đà Nẵng" and "Da Nang" both find "Đà Nẵng".
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils import escape_fts

from extract import fold_search


def _fold(value: str | None) -> str | None:
    return fold_search(value) if value is not None else None


def _match(query: str | None) -> str:
    from corpus.search import fts_query

    return fts_query(query or "")


def _snippet(text: str | None, query: str | None) -> str | None:
    from corpus.search import snippet

    return snippet(text, query or "") if text is not None else None


def _escape_folded(query: str | None) -> str:
    return escape_fts(fold_search(query or ""))


@hookimpl(trylast=True)  # after Datasette's own escape_fts, so ours wins
def prepare_connection(conn):
    conn.create_function("vn_fold", 1, _fold, deterministic=True)
    conn.create_function("vn_match", 1, _match, deterministic=True)
    conn.create_function("vn_snippet", 2, _snippet, deterministic=True)
    conn.create_function("escape_fts", 1, _escape_folded, deterministic=True)
