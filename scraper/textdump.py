"""Parse a text dump: a page already flattened to text, trailer sections included.

The form (see ../shared/seeds/): an optional header line ("Powered by Techcity"), the
title, body paragraphs with caption lines and image file-name lines, an author line,
``Nguồn: URL``, then trailer sections ("Cùng chủ đề", "Tin mới nhất", …).  Paragraphs
are separated by blank lines or are one per line.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from scraper.boilerplate import is_block_heading, is_boilerplate_line, is_inline_teaser
from scraper.bylines import is_byline, split_authors
from scraper.errors import InputError
from scraper.types import Article, Block, tidy
from scraper.urlinfo import date_from_url, month_from_url, province_of, site_of

_SOURCE = re.compile(r"^\s*(nguồn|nguon|source)\s*:\s*(\S+)\s*$", re.IGNORECASE)
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"[.!?…]\s+\S")

# Captions are short single sentences; a body paragraph this short is rare and still
# reaches the text (only its kind differs).
CAPTION_MAX_WORDS = 22


def looks_like_caption(line: str) -> bool:
    words = line.split()
    if not words or len(words) > CAPTION_MAX_WORDS or line.endswith(":"):
        return False
    if line.startswith(("Ảnh:", "Ảnh :", "(Ảnh")):
        return True
    return not _SENTENCE_BREAK.search(line.rstrip(".!?… "))


def parse_text_dump(
    raw: str,
    *,
    url: str | None = None,
    published: datetime | None = None,
) -> Article:
    """Turn a text dump into an Article; raises InputError when no article text is left."""
    lines = [tidy(line) for line in raw.splitlines()]
    body: list[str] = []
    source_url: str | None = None
    for line in lines:
        if not line:
            continue
        m = _SOURCE.match(line)
        if m and _URL.match(m.group(2)):
            source_url = source_url or m.group(2)
            continue
        if is_block_heading(line):
            break  # trailer sections run to the end of the dump
        if is_inline_teaser(line) or is_boilerplate_line(line):
            continue
        body.append(line)
    url = url or source_url
    if not body:
        raise InputError("no article text found in the text dump")

    title, rest = body[0], body[1:]
    authors: list[str] = []
    if rest and is_byline(rest[-1]):
        authors = split_authors(rest.pop())

    blocks = [Block("title", title)]
    for i, line in enumerate(rest):
        if i == 0 and not looks_like_caption(line):
            blocks.append(Block("lead", line))
        elif looks_like_caption(line) and 0 < i < len(rest):
            blocks.append(Block("caption", line))
        else:
            blocks.append(Block("paragraph", line))

    site = site_of(url)
    day = published.date() if published else date_from_url(url)
    month = month_from_url(url)
    when = day or (date(int(month[:4]), int(month[5:7]), 1) if month else None)
    return Article.from_blocks(
        blocks,
        url=url,
        site=site,
        province=province_of(site, when),
        authors=authors,
        published=published,
        published_month=None if published else month,
    )
