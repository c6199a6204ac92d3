"""``Doc``: what every finder reads.  Built once per article, never mutated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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
