"""Full-text search over the corpus, insensitive to diacritics, tone-mark placement and
đ/Đ: the query is folded exactly as the indexed text was (``extract.fold_search``).

Query syntax (``corpus.query``, FTS5's): words (all must match), "quoted phrases", OR,
NOT, AND, parentheses and prefix*.  Operators must be written in capitals.  The query is
parsed here, then written as an FTS5 MATCH string (SQLite) or a ``tsquery`` (PostgreSQL,
matched against ``articles_fts.tsv`` through its GIN index), so both backends accept and
refuse the same queries and find the same articles.

Ranking (``rank``):

- ``title`` (default): articles whose title matches come first, then every match, newest
  first within each group.  Both scans walk the FTS5 index backwards from the newest
  article and stop after the hits needed; the title group is looked for among the
  ``WINDOW`` newest matches.  p95 under 50 ms at 200,000 articles (docs/benchmarks.md).
  On PostgreSQL one backward scan reads the ``WINDOW`` newest matches and flags the
  title matches among them (each row's tsvector is read once: that is the cost there).
- ``bm25``: relevance (title ×3) among the ``WINDOW`` newest matches, exact when a query
  has fewer.  Slower on common words: bm25 counts each word's documents over the whole
  index before ranking (its IDF), whatever the window.  PostgreSQL has no bm25: there it
  is ``ts_rank`` with title words weighted ×3 and the rank divided by the number of
  distinct words (no IDF; of the length normalisations the one closest to bm25 on the
  benchmark corpus: 11 of the top 20 in common on average), ties newest first — the
  same matches in the window, not the same order.

Known PostgreSQL differences, all at the edges of the index (``corpus.fts``): a tsvector
keeps 256 positions per word, positions stop at 16,383 and words past
``MAX_INDEXED_CHARS`` are not indexed, so a phrase deep inside a very long article may be
missed; and the title's last word followed by the text's first word reads as a phrase.

Date filters first narrow the id range through the publication-date index.  Each story
appears once: republished copies (``articles.duplicate_of``) collapse into the
first-ranked copy, preferring the canonical (earliest) one.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from corpus import query as q
from corpus.db import POSTGRESQL, db_errors, to_pg
from corpus.errors import QueryError
from corpus.query import Match
from corpus.store import Corpus
from extract import fold_search

_TOKEN = re.compile(r'"[^"]*"|\S+')
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
WINDOW = 2000
RANKINGS = ("title", "bm25")
MAX_ID = 2**63 - 1
_DATE_KEY = "coalesce(substr(a.published, 1, 10), a.published_month)"


@dataclass(frozen=True, slots=True)
class SearchOptions:
    query: str
    hospital: str | None = None
    official: str | None = None
    province: str | None = None
    site: str | None = None
    period_overlaps: int | None = None
    date_from: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD, on the publication date
    date_to: str | None = None
    limit: int = 20
    collapse_duplicates: bool = True
    rank: str = "title"  # title: title matches first, then newest | bm25


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
    copies: list[str] = field(default_factory=list)  # URLs of the same story on other pages

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id, "url": self.url, "title": self.title, "site": self.site,
            "province": self.province, "published": self.published,
            "hospitals": self.hospitals, "officials": self.officials, "snippet": self.snippet,
            "copies": self.copies,
        }


def _like(value: str) -> str:
    """A folded LIKE pattern body with % and _ escaped."""
    folded = " ".join(fold_search(value).split())
    return folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def fts_query(query: str) -> str:
    """The FTS5 MATCH string of a user query: folded, capitalised operators kept;
    QueryError when it is malformed (``corpus.query``)."""
    return q.to_fts5(q.parse(query))


def _terms(query: str) -> list[str]:
    """The folded words of a query, for highlighting."""
    return [w for t in _TOKEN.findall(query) if t not in _OPERATORS for w in _WORD.findall(fold_search(t))]


def _term_pattern(query: str) -> re.Pattern[str] | None:
    """Any query word at the start of a word (prefix queries highlight their prefix)."""
    terms = sorted(set(_terms(query)), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, terms)) + ")") if terms else None


def snippet(text: str, query: str, width: int = 160, folded: str | None = None) -> str:
    """A window of the original text around the first match, matches in [brackets].

    ``folded`` is ``fold_search(text)`` when the caller has it (the FTS index stores it)."""
    plain = folded if folded is not None and len(folded) == len(text) else fold_search(text)
    pattern = _term_pattern(query)
    first = pattern.search(plain) if pattern else None
    if first is None:
        return text[:width] + ("…" if len(text) > width else "")
    lo = max(0, first.start() - width // 3)
    hi = min(len(text), lo + width)
    out, pos = [], lo
    for m in pattern.finditer(plain, lo, hi):
        if m.end() > hi:
            break
        out.append(text[pos:m.start()])
        out.append("[" + text[m.start():m.end()] + "]")
        pos = m.end()
    out.append(text[pos:hi])
    return ("…" if lo else "") + "".join(out).replace("\n\n", " ¶ ") + ("…" if hi < len(text) else "")


def check_date(value: str, flag: str) -> str:
    if not _DATE.match(value):
        raise QueryError(f"bad {flag} date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _provinces(corpus: Corpus, name: str) -> list[str]:
    """The stored spellings of a province named with or without diacritics."""
    key = " ".join(fold_search(name).split())
    rows = corpus.conn.execute("SELECT DISTINCT province FROM articles WHERE province IS NOT NULL")
    return [r[0] for r in rows if " ".join(fold_search(r[0]).split()) == key]


def filters(options: SearchOptions, corpus: Corpus) -> tuple[list[str], list[object]]:
    """SQL conditions on ``articles a`` (and their parameters) for every filter set.

    On SQLite, '+' keeps the planner on the full-text index rather than the province or
    site index; PostgreSQL has no such hint (nor ``min`` of two values, nor 0 as false)."""
    pg = corpus.dialect == POSTGRESQL
    hint, least = ("", "least") if pg else ("+", "min")
    where: list[str] = []
    params: list[object] = []
    if options.hospital:
        where.append("EXISTS (SELECT 1 FROM hospitals h WHERE h.article_id = a.id AND h.name_key LIKE ? ESCAPE '\\')")
        params.append(f"%{_like(options.hospital)}%")
    if options.official:
        where.append("EXISTS (SELECT 1 FROM officials o WHERE o.article_id = a.id AND o.name_key LIKE ? ESCAPE '\\')")
        params.append(f"%{_like(options.official)}%")
    if options.province:
        names = _provinces(corpus, options.province)
        where.append(f"{hint}a.province IN ({', '.join('?' * len(names))})" if names else ("false" if pg else "0"))
        params.extend(names)
    if options.site:
        where.append(f"{hint}a.site = ?")
        params.append(options.site.lower().removeprefix("www."))
    if options.period_overlaps is not None:
        where.append("EXISTS (SELECT 1 FROM periods p WHERE p.article_id = a.id "
                     "AND coalesce(p.start_year, p.end_year) IS NOT NULL "
                     "AND coalesce(p.start_year, ?) <= ? AND coalesce(p.end_year, ?) >= ?)")
        year = options.period_overlaps
        params.extend([year, year, year, year])
    # A date compares on the precision both sides have: an article dated only "2024-10"
    # is inside --from 2024-10-05 (it may be), a day is inside --to 2024-10.
    for value, flag, op in ((options.date_from, "--from", ">="), (options.date_to, "--to", "<=")):
        if value:
            n = len(check_date(value, flag))
            where.append(f"substr({_DATE_KEY}, 1, {least}(length({_DATE_KEY}), {n})) {op} "
                         f"substr(?, 1, {least}(length({_DATE_KEY}), {n}))")
            params.append(value)
    return where, params


def fetch_all(corpus: Corpus, sql: str, params: list[object]) -> list[Any]:
    """Rows of a search statement.  On PostgreSQL never a prepared statement: psycopg
    prepares a statement run five times, and PostgreSQL then may plan it once for any
    parameter — but a common word wants the backward id scan and a rare one the GIN index
    (measured: the generic plans doubled the benchmark's median and tripled its p95)."""
    if corpus.dialect == POSTGRESQL:
        return corpus.conn.raw.execute(to_pg(sql), tuple(params), prepare=False).fetchall()
    return corpus.conn.execute(sql, params).fetchall()


def _run(corpus: Corpus, options: SearchOptions, sql: str, params: list[object]) -> list[Any]:
    try:
        return fetch_all(corpus, sql, params)
    except sqlite3.OperationalError as exc:
        msg = str(exc)
        if "fts5" in msg or "syntax" in msg or "no such column" in msg:
            raise QueryError(f"bad search query {options.query!r}: {msg}") from None
        raise corpus._error(exc) from None
    except db_errors() as exc:
        raise corpus._error(exc) from None


def _date_after(date: str) -> str | None:
    """The least key above every date starting with ``date``: "2024-10" → "2024-11",
    "2024-12" → "2024-13" (None past "9999").  PostgreSQL's upper bound, where SQLite
    uses ``date + U+FFFF``: a non-C collation ignores that character."""
    digits = date.replace("-", "")
    after = str(int(digits) + 1).zfill(len(digits))
    if len(after) > len(digits):
        return None
    rest = iter(after)
    return "".join(c if c == "-" else next(rest) for c in date)


def _id_range(corpus: Corpus, options: SearchOptions) -> tuple[int, int]:
    """Article ids that can pass the date filters, from the publication-date index (a
    superset: the exact test is in ``filters``)."""
    if not (options.date_from or options.date_to):
        return 0, MAX_ID
    lo_key = (options.date_from or "")[:7]  # a month-only date can still be inside
    if corpus.dialect == POSTGRESQL:
        for value, flag in ((options.date_from, "--from"), (options.date_to, "--to")):
            if value:
                check_date(value, flag)
        sql, params = "SELECT min(id), max(id) FROM articles WHERE coalesce(published, published_month) >= ?", [lo_key]
        if options.date_to and (after := _date_after(options.date_to)):
            sql, params = sql + " AND coalesce(published, published_month) < ?", [lo_key, after]
        lo, hi = _run(corpus, options, sql, params)[0]
        return (lo, hi) if lo is not None else (1, 0)
    hi_key = (options.date_to or "9999") + "\uffff"
    lo, hi = _run(corpus, options, "SELECT min(id), max(id) FROM articles "
                  "WHERE coalesce(published, published_month) BETWEEN ? AND ?", [lo_key, hi_key])[0]
    return (lo, hi) if lo is not None else (1, 0)


def _window_bound(corpus: Corpus, options: SearchOptions, match: Match, ids: tuple[int, int], window: int) -> int:
    """The rowid of the ``window``-th newest match in ``ids`` (the low end when there are fewer)."""
    sql = (f"SELECT rowid FROM articles_fts WHERE {match.cond} AND rowid BETWEEN ? AND ? "
           "ORDER BY rowid DESC LIMIT 1 OFFSET ?")
    rows = _run(corpus, options, sql, [match.value, *ids, window - 1])
    return int(rows[0][0]) if rows else ids[0]


def _matching_ids(corpus: Corpus, options: SearchOptions, match: Match, value: str, ids: tuple[int, int],
                  fetch: int, order: str, order_params: tuple[str, ...] = ()) -> list[int]:
    """Ids of articles for which ``match.cond`` holds with ``value``, in the id range
    ``ids``, that pass the filters."""
    where, params = filters(options, corpus)
    cond = " AND ".join([match.cond, "articles_fts.rowid BETWEEN ? AND ?", *where])
    join = "JOIN articles a ON a.id = articles_fts.rowid" if where else ""
    sql = f"SELECT articles_fts.rowid FROM articles_fts {join} WHERE {cond} ORDER BY {order} LIMIT ?"
    return [r[0] for r in _run(corpus, options, sql, [value, *ids, *params, *order_params, fetch])]


def _by_title_then_newest(corpus: Corpus, options: SearchOptions, match: Match, ids: tuple[int, int],
                          fetch: int) -> list[int]:
    """Title matches among the WINDOW newest matches, then every match newest first.  Both
    scans walk the index backwards from the newest article and stop at ``fetch``."""
    if corpus.dialect == POSTGRESQL:
        return _by_title_then_newest_pg(corpus, options, match, ids, fetch)
    bound = _window_bound(corpus, options, match, ids, WINDOW)
    newest = "articles_fts.rowid DESC"
    in_title = _matching_ids(corpus, options, match, match.title, (bound, ids[1]), fetch, newest)
    rest = _matching_ids(corpus, options, match, match.value, ids, fetch, newest)
    return list(dict.fromkeys(in_title + rest))[:fetch]


def _by_title_then_newest_pg(corpus: Corpus, options: SearchOptions, match: Match, ids: tuple[int, int],
                             fetch: int) -> list[int]:
    """The same ranking in one backward scan: PostgreSQL checks a tsvector row by row
    (its GIN index has no positions, and fetching the tsvector is the cost), so the WINDOW
    newest matches are read once, each flagged when its title matches; the filters then
    run on those ids only."""
    sql = (f"SELECT articles_fts.rowid, {match.cond} FROM articles_fts WHERE {match.cond} "
           "AND articles_fts.rowid BETWEEN ? AND ? ORDER BY articles_fts.rowid DESC LIMIT ?")
    window = _run(corpus, options, sql, [match.title, match.value, *ids, WINDOW])
    titled, newest = [r[0] for r in window if r[1]], [r[0] for r in window]
    where, params = filters(options, corpus)
    if where:
        sql = (f"SELECT a.id FROM articles a WHERE a.id = ANY(?) AND {' AND '.join(where)} "
               "ORDER BY a.id DESC LIMIT ?")
        titled = [r[0] for r in _run(corpus, options, sql, [titled, *params, fetch])] if titled else []
    if where or len(newest) == WINDOW < fetch:  # the newest matches that pass, past the window if need be
        newest = _matching_ids(corpus, options, match, match.value, ids, fetch, "articles_fts.rowid DESC")
    return list(dict.fromkeys(titled[:fetch] + newest[:fetch]))[:fetch]


def _by_bm25(corpus: Corpus, options: SearchOptions, match: Match, ids: tuple[int, int], fetch: int) -> list[int]:
    """bm25 (title ×3) over the WINDOW newest matches; the window grows ×8 while the
    filters leave too few hits in it."""
    window = WINDOW
    while True:
        bound = _window_bound(corpus, options, match, ids, window)
        found = _matching_ids(corpus, options, match, match.value, (bound, ids[1]), fetch, match.rank,
                              match.rank_params)
        if len(found) >= options.limit or bound <= ids[0]:
            return found
        window *= 8


def _rows(corpus: Corpus, options: SearchOptions, ids: list[int]) -> list[Any]:
    """The columns a hit shows, in the order of ``ids``."""
    if not ids:
        return []
    sql = ("SELECT a.id, a.url, a.title, a.site, a.province, a.text, a.duplicate_of, f.text AS folded, "
           "coalesce(a.published, a.published_month) AS published "
           f"FROM articles a JOIN articles_fts f ON f.rowid = a.id WHERE a.id IN ({','.join('?' * len(ids))})")
    by_id = {row["id"]: row for row in _run(corpus, options, sql, list(ids))}
    return [by_id[i] for i in ids if i in by_id]


def search(corpus: Corpus, options: SearchOptions) -> list[Hit]:
    """Ranked hits that pass every filter, one per story."""
    if options.rank not in RANKINGS:
        raise QueryError(f"unknown ranking {options.rank!r} (choose from {', '.join(RANKINGS)})")
    match = q.for_engine(corpus.dialect, options.query)
    fetch = options.limit * 3 if options.collapse_duplicates else options.limit
    id_range = _id_range(corpus, options)
    rank = _by_bm25 if options.rank == "bm25" else _by_title_then_newest
    rows = _rows(corpus, options, rank(corpus, options, match, id_range, fetch))
    if options.collapse_duplicates:
        rows = _canonical_copies(corpus, options, match, _one_per_story(rows)[:options.limit])
    return _hits(corpus, rows[:options.limit], options)


def _canonical_copies(corpus: Corpus, options: SearchOptions, match: Match, rows: list[Any]) -> list[Any]:
    """Show a republished story by its canonical (first-published) article whenever that
    one matches the query and the filters too."""
    out = []
    for row in rows:
        story = row["duplicate_of"]
        if story and _matching_ids(corpus, options, match, match.value, (story, story), 1, "articles_fts.rowid"):
            row = _rows(corpus, options, [story])[0]
        out.append(row)
    return out


def _one_per_story(rows: list[Any]) -> list[Any]:
    """Keep the first-ranked row of each story, swapped for the canonical copy when it also matched."""
    chosen: dict[int, Any] = {}  # story -> row, in first-ranked order
    for row in rows:
        story = row["duplicate_of"] or row["id"]
        if story not in chosen or row["id"] == story:
            chosen[story] = row
    return list(chosen.values())


def _names(corpus: Corpus, table: str, ids: list[int]) -> dict[int, list[str]]:
    """The mention names of each article, in text order: one query for all the hits (a
    round trip costs more on PostgreSQL than a lookup on SQLite)."""
    out: dict[int, list[str]] = {i: [] for i in ids}
    sql = f"SELECT article_id, name FROM {table} WHERE article_id IN ({','.join('?' * len(ids))}) ORDER BY article_id, start"
    for article_id, name in corpus.conn.execute(sql, ids):
        out[article_id].append(name)
    return out


def _copies(corpus: Corpus, rows: list[Any]) -> dict[int, list[tuple[int, str]]]:
    """(id, URL) of every copy of each hit's story, by story."""
    stories = list({row["duplicate_of"] or row["id"] for row in rows})
    marks = ",".join("?" * len(stories))
    out: dict[int, list[tuple[int, str]]] = {story: [] for story in stories}
    for article_id, story, url in corpus.conn.execute(
            f"SELECT id, coalesce(duplicate_of, id), coalesce(url, key) FROM articles "
            f"WHERE id IN ({marks}) OR duplicate_of IN ({marks}) ORDER BY id", stories * 2):
        out[story].append((article_id, url))
    return out


def _hits(corpus: Corpus, rows: list[Any], options: SearchOptions) -> list[Hit]:
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    hospitals, officials = _names(corpus, "hospitals", ids), _names(corpus, "officials", ids)
    copies = _copies(corpus, rows) if options.collapse_duplicates else {}
    hits = []
    for row in rows:
        story = row["duplicate_of"] or row["id"]
        text, folded = row["text"], row["folded"]
        if text.startswith(row["title"]):  # the title is shown on its own: snippet the body
            cut = len(row["title"]) + 2
            text, folded = text[cut:], folded[cut:] if folded else None
        hits.append(Hit(id=row["id"], url=row["url"], title=row["title"], site=row["site"],
                        province=row["province"], published=row["published"], hospitals=hospitals[row["id"]],
                        officials=officials[row["id"]], snippet=snippet(text, options.query, folded=folded),
                        copies=[url for i, url in copies.get(story, []) if i != row["id"]]))
    return hits


def hits_json_lines(hits: list[Hit]) -> str:
    return "\n".join(json.dumps(h.to_json(), ensure_ascii=False) for h in hits)
