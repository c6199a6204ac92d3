"""The extraction pipeline: a fixed list of small pure finders ``find_x(doc) -> list``.

A failure in one finder is isolated: the record still comes out, with the error noted
in ``Record.errors``.  ``extract_many`` runs ``extract_record`` over a stream of articles
in a process pool (one process per core by default) and yields the records in input
order, with a bounded number of articles in flight.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Callable, Iterable, Iterator, Sequence

from extract.doc import Doc
from extract.types import Record
from scraper.types import Article

log = logging.getLogger(__name__)

EXTRACTOR_VERSION = "vnnews 0.2.0"  # bump when outputs change: `vnnews reextract` redoes older records

Finder = Callable[[Doc], Sequence[object]]


def _finders() -> list[tuple[str, Finder]]:
    from extract.dates import find_dates
    from extract.figures import find_figures
    from extract.hospitals import find_hospitals
    from extract.officials import find_officials
    from extract.periods import find_periods
    from extract.agreements import find_agreements
    from extract.organizations import find_organizations

    return [
        ("dates", find_dates),
        ("officials", find_officials),
        ("hospitals", find_hospitals),
        ("periods", find_periods),
        ("figures", find_figures),
        ("agreements", find_agreements),
        ("organizations", find_organizations),
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


BATCH = 8  # articles per task: amortises the pickling round trip (~20 ms of work each)


def _extract_batch(articles: list[Article]) -> list[Record]:
    return [extract_record(a) for a in articles]


def extract_many(articles: Iterable[Article], workers: int | None = 1) -> Iterator[Record]:
    """Records for ``articles``, in their order.  ``workers`` processes (None or 0: one
    per core; 1: in this process).  Articles are read from the iterable lazily, at most
    a few batches per worker ahead of the records yielded."""
    n = workers or os.cpu_count() or 1
    if n <= 1:
        yield from map(extract_record, articles)
        return
    window = 4 * n
    with ProcessPoolExecutor(max_workers=n) as pool:
        pending: deque[Future[list[Record]]] = deque()
        batch: list[Article] = []
        try:
            for article in articles:
                batch.append(article)
                if len(batch) == BATCH:
                    pending.append(pool.submit(_extract_batch, batch))
                    batch = []
                    if len(pending) >= window:
                        yield from pending.popleft().result()
        except GeneratorExit:  # the caller stopped reading: nothing more to hand out
            pending.clear()
            batch = []
            raise
        finally:  # the end, or a bad input further on: the records before it still come out
            if batch:
                pending.append(pool.submit(_extract_batch, batch))
            while pending:
                yield from pending.popleft().result()
