"""Web archives in and out (warcio).

- ``WarcWriter(folder).write(page)`` appends a fetched ``Page`` to a WARC file as a
  ``request`` + ``response`` record pair (each record its own gzip member, so files can be
  split and read from any record); files rotate when they pass ``max_bytes``.  The body is
  written as the crawler holds it — already decoded — so ``Content-Encoding``,
  ``Transfer-Encoding`` and ``Content-Length`` are replaced by the true length.  ``Page``
  does not keep what was sent, so the request record carries only the method, path and
  ``Host``.  ``WarcWriter.wrap(sink)`` tees a crawl's ``PageSink``: every page the crawler
  hands the sink is archived first.
- ``read_pages(path, keep, stats)`` yields ``Page`` objects from ``.warc``, ``.warc.gz``,
  ``.arc`` and ``.arc.gz`` files (Common Crawl News files included): only ``response``
  records with status 200 and an HTML body whose site ``keep`` accepts.  Chunked and
  gzip/deflate HTTP bodies are decoded.  ``stats`` counts what was skipped and why.

``news_domains()`` is the default ``keep``: the domains of every site profile plus those of
the provincial station table (``sites/provincial_tv.tsv``).
"""

from __future__ import annotations

import csv
import logging
import os
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from io import BytesIO
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import urlsplit

from scraper.errors import InputError
from scraper.types import Page
from scraper.urlinfo import site_of

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 1_000_000_000  # the customary ~1 GB per WARC file
_DROP_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def news_domains(extra: Iterable[str] = ()) -> frozenset[str]:
    """Domains of the built-in site profiles, the provincial station table and ``extra``."""
    from scraper.profiles import builtin_profiles

    domains = {d.lower() for p in builtin_profiles() for d in p.domains}
    text = resources.files("scraper").joinpath("sites/provincial_tv.tsv").read_text("utf-8")
    domains.update(row["domain"].lower() for row in csv.DictReader(text.splitlines(), delimiter="\t"))
    domains.update(_bare(d) for d in extra if d.strip())
    return frozenset(domains)


def _bare(domain: str) -> str:
    """'https://www.Example.vn/x' or 'www.example.vn' -> 'example.vn'."""
    return site_of(domain if "://" in domain else f"http://{domain.strip()}") or domain.strip().lower()


def domain_filter(domains: Iterable[str] | None) -> Callable[[str | None], bool]:
    """A predicate on URLs: the URL's site is one of ``domains`` or a subdomain of one.
    ``None`` keeps everything (``--all-domains``)."""
    if domains is None:
        return lambda url: True
    wanted = frozenset(domains)

    def keep(url: str | None) -> bool:
        site = site_of(url)
        if not site:
            return False
        parts = site.split(".")
        return any(".".join(parts[i:]) in wanted for i in range(len(parts) - 1))

    return keep


# -- reading ---------------------------------------------------------------------------

@dataclass(slots=True)
class WarcStats:
    """What the reader saw.  ``records`` counts every WARC record; a response record is
    either ``kept`` or skipped for one reason: domain, status or (content) type."""

    files: int = 0
    records: int = 0
    responses: int = 0
    kept: int = 0
    skipped_domain: int = 0
    skipped_status: int = 0
    skipped_type: int = 0
    other_records: int = 0  # warcinfo, request, metadata, revisit, …

    def to_json(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.__slots__}  # type: ignore[attr-defined]


def read_pages(path: str | Path, keep: Callable[[str | None], bool] | None = None,
               stats: WarcStats | None = None) -> Iterator[Page]:
    """HTML pages with status 200 from one WARC/ARC file (see the module docstring)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    path = Path(path)
    keep = keep or domain_filter(news_domains())
    stats = stats if stats is not None else WarcStats()
    if not path.is_file():
        raise InputError(f"no such file: {path}" if not path.exists() else f"not a file: {path}")
    stats.files += 1
    try:
        with path.open("rb") as fh:
            if not fh.read(16).startswith((b"\x1f\x8b", b"WARC/", b"filedesc://")):
                raise InputError(f"not a WARC/ARC file (no WARC/ or ARC header): {path}")
            fh.seek(0)
            for record in ArchiveIterator(fh, arc2warc=True):
                stats.records += 1
                page = _page(record, keep, stats)
                if page is not None:
                    stats.kept += 1
                    yield page
    except ArchiveLoadFailed as exc:
        raise InputError(f"not a readable WARC/ARC file: {path} ({str(exc).splitlines()[0]})") from None
    except (OSError, EOFError, ValueError) as exc:  # truncated gzip member, bad header, …
        raise InputError(f"corrupt WARC/ARC file: {path} ({type(exc).__name__}: {exc})") from None


def _page(record: Any, keep: Callable[[str | None], bool], stats: WarcStats) -> Page | None:
    if record.rec_type != "response" or record.http_headers is None:
        stats.other_records += 1
        return None
    stats.responses += 1
    url = record.rec_headers.get_header("WARC-Target-URI")
    if not keep(url):
        stats.skipped_domain += 1
        return None
    status = record.http_headers.get_statuscode()
    if status != "200":
        stats.skipped_status += 1
        return None
    ctype = (record.http_headers.get_header("Content-Type") or "").lower()
    body = record.content_stream().read()  # de-chunked, gzip/deflate decoded
    if not (any(t in ctype for t in _HTML_TYPES) or (not ctype and _sniff_html(body))):
        stats.skipped_type += 1
        return None
    headers = {k: v for k, v in record.http_headers.headers if k.lower() not in _DROP_HEADERS}
    return Page(url=url, final_url=url, status=200, headers=headers, body=body,
                fetched_at=_warc_date(record.rec_headers.get_header("WARC-Date")),
                etag=record.http_headers.get_header("ETag"),
                last_modified=record.http_headers.get_header("Last-Modified"))


def _sniff_html(body: bytes) -> bool:
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def _warc_date(value: str | None) -> datetime:
    if value:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
    return datetime.now(timezone.utc)


# -- writing ---------------------------------------------------------------------------

class WarcWriter:
    """Append fetched pages to ``folder/{prefix}-{UTC time}-{serial}.warc.gz``; a new file
    is started when the current one passes ``max_bytes``.  Thread-safe; use as a context
    manager or call ``close()``."""

    def __init__(self, folder: str | Path, prefix: str = "vnnews", max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.paths: list[Path] = []
        self._fh: Any = None
        self._writer: Any = None
        self._lock = threading.Lock()

    def __enter__(self) -> "WarcWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._fh is not None:
                self._fh.close()
                self._fh = self._writer = None

    def write(self, page: Page) -> None:
        """Archive one page (request + response record)."""
        from warcio.statusandheaders import StatusAndHeaders

        with self._lock:
            writer = self._current()
            response = writer.create_warc_record(
                page.final_url or page.url, "response", payload=BytesIO(page.body), length=len(page.body),
                http_headers=StatusAndHeaders(f"{page.status} {_reason(page.status)}", _response_headers(page),
                                              protocol="HTTP/1.1"),
                warc_headers_dict={"WARC-Date": _iso(page.fetched_at)})
            request = writer.create_warc_record(
                page.final_url or page.url, "request",
                http_headers=StatusAndHeaders(f"GET {_request_path(page)} HTTP/1.1", [("Host", _host(page))],
                                              is_http_request=True),
                warc_headers_dict={"WARC-Date": _iso(page.fetched_at),
                                   "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")})
            writer.write_record(response)
            writer.write_record(request)
            self._fh.flush()

    def wrap(self, sink: Any) -> "WarcSink":
        """A PageSink that archives each page, then hands it to ``sink``."""
        return WarcSink(sink, self)

    def _current(self) -> Any:
        from warcio.warcwriter import WARCWriter

        if self._fh is not None and self._fh.tell() >= self.max_bytes:
            self._fh.close()
            self._fh = None
        if self._fh is None:
            stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
            path = self.folder / f"{self.prefix}-{stamp}-{len(self.paths):05d}-{os.getpid()}.warc.gz"
            self._fh = path.open("xb")
            self.paths.append(path)
            self._writer = WARCWriter(self._fh, gzip=True)
            self._writer.write_record(self._writer.create_warcinfo_record(
                path.name, {"software": "vnnews (warcio)", "format": "WARC File Format 1.1"}))
        return self._writer


class WarcSink:
    """``PageSink`` wrapper: archive the page, then let the wrapped sink prepare it."""

    def __init__(self, sink: Any, warc: WarcWriter) -> None:
        self.sink = sink
        self.warc = warc
        self.written = 0

    def prepare(self, page: Page) -> Any:
        self.warc.write(page)
        self.written += 1
        return self.sink.prepare(page)

    def __getattr__(self, name: str) -> Any:  # everything else is the wrapped sink's
        if name == "sink":
            raise AttributeError(name)
        return getattr(self.sink, name)


def _response_headers(page: Page) -> list[tuple[str, str]]:
    headers = [(k, v) for k, v in page.headers.items() if k.lower() not in _DROP_HEADERS]
    return headers + [("Content-Length", str(len(page.body)))]


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _iso(when: datetime) -> str:
    when = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _host(page: Page) -> str:
    return urlsplit(page.final_url or page.url).netloc


def _request_path(page: Page) -> str:
    parts = urlsplit(page.final_url or page.url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
