"""``Doc``: what every finder reads.  Built once per article, never mutated (``memo``
only caches what a finder computed, so a finder that needs another's result — the
agreements finder reads dates and periods — does not compute it twice)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import wraps
from typing import Callable, TypeVar

from extract.normalize import fold_search, fold_tone
from scraper.types import Article


@dataclass(frozen=True, slots=True)
class Doc:
    text: str  # the article's stored text (NFC); offsets point here
    tone: str  # fold_tone(text): same length, one tone-mark placement
    plain: str  # fold_search(text): same length, lower case, no diacritics
    province: str | None
    anchor: date | None  # publication date (or first day of the publication month)
    anchor_precision: str | None  # "day" | "month" | None
    article: Article
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_article(cls, article: Article) -> "Doc":
        anchor: date | None = None
        precision: str | None = None
        if article.published is not None:
            anchor, precision = article.published.date(), "day"
        elif article.published_month:
            year, month = article.published_month.split("-")[:2]
            anchor, precision = date(int(year), int(month), 1), "month"
        return cls(
            text=article.text,
            tone=fold_tone(article.text),
            plain=fold_search(article.text),
            province=article.province,
            anchor=anchor,
            anchor_precision=precision,
            article=article,
        )


T = TypeVar("T")


def memoized(finder: Callable[[Doc], list[T]]) -> Callable[[Doc], list[T]]:
    """Compute ``finder(doc)`` once per Doc; every call gets its own list."""
    key = f"{finder.__module__}.{finder.__qualname__}"

    @wraps(finder)
    def wrapper(doc: Doc) -> list[T]:
        found = doc.memo.get(key)
        if found is None:
            found = doc.memo[key] = tuple(finder(doc))
        return list(found)

    return wrapper
