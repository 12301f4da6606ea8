from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.web.support import add_users, live_server

MAX_ROWS = 40


@dataclass(frozen=True)
class Server:
    url: str
    db: Path
    tmp: Path  # the server's TMPDIR: its private upload folder is made in it


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One real server for the web tests (limits: 1 MB and 40 communes per upload), with three users."""
    db = tmp_path_factory.mktemp("web") / "register.sqlite3"
    tmp = tmp_path_factory.mktemp("web-server-tmp")
    add_users(db, [("duyet", "approver"), ("tham", "appraiser"), ("xem", "viewer")])
    with live_server(
        db, "--max-upload-mb", "1", "--max-rows", str(MAX_ROWS), env={"TMPDIR": str(tmp)}
    ) as url:
        yield Server(url, db, tmp)
