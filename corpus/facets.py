"""Facets for journalists: who and what the articles matching a search are about.

``facet_counts`` counts, over every article that matches the query (all of them, not
only the hits shown) and passes the filters, the top values of: ``hospital``,
``official``, ``province``, ``site``, ``period`` (a label such as "2025–2030", as
``corpus.mentions.period_label`` writes it) and ``month`` (published, YYYY-MM).  Without
a query the whole corpus is counted, filters applied.

A story is counted once: republished copies (``articles.duplicate_of``) count as one
article, chosen as ``vnnews search`` chooses the copy it shows — the canonical one when it
matches, else the newest matching copy — so its site, province and month are that copy's.  An article
counts once per value (a hospital named five times is one article for that hospital).

One SQL statement for all six facets, the same on SQLite and PostgreSQL; ties are broken
by byte order of the value on both (``COLLATE "C"`` on PostgreSQL), so both backends
return the same lists.  This is the command line's and the simple web UI's facet view:
Datasette's facets read SQLite only.
"""

from __future__ import annotations

import json

from corpus.db import POSTGRESQL, db_errors
from corpus.query import for_engine
from corpus.search import SearchOptions, fetch_all, filters
from corpus.store import Corpus

FACETS = ("hospital", "official", "province", "site", "period", "month")
_PERIOD = "coalesce(CAST(p.start_year AS TEXT), '…') || '–' || coalesce(CAST(p.end_year AS TEXT), '…')"
# facet -> SELECT value, n over the chosen articles ``r`` (``ra``: with their article columns)
_COUNTS = {
    "hospital": "SELECT m.name AS value, count(DISTINCT m.article_id) AS n FROM r "
                "JOIN hospitals m ON m.article_id = r.id GROUP BY m.name",
    "official": "SELECT m.name AS value, count(DISTINCT m.article_id) AS n FROM r "
                "JOIN officials m ON m.article_id = r.id GROUP BY m.name",
    "province": "SELECT province AS value, count(*) AS n FROM ra WHERE province IS NOT NULL GROUP BY province",
    "site": "SELECT site AS value, count(*) AS n FROM ra WHERE site IS NOT NULL GROUP BY site",
    "period": f"SELECT {_PERIOD} AS value, count(DISTINCT p.article_id) AS n FROM r "
              "JOIN periods p ON p.article_id = r.id "
              f"WHERE p.start_year IS NOT NULL OR p.end_year IS NOT NULL GROUP BY {_PERIOD}",
    "month": "SELECT month AS value, count(*) AS n FROM ra WHERE month IS NOT NULL GROUP BY month",
}
_ARTICLE_COLUMNS = ("SELECT r.id, a.province, a.site, substr(coalesce(a.published, a.published_month), 1, 7) "
                    "AS month FROM r JOIN articles a ON a.id = r.id")
# one article per story: the canonical copy when it matched, else the newest matching one
_ONE_PER_STORY = ("SELECT CASE WHEN max(CASE WHEN id = story THEN 1 ELSE 0 END) = 1 THEN story ELSE max(id) END "
                  "AS id FROM matched GROUP BY story")


def _sql(corpus: Corpus, options: SearchOptions) -> tuple[str, list[object]]:
    where, params = filters(options, corpus)
    source = "articles a"
    if options.query.strip():
        match = for_engine(corpus.dialect, options.query)
        source += " JOIN articles_fts ON articles_fts.rowid = a.id"
        where, params = [match.cond, *where], [match.value, *params]
    collate = ' COLLATE "C"' if corpus.dialect == POSTGRESQL else ""
    counts = " UNION ALL ".join(f"SELECT '{name}' AS facet, value, n FROM ({sql}) AS c{i}"
                                for i, (name, sql) in enumerate(_COUNTS.items()))
    sql = (f"WITH matched AS (SELECT a.id, coalesce(a.duplicate_of, a.id) AS story FROM {source} "
           f"WHERE {' AND '.join(where) or '1=1'}), "
           f"r AS ({_ONE_PER_STORY if options.collapse_duplicates else 'SELECT id FROM matched'}), "
           f"ra AS ({_ARTICLE_COLUMNS}), "
           f"f AS ({counts}) "
           "SELECT facet, value, n FROM (SELECT facet, value, n, row_number() OVER "
           f"(PARTITION BY facet ORDER BY n DESC, value{collate}) AS k FROM f) AS t WHERE k <= ? "
           "ORDER BY facet, k")
    return sql, params


def facet_counts(corpus: Corpus, options: SearchOptions, limit: int = 10) -> dict[str, list[tuple[str, int]]]:
    """The top ``limit`` values of each facet with their article counts, most first
    (ties in byte order); the query is optional (empty: every article)."""
    sql, params = _sql(corpus, options)
    out: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
    try:
        rows = fetch_all(corpus, sql, [*params, limit])
    except db_errors() as exc:
        raise corpus._error(exc) from None
    for facet, value, n in rows:
        out[facet].append((value, int(n)))
    return out


def facets_json(counts: dict[str, list[tuple[str, int]]]) -> str:
    """The line ``vnnews search --facets --format json`` ends with."""
    return json.dumps({"facets": {name: [{"value": v, "count": n} for v, n in values]
                                  for name, values in counts.items()}}, ensure_ascii=False)


def print_facets(counts: dict[str, list[tuple[str, int]]]) -> None:
    """The facet tables, side by side as the terminal allows."""
    from rich.columns import Columns
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    tables = []
    for name, values in counts.items():
        table = Table(title=Text(name), show_header=False, box=None, padding=(0, 1))
        table.add_column(overflow="fold", max_width=40)
        table.add_column(justify="right")
        for value, n in values or [("—", 0)]:
            table.add_row(Text(value), Text(str(n) if values else ""))
        tables.append(table)
    Console(soft_wrap=False, highlight=False).print(Columns(tables, padding=(1, 3)))
