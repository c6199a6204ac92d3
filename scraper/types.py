"""The two types the scraper hands on: ``Page`` (what was fetched) and ``Article``
(what the page says, boilerplate removed).  Both are frozen; ``Article.text`` is the
string every later character offset points into."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Literal, Mapping

BlockKind = Literal["title", "lead", "paragraph", "caption"]

BLOCK_SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class Page:
    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    fetched_at: datetime
    etag: str | None = None
    last_modified: str | None = None

    @property
    def content_type(self) -> str:
        for key, value in self.headers.items():
            if key.lower() == "content-type":
                return value
        return ""


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of article text in reading order."""

    kind: BlockKind
    text: str


@dataclass(frozen=True, slots=True)
class Article:
    url: str | None
    site: str | None
    province: str | None
    title: str
    lead: str
    paragraphs: tuple[str, ...]
    captions: tuple[str, ...]
    authors: tuple[str, ...]
    published: datetime | None
    category: str | None
    tags: tuple[str, ...]
    text: str
    # What the page gave only partially: "YYYY-MM" from a URL such as /202410/.
    published_month: str | None = None
    canonical_url: str | None = None
    blocks: tuple[Block, ...] = field(default=(), repr=False, compare=False)

    @classmethod
    def from_blocks(
        cls,
        blocks: Iterable[Block],
        *,
        url: str | None = None,
        site: str | None = None,
        province: str | None = None,
        authors: Iterable[str] = (),
        published: datetime | None = None,
        published_month: str | None = None,
        category: str | None = None,
        tags: Iterable[str] = (),
        canonical_url: str | None = None,
    ) -> "Article":
        """Build an article from blocks in reading order; text is NFC and whitespace-tidy."""
        clean = tuple(
            Block(b.kind, t) for b in blocks if (t := tidy(b.text))
        )
        title = next((b.text for b in clean if b.kind == "title"), "")
        lead = next((b.text for b in clean if b.kind == "lead"), "")
        return cls(
            url=url,
            site=site,
            province=province,
            title=title,
            lead=lead,
            paragraphs=tuple(b.text for b in clean if b.kind == "paragraph"),
            captions=tuple(b.text for b in clean if b.kind == "caption"),
            authors=tuple(tidy(a) for a in authors if tidy(a)),
            published=published,
            category=tidy(category) if category else None,
            tags=tuple(tidy(t) for t in tags if tidy(t)),
            text=BLOCK_SEPARATOR.join(b.text for b in clean),
            published_month=published_month,
            canonical_url=canonical_url,
            blocks=clean,
        )


def tidy(text: str | None) -> str:
    """NFC, no zero-width or non-breaking oddities, single spaces, stripped."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    return " ".join(text.split())
