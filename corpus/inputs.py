"""Turn what the user names on the command line into articles: a file (.html,
.html.gz, a text dump, JSON Lines), a URL, or ``-`` for standard input.

Each input yields ``(Article, RawInput)`` pairs so the raw bytes can be stored next to
the article.  Unusable input raises ``InputError`` with one line naming it.
"""

from __future__ import annotations

import json
import sys
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone, timedelta
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from corpus.store import RawInput
from scraper.errors import InputError
from scraper.types import Article

VN_TZ = timezone(timedelta(hours=7))
MAX_INPUT_BYTES = 50 * 1024 * 1024
FORMATS = ("auto", "html", "text", "jsonl", "warc")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


@dataclass(frozen=True, slots=True)
class InputOptions:
    url: str | None = None  # what a file lacks: its URL
    published: datetime | None = None  # … and its publication date
    input_format: str = "auto"
    domains: tuple[str, ...] = ()  # WARC inputs: extra domains to keep (--domain)
    all_domains: bool = False  # WARC inputs: keep every domain (--all-domains)


def parse_published(value: str) -> datetime:
    """'2024-10-12', '2024-10-12T18:30', '12/10/2024' -> an aware datetime (UTC+7 if naive)."""
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        import dateparser

        dt = dateparser.parse(value, languages=["vi", "en"], settings={"DATE_ORDER": "DMY", "STRICT_PARSING": True})
        if dt is None:
            raise InputError(f"--published: cannot read {value!r} as a date (use YYYY-MM-DD)") from None
    return dt if dt.tzinfo else dt.replace(tzinfo=VN_TZ)


def read_inputs(name: str, options: InputOptions) -> Iterator[tuple[Article, RawInput]]:
    """Articles from one command-line input."""
    if name == "-":
        body = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        yield from _from_bytes(body, "<stdin>", options)
        return
    scheme = urlsplit(name).scheme.lower()
    if "://" in name or (scheme and len(scheme) > 1 and not Path(name).exists()):
        yield _from_url(name, options)
        return
    if options.input_format == "warc" or (options.input_format == "auto" and name.lower().endswith(WARC_SUFFIXES)):
        yield from from_warc(name, options)
        return
    yield from _from_bytes(_read_file(Path(name)), name, options)


def _read_file(path: Path) -> bytes:
    if not path.exists():
        raise InputError(f"no such file: {path}")
    if path.is_dir():
        raise InputError(f"is a folder, not a file: {path}")
    try:
        with path.open("rb") as fh:
            body = fh.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(body) > MAX_INPUT_BYTES:
        raise InputError(f"file too large (over {MAX_INPUT_BYTES // 2**20} MB): {path}")
    return body


def _gunzip(body: bytes, name: str) -> bytes:
    try:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = d.decompress(body, MAX_INPUT_BYTES + 1)
    except zlib.error as exc:
        raise InputError(f"corrupt gzip file: {name} ({exc})") from None
    if len(out) > MAX_INPUT_BYTES:
        raise InputError(f"gzip file expands past {MAX_INPUT_BYTES // 2**20} MB: {name}")
    if not d.eof:
        raise InputError(f"corrupt gzip file: {name} (truncated)")
    return out


def sniff_format(body: bytes) -> str:
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body", b"<meta", b"<!--")) or b"<html" in head:
        return "html"
    if head.startswith(b"{"):
        return "jsonl"
    return "text"


def _looks_binary(body: bytes) -> bool:
    sample = body[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control > len(sample) // 50


def _from_bytes(body: bytes, name: str, options: InputOptions) -> Iterator[tuple[Article, RawInput]]:
    if body[:2] == b"\x1f\x8b":
        body = _gunzip(body, name)
    if not body.strip():
        raise InputError(f"empty input: {name}")
    if _looks_binary(body):
        raise InputError(f"not a text, HTML or JSON Lines file (binary data): {name}")
    fmt = options.input_format if options.input_format != "auto" else sniff_format(body)
    if fmt == "jsonl":
        yield from _from_jsonl(body, name, options)
    elif fmt in ("html", "text"):
        article = parse_raw(body, fmt, name, options)
        yield article, RawInput(body=body, input_format=fmt, url=article.url or options.url,
                                hints=_hints(options))
    else:
        raise InputError(f"unknown input format {fmt!r} (choose from {', '.join(FORMATS)})")


def _hints(options: InputOptions) -> dict[str, str]:
    """What the command line added to the bytes, stored with them for re-extraction."""
    hints = {}
    if options.url:
        hints["url"] = options.url
    if options.published:
        hints["published"] = options.published.isoformat()
    return hints


def with_published(article: Article, published: datetime | None) -> Article:
    """The article dated by ``--published`` when the page itself does not say."""
    if published is None or article.published is not None:
        return article
    from dataclasses import replace

    return replace(article, published=published, published_month=None)


def options_from_hints(hints: dict[str, str], input_format: str, url: str | None) -> InputOptions:
    published = hints.get("published")
    return InputOptions(url=hints.get("url") or url, input_format=input_format,
                        published=datetime.fromisoformat(published) if published else None)


def parse_raw(body: bytes, fmt: str, name: str, options: InputOptions,
              content_type: str | None = None) -> Article:
    """Parse stored or freshly read bytes of one article — the one code path shared by
    `vnnews extract` and `vnnews reextract`.  ``fmt`` is html, text or jsonl (one line)."""
    if fmt == "html":
        from scraper.html import parse_html
        from scraper.encoding import decode_body

        return parse_html(decode_body(body, content_type), options.url, published=options.published)
    if fmt == "text":
        from scraper.textdump import parse_text_dump

        return parse_text_dump(_decode_text(body, name), url=options.url, published=options.published)
    if fmt == "jsonl":
        return _article_from_json_line(_decode_text(body, name), name, options)
    raise InputError(f"unknown input format {fmt!r} (choose from {', '.join(FORMATS)})")


def _decode_text(body: bytes, name: str) -> str:
    from scraper.encoding import decode_body

    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return decode_body(body, None)


def _from_jsonl(body: bytes, name: str, options: InputOptions) -> Iterator[tuple[Article, RawInput]]:
    for lineno, line in enumerate(_decode_text(body, name).splitlines(), start=1):
        if line.strip():
            article = _article_from_json_line(line, f"{name}:{lineno}", options)
            yield article, RawInput(body=line.encode("utf-8"), input_format="jsonl", url=article.url,
                                    hints=_hints(options))


def _article_from_json_line(line: str, where: str, options: InputOptions) -> Article:
    from scraper.textdump import parse_text_dump

    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not a JSON object ({exc.msg})") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not obj["text"].strip():
        raise InputError(f'{where}: expected an object with a non-empty "text"')
    url = obj.get("url") or options.url
    published = parse_published(obj["published"]) if obj.get("published") else options.published
    text = obj["text"] if not obj.get("title") else f"{obj['title']}\n\n{obj['text']}"
    return parse_text_dump(text, url=url, published=published)


def _from_url(url: str, options: InputOptions) -> tuple[Article, RawInput]:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise InputError(f"unsupported URL scheme {scheme!r}: {url} (only http and https)")
    from scraper.fetch import fetch
    from scraper.html import parse_page

    page = fetch(url)
    article = parse_page(page)
    if article is None:
        raise InputError(f"no article found at {url}")
    article = with_published(article, options.published)
    raw = RawInput.from_page(page, _hints(options))
    return article, raw


def from_warc(name: str, options: InputOptions, stats=None, start: int = 0,
              stop: int | None = None) -> Iterator[tuple[Article, RawInput]]:
    """Articles from the HTML responses of a WARC/ARC file, or of the records that begin
    between the byte offsets ``start`` and ``stop`` (see ``scraper.warc``)."""
    from scraper.html import parse_page
    from scraper.warc import domain_filter, news_domains, read_pages

    keep = domain_filter(None if options.all_domains else news_domains(options.domains))
    for page in read_pages(name, keep, stats, start, stop):
        article = parse_page(page)
        if article is None:
            continue
        raw = RawInput.from_page(page, _hints(options))
        yield with_published(article, options.published), raw
