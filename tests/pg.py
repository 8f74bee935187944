"""A throwaway PostgreSQL server for the test suite.

``PgServer.start()`` runs ``initdb`` + ``pg_ctl start`` in a fresh temporary folder (mode 0700)
on a free loopback port, as the ``postgres`` system user when running as root (initdb refuses
root), tuned for speed rather than durability.  ``stop()`` shuts it down (``-m immediate``) and
removes the folder; it is also registered with ``atexit``.

Environment:
- ``PEER_CHECKIN_TEST_PG_URL``: use this existing server instead (its user must be allowed to
  CREATE DATABASE); databases made by the tests are dropped again at the end.
- ``PEER_CHECKIN_PG_BIN``: folder with initdb/pg_ctl (default /usr/lib/postgresql/15/bin).
- ``PEER_CHECKIN_PG_TMP``: parent folder of the server's data (default /dev/shm when it has
  1 GiB free, else the temp dir).
- ``PEER_CHECKIN_SKIP_PG=1``: checked by tests/conftest.py to skip PostgreSQL tests explicitly.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import random
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

DEFAULT_PG_BIN = "/usr/lib/postgresql/15/bin"
ENV_URL = "PEER_CHECKIN_TEST_PG_URL"
ENV_BIN = "PEER_CHECKIN_PG_BIN"
ENV_SKIP = "PEER_CHECKIN_SKIP_PG"
ENV_TMP = "PEER_CHECKIN_PG_TMP"
SERVER_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


class PgUnavailable(RuntimeError):
    """PostgreSQL could not be started; the message says what to do about it."""


def skip_requested() -> bool:
    return os.environ.get(ENV_SKIP, "").strip().lower() in ("1", "true", "yes")


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def _free_port() -> int:
    """A loopback port that is free now, for a server a test starts a moment later (its URL
    must be known before it is built).

    Chosen below the kernel's ephemeral range when there is room: a port from that range can
    be taken in the meantime by anything that binds port 0 (another fake server) or opens a
    connection (a client's local port), and the server then fails with "Address already in
    use" (seen once in a full run)."""
    low, _ = _ephemeral_range()
    if low > 12000:
        rng = random.Random()
        for _ in range(200):
            port = rng.randrange(10000, low)
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
                try:
                    sock.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _scratch_root() -> str:
    """Where the server's folder goes: RAM (/dev/shm) when there is room, else the temp dir.

    On a disk, CREATE DATABASE per test costs ~0.3 s; in RAM ~0.015 s.
    """
    chosen = os.environ.get(ENV_TMP, "").strip()
    if chosen:
        return chosen
    shm = "/dev/shm"
    with contextlib.suppress(OSError):
        stats = os.statvfs(shm)
        if os.access(shm, os.W_OK) and stats.f_bavail * stats.f_frsize > 1 << 30:
            return shm
    return tempfile.gettempdir()


def _find_bin_dir() -> Path:
    chosen = os.environ.get(ENV_BIN, "").strip()
    bin_dir = Path(chosen or DEFAULT_PG_BIN)
    if (bin_dir / "initdb").is_file() and (bin_dir / "pg_ctl").is_file():
        return bin_dir
    where = f"{ENV_BIN}={chosen}" if chosen else DEFAULT_PG_BIN
    raise PgUnavailable(
        f"PostgreSQL server binaries (initdb, pg_ctl) not found in {where}. "
        "Install them (apt-get install postgresql-15), point "
        f"{ENV_BIN} at their folder, set {ENV_URL}=postgresql://user@host:port/postgres "
        f"to use a running server, or set {ENV_SKIP}=1 to skip the PostgreSQL tests."
    )


class PgServer:
    """A PostgreSQL server: started here, or the one named by ``PEER_CHECKIN_TEST_PG_URL``."""

    def __init__(
        self, settings: tuple[str, ...] = SERVER_SETTINGS, scratch_root: str | None = None
    ) -> None:
        # Tests trade durability for speed; a benchmark passes () to measure the real thing.
        self.settings = settings
        self.scratch_root = scratch_root
        self.admin_url: str = ""  # psycopg conninfo URL of the maintenance database
        self._dir: Path | None = None
        self._bin: Path | None = None
        self._as_postgres = False
        self._created: list[str] = []
        self._external = False

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> PgServer:
        external = os.environ.get(ENV_URL, "").strip()
        if external:
            url = make_url(external).set(drivername="postgresql")
            self.admin_url = url.render_as_string(hide_password=False)
            self._external = True
            atexit.register(self.stop)
            return self
        self._bin = _find_bin_dir()
        self._as_postgres = os.geteuid() == 0
        root = self.scratch_root or _scratch_root()
        self._dir = Path(tempfile.mkdtemp(prefix="peer-checkin-pg-", dir=root))
        os.chmod(self._dir, 0o700)
        if self._as_postgres:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise PgUnavailable(
                    "running as root but there is no 'postgres' system user to run initdb as "
                    f"(initdb refuses root); create one, or set {ENV_URL} or {ENV_SKIP}=1"
                ) from exc
            os.chown(self._dir, pw.pw_uid, pw.pw_gid)
        atexit.register(self.stop)
        data = self._dir / "data"
        self._run(
            "initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
            "--no-sync", "--no-instructions",
        )  # fmt: skip
        with open(data / "postgresql.conf", "a") as conf:
            conf.write("\n".join(self.settings) + "\n")
        last_error = ""
        for _attempt in range(5):
            port = _free_port()
            opts = f"-h 127.0.0.1 -p {port} -k {self._dir} -F"
            result = self._run(
                "pg_ctl", "-D", str(data), "-l", str(self._dir / "server.log"),
                "-o", opts, "-w", "-t", "30", "start", check=False,
            )  # fmt: skip
            if result.returncode == 0:
                self.admin_url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
                return self
            last_error = result.stdout + result.stderr + self._log_tail()
        raise PgUnavailable(f"could not start PostgreSQL in {self._dir}:\n{last_error}")

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._drop_created()
        if self._dir is None:
            return
        data = self._dir / "data"
        if (data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self._dir, ignore_errors=True)
        self._dir = None

    # --- databases ---------------------------------------------------------------------------

    def url(self, dbname: str) -> str:
        """SQLAlchemy URL (psycopg 3 driver) of ``dbname`` on this server."""
        url = make_url(self.admin_url).set(drivername="postgresql+psycopg", database=dbname)
        return url.render_as_string(hide_password=False)

    def create_database(self, name: str | None = None, *, template: str | None = None) -> str:
        """Create a database (optionally a copy of ``template``); returns its name."""
        name = name or f"t_{uuid.uuid4().hex[:12]}"
        # The default WAL_LOG strategy: FILE_COPY checkpoints first, slow once tests wrote data.
        stmt = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(template or "template1")
        )
        self._admin(stmt)
        self._created.append(name)
        return name

    def drop_database(self, name: str) -> None:
        stmt = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        self._admin(stmt)
        if name in self._created:
            self._created.remove(name)

    # --- internals ---------------------------------------------------------------------------

    def _admin(self, stmt: sql.Composed) -> None:
        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(stmt)

    def _drop_created(self) -> None:
        # A started server is thrown away whole; only clean up on somebody else's server.
        if self._external:
            for name in list(reversed(self._created)):
                self.drop_database(name)
        self._created.clear()

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        assert self._bin is not None and self._dir is not None
        cmd = [str(self._bin / tool), *args]
        if self._as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        result = subprocess.run(
            cmd, cwd=self._dir, capture_output=True, text=True, timeout=120, check=False
        )
        if check and result.returncode != 0:
            raise PgUnavailable(
                f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
            )
        return result

    def _log_tail(self) -> str:
        if self._dir is None:
            return ""
        log = self._dir / "server.log"
        return log.read_text(errors="replace")[-2000:] if log.exists() else ""
