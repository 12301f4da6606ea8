"""Opening the register: an SQLite file by default, any SQLAlchemy URL (PostgreSQL) on request.

SQLite is set up for safety under crashes and concurrent runs:

- ``journal_mode=WAL`` and ``synchronous=FULL``: a committed transaction survives a crash, an
  interrupted one leaves no trace; readers never block the writer;
- every write transaction starts with ``BEGIN IMMEDIATE`` (it takes the write lock up front, so two
  writers queue instead of failing half-way when a read lock cannot be upgraded), and
  ``busy_timeout`` makes the second writer wait for the first instead of failing;
- ``foreign_keys=ON``.

The schema is brought up to date by :mod:`.migrations` on every open, then read by reflection.

Opening is strict, so that a mistyped ``--db`` never silently becomes an empty register:

- a missing SQLite file is an error unless the caller creates registers (``create=True``:
  ``register import``, or ``--create``);
- ``read_only=True`` (``review``, ``register history``, ``register waivers``, ``decide`` without
  ``--apply``) opens SQLite with ``mode=ro`` and PostgreSQL with read-only transactions: nothing is
  written, not even a migration (a register whose schema is behind is an error saying how to
  upgrade it), and a register on read-only media can be read;
- a database that holds tables but no ``schema_migrations`` is another program's: refused, never
  written into;
- every database error (read-only file, full disk, locked beyond the timeout, missing driver,
  unreachable server) is a :class:`~engine.errors.UserError` naming the register, with a hint.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Insert, MetaData, Table, create_engine, event, inspect
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, IntegrityError
from sqlalchemy.exc import NoSuchModuleError as NoDriver

from engine.errors import UserError
from engine.register.migrations import LATEST, VERSIONS_TABLE, current_version, migrate

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


def inserted_id(conn: Connection, statement: Insert) -> int:
    """Run an insert of one row and return the id the database gave it."""
    key = conn.execute(statement).inserted_primary_key
    if key is None:  # only for an executemany or a table without a primary key: a bug here
        raise RuntimeError(f"no primary key returned by {statement}")
    return int(key[0])


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


def _sqlite_setup(engine: Engine, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        if read_only:
            cur.execute("PRAGMA query_only = ON")
        else:
            _set_wal(cur)
            cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        read = read_only or conn.get_execution_options().get(_READ, False)
        conn.exec_driver_sql("BEGIN" if read else "BEGIN IMMEDIATE")


def _sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL (None for another database, or an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _check_file(path: Path, create: bool) -> None:
    """A missing register is an error unless the command creates one; a folder never is one."""
    if path.is_dir():
        raise UserError.single(
            str(path), "is a folder, not a register file", "name the register's .sqlite3 file"
        )
    if path.exists():
        return
    if not path.parent.is_dir():
        raise UserError.single(
            str(path),
            f"cannot be created: the folder {path.parent} does not exist",
            "create the folder first, or check the path given with --db",
        )
    if not create:
        raise UserError.single(
            str(path),
            "no register here (the file does not exist)",
            "check --db (default: register.sqlite3 in the working folder); 'register import' creates "
            "a register, other commands create one only with --create",
        )


def _hint(exc: DatabaseError, sqlite: bool) -> str:
    text = str(exc.orig).lower()
    if "readonly" in text or "read-only" in text or "read only" in text:
        return "the register (or its folder) is read-only: use a writable copy, or only read it (review, history)"
    if "disk is full" in text or "no space" in text:
        return "the disk is full: free some space and run the command again (nothing was half-written)"
    if "locked" in text:
        return (
            f"another program held the register for more than {BUSY_TIMEOUT_S} s: try again when it is done"
        )
    if "not a database" in text:
        return "the file is not an SQLite database: check the path given with --db"
    if sqlite:
        return (
            "check the path, that the folder exists and is writable, and that the file is an SQLite database"
        )
    return "check the URL, that the server is running and that the database exists"


class Register:
    """An open register: ``write()`` and ``read()`` give transactions; ``t`` holds its tables.

    ``create``: a missing SQLite file is created (else it is an error). ``read_only``: nothing is
    written, migrations included.
    """

    def __init__(self, url: str, *, create: bool = False, read_only: bool = False) -> None:
        self.url = url
        self.read_only = read_only
        self.file = _sqlite_file(url) if url.startswith("sqlite") else None
        self.name = str(self.file) if self.file is not None else url
        if self.file is not None:
            _check_file(self.file, create and not read_only)
        try:
            self._open(immutable=False)
        except UserError:
            if not (
                read_only
                and self.file is not None
                and not os.access(
                    self.file.parent, os.W_OK, effective_ids=os.access in os.supports_effective_ids
                )
            ):
                raise
            # A WAL register in a read-only folder without its -shm file cannot be opened even with
            # mode=ro (SQLite would create the -shm). No writer can be at work where no file can be
            # created: read it as immutable.
            self._open(immutable=True)

    def _open(self, immutable: bool) -> None:
        try:
            self.engine = create_engine(self._engine_url(immutable), **self._engine_options())
        except (ArgumentError, NoDriver, ImportError) as exc:
            raise UserError.single(
                "--db-url",
                f"cannot use database URL {self.url!r}: {exc}",
                "write e.g. sqlite:///register.sqlite3 or postgresql+psycopg://user@host/dbname "
                "(PostgreSQL needs its driver: .venv/bin/pip install -e '.[postgres]')",
            ) from None
        sqlite = self.engine.dialect.name == "sqlite"
        if sqlite:
            _sqlite_setup(self.engine, self.read_only)
        try:
            self._check_own()
            if self.read_only:
                self.applied: list[int] = []
                self._check_current()
            else:
                self.applied = migrate(self.engine, url=self.name)
            md = MetaData()
            md.reflect(bind=self.engine, only=TABLES)
        except DatabaseError as exc:
            self.engine.dispose()
            raise UserError.single(
                self.name, f"cannot open the register: {exc.orig}", _hint(exc, sqlite)
            ) from None
        except BaseException:
            self.engine.dispose()
            raise
        self.t: dict[str, Table] = dict(md.tables)

    def _engine_url(self, immutable: bool = False) -> str:
        if self.file is not None and self.read_only:
            mode = "immutable=1" if immutable else "mode=ro"
            return f"sqlite:///file:{self.file.resolve()}?{mode}&uri=true"
        return self.url

    def _engine_options(self) -> dict[str, Any]:
        if self.url.startswith("sqlite"):
            return {"connect_args": {"timeout": BUSY_TIMEOUT_S}}
        options: dict[str, Any] = {"pool_pre_ping": True}
        if self.read_only and self.url.startswith("postgresql"):
            options["connect_args"] = {"options": "-c default_transaction_read_only=on"}
        return options

    def _check_own(self) -> None:
        """Refuse a database that holds tables but was never a register (another program's)."""
        with self.engine.connect() as conn:
            names = inspect(conn).get_table_names()
        if names and VERSIONS_TABLE not in names:
            shown = ", ".join(sorted(names)[:5]) + (", …" if len(names) > 5 else "")
            raise UserError.single(
                self.name,
                f"is not a register: it holds another program's tables ({shown}) and no {VERSIONS_TABLE}",
                "name the register with --db (a new file is created by 'register import')",
            )
        if not names and self.read_only:
            raise UserError.single(
                self.name, "holds no register yet (no tables)", "import evaluations first: register import"
            )

    def _check_current(self) -> None:
        version = current_version(self.engine)
        if version < LATEST:
            raise UserError.single(
                self.name,
                f"the register is at schema version {version}, older than this program's ({LATEST}), "
                "and this command only reads",
                "upgrade it by running a command that writes (e.g. register import), then run this again",
            )

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction: committed when the block ends, rolled back on any error."""
        if self.read_only:
            raise UserError.single(self.name, "was opened read-only", "a bug: report it")
        try:
            with self.engine.begin() as conn:
                yield conn
        except IntegrityError:
            raise  # the store retries a batch that raced another writer
        except DatabaseError as exc:
            raise UserError.single(
                self.name, f"cannot write the register: {exc.orig}", _hint(exc, self.file is not None)
            ) from None

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """One read transaction: a consistent snapshot, never blocking writers (WAL)."""
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(**{_READ: True})
                with conn.begin():
                    yield conn
        except DatabaseError as exc:
            raise UserError.single(
                self.name, f"cannot read the register: {exc.orig}", _hint(exc, self.file is not None)
            ) from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
