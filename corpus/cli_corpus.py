"""The corpus-maintenance commands of ``vnnews``: ``reextract``, ``export`` and ``serve``
(registered on the main parser by ``corpus.cli``)."""

from __future__ import annotations

import argparse
import sys

from corpus.db import DB_HELP
from corpus.store import Corpus
from scraper.errors import InputError


def _cmd_reextract(args: argparse.Namespace) -> int:
    from corpus.reextract import reextract
    from extract import EXTRACTOR_VERSION

    if args.warc is not None:
        if args.all:
            raise InputError("--all is for stored pages: with --warc every kept page of the files is extracted")
        return _import_warc(args, args.warc, args.dask)
    if args.domain or args.all_domains:
        raise InputError("--domain and --all-domains go with --warc FILE…")
    with Corpus(args.db) as corpus:
        run_id = corpus.begin_run("reextract", EXTRACTOR_VERSION)
        summary = None
        try:
            if args.dask is not None:
                from corpus.dask_reextract import dask_client, reextract_dask

                with dask_client(args.dask or None, args.workers) as client:
                    summary = reextract_dask(corpus, client, all_articles=args.all, run_id=run_id)
            else:
                summary = reextract(corpus, all_articles=args.all, run_id=run_id)
        finally:
            status = "failed" if summary is None else ("partial" if summary.failed else "ok")
            corpus.finish_run(run_id, status, summary and summary.to_json())
    print(f"re-extracted with {EXTRACTOR_VERSION}: {summary.considered} article(s) considered, "
          f"{summary.changed} changed, {summary.unchanged} unchanged, {len(summary.failed)} failed"
          + (f", {summary.without_page} without a stored page (skipped)" if summary.without_page else ""))
    for name, reason in summary.failed:
        print(f"  failed {name}: {reason}")
    return 1 if summary.failed else 0


def _cmd_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from corpus.export import ExportOptions, export

    options = ExportOptions(fmt=args.format, out=Path(args.out), since=args.since, site=args.site,
                            drop_duplicates=args.drop_duplicates)
    with Corpus(args.db, readonly=True) as corpus:
        counts = export(corpus, options)
    print(f"wrote {args.format} export to {args.out}: "
          + ", ".join(f"{n} {table}" for table, n in counts.items()), file=sys.stderr)
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from corpus.serve import serve

    return serve(args.db, host=args.host, port=args.port, ui=args.ui)


def _cmd_import_warc(args: argparse.Namespace) -> int:
    return _import_warc(args, args.inputs)


def _import_warc(args: argparse.Namespace, paths: list[str], dask: str | None = None) -> int:
    """``import-warc``, and ``reextract --warc [--dask]``: recorded as an import-warc run either way.
    Exit 1 when a file ends in a cut-off record (what came before it is stored)."""
    from corpus.inputs import InputOptions
    from corpus.warcimport import check_files, import_warc, import_warc_dask
    from extract import EXTRACTOR_VERSION

    options = InputOptions(input_format="warc", domains=tuple(args.domain), all_domains=args.all_domains)
    check_files(paths)
    with Corpus(args.db) as corpus:
        run_id = corpus.begin_run("import-warc", EXTRACTOR_VERSION)
        summary = None
        try:
            if dask is None:
                summary = import_warc(corpus, paths, options, run_id=run_id)
            else:
                from corpus.dask_reextract import dask_client

                with dask_client(dask or None, args.workers) as client:
                    summary = import_warc_dask(corpus, client, paths, options, run_id=run_id)
        finally:
            status = "failed" if summary is None else ("partial" if summary.warc.truncated else "ok")
            corpus.finish_run(run_id, status, summary and summary.to_json())
    print(f"{args.command}: {summary.line()}")
    return 1 if summary.warc.truncated else 0


def add_corpus_commands(sub) -> None:
    iw = sub.add_parser(
        "import-warc", help="store the Vietnamese news articles of WARC/ARC files in the corpus",
        description="Read web archives (.warc, .warc.gz, .arc, .arc.gz; e.g. Common Crawl News files), keep the "
        "HTML responses with status 200 from the configured Vietnamese news domains (site profiles and the "
        "provincial station table, plus --domain), extract and store them with their raw bytes. A file that ends in a "
        "cut-off record (a killed writer, a partial download) is read up to it, with a warning and exit 1.\n\n"
        "Example: vnnews import-warc CC-NEWS-20250114.warc.gz --db corpus.db",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    iw.add_argument("inputs", nargs="+", metavar="FILE", help="WARC or ARC file")
    iw.add_argument("--domain", action="append", default=[], metavar="D", help="also keep this domain (repeatable)")
    iw.add_argument("--all-domains", action="store_true", help="keep HTML pages of every domain")
    iw.add_argument("--db", help=DB_HELP)
    iw.set_defaults(func=_cmd_import_warc)

    r = sub.add_parser(
        "reextract", help="re-run extraction over the stored pages (no refetching)",
        description="Re-run the current extractor over the raw pages kept in the corpus, for every article "
        "stored by another extractor version (or all of them with --all); or, with --warc, over the pages of web "
        "archives, as import-warc does (and recorded as an import-warc run). Nothing is fetched. With --dask and "
        "--warc, each file (or each 16 MB of a .warc.gz) is one task, and workers open the files themselves: on a "
        "cluster of several machines the files must be readable at the same path on every worker.\n\n"
        "Example: vnnews reextract --db corpus.db\n"
        "         vnnews reextract --all --dask tcp://10.0.0.5:8786 --db corpus.db\n"
        "         vnnews reextract --dask --warc /shared/cc-news/CC-NEWS-2025*.warc.gz --db corpus.db",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("--all", action="store_true", help="redo every article, not only those of other versions")
    r.add_argument("--warc", nargs="+", metavar="FILE",
                   help="extract from these WARC/ARC files instead of the stored pages (exit 1 when one ends in a "
                   "cut-off record)")
    r.add_argument("--domain", action="append", default=[], metavar="D",
                   help="with --warc: also keep this domain (repeatable)")
    r.add_argument("--all-domains", action="store_true", help="with --warc: keep HTML pages of every domain")
    r.add_argument("--dask", nargs="?", const="", default=None, metavar="SCHEDULER_ADDRESS",
                   help="parse and extract on a Dask distributed cluster (tcp://host:8786); without an "
                   "address, a local cluster of --workers processes (needs `pip install 'vnnews[dask]'`)")
    r.add_argument("--workers", type=int, default=0, metavar="N",
                   help="local Dask cluster size (default: one per core)")
    r.add_argument("--db", help=DB_HELP)
    r.set_defaults(func=_cmd_reextract)

    x = sub.add_parser(
        "export", help="export the corpus as JSON Lines, Parquet or CSV",
        description="Export the corpus for research. jsonl: one vnnews.record/1 per line in one file; "
        "parquet/csv: a folder with a file per table (articles, dates, officials, hospitals, periods, "
        "figures, agreements, agreement_parties).\n\n"
        "Example: vnnews export --format parquet --out corpus-parquet --since 2024-01 --db corpus.db",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    x.add_argument("--format", required=True, choices=("jsonl", "parquet", "csv"))
    x.add_argument("--out", required=True, metavar="PATH", help="file (jsonl) or folder (parquet, csv)")
    x.add_argument("--since", metavar="D", help="only articles published on or after D (YYYY[-MM[-DD]])")
    x.add_argument("--site", help="only articles from this site (domain)")
    x.add_argument("--drop-duplicates", action="store_true",
                   help="keep only the first-published copy of each republished story")
    x.add_argument("--db", help=DB_HELP)
    x.set_defaults(func=_cmd_export)

    w = sub.add_parser(
        "serve", help="browse and search the corpus in a web browser (Datasette, read-only)",
        description="Open the corpus read-only in Datasette: full-text search that ignores diacritics, "
        "facets by province, site, hospital, official and period, and canned queries.\n\n"
        "Example: vnnews serve --db corpus.db --port 8001",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    w.add_argument("--db", help=DB_HELP)
    w.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    w.add_argument("--port", type=int, default=8001, help="port (default 8001; 0 picks a free one)")
    w.add_argument("--ui", choices=("datasette", "simple"), help="datasette (SQLite only; its default) or simple: "
                   "a search page for both backends (the default for PostgreSQL)")
    w.set_defaults(func=_cmd_serve)
