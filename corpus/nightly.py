"""``vnnews nightly``: the scheduled job — crawl, extract, store, then one summary.

One run, in order:

1. take the run lock (``<db>.nightly.lock``, ``fcntl.flock``) or exit ``EXIT_LOCKED`` (75)
   with one line naming the holder; the kernel drops the lock when its holder dies, so a
   run killed with SIGKILL never blocks the next one;
2. for each site: ``corpus.pipeline.run_crawl`` (new and changed pages: conditional GETs,
   a crawl frontier in the corpus; each article is stored in one transaction with its raw
   page and its frontier entry, so a killed run loses at most the page being written and
   the next run resumes where it stopped);
3. the summary: ``articles_added``, ``pages_fetched``, ``pages_not_modified``,
   ``pages_failed`` and ``failures`` (url, reason), per-site counts, warnings, duration,
   ``started``/``finished`` (UTC) and ``exit_code`` — as JSON to ``--summary`` and the
   config's ``output_dir``, into the corpus ``runs`` table, and as a table on a terminal.

Exit codes: 0 all went well, 1 finished with page failures, 2 usage or config error (or
an unusable corpus), 75 another run holds the lock (EX_TEMPFAIL: try again later), 130
stopped by Ctrl-C or SIGTERM (the summary says "interrupted"; a rerun resumes).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from corpus.errors import CorpusError
from corpus.logs import Progress
from corpus.nightlyconfig import NightlyConfig, SiteTarget
from scraper.errors import InputError, VnnewsError

__all__ = ["EXIT_FAILURES", "EXIT_INTERRUPTED", "EXIT_LOCKED", "EXIT_OK", "EXIT_USAGE", "RunLockedError",
           "lock_path", "run_lock", "run_nightly", "write_summary"]

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILURES, EXIT_USAGE, EXIT_LOCKED, EXIT_INTERRUPTED = 0, 1, 2, 75, 130
SUMMARY_SCHEMA = "vnnews.nightly/1"
# layout-change heuristics: a site needs this many pages before we judge it
_MIN_PAGES_TO_JUDGE = 5
_MAX_SHARE_WITHOUT_ARTICLE = 0.8


class RunLockedError(VnnewsError):
    """Another nightly run holds the lock on this corpus."""

    exit_code = EXIT_LOCKED


_TERMINATED = threading.Event()


def _on_sigterm(signum: int, frame: object) -> None:
    """SIGTERM (systemd stopping the unit, a shutdown) is handled like Ctrl-C, so the run
    still writes its summary (status "interrupted") and exits 130: re-raised as SIGINT, which
    asyncio turns into a clean cancellation of the crawl (and Python elsewhere into
    KeyboardInterrupt)."""
    _TERMINATED.set()
    if signal.getsignal(signal.SIGINT) in (signal.SIG_IGN, signal.SIG_DFL, None):  # SIGINT ignored (nohup, `&`)
        raise KeyboardInterrupt
    signal.raise_signal(signal.SIGINT)


# -- the lock -------------------------------------------------------------------------
def lock_path(db: str | None) -> Path:
    from corpus.db import sqlite_path

    path = sqlite_path(db)
    return path.with_name(path.name + ".nightly.lock")


@contextlib.contextmanager
def run_lock(db: str | None) -> Iterator[Path | str]:
    """Hold the run lock of a corpus for the whole run.

    SQLite: an exclusive ``flock`` on the lock file beside the corpus.  The file keeps the
    holder's pid, host and start time for the refusal message; its content is never
    trusted for the decision (the kernel lock is the truth, and dies with its process).
    PostgreSQL: a session advisory lock in the corpus database, so runs on different
    machines exclude each other too; the server drops it when the holder's connection
    dies.
    """
    from corpus.db import POSTGRESQL, parse_db

    dialect, target = parse_db(db)
    if dialect == POSTGRESQL:
        with _pg_run_lock(target):
            yield target
        return
    path = lock_path(db)
    if not path.parent.is_dir():
        raise InputError(f"cannot create corpus {path.parent / path.name.removesuffix('.nightly.lock')}: "
                         f"folder {path.parent} does not exist")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 512, 0).decode("utf-8", "replace").strip() or "unknown process"
            raise RunLockedError(f"another nightly run is using {path.name.removesuffix('.nightly.lock')} "
                                 f"({holder}); exiting without crawling") from None
        os.ftruncate(fd, 0)
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()} since {stamp}\n".encode(), 0)
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing the descriptor releases the flock


_PG_LOCK_KEY = 0x766E6E6967687431  # "vnnight1": the nightly run lock of one PostgreSQL corpus


@contextlib.contextmanager
def _pg_run_lock(url: str) -> Iterator[None]:
    from corpus.db import connect_pg, redact

    conn = connect_pg(url)
    try:
        note = f"vnnews nightly pid {os.getpid()} on {socket.gethostname()}"
        conn.execute("SELECT set_config('application_name', ?, false)", (note[:63],))
        if not conn.execute("SELECT pg_try_advisory_lock(?)", (_PG_LOCK_KEY,)).fetchone()[0]:
            row = conn.execute(
                "SELECT a.application_name, a.client_addr, a.backend_start FROM pg_locks l "
                "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                "AND (l.classid::bigint << 32 | l.objid::bigint) = ?", (_PG_LOCK_KEY,)).fetchone()
            holder = (f"{row[0] or 'a client'} from {row[1] or 'local socket'} since "
                      f"{row[2].isoformat(timespec='seconds')}") if row else "unknown process"
            raise RunLockedError(f"another nightly run is using {redact(url)} ({holder}); exiting without crawling")
        yield
    finally:
        conn.close()  # ends the session: the advisory lock goes with it


# -- the run --------------------------------------------------------------------------
@dataclass(slots=True)
class SiteResult:
    url: str
    pages_fetched: int = 0
    pages_not_modified: int = 0
    pages_without_article: int = 0
    articles_added: int = 0
    articles_unchanged: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    articles_by_site: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    duration_s: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "pages_fetched": self.pages_fetched, "pages_not_modified": self.pages_not_modified,
            "pages_without_article": self.pages_without_article, "pages_failed": len(self.failures),
            "articles_added": self.articles_added, "articles_unchanged": self.articles_unchanged,
            "articles_by_site": dict(self.articles_by_site), "warnings": self.warnings,
            "duration_s": round(self.duration_s, 2),
        }


class _Watched:
    """The corpus as run_crawl sees it: every article written also ticks the progress bar
    (and, with a pipeline whose CrawlJob has no ``run_id``, is tagged with this run's id).
    Everything else passes straight through.

    The pipeline writes through ``Corpus.store`` (one transaction per article) or, with the
    crawl frontier, through ``Corpus._store_in_tx`` inside the frontier's transaction; both
    are wrapped.  A progress callback on CrawlJob would make this unnecessary.
    """

    def __init__(self, corpus: Any, progress: Progress, run_id: int | None) -> None:
        import inspect

        self._corpus, self._progress, self._stored = corpus, progress, 0
        self._run_id = run_id if "run_id" in inspect.signature(corpus.store).parameters else None

    def _tick(self) -> None:
        self._stored += 1
        self._progress.advance(f"{self._stored} articles stored")

    def store(self, *args: Any, **kwargs: Any) -> Any:
        if self._run_id is not None:
            kwargs.setdefault("run_id", self._run_id)
        result = self._corpus.store(*args, **kwargs)
        self._tick()
        return result

    def _store_in_tx(self, *args: Any, **kwargs: Any) -> Any:
        result = self._corpus._store_in_tx(*args, **kwargs)
        self._tick()
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._corpus, name)


def _job(target: SiteTarget, run_id: int | None, user_agent: str | None, warc_dir: Path | None = None) -> Any:
    """The CrawlJob for one site; this run's id and the user agent go in when the pipeline
    takes them (older pipelines lack those fields)."""
    from dataclasses import fields

    from corpus.pipeline import CrawlJob

    known = {f.name for f in fields(CrawlJob)}
    kwargs: dict[str, Any] = {"start_urls": (target.url,), "max_pages": target.max_pages, "delay": target.delay}
    if "run_id" in known:
        kwargs["run_id"] = run_id
    if user_agent and "user_agent" in known:
        kwargs["user_agent"] = user_agent
    if warc_dir is not None:
        kwargs["warc_dir"] = str(warc_dir)
    return CrawlJob(**kwargs)


def _profile_name(target: SiteTarget) -> str | None:
    """The site profile the crawler uses for this target, when it can say."""
    try:
        from scraper.scope import resolve_target

        return resolve_target(target.url).profile.name
    except Exception:  # an older crawler, or a target it rejects (that shows up as a failure)
        return None


def _layout_warnings(result: SiteResult, profile: str | None) -> list[str]:
    """Signs that a site changed its layout under us (its profile no longer matches)."""
    judged = result.pages_fetched - result.pages_not_modified
    found = result.articles_added + result.articles_unchanged
    named = f"profile {profile!r}" if profile else "the profile's selectors"
    if judged < _MIN_PAGES_TO_JUDGE:
        return []
    if found == 0:
        return [f"{result.url}: no article found in {judged} fetched pages: the site's layout may have "
                f"changed ({named} matches nothing)"]
    if result.pages_without_article / judged > _MAX_SHARE_WITHOUT_ARTICLE:
        return [f"{result.url}: {result.pages_without_article} of {judged} fetched pages had no article body: "
                f"the site's layout may have changed ({named})"]
    return []


def crawl_site(corpus: Any, target: SiteTarget, progress: Progress, run_id: int | None,
               user_agent: str | None = None, warc_dir: Path | None = None) -> SiteResult:
    from corpus.pipeline import run_crawl

    result = SiteResult(target.url)
    progress.start_site(target.url)  # no total: how many pages a site has is unknown up front
    started = time.monotonic()
    try:
        job = _job(target, run_id, user_agent, warc_dir)
        summary = run_crawl(_Watched(corpus, progress, None if hasattr(job, "run_id") else run_id), job)
    except CorpusError:
        raise  # the corpus itself is unusable: the whole run stops
    except Exception as exc:  # one site's bug must not cost the other sites their night
        log.error("site %s: crawl stopped: %s: %s", target.url, type(exc).__name__, exc,
                  exc_info=not isinstance(exc, VnnewsError), extra={"site": target.url})
        result.failures.append((target.url, f"crawl stopped: {type(exc).__name__}: {exc}"))
        summary = None
    finally:
        progress.finish_site()
    result.duration_s = time.monotonic() - started
    if summary is not None:
        result.pages_fetched = summary.pages_fetched
        result.pages_not_modified = int(getattr(summary, "pages_not_modified", 0))
        result.pages_without_article = int(getattr(summary, "pages_without_article", 0))
        result.articles_added = summary.articles_added
        result.articles_unchanged = int(getattr(summary, "articles_unchanged", 0))
        result.failures = [(str(url), str(reason)) for url, reason in summary.failed]
        result.articles_by_site = Counter(getattr(summary, "per_site", {}))
    result.warnings = _layout_warnings(result, _profile_name(target))
    for warning in result.warnings:
        log.warning("%s", warning, extra={"site": target.url, "event": "layout_changed"})
    log.info("site %s: %d pages fetched, %d not modified, %d articles added, %d failed",
             target.url, result.pages_fetched, result.pages_not_modified, result.articles_added,
             len(result.failures), extra={"site": target.url, **result.as_json()})
    return result


def build_summary(config: NightlyConfig, results: list[SiteResult], started: datetime,
                  duration_s: float, exit_code: int, error: str | None = None) -> dict[str, Any]:
    failures = [{"site": r.url, "url": url, "reason": reason} for r in results for url, reason in r.failures]
    return {
        "schema": SUMMARY_SCHEMA,
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "duration_s": round(duration_s, 2),
        "exit_code": exit_code,
        "status": {EXIT_OK: "ok", EXIT_FAILURES: "partial", EXIT_INTERRUPTED: "interrupted"}.get(exit_code, "error"),
        "error": error,
        "db": str(config.db) if config.db else None,
        "articles_added": sum(r.articles_added for r in results),
        "articles_unchanged": sum(r.articles_unchanged for r in results),
        "pages_fetched": sum(r.pages_fetched for r in results),
        "pages_not_modified": sum(r.pages_not_modified for r in results),
        "pages_without_article": sum(r.pages_without_article for r in results),
        "pages_failed": len(failures),
        "failure_reasons": dict(Counter(f["reason"] for f in failures)),
        "failures": failures,
        "warnings": [w for r in results for w in r.warnings],
        "sites": {r.url: r.as_json() for r in results},
    }


def write_summary(summary: dict[str, Any], path: Path) -> None:
    """Write atomically (temp file + rename): a reader never sees half a summary."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", "utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write the summary {path}: {exc.strerror or exc}") from None


def _publish(config: NightlyConfig, summary: dict[str, Any]) -> None:
    if config.summary is not None:
        write_summary(summary, config.summary)
    if config.output_dir is not None:
        config.output_dir.mkdir(parents=True, exist_ok=True)
        stamp = summary["started"].replace("-", "").replace(":", "").replace("+0000", "Z")
        write_summary(summary, config.output_dir / f"nightly-{stamp}.json")
        write_summary(summary, config.output_dir / "nightly-latest.json")


def run_nightly(config: NightlyConfig, progress: Progress | None = None) -> dict[str, Any]:
    """One nightly run under the lock; returns the summary (``exit_code`` says how it went).

    Raises ``RunLockedError`` when another run holds the lock (no summary is written:
    that run owns the summary files), ``InputError``/``CorpusError`` for an unusable corpus.
    """
    from corpus.store import Corpus
    from extract import EXTRACTOR_VERSION

    progress = progress or Progress()
    started, clock = datetime.now(timezone.utc), time.monotonic()
    results: list[SiteResult] = []
    with run_lock(config.db):
        log.info("nightly run started: %d site(s) into %s", len(config.sites), config.db,
                 extra={"sites": [t.url for t in config.sites]})
        with Corpus(config.db) as corpus:
            run_id = corpus.begin_run("nightly", EXTRACTOR_VERSION) if hasattr(corpus, "begin_run") else None
            summary = None
            try:
                with progress:
                    for target in config.sites:
                        results.append(crawl_site(corpus, target, progress, run_id, config.user_agent,
                                                  config.warc_dir))
                failed = any(r.failures for r in results)
                summary = build_summary(config, results, started, time.monotonic() - clock,
                                        EXIT_FAILURES if failed else EXIT_OK)
            except VnnewsError as exc:
                summary = build_summary(config, results, started, time.monotonic() - clock, exc.exit_code, str(exc))
                _publish(config, summary)
                raise
            except KeyboardInterrupt:  # Ctrl-C or SIGTERM: what was stored stays stored
                how = "SIGTERM" if _TERMINATED.is_set() else "SIGINT"
                summary = build_summary(config, results, started, time.monotonic() - clock, EXIT_INTERRUPTED,
                                        f"interrupted by {how}")
                _publish(config, summary)
                raise
            finally:
                if run_id is not None:
                    status = summary["status"] if summary else "failed"
                    with contextlib.suppress(VnnewsError):
                        corpus.finish_run(run_id, status, summary or {})
        _publish(config, summary)
    log.info("nightly run finished: %d articles added, %d pages fetched, %d failed (exit %d)",
             summary["articles_added"], summary["pages_fetched"], summary["pages_failed"], summary["exit_code"],
             extra={"event": "summary", "summary": {k: v for k, v in summary.items() if k != "sites"}})
    if summary["pages_failed"]:
        log.warning("%d page(s) failed: %s", summary["pages_failed"],
                    ", ".join(f"{r} ×{n}" for r, n in summary["failure_reasons"].items()))
    return summary


def print_summary(summary: dict[str, Any]) -> None:
    """The summary as a rich table (the CLI calls this only when stdout is a terminal)."""
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    table = Table(title=f"vnnews nightly · {summary['started']} · {summary['duration_s']:.1f} s · "
                        f"exit {summary['exit_code']}")
    for name in ("site", "fetched", "not modified", "added", "unchanged", "failed"):
        table.add_column(name, justify="left" if name == "site" else "right")
    for url, s in summary["sites"].items():
        table.add_row(url, str(s["pages_fetched"]), str(s["pages_not_modified"]), str(s["articles_added"]),
                      str(s["articles_unchanged"]), str(s["pages_failed"]))
    table.add_section()
    table.add_row("total", str(summary["pages_fetched"]), str(summary["pages_not_modified"]),
                  str(summary["articles_added"]), str(summary["articles_unchanged"]), str(summary["pages_failed"]))
    console.print(table)
    for failure in summary["failures"][:20]:
        console.print(f"  failed {failure['url']}: {failure['reason']}")
    if len(summary["failures"]) > 20:
        console.print(f"  … and {len(summary['failures']) - 20} more (see the JSON summary)")
    for warning in summary["warnings"]:
        console.print(f"  [yellow]warning[/] {warning}")


def main_nightly(config: NightlyConfig, *, show_progress: bool) -> int:
    """What ``vnnews nightly`` does once its arguments are parsed."""
    from corpus.logs import progress

    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if in_main else None
    try:
        summary = run_nightly(config, progress(len(config.sites), enabled=show_progress))
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)
    if sys.stdout.isatty():
        print_summary(summary)
    return int(summary["exit_code"])
