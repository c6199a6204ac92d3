"""Corpus errors (see scraper.errors for the whole tree).

    VnnewsError
     └── CorpusError        the corpus cannot be opened, read or written (locked, corrupt)
          └── QueryError    a search query the full-text engine cannot parse
"""

from __future__ import annotations

from scraper.errors import VnnewsError


class CorpusError(VnnewsError):
    """The corpus database cannot be opened, read or written."""


class QueryError(CorpusError):
    """A search query has bad syntax."""
