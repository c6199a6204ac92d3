"""The ``vnnews`` command line (DESIGN.md is the contract).

Errors are one line on stderr; exit codes: 0 success, 1 finished with some page
failures, 2 usage or input error.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Sequence

from scraper.errors import VnnewsError

log = logging.getLogger("vnnews")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(2, f"vnnews: error: {message} (see `{self.prog} --help`)\n")


def _cmd_extract(args: argparse.Namespace) -> int:
    from corpus.inputs import InputOptions, parse_published, read_inputs
    from extract import extract_record, record_to_json

    options = InputOptions(
        url=args.url,
        published=parse_published(args.published) if args.published else None,
        input_format=args.input_format,
    )
    corpus = _open_corpus(args.db) if args.db else None
    try:
        out = sys.stdout
        for name in args.inputs:
            for article, raw in read_inputs(name, options):
                record = extract_record(article)
                out.write(json.dumps(record_to_json(record), ensure_ascii=False) + "\n")
                if corpus is not None:
                    corpus.store(record, raw)
        out.flush()
    finally:
        if corpus is not None:
            corpus.close()
    return 0


def _open_corpus(db: str | None, readonly: bool = False):
    from corpus.store import Corpus

    return Corpus(db, readonly=readonly)


def _cmd_search(args: argparse.Namespace) -> int:
    from corpus.search import SearchOptions, hits_json_lines, search
    from corpus.render import print_hits

    options = SearchOptions(query=args.query, hospital=args.hospital, official=args.official,
                            province=args.province, site=args.site, limit=args.limit)
    with _open_corpus(args.db, readonly=True) as corpus:
        hits = search(corpus, options)
    if args.format == "json":
        if hits:
            print(hits_json_lines(hits))
    else:
        print_hits(hits, args.query)
    return 0


def _cmd_crawl(args: argparse.Namespace) -> int:
    from corpus.pipeline import CrawlJob, run_crawl
    from corpus.render import print_crawl_summary

    job = CrawlJob(start_urls=tuple(args.site), max_pages=args.max_pages, delay=args.delay)
    with _open_corpus(args.db) as corpus:
        summary = run_crawl(corpus, job)
    print_crawl_summary(summary)
    return 1 if summary.failed else 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from corpus.demo import run_demo

    return run_demo(db=args.db, keep_serving=args.serve)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="vnnews", description="Vietnamese provincial news → structured records → a searchable corpus.")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv for debug)")
    p.add_argument("-q", "--quiet", action="store_true", help="only errors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    e = sub.add_parser(
        "extract", help="print one JSON record per article",
        description="Print one vnnews.record/1 JSON record per article.\n\n"
        "Example: vnnews extract page.html --url https://bacninhtv.vn/tin/202501/x.html --db corpus.db",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    e.add_argument("inputs", nargs="+", metavar="INPUT", help="file (.html, .html.gz, text dump, JSON Lines), URL, or - for stdin")
    e.add_argument("--url", help="the page's URL, when the file does not say")
    e.add_argument("--published", help="publication date (YYYY-MM-DD[THH:MM]), when the page does not say")
    e.add_argument("--input-format", default="auto", choices=("auto", "html", "text", "jsonl"))
    e.add_argument("--db", help="also store the records in this corpus (SQLite file)")
    e.set_defaults(func=_cmd_extract)

    s = sub.add_parser(
        "search", help="full-text + facet search (ignores diacritics)",
        description="Search the corpus; diacritics, tone-mark placement and đ/Đ are ignored.\n"
        "Query syntax: words (all must match), \"a phrase\", OR, NOT, prefix*.\n\n"
        'Example: vnnews search "Bach Mai" --province "Nghệ An" --db corpus.db',
        formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("query", metavar="QUERY")
    s.add_argument("--hospital", help="only articles naming this hospital")
    s.add_argument("--official", help="only articles naming this official")
    s.add_argument("--province", help="only articles from this province")
    s.add_argument("--site", help="only articles from this site (domain)")
    s.add_argument("--limit", type=int, default=20)
    s.add_argument("--format", choices=("table", "json"), default="table")
    s.add_argument("--db", help="corpus (SQLite file; default vnnews.db)")
    s.set_defaults(func=_cmd_search)

    c = sub.add_parser(
        "crawl", help="crawl sites into the corpus",
        description="Fetch, parse, extract and store the articles of one or more sites.\n\n"
        "Example: vnnews crawl --site https://truyenhinhnghean.vn/ --max-pages 50 --db corpus.db",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("--site", action="append", required=True, metavar="URL", help="start URL (repeatable)")
    c.add_argument("--max-pages", type=int, default=200)
    c.add_argument("--delay", type=float, default=1.0, help="seconds between requests to one host (default 1)")
    c.add_argument("--db", help="corpus (SQLite file; default vnnews.db)")
    c.set_defaults(func=_cmd_crawl)

    d = sub.add_parser(
        "demo", help="crawl the bundled sample site and show what was extracted",
        description="Serve the bundled sample site on 127.0.0.1, crawl it into a fresh corpus and show the "
        "records. Works offline.\n\nExample: vnnews demo",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    d.add_argument("--db", default="vnnews-demo.db", help="corpus file to (re)create (default vnnews-demo.db)")
    d.add_argument("--serve", action="store_true", help="keep serving the sample site until Ctrl-C")
    d.set_defaults(func=_cmd_demo)
    return p


def _configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    _configure_logging(args.verbose, args.quiet)
    try:
        return int(args.func(args))
    except VnnewsError as exc:
        print(f"vnnews: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("vnnews: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug, not bad input: still one line unless -v
        if args.verbose:
            raise
        print(f"vnnews: internal error: {type(exc).__name__}: {exc} (run with -v for details)", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
