"""``vnnews import-warc`` and ``vnnews reextract --warc``: store the Vietnamese news
articles of web archives (WARC/ARC, e.g. Common Crawl News files) in the corpus — raw bytes
kept, so ``vnnews reextract`` can redo them — and say what was read, kept and skipped.

``import_warc`` reads the files in this process.  ``import_warc_dask`` spreads them over a
Dask distributed cluster: one task per file, or per ``CHUNK_BYTES`` of a ``.warc.gz`` with a
gzip member per record (``scraper.warc.split_warc``).  Workers open the files themselves,
by absolute path — on a cluster of several machines every file must be readable at the same
path on every worker (a shared or replicated file system) and on the client, which reads
their sizes and first bytes.  A worker parses and extracts its range and returns
``(Record, RawInput)`` per article; the client stores them (one transaction per article, as
``import_warc``) in task order, so the corpus ends up exactly as after ``import_warc`` of
the same files.  Workers never open the database; at most ``2 × workers`` tasks are in flight.
"""

from __future__ import annotations

import os
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from corpus.inputs import InputOptions, from_warc
from corpus.store import Corpus, RawInput
from extract import Record, extract_record
from scraper.warc import WarcStats, check_warc, split_warc

CHUNK_BYTES = 16 * 2**20  # per task: ~100 MB of HTML at most in one answer, even with --all-domains


@dataclass(slots=True)
class ImportSummary:
    warc: WarcStats = field(default_factory=WarcStats)
    articles_added: int = 0
    articles_unchanged: int = 0

    @property
    def not_articles(self) -> int:  # kept HTML pages that are not articles (home, listings)
        return self.warc.kept - self.articles_added - self.articles_unchanged

    def to_json(self) -> dict[str, int]:
        return {**self.warc.to_json(), "articles_added": self.articles_added,
                "articles_unchanged": self.articles_unchanged, "pages_not_articles": self.not_articles}

    def line(self) -> str:
        w = self.warc
        return (f"{w.files} file(s), {w.records} records read: {w.responses} responses, {w.kept} kept, "
                f"skipped {w.skipped_domain} by domain, {w.skipped_status} by status, {w.skipped_type} by type; "
                f"{self.articles_added} articles added, {self.articles_unchanged} unchanged, "
                f"{self.not_articles} kept pages not articles"
                + (f"; {w.truncated} file(s) end in a cut-off record (read up to it)" if w.truncated else ""))


def check_files(paths: list[str]) -> None:
    """Every path is a WARC/ARC file, before anything is stored (else ``InputError``)."""
    for path in paths:
        check_warc(path)


def import_warc(corpus: Corpus, paths: list[str], options: InputOptions, run_id: int | None = None) -> ImportSummary:
    summary = ImportSummary()
    for path in paths:
        for article, raw in from_warc(path, options, summary.warc):
            _store(corpus, summary, extract_record(article), raw, run_id)
    return summary


def extract_chunk(path: str, start: int, stop: int | None,
                  options: InputOptions) -> tuple[list[tuple[Record, RawInput]], WarcStats]:
    """Worker side: the articles of the records that begin in ``[start, stop)`` of one file."""
    stats = WarcStats()
    return [(extract_record(article), raw) for article, raw in from_warc(path, options, stats, start, stop)], stats


def import_warc_dask(corpus: Corpus, client: Any, paths: list[str], options: InputOptions,
                     run_id: int | None = None, chunk_bytes: int = CHUNK_BYTES) -> ImportSummary:
    """``import_warc`` with the reading, parsing and extraction on Dask workers."""
    summary = ImportSummary()
    window = 2 * max(1, len(client.scheduler_info().get("workers", {})))
    pending: deque = deque()
    for path in map(os.path.abspath, paths):
        for start, stop in split_warc(path, chunk_bytes):
            pending.append(client.submit(extract_chunk, path, start, stop, options, pure=False))
            if len(pending) >= window:
                _collect(corpus, summary, pending.popleft(), run_id)
    while pending:
        _collect(corpus, summary, pending.popleft(), run_id)
    return summary


def _collect(corpus: Corpus, summary: ImportSummary, future: Any, run_id: int | None) -> None:
    articles, stats = future.result()  # in submission order: the same corpus as a serial import
    future.release()
    summary.warc.add(stats)
    for record, raw in articles:
        _store(corpus, summary, record, raw, run_id)


def _store(corpus: Corpus, summary: ImportSummary, record: Record, raw: RawInput, run_id: int | None) -> None:
    if corpus.store(record, raw, run_id=run_id)[1]:
        summary.articles_added += 1
    else:
        summary.articles_unchanged += 1
