"""Full-text search over the corpus, insensitive to diacritics, tone-mark placement and
đ/Đ: the query is folded exactly as the indexed text was (``extract.fold_search``).

Query syntax is FTS5's: words (all must match), "quoted phrases", OR, NOT, AND,
parentheses and prefix*.  Operators must be written in capitals.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field

from corpus.errors import QueryError
from corpus.store import Corpus
from extract import fold_search

_TOKEN = re.compile(r'"[^"]*"|\S+')
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class SearchOptions:
    query: str
    hospital: str | None = None
    official: str | None = None
    province: str | None = None
    site: str | None = None
    limit: int = 20


@dataclass(frozen=True, slots=True)
class Hit:
    id: int
    url: str | None
    title: str
    site: str | None
    province: str | None
    published: str | None
    hospitals: list[str] = field(default_factory=list)
    officials: list[str] = field(default_factory=list)
    snippet: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id, "url": self.url, "title": self.title, "site": self.site,
            "province": self.province, "published": self.published,
            "hospitals": self.hospitals, "officials": self.officials, "snippet": self.snippet,
        }


def _like(value: str) -> str:
    """A folded LIKE pattern body with % and _ escaped."""
    folded = " ".join(fold_search(value).split())
    return folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def fts_query(query: str) -> str:
    """Fold a user query for the folded index; capitalised operators stay operators."""
    if not query.strip():
        raise QueryError("empty search query")
    if query.count('"') % 2:
        raise QueryError(f"bad search query {query!r}: unbalanced double quote")
    parts = []
    for token in _TOKEN.findall(query):
        parts.append(token if token in _OPERATORS else fold_search(token))
    return " ".join(parts)


def _terms(query: str) -> list[str]:
    """The folded words of a query, for highlighting."""
    return [w for t in _TOKEN.findall(query) if t not in _OPERATORS for w in _WORD.findall(fold_search(t))]


def snippet(text: str, query: str, width: int = 160) -> str:
    """A window of the original text around the first match, matches in [brackets]."""
    plain = fold_search(text)
    spans = []
    for term in _terms(query):
        for m in re.finditer(rf"(?<![^\W_]){re.escape(term)}", plain):
            spans.append((m.start(), m.end()))
    if not spans:
        return text[:width] + ("…" if len(text) > width else "")
    spans.sort()
    first = spans[0][0]
    lo = max(0, first - width // 3)
    hi = min(len(text), lo + width)
    out, pos = [], lo
    for s, e in spans:
        if s < pos or e > hi:
            continue
        out.append(text[pos:s])
        out.append("[" + text[s:e] + "]")
        pos = e
    out.append(text[pos:hi])
    return ("…" if lo else "") + "".join(out).replace("\n\n", " ¶ ") + ("…" if hi < len(text) else "")


def search(corpus: Corpus, options: SearchOptions) -> list[Hit]:
    """Ranked hits (bm25, title weighted ×3) that pass every filter."""
    where, params = ["articles_fts MATCH ?"], [fts_query(options.query)]
    if options.hospital:
        where.append("a.id IN (SELECT article_id FROM hospitals WHERE name_key LIKE ? ESCAPE '\\')")
        params.append(f"%{_like(options.hospital)}%")
    if options.official:
        where.append("a.id IN (SELECT article_id FROM officials WHERE name_key LIKE ? ESCAPE '\\')")
        params.append(f"%{_like(options.official)}%")
    if options.province:
        where.append("vn_fold(a.province) = ?")
        params.append(" ".join(fold_search(options.province).split()))
    if options.site:
        where.append("a.site = ?")
        params.append(options.site.lower().removeprefix("www."))
    sql = (
        "SELECT a.id, a.url, a.title, a.site, a.province, a.text, "
        "coalesce(a.published, a.published_month) AS published "
        "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
        f"WHERE {' AND '.join(where)} ORDER BY bm25(articles_fts, 3.0, 1.0) LIMIT ?"
    )
    params.append(options.limit)
    try:
        rows = corpus.conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        msg = str(exc)
        if "fts5" in msg or "syntax" in msg or "no such column" in msg:
            raise QueryError(f"bad search query {options.query!r}: {msg}") from None
        raise corpus._error(exc) from None
    return [_hit(corpus, row, options.query) for row in rows]


def _hit(corpus: Corpus, row: sqlite3.Row, query: str) -> Hit:
    hospitals = [r[0] for r in corpus.conn.execute(
        "SELECT name FROM hospitals WHERE article_id=? ORDER BY start", (row["id"],))]
    officials = [r[0] for r in corpus.conn.execute(
        "SELECT name FROM officials WHERE article_id=? ORDER BY start", (row["id"],))]
    return Hit(id=row["id"], url=row["url"], title=row["title"], site=row["site"],
               province=row["province"], published=row["published"], hospitals=hospitals,
               officials=officials, snippet=snippet(row["text"], query))


def hits_json_lines(hits: list[Hit]) -> str:
    return "\n".join(json.dumps(h.to_json(), ensure_ascii=False) for h in hits)
