"""The register's tests run on SQLite and on a real PostgreSQL server that the tests start themselves.

:class:`PostgresServer` is a throwaway cluster: ``initdb`` into a temporary folder, ``postgres``
listening on a Unix socket in that folder only (no TCP port, so parallel runs never collide),
stopped and removed at the end of the session. ``initdb`` refuses to run as root, so as root the
server runs as the ``postgres`` user Debian's package creates (``nobody`` otherwise), through
``runuser``. The binaries come from ``/usr/lib/postgresql/<version>/bin`` (``make test``
installs the ``postgresql`` package when missing). Durability settings are relaxed
(``fsync=off``): the tests kill the *client* mid-transaction, never the server, so what they check
— a transaction is whole or absent — does not depend on them, and the suite stays fast.

Each test gets a new database of its own (:meth:`PostgresServer.new_database`); a :class:`Backend`
gives the URL, the command-line arguments and the row counts the same way for both databases.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

TABLES = ("communes", "evaluations", "evaluation_indicators", "decisions", "decision_audit")


def postgres_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    assert found, "PostgreSQL's server is not installed: run make test-programs (make test does)"
    return found[-1].parent


@dataclass
class PostgresServer:
    base: Path
    bin: Path
    user: str | None  # the unprivileged user the server runs as (None: this process's own user)
    _names: itertools.count = field(default_factory=itertools.count)

    @property
    def socket_dir(self) -> Path:
        return self.base / "socket"

    def _run(self, *cmd: str) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        done = subprocess.run([*prefix, *cmd], capture_output=True, text=True, check=False, timeout=120)
        assert done.returncode == 0, f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}"
        return done

    @classmethod
    def start(cls) -> PostgresServer:
        user = None
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres").pw_name
            except KeyError:
                user = "nobody"
        base = Path(tempfile.mkdtemp(prefix="commune-health-pg-"))
        server = cls(base, postgres_bin(), user)
        server.socket_dir.mkdir()
        if user:
            entry = pwd.getpwnam(user)
            for p in (base, server.socket_dir):
                os.chown(p, entry.pw_uid, entry.pw_gid)
        data = base / "data"
        server._run(str(server.bin / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions")  # fmt: skip
        options = (
            f"-k {server.socket_dir} -c listen_addresses='' -c fsync=off -c full_page_writes=off "
            "-c synchronous_commit=off -c max_connections=60"
        )
        server._run(
            str(server.bin / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w", "-o", options, "start"
        )
        return server

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.socket_dir}"

    def new_database(self) -> str:
        """A new, empty database; its SQLAlchemy URL."""
        name = f"register_{os.getpid()}_{next(self._names)}"
        engine = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            engine.dispose()
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.base / "data"), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


@dataclass
class Backend:
    """A register database for one test: an SQLite file, or a database on the PostgreSQL server."""

    name: str  # "sqlite" or "postgres"
    url: str
    file: Path | None = None

    @property
    def args(self) -> list[str]:
        """How the command line names this register."""
        return ["--db", str(self.file)] if self.file is not None else ["--db-url", self.url]

    def engine(self) -> Engine:
        return create_engine(self.url)

    def query(self, sql: str) -> list[tuple]:
        engine = self.engine()
        try:
            with engine.connect() as conn:
                return [tuple(r) for r in conn.execute(text(sql))]
        finally:
            engine.dispose()

    def counts(self) -> dict[str, int]:
        engine = self.engine()
        try:
            with engine.connect() as conn:
                return {t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one() for t in TABLES}
        finally:
            engine.dispose()

    def consistent(self) -> dict[str, int]:
        """Check what a crash must never break, then return the row counts.

        Every evaluation has all its indicator rows, no foreign key dangles, no evaluation is stored
        twice; on SQLite also ``PRAGMA integrity_check`` (PostgreSQL enforces its foreign keys itself).
        """
        if self.name == "sqlite":
            assert self.query("PRAGMA integrity_check") == [("ok",)]
            assert self.query("PRAGMA foreign_key_check") == []
        partial = self.query(
            "SELECT e.id FROM evaluations e LEFT JOIN evaluation_indicators i ON i.evaluation_id = e.id "
            "GROUP BY e.id, e.total_indicators HAVING COUNT(i.indicator_id) != e.total_indicators"
        )
        assert partial == [], f"evaluations with missing indicator rows: {partial}"
        orphans = self.query(
            "SELECT e.id FROM evaluations e LEFT JOIN communes c ON c.code = e.commune_code WHERE c.code IS NULL"
        )
        assert orphans == []
        dup = self.query(
            "SELECT commune_code, year, key_sha256, COUNT(*) FROM evaluations "
            "GROUP BY commune_code, year, key_sha256 HAVING COUNT(*) > 1"
        )
        assert dup == []
        return self.counts()
