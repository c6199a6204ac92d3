"""Logging for the command line: plain lines, JSON lines for schedulers, rich progress bars.

Only the CLI calls ``configure_logging``; modules just use ``logging.getLogger(__name__)``.

- default: ``LEVEL logger: message`` lines on stderr (WARNING and up; ``-v`` INFO, ``-vv`` DEBUG);
- ``--log-json``: one JSON object per line on stderr — ``ts`` (UTC, ISO 8601), ``level``,
  ``logger``, ``msg``, plus every ``extra={...}`` field the call passed (and ``exc`` for an
  exception), so ``jq`` and log shippers can read a nightly run without parsing prose;
- ``progress(...)``: a rich progress bar on stderr when stderr is a terminal and logs are not
  JSON; otherwise a no-op object with the same methods (cron and systemd stay quiet).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone
from typing import Any

__all__ = ["JsonFormatter", "Progress", "configure_logging", "progress"]

# attributes every LogRecord has; anything else on a record came from ``extra=``
_STANDARD = frozenset(vars(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per record: ts, level, logger, msg, then the caller's extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(verbose: int = 0, quiet: bool = False, json_lines: bool = False) -> None:
    """Install one stderr handler on the root logger (replacing any earlier one of ours)."""
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name("vnnews")
    if json_lines:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        if old.get_name() == "vnnews":
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(max(level, logging.WARNING))  # one line per request is noise
    logging.getLogger("httpcore").setLevel(max(level, logging.WARNING))


class Progress:
    """The progress API the nightly job uses; this base class draws nothing."""

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def start_site(self, site: str, total: int | None = None) -> None:
        pass

    def advance(self, what: str = "") -> None:
        pass

    def finish_site(self) -> None:
        pass


class _RichProgress(Progress):
    def __init__(self, total_sites: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichBar

        self._bar = RichBar(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                            TextColumn("{task.fields[what]}"), TimeElapsedColumn(),
                            console=Console(stderr=True), transient=True)
        self._total_sites = total_sites
        self._sites = None
        self._site = None

    def __enter__(self) -> "Progress":
        self._bar.__enter__()
        self._sites = self._bar.add_task("sites", total=self._total_sites, what=f"0/{self._total_sites} sites")
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.__exit__(*exc)

    def start_site(self, site: str, total: int | None = None) -> None:
        self._site = self._bar.add_task(site, total=total, what="")

    def advance(self, what: str = "") -> None:
        if self._site is not None:
            self._bar.update(self._site, advance=1, what=what)

    def finish_site(self) -> None:
        if self._site is not None:
            self._bar.remove_task(self._site)
            self._site = None
        self._bar.advance(self._sites)
        done = int(self._bar.tasks[self._sites].completed)
        self._bar.update(self._sites, what=f"{done}/{self._total_sites} sites")


def progress(total_sites: int, *, enabled: bool) -> Progress:
    """A rich progress display on a terminal, else a silent stand-in."""
    if enabled and sys.stderr.isatty():
        return _RichProgress(total_sites)
    return Progress()
