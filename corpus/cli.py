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

from corpus.cli_corpus import add_corpus_commands
from corpus.db import DB_HELP
from scraper.errors import VnnewsError

log = logging.getLogger("vnnews")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(2, f"vnnews: error: {message} (see `{self.prog} --help`)\n")


def _cmd_extract(args: argparse.Namespace) -> int:
    from corpus.inputs import InputOptions, parse_published, read_inputs
    from collections import deque

    from extract import EXTRACTOR_VERSION, extract_many, record_to_json

    options = InputOptions(
        url=args.url,
        published=parse_published(args.published) if args.published else None,
        input_format=args.input_format,
        domains=tuple(args.domain),
        all_domains=args.all_domains,
    )
    corpus = _open_corpus(args.db) if args.db else None
    run_id = corpus.begin_run("extract", EXTRACTOR_VERSION) if corpus is not None else None
    counts = {"articles_added": 0, "articles_unchanged": 0}
    status = "failed"
    try:
        out = sys.stdout
        raws: deque = deque()  # raw inputs of the articles in flight, in input order

        def articles():
            for name in args.inputs:
                for article, raw in read_inputs(name, options):
                    raws.append(raw)
                    yield article

        for record in extract_many(articles(), args.workers):
            raw = raws.popleft()
            out.write(json.dumps(record_to_json(record), ensure_ascii=False) + "\n")
            if corpus is not None:
                changed = corpus.store(record, raw, run_id=run_id)[1]
                counts["articles_added" if changed else "articles_unchanged"] += 1
        out.flush()
        status = "ok"
    finally:
        if corpus is not None:
            corpus.finish_run(run_id, status, counts)
            corpus.close()
    return 0


def _open_corpus(db: str | None, readonly: bool = False):
    from corpus.store import Corpus

    return Corpus(db, readonly=readonly)


def _cmd_search(args: argparse.Namespace) -> int:
    from corpus.facets import facet_counts, facets_json, print_facets
    from corpus.search import SearchOptions, hits_json_lines, search
    from corpus.render import print_hits

    options = SearchOptions(query=args.query or "", hospital=args.hospital, official=args.official,
                            province=args.province, site=args.site, period_overlaps=args.period_overlaps,
                            date_from=args.date_from, date_to=args.date_to, limit=args.limit,
                            collapse_duplicates=not args.all_copies, rank=args.rank)
    if not options.query.strip() and not args.facets:
        args.usage_error("the following arguments are required: QUERY (optional only with --facets)"
                         if args.query is None else "empty search query (give words, or --facets alone)")
    with _open_corpus(args.db, readonly=True) as corpus:
        hits = search(corpus, options) if options.query.strip() else None  # no query: facets only
        facets = facet_counts(corpus, options) if args.facets else None
    if args.format == "json":
        if hits:
            print(hits_json_lines(hits))
        if facets is not None:
            print(facets_json(facets))
    else:
        if hits is not None:
            print_hits(hits, args.query)
        if facets is not None:
            print_facets(facets)
    return 0


def _cmd_crawl(args: argparse.Namespace) -> int:
    from corpus.pipeline import CrawlJob, run_crawl
    from corpus.render import print_crawl_summary

    from corpus.db import POSTGRESQL, parse_db

    if args.delay < 0 or (args.max_pages is not None and args.max_pages < 1) or args.lease <= 0:
        print("vnnews: error: --delay must be >= 0, --max-pages >= 1 and --lease > 0", file=sys.stderr)
        return 2
    if args.worker and parse_db(args.db)[0] != POSTGRESQL:
        print("vnnews: error: --worker needs a PostgreSQL corpus (--db postgresql://…): SQLite has one writer",
              file=sys.stderr)
        return 2
    job = CrawlJob(start_urls=tuple(args.site), max_pages=args.max_pages, delay=args.delay,
                   since=args.since, user_agent=args.user_agent, worker=args.worker, lease=args.lease,
                   warc_dir=args.warc)
    with _open_corpus(args.db) as corpus:
        summary = run_crawl(corpus, job)  # records itself in the runs table
    print_crawl_summary(summary)
    return 1 if summary.failed else 0


def _since_date(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _cmd_sites_list(args: argparse.Namespace) -> int:
    from scraper.profiles import builtin_profiles

    for p in builtin_profiles():
        kind = "family" if not p.domains else ("verified" if p.verified else "unverified")
        print(f"{p.name:<20} {kind:<10} {p.province or '-':<16} {', '.join(p.domains) or '-'}")
    return 0


def _cmd_sites_check(args: argparse.Namespace) -> int:
    from pathlib import Path

    from scraper.profiles import builtin_profiles, load_profile, resolve

    profile = load_profile(Path(args.file))
    others = [p for p in builtin_profiles() if p.name != profile.name]
    (checked,) = [p for p in resolve([*others, profile]) if p.name == profile.name]
    start = checked.start_url or "-"
    print(f"{args.file}: ok — profile {checked.name!r}, start {start}, "
          f"{'verified' if checked.verified else 'not verified against a saved page'}")
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from pathlib import Path

    from corpus.evalcmd import FIELDS, EvalOptions, run_eval

    return run_eval(EvalOptions(gold_dir=Path(args.gold_dir), fields=tuple(args.field or FIELDS), diff=args.diff,
                                floors=Path(args.floors) if args.floors else None, format=args.format))


def _cmd_eval_articles(args: argparse.Namespace) -> int:
    from pathlib import Path

    from scraper.evaluate_articles import evaluate, failures, format_table, results_json

    results = evaluate(Path(args.dir), with_trafilatura=not args.no_trafilatura)
    print(results_json(results) if args.format == "json" else format_table(results))
    return 1 if failures(results) else 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from corpus.demo import run_demo

    return run_demo(db=args.db, keep_serving=args.serve)


def _cmd_nightly(args: argparse.Namespace) -> int:
    from corpus.nightly import main_nightly
    from corpus.nightlyconfig import resolve_config

    config = resolve_config(args.config, sites=args.site, db=args.db, summary=args.summary,
                            max_pages=args.max_pages, delay=args.delay, warc_dir=args.warc)
    return main_nightly(config, show_progress=not (args.quiet or args.log_json))


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="vnnews", description="Vietnamese provincial news → structured records → a searchable corpus.")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv for debug)")
    p.add_argument("-q", "--quiet", action="store_true", help="only errors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    e = sub.add_parser(
        "extract", help="print one JSON record per article",
        description="Print one vnnews.record/1 JSON record per article.\n\n"
        "Example: vnnews extract page.html --url https://bacninhtv.vn/tin/202501/x.html --db corpus.db\n"
        "         vnnews extract old_corpus.jsonl --input-format jsonl --workers 0 > records.jsonl",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    e.add_argument("inputs", nargs="+", metavar="INPUT", help="file (.html, .html.gz, text dump, JSON Lines), URL, or - for stdin")
    e.add_argument("--url", help="the page's URL, when the file does not say")
    e.add_argument("--published", help="publication date (YYYY-MM-DD[THH:MM]), when the page does not say")
    e.add_argument("--input-format", default="auto", choices=("auto", "html", "text", "jsonl", "warc"))
    e.add_argument("--domain", action="append", default=[], metavar="D",
                   help="WARC inputs: also keep pages of domain D (repeatable)")
    e.add_argument("--all-domains", action="store_true", help="WARC inputs: keep pages of every domain")
    e.add_argument("--db", help="also store the records in this " + DB_HELP)
    e.add_argument("--workers", type=int, default=1, metavar="N",
                   help="extraction processes (0: one per core; default 1); output keeps input order")
    e.set_defaults(func=_cmd_extract)

    s = sub.add_parser(
        "search", help="full-text + facet search (ignores diacritics)",
        description="Search the corpus; diacritics, tone-mark placement and đ/Đ are ignored.\n"
        "Query syntax: words (all must match), \"a phrase\", OR, NOT, AND, (groups), prefix*;\n"
        "operators in capitals.  --facets adds the top hospitals, officials, provinces, sites,\n"
        "periods and months of every matching story (not only the hits shown); with --facets\n"
        "QUERY may be \"\" or left out, to count the whole corpus (filters apply).\n\n"
        'Example: vnnews search "Bach Mai" --province "Nghệ An" --db corpus.db\n'
        '         vnnews search --facets --from 2025-01 --db postgresql://localhost/vnnews',
        formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("query", metavar="QUERY", nargs="?", help="words to find (optional with --facets)")
    s.add_argument("--hospital", help="only articles naming this hospital")
    s.add_argument("--official", help="only articles naming this official")
    s.add_argument("--province", help="only articles from this province")
    s.add_argument("--site", help="only articles from this site (domain)")
    s.add_argument("--period-overlaps", type=int, metavar="YEAR",
                   help="only articles naming a period (giai đoạn …) that includes YEAR")
    s.add_argument("--from", dest="date_from", metavar="D", help="published on or after D (YYYY[-MM[-DD]])")
    s.add_argument("--to", dest="date_to", metavar="D", help="published on or before D (YYYY[-MM[-DD]])")
    s.add_argument("--rank", choices=("title", "bm25"), default="title",
                   help="title: title matches first, newest first (default); bm25: relevance")
    s.add_argument("--all-copies", action="store_true",
                   help="list every republished copy instead of one hit per story")
    s.add_argument("--limit", type=int, default=20)
    s.add_argument("--facets", action="store_true",
                   help="also count matching stories per hospital, official, province, site, period, month "
                        "(top 10 each; JSON: a last line {\"facets\": …})")
    s.add_argument("--format", choices=("table", "json"), default="table")
    s.add_argument("--db", help=DB_HELP)
    s.set_defaults(func=_cmd_search, usage_error=s.error)

    c = sub.add_parser(
        "crawl", help="crawl sites into the corpus (politely, incrementally, resumable)",
        description="Discover (robots.txt sitemaps, sitemaps, feeds, listing pages, the Techcity list\n"
        "endpoint), fetch, parse, extract and store the articles of one or more sites.\n"
        "robots.txt is obeyed, one request at a time per host; the frontier lives in the\n"
        "corpus, so a stopped or killed crawl resumes, and an unchanged page costs a 304.\n"
        "On a PostgreSQL corpus, crawl workers (--worker, on one or many machines) share the\n"
        "frontier: each host is crawled by one worker at a time, a dead worker's hosts are\n"
        "taken over when its lease runs out, SIGTERM stops a worker after its pages in flight.\n"
        "Exit 1 when some pages failed.\n\n"
        "Example: vnnews crawl --site truyenhinhnghean --since 2025-01-01 --max-pages 500 --db corpus.db\n"
        "Example: vnnews crawl --worker --site baonghean --site baohatinh --db postgresql://crawler@db/vnnews",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("--site", action="append", required=True, metavar="S",
                   help="profile name (see `vnnews sites list`) or start URL (repeatable)")
    c.add_argument("--since", type=_since_date, metavar="DATE", help="skip articles published before DATE (YYYY-MM-DD)")
    c.add_argument("--max-pages", type=int, default=200, metavar="N", help="pages to visit in this run (default 200)")
    c.add_argument("--delay", type=float, default=1.0, metavar="S",
                   help="seconds between requests to one host (default 1; a longer robots.txt Crawl-delay wins)")
    c.add_argument("--user-agent", metavar="UA", help="User-Agent to send (default: vnnews with a contact URL)")
    c.add_argument("--warc", metavar="DIR",
                   help="also archive every page fetched with a body (articles, listing pages, sitemaps, feeds) "
                   "in WARC files in DIR (gzip per record, a new file past 1 GB; read them with import-warc)")
    c.add_argument("--db", help=DB_HELP)
    c.add_argument("--worker", action="store_true",
                   help="one of several workers sharing the crawl (PostgreSQL corpus; run the same command "
                        "on each machine)")
    c.add_argument("--lease", type=float, default=30.0, metavar="S",
                   help="worker: seconds before a silent (dead) worker's hosts are taken over (default 30)")
    c.set_defaults(func=_cmd_crawl)

    st = sub.add_parser(
        "sites", help="list or check site profiles",
        description="Site profiles (scraper/sites/*.toml): `list` shows the built-in ones, `check FILE` "
        "validates a profile file (unknown keys are errors).\n\n"
        "Example: vnnews sites check scraper/sites/bacninhtv.toml",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    st_sub = st.add_subparsers(dest="sites_command", metavar="ACTION", parser_class=_Parser, required=True)
    st_sub.add_parser("list", help="the built-in profiles: name, province, domains, verified",
                      description="Example: vnnews sites list").set_defaults(func=_cmd_sites_list)
    chk = st_sub.add_parser("check", help="validate a profile file",
                            description="Example: vnnews sites check my-site.toml")
    chk.add_argument("file", metavar="FILE")
    chk.set_defaults(func=_cmd_sites_check)

    add_corpus_commands(sub)  # reextract, export, serve (corpus/cli_corpus.py)

    n = sub.add_parser(
        "nightly", help="the scheduled job: crawl new/changed pages, store, write a summary",
        description="Crawl new and changed pages of every site, extract and store them, then write the run "
        "summary (JSON with --summary; a table on a terminal). One run at a time per corpus.\n"
        "Exit codes: 0 all well, 1 finished with page failures, 2 usage/config error, 75 another run "
        "holds the lock, 130 stopped by Ctrl-C/SIGTERM. See docs/nightly.md for cron and systemd.\n\n"
        "Example: vnnews nightly --config /etc/vnnews/nightly.toml --summary /var/log/vnnews/last.json --log-json",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    n.add_argument("--config", metavar="FILE",
                   help="TOML config: sites, max_pages, delay, user_agent, db, output_dir, summary, warc_dir")
    n.add_argument("--site", action="append", metavar="S",
                   help="profile name, start URL or domain (repeatable; replaces the config's sites)")
    n.add_argument("--db", help=DB_HELP)
    n.add_argument("--summary", metavar="FILE", help="write the run summary here as JSON")
    n.add_argument("--max-pages", type=int, metavar="N", help="fetches per site (default 500)")
    n.add_argument("--delay", type=float, metavar="S", help="seconds between requests to one host (default 1)")
    n.add_argument("--warc", metavar="DIR", help="also archive the fetched pages in WARC files in DIR "
                   "(replaces the config's warc_dir; see `vnnews crawl --warc`)")
    n.add_argument("--log-json", action="store_true", help="logs as one JSON object per line on stderr")
    n.set_defaults(func=_cmd_nightly)

    d = sub.add_parser(
        "demo", help="crawl the bundled sample site and show what was extracted",
        description="Serve the bundled sample site on 127.0.0.1, crawl it into a fresh corpus and show the "
        "records. Works offline.\n\nExample: vnnews demo",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    d.add_argument("--db", default="vnnews-demo.db", help="corpus file to (re)create (default vnnews-demo.db)")
    d.add_argument("--serve", action="store_true", help="keep serving the sample site until Ctrl-C")
    d.set_defaults(func=_cmd_demo)

    ev = sub.add_parser(
        "eval", help="score the extractor against a hand-annotated gold set",
        description="Extract every article of a gold set (NNN_slug/input.txt + gold.json) and print per-field\n"
        "precision/recall/F1 (overlapping and exact spans) and value correctness. Exit 1 when a field\n"
        "is below its floor (--floors, default GOLD_DIR/floors.toml), 2 on an unusable gold set.\n\n"
        "Example: vnnews eval tests/gold --field officials --diff",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ev.add_argument("gold_dir", metavar="GOLD_DIR", help="folder of gold articles, e.g. tests/gold")
    ev.add_argument("--field", action="append", choices=("dates", "officials", "hospitals", "periods", "figures",
                    "agreements"), help="only this field (repeatable)")
    ev.add_argument("--diff", action="store_true", help="also list misses and false hits per article")
    ev.add_argument("--floors", metavar="FILE", help="TOML floors file (default GOLD_DIR/floors.toml)")
    ev.add_argument("--format", choices=("table", "json"), default="table")
    ev.set_defaults(func=_cmd_eval)

    ea = sub.add_parser(
        "eval-articles", help="score article extraction (body, leaks) against trafilatura",
        description="Parse every saved page of DIR (NAME/page.html[.gz] + expected.json, or NAME.html.gz +\n"
        "NAME.expected.json) and print per page and overall: body recall and precision by paragraph\n"
        "(fuzzy matching), boilerplate leaks (expected must_not_contain strings found in the text), for\n"
        "vnnews and plain trafilatura.extract side by side. Exit 1 when vnnews leaks or has body recall\n"
        "below 0.98 on a page.\n\n"
        "Example: vnnews eval-articles tests/golden_pages",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ea.add_argument("dir", metavar="DIR", help="folder of saved pages, e.g. tests/golden_pages")
    ea.add_argument("--no-trafilatura", action="store_true", help="score vnnews only")
    ea.add_argument("--format", choices=("table", "json"), default="table")
    ea.set_defaults(func=_cmd_eval_articles)
    return p


def _configure_logging(verbose: int, quiet: bool, json_lines: bool = False) -> None:
    from corpus.logs import configure_logging

    configure_logging(verbose, quiet, json_lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    _configure_logging(args.verbose, args.quiet, getattr(args, "log_json", False))
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
