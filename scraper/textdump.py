"""Parse a text dump: a page already flattened to text, trailer sections included.

The form (see ../shared/seeds/): an optional header line ("Powered by Techcity"), the
title, body paragraphs with caption lines and image file-name lines, an author line,
``Nguồn: URL``, then trailer sections ("Cùng chủ đề", "Tin mới nhất", …).  Paragraphs
are separated by blank lines or are one per line.  The boilerplate rules are the HTML
parser's (``scraper.boilerplate``): headings, line patterns, file names, inline teasers.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from scraper.boilerplate import (
    is_block_heading, is_boilerplate_line, is_inline_heading, is_inline_teaser, strip_agency_prefix,
)
from scraper.bylines import is_byline, split_authors
from scraper.datetext import is_date_line, parse_datetime
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


def _teaser_title(line: str) -> bool:
    """A teaser link's title: short, no sentence punctuation at its end."""
    return len(line.split()) <= 25 and not line.endswith((".", "!", "?", "…", ":", ";"))


def _body_lines(lines: list[str]) -> tuple[list[str], str | None, list[str]]:
    """The article's lines, its ``Nguồn:`` URL and its date lines ("Cập nhật: …").  An
    in-body heading ("Tin liên quan", "Xem thêm", …) drops the teaser titles (and truncated
    summaries) under it and the body goes on; any other heading, or any heading once the
    byline or the source line has passed, starts the trailer, which runs to the end."""
    body: list[str] = []
    dates: list[str] = []
    source_url: str | None = None
    in_block = False
    for line in lines:
        m = _SOURCE.match(line)
        if m and _URL.match(m.group(2)):
            source_url = source_url or m.group(2)
            continue
        if is_date_line(line):
            dates.append(line)
            continue
        if is_block_heading(line):
            if not is_inline_heading(line) or source_url or (body and is_byline(body[-1])):
                break
            in_block = True
            continue
        if in_block and (_teaser_title(line) or line.endswith(("...", "…"))):
            continue
        in_block = False
        if not (is_inline_teaser(line) or is_boilerplate_line(line)):
            body.append(line)
    return body, source_url, dates


def parse_text_dump(
    raw: str,
    *,
    url: str | None = None,
    published: datetime | None = None,
) -> Article:
    """Turn a text dump into an Article; raises InputError when no article text is left."""
    lines = [tidy(line) for line in raw.splitlines() if tidy(line)]
    body, source_url, dates = _body_lines(lines)
    url = url or source_url
    published = published or next((d for line in dates if (d := parse_datetime(line))), None)
    if not body:
        raise InputError("no article text found in the text dump")

    title, rest = body[0], body[1:]
    authors: list[str] = []
    if rest and is_byline(rest[-1]):
        authors = split_authors(rest.pop())

    blocks = [Block("title", title)]
    for i, line in enumerate(rest):
        if i == 0 and not looks_like_caption(line):
            blocks.append(Block("lead", strip_agency_prefix(line)))
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
