"""The extraction pipeline: a fixed list of small pure finders ``find_x(doc) -> list``.

A failure in one finder is isolated: the record still comes out, with the error noted
in ``Record.errors``.
"""

from __future__ import annotations

import logging
from typing import Callable, Sequence

from extract.doc import Doc
from extract.types import Record
from scraper.types import Article

log = logging.getLogger(__name__)

EXTRACTOR_VERSION = "vnnews 0.1.0"

Finder = Callable[[Doc], Sequence[object]]


def _finders() -> list[tuple[str, Finder]]:
    from extract.dates import find_dates
    from extract.figures import find_figures
    from extract.hospitals import find_hospitals
    from extract.officials import find_officials
    from extract.periods import find_periods
    from extract.agreements import find_agreements

    return [
        ("dates", find_dates),
        ("officials", find_officials),
        ("hospitals", find_hospitals),
        ("periods", find_periods),
        ("figures", find_figures),
        ("agreements", find_agreements),
    ]


def extract_record(article: Article) -> Record:
    """Run every finder over ``article`` and return its Record."""
    doc = Doc.from_article(article)
    found: dict[str, tuple[object, ...]] = {}
    errors: list[str] = []
    for name, finder in _finders():
        try:
            found[name] = tuple(finder(doc))
        except Exception as exc:  # isolate one broken finder from the rest
            log.warning("extractor %s failed on %s: %s", name, article.url, exc)
            errors.append(f"{name}: {type(exc).__name__}: {exc}")
            found[name] = ()
    return Record(article=article, extractor=EXTRACTOR_VERSION, errors=tuple(errors), **found)  # type: ignore[arg-type]
