"""Web archives in and out (warcio).

- ``WarcWriter(folder).write(page)`` appends a fetched ``Page`` to a WARC file as a
  ``response`` + ``request`` record pair (each record its own gzip member, so files can be
  split and read from any record); files rotate when they pass ``max_bytes``.  The body is
  written as the crawler holds it — already decoded — so ``Content-Encoding``,
  ``Transfer-Encoding`` and ``Content-Length`` are replaced by the true length.  ``Page``
  does not keep what was sent, so the request record carries only the method, path and
  ``Host``.  A page's records go to the file in one write, flushed at once: a process
  killed at any moment (SIGTERM, SIGKILL) leaves whole records, plus at worst a torn last
  one that ``read_pages`` detects and drops.
  ``WarcWriter.wrap_store(frontier)`` archives every page a crawl brings back (what
  ``vnnews crawl --warc`` uses); ``WarcWriter.wrap(sink)`` only the pages a ``PageSink``
  is handed (article candidates).
- ``read_pages(path, keep, stats)`` yields ``Page`` objects from ``.warc``, ``.warc.gz``,
  ``.arc`` and ``.arc.gz`` files (Common Crawl News files included): only ``response``
  records with status 200 and an HTML body whose site ``keep`` accepts.  Chunked and
  gzip/deflate HTTP bodies are decoded.  ``stats`` counts what was skipped and why.  A file
  that ends in a cut-off record (a killed writer, a partial download) yields the records
  before it, counts ``truncated`` and logs a warning.  ``split_warc(path, n)`` cuts a
  record-per-gzip-member file into byte ranges of about ``n`` bytes that ``read_pages(…,
  start=, stop=)`` reads independently (one Dask task each).

``news_domains()`` is the default ``keep``: the domains of every site profile plus those of
the provincial station table (``sites/provincial_tv.tsv``).
"""

from __future__ import annotations

import csv
import logging
import os
import threading
import zlib
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
_GZIP = b"\x1f\x8b\x08"
_MAGIC = (b"\x1f\x8b", b"WARC/", b"filedesc://")


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
    """What the reader saw.  ``records`` counts every complete WARC record; a response
    record is either ``kept`` or skipped for one reason: domain, status or (content) type.
    ``truncated`` counts files that ended in a cut-off or damaged record."""

    files: int = 0
    records: int = 0
    responses: int = 0
    kept: int = 0
    skipped_domain: int = 0
    skipped_status: int = 0
    skipped_type: int = 0
    other_records: int = 0  # warcinfo, request, metadata, revisit, …
    truncated: int = 0

    def to_json(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.__slots__}  # type: ignore[attr-defined]

    def add(self, other: "WarcStats") -> None:
        for name in self.__slots__:  # type: ignore[attr-defined]
            setattr(self, name, getattr(self, name) + getattr(other, name))


def check_warc(path: str | Path) -> Path:
    """``path`` if it is a file that starts like a WARC/ARC file (or is empty), else ``InputError``."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"no such file: {path}" if not path.exists() else f"not a file: {path}")
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if head and not head.startswith(_MAGIC):
        raise InputError(f"not a WARC/ARC file (no WARC/ or ARC header): {path}")
    return path


def read_pages(path: str | Path, keep: Callable[[str | None], bool] | None = None,
               stats: WarcStats | None = None, start: int = 0, stop: int | None = None) -> Iterator[Page]:
    """HTML pages with status 200 from one WARC/ARC file (see the module docstring); with
    ``start``/``stop`` (from ``split_warc``) only from the records that begin in that range."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    path = check_warc(path)
    keep = keep or domain_filter(news_domains())
    stats = stats if stats is not None else WarcStats()
    stats.files += start == 0
    complete = 0
    with path.open("rb") as fh:
        base = 0 if start == 0 else _next_record(fh, start)
        if base is None or (stop is not None and base >= stop):
            return
        fh.seek(base)
        records = ArchiveIterator(fh, arc2warc=True)
        records.offset = base  # it counts from 0, not from where fh stands
        at = base
        try:
            for record in records:
                at = records.offset
                if stop is not None and at >= stop:
                    return
                page, skipped = _page(record, keep)
                if not _complete(record):
                    raise EOFError("the record is cut short")
                complete += 1
                _count(stats, skipped)
                if page is not None:
                    yield page
            if stop is None and records.offset < path.stat().st_size:  # warcio ends quietly on a cut-off header
                at = records.offset
                raise EOFError("the last record is cut short")
        # warcio reports a cut-off gzip member or header in many ways, AttributeError included
        except (ArchiveLoadFailed, OSError, EOFError, ValueError, AttributeError, zlib.error) as exc:
            reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'cut short'}"
            fh.seek(0)
            if complete == 0 and start == 0 and not _opens_record(fh.read(4096)):
                raise InputError(f"not a readable WARC/ARC file: {path} ({reason})") from None
            stats.truncated += 1
            log.warning("%s: stopped at byte %d, a cut-off or damaged record (%s); the %d records before it "
                        "were read", path, at, reason, complete)


def _page(record: Any, keep: Callable[[str | None], bool]) -> tuple[Page | None, str | None]:
    """The record's page if it is one to keep, else (None, why not)."""
    if record.rec_type != "response" or record.http_headers is None:
        return None, "other"
    url = record.rec_headers.get_header("WARC-Target-URI")
    if not keep(url):
        return None, "domain"
    if record.http_headers.get_statuscode() != "200":
        return None, "status"
    ctype = (record.http_headers.get_header("Content-Type") or "").lower()
    body = record.content_stream().read()  # de-chunked, gzip/deflate decoded
    if not (any(t in ctype for t in _HTML_TYPES) or (not ctype and _sniff_html(body))):
        return None, "type"
    headers = {k: v for k, v in record.http_headers.headers if k.lower() not in _DROP_HEADERS}
    return Page(url=url, final_url=url, status=200, headers=headers, body=body,
                fetched_at=_warc_date(record.rec_headers.get_header("WARC-Date")),
                etag=record.http_headers.get_header("ETag"),
                last_modified=record.http_headers.get_header("Last-Modified")), None


def _complete(record: Any) -> bool:
    """Whether the record's whole block was there: warcio hands out a record cut off by the
    end of the file as if it were whole, with a short body."""
    while record.raw_stream.read(1 << 16):
        pass
    return getattr(record.raw_stream, "limit", None) == 0  # no limit: its headers were cut before Content-Length


def _count(stats: WarcStats, skipped: str | None) -> None:
    stats.records += 1
    if skipped == "other":
        stats.other_records += 1
        return
    stats.responses += 1
    if skipped is None:
        stats.kept += 1
    else:
        setattr(stats, f"skipped_{skipped}", getattr(stats, f"skipped_{skipped}") + 1)


def split_warc(path: str | Path, chunk_bytes: int) -> list[tuple[int, int | None]]:
    """``(start, stop)`` byte ranges of about ``chunk_bytes`` for ``read_pages``; the whole
    file as one range unless it is a WARC with a gzip member per record (the custom, and
    what ``WarcWriter`` writes), the only kind that can be entered mid-file."""
    path = check_warc(path)
    size = path.stat().st_size
    with path.open("rb") as fh:
        if size <= chunk_bytes or not _member_per_record(fh.read(1 << 20)):
            return [(0, None)]
    cuts = list(range(0, size, chunk_bytes))
    return [(a, b) for a, b in zip(cuts, cuts[1:])] + [(cuts[-1], None)]


def _member_per_record(head: bytes) -> bool:
    """The first gzip member holds a WARC record and another member follows it."""
    inflate = zlib.decompressobj(31)
    try:
        text = inflate.decompress(head)
    except zlib.error:
        return False
    return text.startswith(b"WARC/") and inflate.eof and inflate.unused_data.startswith(_GZIP)


def _opens_record(data: bytes) -> bool:
    if data.startswith(b"WARC/"):
        return True
    try:
        return zlib.decompressobj(31).decompress(data, 5) == b"WARC/"
    except zlib.error:
        return False


def _next_record(fh: Any, start: int) -> int | None:
    """Offset of the first gzip member at or after ``start`` that opens a WARC record."""
    pos = start
    while True:
        fh.seek(pos)
        block = fh.read(1 << 20)
        if len(block) < len(_GZIP):
            return None
        i = block.find(_GZIP)
        while i >= 0:
            fh.seek(pos + i)
            if _opens_record(fh.read(4096)):
                return pos + i
            i = block.find(_GZIP, i + 1)
        pos += len(block) - len(_GZIP) + 1


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

def warc_folder(folder: str | Path) -> Path:
    """``folder``, created if need be; ``InputError`` if it cannot be created or written to."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the WARC folder {folder}: {exc.strerror or exc}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"cannot write to the WARC folder {folder}: permission denied")
    return folder


class WarcWriter:
    """Append fetched pages to ``folder/{prefix}-{UTC time}-{serial}-{pid}.warc.gz``; a new
    file is started when the current one passes ``max_bytes``.  Thread-safe; use as a
    context manager or call ``close()``.  A folder that cannot be created or written is an
    ``InputError``."""

    def __init__(self, folder: str | Path, prefix: str = "vnnews", max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.folder = warc_folder(folder)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.paths: list[Path] = []
        self.pages = 0
        self._fh: Any = None
        self._serial = 0
        self._lock = threading.Lock()

    def __enter__(self) -> "WarcWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            self._close_file()

    def _close_file(self) -> None:
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())  # the records survive a power cut too, not only a kill
            self._fh.close()
            self._fh = None

    def write(self, page: Page) -> None:
        """Archive one page (response + request record)."""
        from warcio.statusandheaders import StatusAndHeaders

        buf, writer = _buffer()
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
        with self._lock:
            self._append(buf.getvalue())
            self.pages += 1

    def wrap(self, sink: Any) -> "WarcSink":
        """A PageSink that archives each page, then hands it to ``sink``."""
        return WarcSink(sink, self)

    def wrap_store(self, store: Any) -> "WarcStore":
        """A FrontierStore that archives each visit's page, then records the visit in ``store``."""
        return WarcStore(store, self)

    def _append(self, data: bytes) -> None:
        # one write per page, flushed: a kill leaves whole records, or a torn last one
        if self._fh is not None and self._fh.tell() >= self.max_bytes:
            self._close_file()
        if self._fh is None:
            data = self._open() + data
        self._fh.write(data)
        self._fh.flush()

    def _open(self) -> bytes:
        """Start a new file; returns its warcinfo record (written with the first page)."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")[:17]
        while self._fh is None:
            path = self.folder / f"{self.prefix}-{stamp}-{self._serial:05d}-{os.getpid()}.warc.gz"
            self._serial += 1
            try:
                self._fh = path.open("xb")
            except FileExistsError:  # another writer of this process started a file in the same ms
                continue
        self.paths.append(path)
        buf, writer = _buffer()
        writer.write_record(writer.create_warcinfo_record(
            path.name, {"software": "vnnews (warcio)", "format": "WARC File Format 1.1"}))
        return buf.getvalue()


def _buffer() -> tuple[BytesIO, Any]:
    from warcio.warcwriter import WARCWriter

    buf = BytesIO()
    return buf, WARCWriter(buf, gzip=True)


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


class WarcStore:
    """``FrontierStore`` wrapper: a visit that brought back a page with a body (an article,
    a listing page, a sitemap, a feed, a CMS API answer) has it archived before the visit is
    recorded, so every page the corpus stores is in the archive (one fetched again after a
    kill may be archived twice).  robots.txt, redirects, 304s and errors are not archived."""

    def __init__(self, store: Any, warc: WarcWriter) -> None:
        self.store = store
        self.warc = warc

    def record(self, visit: Any) -> None:
        if visit.page is not None and visit.page.body:
            self.warc.write(visit.page)
        self.store.record(visit)

    def __getattr__(self, name: str) -> Any:  # everything else is the wrapped store's
        if name == "store":
            raise AttributeError(name)
        return getattr(self.store, name)


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
