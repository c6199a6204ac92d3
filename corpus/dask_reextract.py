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


def reextract_dask(corpus: Corpus, client: Any, all_articles: bool = False, run_id: int | None = None,
                   batch_size: int = BATCH) -> ReextractSummary:
    """``corpus.reextract.reextract`` with the parsing and extraction on Dask workers."""
    from distributed import as_completed

    summary = ReextractSummary()
    todo = _todo(corpus, all_articles)
    summary.without_page = sum(1 for _, page_id, _ in todo if page_id is None)
    todo = [t for t in todo if t[1] is not None]
    window = 2 * max(1, len(client.scheduler_info().get("workers", {})))
    batches = _batches(corpus, todo, batch_size)
    pending = as_completed([client.submit(redo_batch, b, pure=False) for b in _take(batches, window)])
    for future in pending:
        _write(corpus, future.result(), summary, all_articles, run_id)
        future.release()
        for b in _take(batches, 1):
            pending.add(client.submit(redo_batch, b, pure=False))
    return summary


def _take(it: Iterator[list[dict]], n: int) -> list[list[dict]]:
    out = []
    for b in it:
        out.append(b)
        if len(out) == n:
            break
    return out


def _write(corpus: Corpus, results, summary: ReextractSummary, force: bool, run_id: int | None) -> None:
    for key, page_id, name, record, error in results:
        summary.considered += 1
        if record is None:
            log.warning("reextract %s: %s", name, error)
            summary.failed.append((name, error or "failed"))
            continue
        changed = corpus.store(record, page_id=page_id, run_id=run_id, force=force, key=key)[1]
        if changed:
            summary.changed += 1
        else:
            summary.unchanged += 1
