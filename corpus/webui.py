"""The corpus in a browser without Datasette: a small read-only search page for both backends.

Datasette reads only SQLite files, so ``vnnews serve`` runs this app for a PostgreSQL
corpus (and for a SQLite one with ``--ui simple``).  It only calls the Python APIs that
work on both backends (``corpus.search``, ``corpus.facets``, ``articles.record``).

Routes::

    /                     search form, hits with highlighted snippets, facet links
    /article/{id}         the text with its mentions highlighted, and tables of them
    /article/{id}.json    the stored record
    /healthz              "ok" when the database answers

Plain ASGI, served by uvicorn and rendered by Jinja2 with autoescaping: both come with
Datasette (Starlette does not), so nothing is added to the dependencies.  The database calls block, so each request runs in a worker thread on
its own read-only connection, opened and closed there: no pool to go stale when
PostgreSQL restarts, and the default thread pool bounds the connections.  Errors are one
line on a page: bad query syntax 400, unknown article 404, database unreachable 503.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable, Mapping
from urllib.parse import parse_qsl, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from corpus.db import POSTGRESQL, first_line
from corpus.errors import CorpusError, QueryError
from corpus.facets import facet_counts
from corpus.fts import WORD
from corpus.query import OPERATORS
from corpus.search import Hit, SearchOptions, search
from corpus.store import Corpus
from extract import fold_search

log = logging.getLogger(__name__)

STATEMENT_TIMEOUT_S = 10
PAGE_SIZE, MAX_PAGE = 20, 200
# form fields in display order: (parameter, label); "q" is the full-text query
FIELDS = (("q", "Từ khóa"), ("hospital", "Bệnh viện"), ("official", "Cán bộ"), ("province", "Tỉnh"),
          ("site", "Trang"), ("period", "Giai đoạn gồm năm"), ("from", "Từ ngày"), ("to", "Đến ngày"))
# highlighted mention kinds: (record key, css class, legend label)
MENTIONS = (("hospitals", "hospital", "bệnh viện"), ("officials", "official", "cán bộ"),
            ("dates", "date", "ngày tháng"), ("periods", "period", "giai đoạn"), ("figures", "figure", "số liệu"))
_ARTICLE = re.compile(r"/article/(\d{1,18})(\.json)?")
_BRACKETED = re.compile(r"\[([^\[\]]+)\]")
_SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]

Send = Callable[[dict[str, Any]], Awaitable[None]]
Receive = Callable[[], Awaitable[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: str
    content_type: str = "text/html; charset=utf-8"


class HTTPError(Exception):
    """A page that is one line of explanation with an HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass(frozen=True, slots=True)
class Span:
    """A mention to highlight: ``text[start:end]`` of kind ``css``."""

    start: int
    end: int
    css: str
    label: str


class WebUI:
    """The ASGI app over the corpus ``db`` (a SQLite path or a PostgreSQL URL)."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.templates = Environment(loader=FileSystemLoader(Path(__file__).with_name("webui_templates")),
                                     autoescape=select_autoescape(default=True), trim_blocks=True,
                                     lstrip_blocks=True)
        self.templates.tests["http_url"] = _is_http_url
        self.templates.filters["number"] = _vn_number

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] != "http":
            return
        if scope["method"] not in ("GET", "HEAD"):
            response = self.error(405, "Chỉ đọc (read-only): this site answers GET requests only.")
        else:
            query = scope.get("query_string", b"").decode("utf-8", "replace")
            response = await asyncio.to_thread(self.handle, scope["path"], query)
        body = response.body.encode("utf-8")
        headers = [(b"content-type", response.content_type.encode()),
                   (b"content-length", str(len(body)).encode()), *_SECURITY_HEADERS]
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})

    # -- routing ------------------------------------------------------------------
    def handle(self, path: str, query: str) -> Response:
        """Route one request (in a worker thread); every failure becomes a one-line page."""
        params = {k: v.strip() for k, v in parse_qsl(query) if v.strip()}
        try:
            if path == "/":
                return self.search_page(params)
            if m := _ARTICLE.fullmatch(path):
                return self.article_json(int(m[1])) if m[2] else self.article_page(int(m[1]))
            if path == "/healthz":
                with self.open():
                    return Response(200, "ok\n", "text/plain; charset=utf-8")
            raise HTTPError(404, f"Không có trang {path} (no such page).")
        except HTTPError as exc:
            return self.error(exc.status, exc.message)
        except _outage_errors() as exc:
            log.warning("corpus unavailable: %s", first_line(exc))
            return self.error(503, "Cơ sở dữ liệu tạm thời không truy cập được (the corpus database is "
                                   "unavailable); thử lại sau ít phút.")
        except Exception:
            log.exception("error serving %s", path)
            return self.error(500, "Lỗi máy chủ (internal error); see the server log.")

    def open(self) -> Corpus:
        """A read-only connection whose statements stop after ``STATEMENT_TIMEOUT_S``."""
        corpus = Corpus(self.db, readonly=True)
        try:
            if corpus.dialect == POSTGRESQL:
                corpus.conn.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_S * 1000}")
            else:
                deadline = time.monotonic() + STATEMENT_TIMEOUT_S
                corpus.conn.set_progress_handler(lambda: time.monotonic() > deadline, 100_000)
        except BaseException:
            corpus.close()
            raise
        return corpus

    def render(self, status: int, template: str, **context: Any) -> Response:
        return Response(status, self.templates.get_template(template).render(**context))

    def error(self, status: int, message: str) -> Response:
        return self.render(status, "error.html", code=status, message=message)

    # -- pages --------------------------------------------------------------------
    def search_page(self, params: dict[str, str]) -> Response:
        """The form; hits and facets once there is a query, only facets for filters without
        one (``search`` needs words, ``facet_counts`` does not).  A bad query is the form
        again with the engine's one-line message, status 400."""
        context: dict[str, Any] = {"params": params, "fields": FIELDS, "hits": [], "facets": {},
                                   "error": None, "notice": None, "filters": _active_filters(params)}
        if not params:
            return self.render(200, "search.html", **context)
        try:
            options = search_options(params)
            with self.open() as corpus:
                hits = search(corpus, options) if options.query else []
                context["facets"] = _facets(corpus, options, params)
        except QueryError as exc:
            context["error"] = first_line(exc)
            return self.render(400, "search.html", **context)
        if not options.query:  # search needs words; the facets above count the filtered corpus
            context["notice"] = "Nhập từ khóa để xem bài (type words to list articles; the filters narrow them)."
        context["hits"] = [_hit_view(h, options.query) for h in hits]
        context["more"] = _link(params, limit=str(min(MAX_PAGE, options.limit * 2))) \
            if len(hits) == options.limit < MAX_PAGE else None
        return self.render(200, "search.html", **context)

    def _record(self, article_id: int) -> tuple[str, list[str]]:
        """The stored record (JSON text) of an article and the URLs of its other copies."""
        with self.open() as corpus:
            row = corpus.conn.execute("SELECT record, duplicate_of FROM articles WHERE id=?",
                                      (article_id,)).fetchone()
            if row is None:
                raise HTTPError(404, f"Không có bài {article_id} (no such article).")
            story = row["duplicate_of"] or article_id
            copies = [r[0] for r in corpus.conn.execute(
                "SELECT coalesce(url, key) FROM articles WHERE (id=? OR duplicate_of=?) AND id != ? ORDER BY id",
                (story, story, article_id))]
        return row["record"], copies

    def article_json(self, article_id: int) -> Response:
        return Response(200, self._record(article_id)[0], "application/json; charset=utf-8")

    def article_page(self, article_id: int) -> Response:
        raw, copies = self._record(article_id)
        record = json.loads(raw)
        text = record.get("text") or ""
        return self.render(200, "article.html", id=article_id, r=record, copies=copies, legend=MENTIONS,
                           text_html=highlight(text, mention_spans(record)))


# -- helpers (pure) -------------------------------------------------------------------

def search_options(params: Mapping[str, str]) -> SearchOptions:
    """SearchOptions from the form; a bad year or page size is a QueryError like bad syntax."""
    period = params.get("period")
    if period is not None and not re.fullmatch(r"\d{4}", period):
        raise QueryError(f"bad period year {period!r}: use a year such as 2025")
    limit = params.get("limit", str(PAGE_SIZE))
    if not limit.isdigit() or not 1 <= int(limit) <= MAX_PAGE:
        raise QueryError(f"bad limit {limit!r}: use 1 to {MAX_PAGE}")
    return SearchOptions(query=params.get("q", ""), hospital=params.get("hospital"),
                         official=params.get("official"), province=params.get("province"),
                         site=params.get("site"), period_overlaps=int(period) if period else None,
                         date_from=params.get("from"), date_to=params.get("to"), limit=int(limit))


def _link(params: Mapping[str, str], **changes: str | None) -> str:
    """``/?…`` with ``changes`` applied (None removes a parameter); a new filter starts
    from the first page size."""
    new = {k: v for k, v in {**params, **changes}.items() if v is not None}
    return "/?" + urlencode(new) if new else "/"


def _active_filters(params: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(label, value, link without it) for every filter set, to show and remove."""
    return [(label, params[key], _link(params, **{key: None, "limit": None}))
            for key, label in FIELDS[1:] if key in params]


def _facets(corpus: Corpus, options: SearchOptions, params: Mapping[str, str]) -> dict[str, list[Any]]:
    """Facet values, counts and the link adding each as a filter; {} when the database
    is too slow or gone (the hits still show).  A month sets both dates; a period
    ("2025–2030", "…–2030") filters on its first year (the overlap filter is the only
    period filter searches have, so that link may find a few more articles than counted)."""
    try:
        counts = facet_counts(corpus, options)
    except QueryError:
        raise
    except _outage_errors() as exc:
        log.warning("facets skipped: %s", first_line(exc))
        return {}
    out: dict[str, list[Any]] = {}
    for key, values in counts.items():
        rows = []
        for value, count in values:
            if key == "month":
                changes = {"from": value, "to": value}
            elif key == "period":
                year = re.search(r"\d{4}", value)
                changes = {"period": year[0] if year else None}
            else:
                changes = {key: value}
            rows.append((value, count, _link(params, **changes, limit=None)))
        if rows:
            out[key] = rows
    return out


def snippet_html(snippet: str, query: str) -> Markup:
    """The escaped snippet with its [bracketed] matches in <mark>.  Only brackets around a
    query word are marks; brackets written in the article stay as they are."""
    terms = {w for t in query.split() if t not in OPERATORS for w in WORD.findall(fold_search(t))}

    def mark(m: re.Match[str]) -> str:
        inner = m[1]
        words = WORD.findall(fold_search(inner))
        is_match = len(words) == 1 and any(words[0].startswith(t) for t in terms)
        return f"<mark>{inner}</mark>" if is_match else m[0]

    return Markup(_BRACKETED.sub(mark, str(escape(snippet))))


def _is_http_url(value: object) -> bool:
    """Links only to web pages: a stored URL is data from the crawl, never a script."""
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


def _vn_number(value: object) -> str:
    """19800 as Vietnamese papers write it: 19.800 (a comma is the decimal mark)."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,}".replace(",", " ").replace(".", ",").replace(" ", ".")
    if isinstance(value, (int, float)):
        return f"{int(value):,}".replace(",", ".")
    return "" if value is None else str(value)


def _hit_view(hit: Hit, query: str) -> dict[str, Any]:
    return {"hit": hit, "snippet": snippet_html(hit.snippet, query), "date": (hit.published or "")[:10]}


def mention_spans(record: Mapping[str, Any]) -> list[Span]:
    """Every highlightable mention with valid offsets into the record's text."""
    n = len(record.get("text") or "")
    spans = []
    for key, css, _ in MENTIONS:
        for m in record.get(key) or ():
            start, end = m.get("start"), m.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= n:
                spans.append(Span(start, end, css, str(m.get("name") or m.get("value") or m.get("text") or "")))
    return spans


def highlight(text: str, spans: list[Span]) -> Markup:
    """``text`` escaped, each span in a ``<mark class="m-KIND" data-start data-end>``.

    Spans nest (an official's phrase contains the hospital he directs); a span that
    crosses the end of the one it starts in is cut there, so the HTML stays well formed
    (its data-end still gives the full extent)."""
    out: list[str] = []
    pos = 0
    open_ends: list[int] = []

    def close_until(limit: int) -> None:
        nonlocal pos
        while open_ends and open_ends[-1] <= limit:
            end = open_ends.pop()
            out.append(str(escape(text[pos:end])) + "</mark>")
            pos = end

    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        close_until(span.start)
        end = min(span.end, open_ends[-1]) if open_ends else span.end
        out.append(str(escape(text[pos:span.start])))
        out.append(f'<mark class="m m-{span.css}" data-start="{span.start}" data-end="{span.end}" '
                   f'title="{escape(span.label)}">')
        pos = span.start
        open_ends.append(end)
    close_until(len(text))
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def _outage_errors() -> tuple[type[BaseException], ...]:
    """Errors that mean the database cannot answer now (unreachable, restarting, locked,
    too slow), as opposed to a bug in a page, which is a 500."""
    import sqlite3

    try:
        import psycopg
    except ImportError:
        return CorpusError, sqlite3.OperationalError
    return CorpusError, sqlite3.OperationalError, psycopg.OperationalError


def build_app(db: str) -> WebUI:
    """The app for corpus ``db``, opened once first so a wrong URL, a missing file or an
    old schema is one error at startup rather than a 503 on every page."""
    Corpus(db, readonly=True).close()
    return WebUI(db)
