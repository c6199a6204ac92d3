"""A throwaway PostgreSQL server for the test suite, and fresh databases on it.

``VNNEWS_TEST_PG=postgresql://user@host/db`` names an existing server where the tests may
``CREATE DATABASE``; without it, ``initdb``/``pg_ctl`` (on PATH, else the newest
``/usr/lib/postgresql/*/bin``) build one in a temporary directory, listening on 127.0.0.1 on
a free port, with durability off.  Postgres refuses to run as root, so under root the
directory belongs to the ``postgres`` system user and the binaries run through ``runuser``.
Every subprocess and every wait has a deadline: a broken installation fails, never hangs.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ENV_URL = "VNNEWS_TEST_PG"
INSTALL_HINT = "install PostgreSQL (Debian: apt-get install postgresql postgresql-contrib) or set VNNEWS_TEST_PG"
START_TIMEOUT_S = 60
CMD_TIMEOUT_S = 60
CONNECT_TIMEOUT_S = 5
SCRATCH_MIN_BYTES = 1 << 30
# throwaway data: durability buys nothing and costs most of a CREATE DATABASE
SERVER_SETTINGS = {"fsync": "off", "full_page_writes": "off", "synchronous_commit": "off"}


class PgUnavailable(Exception):
    """No PostgreSQL installation to start (as opposed to one that fails to start)."""


def find_bindir() -> Path | None:
    """The directory holding initdb and pg_ctl: PATH first, then the newest Debian cluster."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    found = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").exists() and (p / "pg_ctl").exists()]
    return max(found, key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.parent.name))) if found else None


def with_database(url: str, dbname: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + dbname))


def wait_ready(url: str, deadline: float) -> None:
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S).close()
            return
        except psycopg.OperationalError as e:
            last = e
            time.sleep(0.1)
    raise RuntimeError(f"PostgreSQL at {url} not ready: {last}")


@dataclass
class PgServer:
    """A server we may create databases on; ``url`` points at its maintenance database."""

    url: str
    prefix: str = "t_"
    _admin: psycopg.Connection | None = field(default=None, repr=False)
    _names: itertools.count = field(default_factory=lambda: itertools.count(1), repr=False)

    @property
    def admin(self) -> psycopg.Connection:
        if self._admin is None or self._admin.closed:
            self._admin = psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
            self._admin.execute("SET statement_timeout = '60s'")
        return self._admin

    def create_database(self) -> str:
        """A fresh, empty UTF8 database with C collation; its URL."""
        name = f"{self.prefix}{next(self._names)}"
        self.drop_database(name)  # a leftover of an interrupted run on a shared server
        self.admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
                           "LC_COLLATE 'C' LC_CTYPE 'C'")
        return with_database(self.url, name)

    def drop_database(self, name: str) -> None:
        force = " WITH (FORCE)" if self.admin.info.server_version >= 130000 else ""
        try:
            self.admin.execute(f"DROP DATABASE IF EXISTS {name}{force}")
        except psycopg.Error:
            pass  # cleanup is best effort: a leftover database costs nothing on a throwaway server

    def stop(self) -> None:
        if self._admin is not None:
            self._admin.close()


@dataclass
class LocalServer(PgServer):
    """A server of our own in ``root``, stopped and deleted by ``stop``."""

    root: Path = Path()
    bindir: Path = Path()
    as_user: list[str] = field(default_factory=list)
    _watchdog: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def data(self) -> Path:
        return self.root / "data"

    def run(self, *args: str, timeout: float = CMD_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
        # output to a file, not a pipe: a postmaster that inherited a pipe would keep it open
        with open(self.root / "cmd.out", "w+") as out:
            proc = subprocess.run([*self.as_user, *args], stdin=subprocess.DEVNULL, stdout=out,
                                  stderr=subprocess.STDOUT, timeout=timeout, text=True)
            out.seek(0)
            return subprocess.CompletedProcess(proc.args, proc.returncode, out.read())

    def stop_command(self) -> list[str]:
        return [*self.as_user, str(self.bindir / "pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate",
                "-w", "-t", "20"]

    def watch(self) -> None:
        """A detached shell that stops the server and deletes its directory once this
        process is gone: a test run killed by a timeout or SIGKILL leaves nothing behind."""
        self._watchdog = subprocess.Popen(
            ["sh", "-c", 'while kill -0 "$0" 2>/dev/null; do sleep 1; done; "$@"; rm -rf "$VNNEWS_PG_ROOT"',
             str(os.getpid()), *self.stop_command()],
            env={**os.environ, "VNNEWS_PG_ROOT": str(self.root)}, start_new_session=True,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self) -> None:
        super().stop()
        if self._watchdog is not None:
            self._watchdog.kill()
            self._watchdog.wait(timeout=10)
        if self.data.joinpath("postmaster.pid").exists():
            try:
                self.run(*self.stop_command(), timeout=30)
            except subprocess.TimeoutExpired:
                pass
            self._kill_postmaster()
        shutil.rmtree(self.root, ignore_errors=True)

    def _kill_postmaster(self) -> None:
        try:
            pid = int(self.data.joinpath("postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError, IndexError):
            pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scratch_dir() -> str | None:
    """Memory (tmpfs) when it has room: a fresh database then takes ~20 ms instead of ~70.
    A short path either way: the postgres user must reach it, and the unix socket path
    inside it must stay under ~100 bytes."""
    for d in ("/dev/shm", "/tmp"):
        try:
            st = os.statvfs(d)
        except OSError:
            continue
        if st.f_bavail * st.f_frsize > SCRATCH_MIN_BYTES and os.access(d, os.W_OK):
            return d
    return None


def start_local() -> LocalServer:
    """initdb + pg_ctl start in a new temporary directory; raises PgUnavailable when there
    is no PostgreSQL installed, RuntimeError when it does not come up."""
    bindir = find_bindir()
    if bindir is None:
        raise PgUnavailable(f"no initdb/pg_ctl on PATH or in /usr/lib/postgresql/*/bin: {INSTALL_HINT}")
    as_user: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="vnnews-pg-", dir=scratch_dir()))
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            raise PgUnavailable("running as root, and PostgreSQL refuses root: no runuser to switch to 'postgres'")
        try:
            shutil.chown(root, "postgres", "postgres")
        except (LookupError, PermissionError) as e:
            shutil.rmtree(root, ignore_errors=True)
            raise PgUnavailable(f"running as root, and PostgreSQL refuses root: no usable 'postgres' user ({e})") from e
        as_user = [runuser, "-u", "postgres", "--"]
    server = LocalServer(url="", root=root, bindir=bindir, as_user=as_user)
    try:
        server.watch()
        _init_and_start(server)
    except BaseException:
        server.stop()
        raise
    return server


def _init_and_start(server: LocalServer) -> None:
    init = server.run(str(server.bindir / "initdb"), "-D", str(server.data), "-U", "postgres", "-E", "UTF8",
                      "--locale=C.UTF-8", "--auth=trust", "--no-sync")
    if init.returncode != 0:
        raise RuntimeError(f"initdb failed ({init.returncode}):\n{init.stdout[-2000:]}")
    settings = " ".join(f"-c {k}={v}" for k, v in SERVER_SETTINGS.items())
    for _ in range(3):  # the free port may be taken between choosing it and binding it
        port = free_port()
        opts = f"-c listen_addresses=127.0.0.1 -p {port} -k {server.root} {settings}"
        log = server.root / "server.log"
        log.unlink(missing_ok=True)
        start = server.run(str(server.bindir / "pg_ctl"), "start", "-D", str(server.data), "-l", str(log),
                           "-o", opts, "-w", "-t", str(START_TIMEOUT_S), timeout=START_TIMEOUT_S + 10)
        if start.returncode == 0:
            server.url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
            wait_ready(server.url, time.monotonic() + START_TIMEOUT_S)
            return
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else start.stdout
        if "already in use" not in tail:
            raise RuntimeError(f"pg_ctl start failed ({start.returncode}):\n{tail}")
    raise RuntimeError("pg_ctl start failed: no free port after 3 tries")


def connect_existing(url: str) -> PgServer:
    """The server named by VNNEWS_TEST_PG; database names carry our pid so that concurrent
    runs sharing it do not collide."""
    wait_ready(url, time.monotonic() + CONNECT_TIMEOUT_S * 2)
    return PgServer(url=url, prefix=f"t_{os.getpid()}_")


def start() -> PgServer:
    url = os.environ.get(ENV_URL)
    return connect_existing(url) if url else start_local()
