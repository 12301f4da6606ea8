"""Fixtures of the register's tests: every test that takes ``backend`` runs on SQLite and on a real
PostgreSQL server (``pytest -k postgres`` runs the PostgreSQL half alone)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.register.backends import Backend, PostgresServer


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL server for the session, started on first use."""
    server = PostgresServer.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """A new, empty register database: an SQLite file (not created yet) or a PostgreSQL database."""
    if request.param == "sqlite":
        db = tmp_path / "register.sqlite3"
        return Backend("sqlite", f"sqlite:///{db}", db)
    server: PostgresServer = request.getfixturevalue("postgres")
    return Backend("postgres", server.new_database())
