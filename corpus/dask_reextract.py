"""``vnnews reextract --dask [ADDRESS]``: re-extraction spread over a Dask distributed
cluster (a ``LocalCluster`` on this machine when no scheduler address is given).

The client (this process) owns the corpus: it reads the pages to redo in batches, sends
each batch (compressed bytes as stored) to the workers, and writes the records that come
back — one transaction per article, as ``corpus.reextract`` does — because SQLite has one
writer.  Workers run ``redo_batch``: a pure function (decompress, parse, extract), no
database access.  At most ``2 × workers`` batches are in flight.
"""

from __future__ import annotations

import logging
import os
import threading
import zlib
from contextlib import contextmanager
from typing import Any, Iterator

from corpus.reextract import ReextractSummary, _todo, article_from_page
from corpus.store import Corpus
from extract import extract_record
from scraper.errors import InputError, VnnewsError

log = logging.getLogger(__name__)
BATCH = 64


def redo_batch(rows: list[dict[str, Any]]) -> list[tuple[str, int, str, Any, str | None]]:
    """Worker side: (key, page_id, name, Record or None, error or None) per stored page."""
    out = []
    for row in rows:
        try:
            article = article_from_page(row)
            if article is None:
                raise VnnewsError("the stored page no longer parses as an article")
            out.append((row["_key"], row["id"], row["_name"], extract_record(article), None))
        except (VnnewsError, ValueError, zlib.error) as exc:
            out.append((row["_key"], row["id"], row["_name"], None, str(exc)))
    return out


@contextmanager
def dask_client(address: str | None, workers: int | None = None) -> Iterator[Any]:
    """A distributed Client on ``address``, or on a LocalCluster (loopback, no dashboard)
    that is always closed."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError("--dask needs Dask distributed: pip install 'vnnews[dask]'") from None
    logging.getLogger("distributed").setLevel(max(logging.WARNING, logging.getLogger().level))
    if address:
        with Client(address, timeout="10s") as client:
            yield client
        return
    n = workers or os.cpu_count() or 1
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client


def _batches(corpus: Corpus, todo: list[tuple[str, int | None, str]], size: int) -> Iterator[list[dict]]:
    for i in range(0, len(todo), size):
        chunk = todo[i:i + size]
        rows = {r["id"]: dict(r) for r in corpus.conn.execute(
            f"SELECT * FROM pages WHERE id IN ({','.join('?' * len(chunk))})", [t[1] for t in chunk])}
        yield [{**rows[page_id], "_key": key, "_name": name} for key, page_id, name in chunk]


_LOCAL = threading.local()


def _worker_corpus(db: str) -> Corpus:
    """This worker thread's own connection to a PostgreSQL corpus, opened once."""
    opened = getattr(_LOCAL, "corpora", None)
    if opened is None:
        opened = _LOCAL.corpora = {}
    if db not in opened:
        opened[db] = Corpus(db)
    return opened[db]


def redo_and_store(rows: list[dict[str, Any]], db: str, force: bool,
                   run_id: int | None) -> list[tuple[str, int, str, Any, str | None]]:
    """Worker side on PostgreSQL: redo a batch and store the records itself, one transaction
    per article, so every worker is a writer; returns what ``redo_batch`` returns with the
    record replaced by whether the article changed."""
    corpus = _worker_corpus(db)
    return [(key, page_id, name, None if record is None else
             corpus.store(record, page_id=page_id, run_id=run_id, force=force, key=key)[1], error)
            for key, page_id, name, record, error in redo_batch(rows)]


def reextract_dask(corpus: Corpus, client: Any, all_articles: bool = False, run_id: int | None = None,
                   batch_size: int = BATCH) -> ReextractSummary:
    """``corpus.reextract.reextract`` with the parsing and extraction on Dask workers.

    SQLite has one writer: this process stores what the workers return.  On PostgreSQL the
    workers store their records themselves (``redo_and_store``), so writing scales with them;
    every worker must then reach the database at the corpus URL."""
    from distributed import as_completed

    from corpus.db import POSTGRESQL

    if corpus.dialect == POSTGRESQL:
        def submit(batch: list[dict]) -> Any:
            return client.submit(redo_and_store, batch, corpus.target, all_articles, run_id, pure=False)
    else:
        def submit(batch: list[dict]) -> Any:
            return client.submit(redo_batch, batch, pure=False)

    summary = ReextractSummary()
    todo = _todo(corpus, all_articles)
    summary.without_page = sum(1 for _, page_id, _ in todo if page_id is None)
    todo = [t for t in todo if t[1] is not None]
    window = 2 * max(1, len(client.scheduler_info().get("workers", {})))
    batches = _batches(corpus, todo, batch_size)
    pending = as_completed([submit(b) for b in _take(batches, window)])
    for future in pending:
        _write(corpus, future.result(), summary, all_articles, run_id)
        future.release()
        for b in _take(batches, 1):
            pending.add(submit(b))
    return summary


def _take(it: Iterator[list[dict]], n: int) -> list[list[dict]]:
    out = []
    for b in it:
        out.append(b)
        if len(out) == n:
            break
    return out


def _write(corpus: Corpus, results, summary: ReextractSummary, force: bool, run_id: int | None) -> None:
    """Store (SQLite) or count (PostgreSQL: already stored, ``changed`` in place of the record)."""
    for key, page_id, name, record, error in results:
        summary.considered += 1
        if record is None:
            log.warning("reextract %s: %s", name, error)
            summary.failed.append((name, error or "failed"))
            continue
        changed = record if isinstance(record, bool) else \
            corpus.store(record, page_id=page_id, run_id=run_id, force=force, key=key)[1]
        if changed:
            summary.changed += 1
        else:
            summary.unchanged += 1
