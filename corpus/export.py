"""``vnnews export``: the corpus for researchers.

- ``jsonl``: one vnnews.record/1 JSON object per line (the stored record, verbatim).
- ``parquet`` / ``csv``: a folder with one file per table — ``articles``, ``dates``,
  ``officials``, ``hospitals``, ``periods``, ``figures``, ``agreements``,
  ``agreement_parties`` — joined on ``article_id`` (``agreement_id`` for parties).
  Parquet keeps lists as list<string>; CSV keeps them as JSON text.

Everything streams: rows are read ``BATCH`` at a time (``fetchmany`` on SQLite, a
server-side stream on PostgreSQL: ``corpus.db.iter_rows``) and written as they come, so
memory stays flat however large the corpus.  Filters: ``since`` (publication date, same
precision rules as search), ``site``, and ``drop_duplicates`` (keep only the canonical
copy of each republished story).

Both backends write the same files: the same columns, and rows in an order made of
columns both have (PostgreSQL has no rowid).  Mentions are stored in record order, which
is text order — each finder returns its mentions by increasing (start, end), without two
at the same span (checked on the demo site, gold and golden pages) — so ordering by
(article_id, start, end) keeps the order of the records; the other columns only break
ties in hand-made records, by byte order and NULL first as SQLite sorts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pyarrow as pa

from corpus.db import POSTGRESQL, db_errors, iter_rows
from corpus.errors import CorpusError
from corpus.search import SearchOptions, check_date, filters
from corpus.store import Corpus

BATCH = 2000
FORMATS = ("jsonl", "parquet", "csv")
_LIST = pa.list_(pa.string())

# table -> (select expression over alias m, arrow type); "json-list" columns are JSON arrays in SQLite
TABLES: dict[str, list[tuple[str, str, pa.DataType]]] = {
    "articles": [
        ("id", "m.id", pa.int64()), ("url", "m.url", pa.string()), ("site", "m.site", pa.string()),
        ("province", "m.province", pa.string()), ("title", "m.title", pa.string()),
        ("lead", "m.lead", pa.string()), ("text", "m.text", pa.string()),
        ("published", "m.published", pa.string()), ("published_month", "m.published_month", pa.string()),
        ("authors", "m.authors", _LIST), ("category", "m.category", pa.string()), ("tags", "m.tags", _LIST),
        ("extractor", "m.extractor", pa.string()), ("duplicate_of", "m.duplicate_of", pa.int64()),
        ("duplicate_similarity", "m.duplicate_similarity", pa.float64()), ("stored_at", "m.stored_at", pa.string()),
    ],
    "dates": [("article_id", "m.article_id", pa.int64()), ("text", "m.text", pa.string()),
              ("start", "m.start", pa.int64()), ("end", 'm."end"', pa.int64()), ("value", "m.value", pa.string()),
              ("granularity", "m.granularity", pa.string()), ("part_of_day", "m.part_of_day", pa.string()),
              ("time", "m.time", pa.string()), ("end_value", "m.end_value", pa.string()),
              ("calendar", "m.calendar", pa.string())],
    "officials": [("article_id", "m.article_id", pa.int64()), ("name", "m.name", pa.string()),
                  ("titles", "m.titles", _LIST), ("text", "m.text", pa.string()),
                  ("start", "m.start", pa.int64()), ("end", 'm."end"', pa.int64())],
    "hospitals": [("article_id", "m.article_id", pa.int64()), ("name", "m.name", pa.string()),
                  ("text", "m.text", pa.string()), ("start", "m.start", pa.int64()), ("end", 'm."end"', pa.int64())],
    "periods": [("article_id", "m.article_id", pa.int64()), ("text", "m.text", pa.string()),
                ("kind", "m.kind", pa.string()), ("start_year", "m.start_year", pa.int64()),
                ("end_year", "m.end_year", pa.int64()), ("start", "m.start", pa.int64()),
                ("end", 'm."end"', pa.int64())],
    "figures": [("article_id", "m.article_id", pa.int64()), ("text", "m.text", pa.string()),
                ("value", "m.value", pa.float64()), ("unit", "m.unit", pa.string()),
                ("qualifier", "m.qualifier", pa.string()), ("start", "m.start", pa.int64()),
                ("end", 'm."end"', pa.int64())],
    "agreements": [("id", "m.id", pa.int64()), ("article_id", "m.article_id", pa.int64()),
                   ("parties", "m.parties", _LIST), ("signed", "m.signed", pa.string()),
                   ("start_year", "m.start_year", pa.int64()), ("end_year", "m.end_year", pa.int64()),
                   ("scope", "m.scope", _LIST), ("text", "m.text", pa.string()),
                   ("start", "m.start", pa.int64()), ("end", 'm."end"', pa.int64())],
    "agreement_parties": [("agreement_id", "m.agreement_id", pa.int64()), ("article_id", "m.article_id", pa.int64()),
                          ("position", "m.position", pa.int64()), ("name", "m.name", pa.string())],
}


@dataclass(frozen=True, slots=True)
class ExportOptions:
    fmt: str
    out: Path
    since: str | None = None
    site: str | None = None
    drop_duplicates: bool = False


def _article_filter(corpus: Corpus, options: ExportOptions) -> tuple[str, list[object]]:
    if options.since:
        check_date(options.since, "--since")
    where, params = filters(SearchOptions(query="", site=options.site, date_from=options.since), corpus)
    if options.drop_duplicates:
        where.append("a.duplicate_of IS NULL")
    return (" AND ".join(where) or "1=1"), params


def _cursor_rows(corpus: Corpus, sql: str, params: list[object]) -> Iterator[list[Any]]:
    try:
        yield from iter_rows(corpus.conn, sql, params, BATCH)
    except db_errors() as exc:
        raise corpus._error(exc) from None


# unique sort keys (NOT NULL columns: no NULLS FIRST, so an index can give the order)
_UNIQUE_ORDER = {"articles": "m.id", "agreements": "m.article_id, m.id",
                 "agreement_parties": "m.agreement_id, m.position"}
_MENTION_ORDER = ("article_id", "start", "end")


def _order_by(corpus: Corpus, table: str) -> str:
    """Mention tables: (article_id, start, end), then the other columns as tie-breakers,
    sorted as SQLite sorts: text by bytes, NULL first."""
    if table in _UNIQUE_ORDER:
        return _UNIQUE_ORDER[table]
    pg = corpus.dialect == POSTGRESQL
    columns = {name: (expr, t) for name, expr, t in TABLES[table]}
    keys = ["m.article_id"]
    for name in [*_MENTION_ORDER[1:], *(n for n in columns if n not in _MENTION_ORDER)]:
        expr, t = columns[name]
        text = ' COLLATE "C"' if pg and t in (pa.string(), _LIST) else ""
        keys.append(expr + text + (" NULLS FIRST" if pg else ""))
    return ", ".join(keys)


def _table_sql(corpus: Corpus, table: str, options: ExportOptions) -> tuple[str, list[object]]:
    cond, params = _article_filter(corpus, options)
    cols = ", ".join(f"{expr} AS \"{name}\"" for name, expr, _ in TABLES[table])
    key = "m.id" if table == "articles" else "m.article_id"
    return (f"SELECT {cols} FROM {table} m JOIN articles a ON a.id = {key} WHERE {cond} "
            f"ORDER BY {_order_by(corpus, table)}", params)


def _schema(table: str, lists_as_json: bool) -> pa.Schema:
    return pa.schema([(name, pa.string() if (t == _LIST and lists_as_json) else t) for name, _, t in TABLES[table]])


def _batch(table: str, rows: list[Any], schema: pa.Schema) -> pa.RecordBatch:
    columns = {}
    for name, _, _ in TABLES[table]:
        values = [r[name] for r in rows]
        if schema.field(name).type == _LIST:
            values = [json.loads(v) if v else [] for v in values]
        columns[name] = values
    return pa.RecordBatch.from_pydict(columns, schema=schema)


def _write_table(corpus: Corpus, table: str, options: ExportOptions) -> int:
    schema = _schema(table, lists_as_json=options.fmt == "csv")
    path = options.out / f"{table}.{options.fmt}"
    if options.fmt == "parquet":
        import pyarrow.parquet as pq

        writer = pq.ParquetWriter(path, schema, compression="zstd")
    else:
        import pyarrow.csv as pcsv

        writer = pcsv.CSVWriter(path, schema)
    count = 0
    with writer:
        for rows in _cursor_rows(corpus, *_table_sql(corpus, table, options)):
            writer.write_batch(_batch(table, rows, schema))
            count += len(rows)
        if count == 0 and options.fmt == "parquet":
            writer.write_table(schema.empty_table())
    return count


def _write_jsonl(corpus: Corpus, options: ExportOptions) -> int:
    cond, params = _article_filter(corpus, options)
    count = 0
    with open(options.out, "w", encoding="utf-8") as fh:
        for rows in _cursor_rows(corpus, f"SELECT a.record FROM articles a WHERE {cond} ORDER BY a.id", params):
            fh.writelines(row[0] + "\n" for row in rows)
            count += len(rows)
    return count


def export(corpus: Corpus, options: ExportOptions) -> dict[str, int]:
    """Write the export; returns rows written per table (``records`` for JSON Lines)."""
    if options.fmt not in FORMATS:
        raise CorpusError(f"unknown export format {options.fmt!r} (choose from {', '.join(FORMATS)})")
    try:
        if options.fmt == "jsonl":
            if options.out.parent and not options.out.parent.exists():
                raise CorpusError(f"cannot write {options.out}: folder {options.out.parent} does not exist")
            return {"records": _write_jsonl(corpus, options)}
        if options.out.exists() and not options.out.is_dir():
            raise CorpusError(f"--out {options.out} exists and is not a folder ({options.fmt} writes a file per table)")
        options.out.mkdir(parents=True, exist_ok=True)
        return {table: _write_table(corpus, table, options) for table in TABLES}
    except OSError as exc:
        raise CorpusError(f"cannot write export to {options.out}: {exc.strerror or exc}") from None
