"""Helpers for finder tests: build a Doc from short Vietnamese text the way the scraper
would (Article.from_blocks NFC-normalises and tidies whitespace)."""

from __future__ import annotations

from datetime import datetime

import pytest

from extract.doc import Doc
from scraper.types import Article, Block


def make_doc(text: str, province: str | None = "Nghệ An", published: datetime | None = None,
             published_month: str | None = "2024-10") -> Doc:
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    blocks = [Block("paragraph", p) for p in paragraphs]
    article = Article.from_blocks(blocks, province=province, published=published,
                                  published_month=None if published else published_month)
    return Doc.from_article(article)


@pytest.fixture
def doc():
    return make_doc
