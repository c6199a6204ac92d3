"""Where a corpus lives: a SQLite file (the default) or a PostgreSQL database.

``--db corpus.db`` / ``sqlite:///corpus.db`` is SQLite; ``--db postgresql://user@host/db``
is PostgreSQL through psycopg 3.  The rest of ``corpus`` talks to either through one
small surface, the one ``sqlite3`` already offers: ``conn.execute(sql, params)`` with ``?``
placeholders, rows readable as ``row[0]`` and ``row["name"]``, and explicit
``BEGIN``/``COMMIT``.  ``PgConnection`` translates the placeholders; SQL that differs
between the two engines (full text, upserts) is written per dialect where it is used.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence
from urllib.parse import urlsplit, urlunsplit

from corpus.errors import CorpusError

SQLITE, POSTGRESQL = "sqlite", "postgresql"
DEFAULT_DB = "vnnews.db"
CONNECT_TIMEOUT_S = 10
DB_HELP = "corpus: a SQLite file (default vnnews.db) or a postgresql://user@host/database URL"
LOCK_TIMEOUT_S = 5.0  # as SQLite's busy timeout: a write blocked this long says "locked" instead of waiting on


def parse_db(db: str | None) -> tuple[str, str]:
    """(dialect, target): a SQLite file path or a libpq URL."""
    db = db or DEFAULT_DB
    if db.startswith(("postgresql://", "postgres://")):
        return POSTGRESQL, db
    if db.startswith("sqlite:///"):
        return SQLITE, db[len("sqlite:///"):]
    if "://" in db:
        scheme = db.split("://", 1)[0]
        raise CorpusError(f"unsupported database URL scheme {scheme!r}: use a SQLite file path "
                          "or postgresql://user@host/database")
    return SQLITE, db


def sqlite_path(db: str | None) -> Path:
    """The file of a SQLite corpus; a PostgreSQL URL is refused (for SQLite-only commands)."""
    dialect, target = parse_db(db)
    if dialect != SQLITE:
        raise CorpusError(f"{redact(target)} is a PostgreSQL corpus: this command needs a SQLite file")
    return Path(target)


def redact(url: str) -> str:
    """A libpq URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


# -- PostgreSQL -------------------------------------------------------------------------

class Row:
    """A result row readable by position and by column name, like ``sqlite3.Row``."""

    __slots__ = ("_values", "_index")

    def __init__(self, values: Sequence[Any], index: dict[str, int]) -> None:
        self._values, self._index = tuple(values), index

    def __getitem__(self, key: int | str | slice) -> Any:
        if isinstance(key, str):
            try:
                return self._values[self._index[key]]
            except KeyError:
                raise IndexError(f"no column {key!r}") from None
        return self._values[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        return tuple(self) == tuple(other) if isinstance(other, (Row, tuple)) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._values)

    def keys(self) -> list[str]:
        return list(self._index)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._index, self._values))!r})"


def _row_factory(cursor: Any):
    index = {col.name: i for i, col in enumerate(cursor.description or ())}
    return lambda values: Row(values, index)


_PIECES = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|\?|%")


@lru_cache(maxsize=1024)
def to_pg(sql: str) -> str:
    """SQLite-flavoured SQL for psycopg: ``?`` → ``%s``, a literal ``%`` doubled (outside
    quotes), ``BEGIN IMMEDIATE`` → ``BEGIN``, ``INSERT OR IGNORE`` → ``ON CONFLICT DO NOTHING``."""
    stripped = sql.strip()
    if stripped.upper() == "BEGIN IMMEDIATE":
        return "BEGIN"
    out = _PIECES.sub(lambda m: {"?": "%s", "%": "%%"}.get(m.group(0), m.group(0)), sql)
    if re.match(r"\s*INSERT\s+OR\s+IGNORE\s+", out, re.I):
        out = re.sub(r"^\s*INSERT\s+OR\s+IGNORE\s+", "INSERT ", out, flags=re.I) + " ON CONFLICT DO NOTHING"
    return out


class PgConnection:
    """A psycopg connection with the ``sqlite3.Connection`` surface the corpus uses.

    Autocommit, so a statement outside ``BEGIN … COMMIT`` commits by itself, as with
    ``sqlite3.connect(isolation_level=None)``."""

    dialect = POSTGRESQL

    def __init__(self, url: str, readonly: bool = False, lock_timeout: float = LOCK_TIMEOUT_S) -> None:
        import psycopg

        self.raw = psycopg.connect(url, autocommit=True, row_factory=_row_factory,
                                   connect_timeout=CONNECT_TIMEOUT_S, application_name="vnnews")
        self.raw.execute("SELECT set_config('lock_timeout', %s, false)", (f"{max(1, int(lock_timeout * 1000))}ms",))
        if readonly:
            self.raw.execute("SET default_transaction_read_only = on")

    def execute(self, sql: str, params: Iterable[Any] = ()) -> Any:
        # always a tuple, even empty: psycopg then reads %% as % whether or not there are parameters
        return self.raw.execute(to_pg(sql), tuple(params))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Any:
        rows = [tuple(r) for r in rows]
        cur = self.raw.cursor()
        if rows:
            cur.executemany(to_pg(sql), rows)
        return cur

    def stream(self, sql: str, params: Iterable[Any] = ()) -> Iterator[Row]:
        """Rows one at a time from the server (libpq single-row mode): flat memory on
        exports of any size."""
        cur = self.raw.cursor()
        yield from cur.stream(to_pg(sql), tuple(params))

    def close(self) -> None:
        self.raw.close()


def connect_pg(url: str, readonly: bool = False, lock_timeout: float = LOCK_TIMEOUT_S) -> PgConnection:
    try:
        import psycopg
    except ImportError:
        raise CorpusError("a PostgreSQL corpus needs psycopg 3: pip install 'vnnews[postgresql]'") from None
    try:
        return PgConnection(url, readonly, lock_timeout)
    except psycopg.Error as exc:
        raise CorpusError(f"cannot open PostgreSQL corpus {redact(url)}: {first_line(exc)}") from None


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def db_errors() -> tuple[type[BaseException], ...]:
    """The exception classes of both engines (psycopg's only when it is installed)."""
    import sqlite3

    try:
        import psycopg
    except ImportError:
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg.Error)


def insert_id(conn: Any, sql: str, params: Sequence[Any]) -> int:
    """Run an INSERT into a table with an ``id`` column; the new row's id."""
    if getattr(conn, "dialect", SQLITE) == POSTGRESQL:
        return int(conn.execute(sql + " RETURNING id", params).fetchone()[0])
    return int(conn.execute(sql, params).lastrowid)


def dialect_of(conn: Any) -> str:
    return getattr(conn, "dialect", SQLITE)


def iter_rows(conn: Any, sql: str, params: Sequence[Any] = (), batch: int = 2000) -> Iterator[list[Any]]:
    """Rows in lists of ``batch`` without holding the whole result (streamed on PostgreSQL)."""
    if dialect_of(conn) == POSTGRESQL:
        out: list[Any] = []
        for row in conn.stream(sql, params):
            out.append(row)
            if len(out) == batch:
                yield out
                out = []
        if out:
            yield out
        return
    cur = conn.execute(sql, params)
    while rows := cur.fetchmany(batch):
        yield rows
