"""Web users in the register: argon2 hashes, roles, the failed sign-in limit, the activity log."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from cli import main
from engine.errors import UserError
from engine.register.db import Register
from engine.register.users import MAX_CLIENT_FAILURES, MAX_FAILURES, Users
from tests.register.support import url


@pytest.fixture
def users(tmp_path: Path):
    reg = Register(url(tmp_path / "r.sqlite3"), create=True)
    yield Users(reg)
    reg.close()


def test_passwords_are_stored_as_argon2_hashes_and_checked(users: Users, tmp_path: Path):
    users.add("lan", "approver", "mot-hai-ba-bon-nam", "test")
    row = sqlite3.connect(tmp_path / "r.sqlite3").execute("SELECT password_hash FROM users").fetchone()[0]
    assert row.startswith("$argon2id$") and "mot-hai" not in row
    assert users.sign_in("lan", "mot-hai-ba-bon-nam", "1.2.3.4").user.role == "approver"  # type: ignore[union-attr]
    assert users.sign_in("lan", "sai", "1.2.3.4").refused == "wrong"
    assert users.sign_in("ai-do", "mot-hai-ba-bon-nam", "1.2.3.4").refused == "wrong"


def test_roles_are_ordered(users: Users):
    users.add("xem", "viewer", "mot-hai-ba-bon-nam", "test")
    u = users.get("xem")
    assert u is not None and u.may("viewer") and not u.may("appraiser") and not u.may("approver")


@pytest.mark.parametrize(
    ("name", "role", "password"),
    [("x", "viewer", "mot-hai-ba-bon"), ("lan", "admin", "mot-hai-ba-bon"), ("lan", "viewer", "ngan")],
)
def test_bad_users_are_refused(users: Users, name: str, role: str, password: str):
    with pytest.raises(UserError):
        users.add(name, role, password, "test")
    assert users.count() == 0


def test_a_name_is_locked_after_failures_even_with_the_right_password(users: Users):
    users.add("lan", "approver", "mot-hai-ba-bon-nam", "test")
    for k in range(MAX_FAILURES):
        assert users.sign_in("lan", f"sai-{k}", f"10.0.0.{k}").refused == "wrong"
    assert users.sign_in("lan", "mot-hai-ba-bon-nam", "10.0.0.99").refused == "locked"


def test_a_client_is_locked_after_failures_across_names(users: Users):
    for k in range(MAX_CLIENT_FAILURES):
        users.sign_in(f"ten-{k}", "sai", "10.9.9.9")
    assert users.sign_in("ten-moi", "sai", "10.9.9.9").refused == "locked"
    assert users.sign_in("ten-moi", "sai", "10.9.9.8").refused == "wrong"


def test_the_users_command_adds_lists_and_removes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    db = str(tmp_path / "r.sqlite3")
    monkeypatch.setattr("sys.stdin", io.StringIO("mot-hai-ba-bon-nam\n"))
    assert main(["users", "add", "lan", "--role", "appraiser", "--password-stdin", "--db", db]) == 0
    assert main(["users", "list", "--db", db, "--lang", "en"]) == 0
    assert "lan\tappraiser" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("ngan\n"))
    assert main(["users", "add", "an", "--role", "viewer", "--password-stdin", "--db", db]) == 2
    assert "at least 10 characters" in capsys.readouterr().err
    assert main(["users", "remove", "lan", "--db", db]) == 0
    assert main(["users", "remove", "lan", "--db", db]) == 2
    con = sqlite3.connect(db)
    assert [r[0] for r in con.execute("SELECT action FROM user_activity ORDER BY id")] == [
        "user_add",
        "user_remove",
    ]
