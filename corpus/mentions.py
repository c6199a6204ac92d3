"""Writing a Record's mentions: one table per mention type, agreement parties in their
own table, and the facet columns of ``articles`` (JSON lists of hospital names, official
names and period labels — what Datasette's array facets read)."""

from __future__ import annotations

import json
import sqlite3

from corpus.db import insert_id
from extract import Record, fold_search

MENTION_TABLES = ("dates", "officials", "hospitals", "periods", "figures", "agreements", "agreement_parties")


def _json(values) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def period_label(start_year: int | None, end_year: int | None) -> str | None:
    if start_year is None and end_year is None:
        return None
    return f"{start_year if start_year is not None else '…'}–{end_year if end_year is not None else '…'}"


def delete_mentions(conn: sqlite3.Connection, article_id: int) -> None:
    for table in MENTION_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE article_id=?", (article_id,))


def store_mentions(conn: sqlite3.Connection, article_id: int, record: Record) -> None:
    c = conn
    c.executemany(
        "INSERT INTO dates VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(article_id, m.text, m.start, m.end, m.value, m.granularity, m.part_of_day, m.time,
          m.end_value, m.calendar) for m in record.dates])
    c.executemany(
        "INSERT INTO officials VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(article_id, m.name, fold_search(m.name), _json(m.titles), m.text, m.start, m.end)
         for m in record.officials])
    c.executemany(
        "INSERT INTO hospitals VALUES (?, ?, ?, ?, ?, ?)",
        [(article_id, m.name, fold_search(m.name), m.text, m.start, m.end) for m in record.hospitals])
    c.executemany(
        "INSERT INTO periods VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(article_id, m.text, m.kind, m.start_year, m.end_year, m.start, m.end) for m in record.periods])
    c.executemany(
        "INSERT INTO figures VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(article_id, m.text, m.value, m.unit, m.qualifier, m.start, m.end) for m in record.figures])
    for m in record.agreements:
        agreement_id = insert_id(
            c, "INSERT INTO agreements (article_id, parties, signed, start_year, end_year, scope, text, start, "
            "\"end\") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article_id, _json(m.parties), m.signed, m.start_year, m.end_year, _json(m.scope), m.text,
             m.start, m.end))
        c.executemany(
            "INSERT INTO agreement_parties VALUES (?, ?, ?, ?, ?)",
            [(agreement_id, article_id, i, name, fold_search(name)) for i, name in enumerate(m.parties)])
    _store_facets(conn, article_id, record)


def _store_facets(conn: sqlite3.Connection, article_id: int, record: Record) -> None:
    labels = []
    for p in record.periods:
        label = period_label(p.start_year, p.end_year)
        if label and label not in labels:
            labels.append(label)
    conn.execute(
        "UPDATE articles SET hospital_names=?, official_names=?, period_labels=? WHERE id=?",
        (_json(dict.fromkeys(m.name for m in record.hospitals)),
         _json(dict.fromkeys(m.name for m in record.officials)), _json(labels), article_id))
