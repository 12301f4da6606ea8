"""Opening the register: an SQLite file by default, any SQLAlchemy URL (PostgreSQL) on request.

SQLite is set up for safety under crashes and concurrent runs:

- ``journal_mode=WAL`` and ``synchronous=FULL``: a committed transaction survives a crash, an
  interrupted one leaves no trace; readers never block the writer;
- every write transaction starts with ``BEGIN IMMEDIATE`` (it takes the write lock up front, so two
  writers queue instead of failing half-way when a read lock cannot be upgraded), and
  ``busy_timeout`` makes the second writer wait for the first instead of failing;
- ``foreign_keys=ON``.

The schema is brought up to date by :mod:`.migrations` on every open, then read by reflection.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, Table, create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, DatabaseError
from sqlalchemy.exc import NoSuchModuleError as NoDriver

from engine.errors import UserError
from engine.register.migrations import migrate

DEFAULT_PATH = Path("register.sqlite3")
BUSY_TIMEOUT_S = 60
TABLES = (
    "communes",
    "commune_successions",
    "evaluations",
    "evaluation_indicators",
    "decisions",
    "decision_audit",
    "waivers",
)
_READ = "register_read_only"


def url_for(path: Path | None, url: str | None) -> str:
    """The database URL from ``--db-url`` or ``--db PATH`` (default ``register.sqlite3``)."""
    if url:
        return url
    return f"sqlite:///{(path or DEFAULT_PATH).resolve()}"


def _set_wal(cur: Any) -> None:
    """Switch to WAL. On a new file another process may be switching it at the same moment, and
    SQLite then answers 'database is locked' at once, without waiting for ``busy_timeout``: retry."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            cur.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        _set_wal(cur)
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        read_only = conn.get_execution_options().get(_READ, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


class Register:
    """An open register: ``write()`` and ``read()`` give transactions; ``t`` holds its tables."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.engine = create_engine(
                url,
                connect_args={"timeout": BUSY_TIMEOUT_S} if url.startswith("sqlite") else {},
                pool_pre_ping=not url.startswith("sqlite"),
            )
        except (ArgumentError, NoDriver) as exc:
            raise UserError.single(
                "--db-url",
                f"cannot use database URL {url!r}: {exc}",
                "write e.g. sqlite:///register.sqlite3 or postgresql+psycopg://user@host/dbname "
                "(PostgreSQL needs: pip install 'commune-health[postgres]')",
            ) from None
        if self.engine.dialect.name == "sqlite":
            _sqlite_setup(self.engine)
        try:
            self.applied = migrate(self.engine, url=url)
            md = MetaData()
            md.reflect(bind=self.engine, only=TABLES)
        except DatabaseError as exc:
            hint = (
                "check the path, that the folder exists and is writable, and that the file is an "
                "SQLite database"
                if self.engine.dialect.name == "sqlite"
                else "check the URL, that the server is running and that the database exists"
            )
            raise UserError.single(url, f"cannot open the register: {exc.orig}", hint) from None
        self.t: dict[str, Table] = dict(md.tables)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction: committed when the block ends, rolled back on any error."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """One read transaction: a consistent snapshot, never blocking writers (WAL)."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(**{_READ: True})
            with conn.begin():
                yield conn

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
