"""People who sign in to the web application, and which of them made each write.

Users live in the register database (migration 3): a name, a role and an argon2id hash of the
password (argon2-cffi: its own random salt per hash, parameters stored in the hash). Roles are
ordered: ``viewer`` reads the register, ``appraiser`` also stores evaluations in it, ``approver``
also records decisions and waivers.

Signing in is limited: after ``MAX_FAILURES`` failed attempts for one name, or
``MAX_CLIENT_FAILURES`` from one client address, within ``FAILURE_WINDOW``, every attempt is refused (without checking the password) until the
window has passed. Failures are rows in the database, so the limit holds across restarts and
processes. Every write made through the web application leaves a row in ``user_activity`` with the
user's name; the decisions and waivers themselves carry it as their actor too.
"""

from __future__ import annotations

import builtins
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import MetaData, Table, delete, func, or_, select
from sqlalchemy.engine import Connection

from engine.errors import UserError
from engine.register.db import Register
from engine.register.store import canonical_json

Role = Literal["viewer", "appraiser", "approver"]
ROLES: tuple[Role, ...] = ("viewer", "appraiser", "approver")
MAX_FAILURES = 5  # per user name
MAX_CLIENT_FAILURES = 15  # per client address (an office behind one address is not locked out by one typo)
FAILURE_WINDOW = dt.timedelta(minutes=15)
MIN_PASSWORD = 10
NAME_PATTERN = re.compile(r"^[\w.@-]{2,100}$")
_TABLES = ("users", "sign_in_failures", "user_activity")


@dataclass(frozen=True)
class User:
    name: str
    role: Role

    def may(self, role: Role) -> bool:
        """Whether this user's role is ``role`` or above it."""
        return ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt: the user, or why not (``wrong`` or ``locked``)."""

    user: User | None
    refused: Literal["wrong", "locked"] | None = None


def _tables(reg: Register) -> dict[str, Table]:
    md = MetaData()
    md.reflect(bind=reg.engine, only=_TABLES)
    return dict(md.tables)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Users:
    """The users of one open register (tables read once)."""

    def __init__(self, reg: Register, hasher: PasswordHasher | None = None) -> None:
        self.reg = reg
        self.t = _tables(reg)
        self.hasher = hasher or PasswordHasher()

    # --- accounts -------------------------------------------------------------------------------

    def count(self) -> int:
        with self.reg.read() as conn:
            return int(conn.execute(select(func.count()).select_from(self.t["users"])).scalar() or 0)

    def list(self) -> list[User]:
        u = self.t["users"]
        with self.reg.read() as conn:
            return [User(r.name, r.role) for r in conn.execute(select(u).order_by(u.c.name))]

    def get(self, name: str) -> User | None:
        u = self.t["users"]
        with self.reg.read() as conn:
            row = conn.execute(select(u).where(u.c.name == name)).first()
        return None if row is None else User(row.name, row.role)

    def add(self, name: str, role: str, password: str, created_by: str) -> User:
        problems = []
        if not NAME_PATTERN.match(name):
            problems.append("a user name is 2-100 letters, digits, '.', '_', '-' or '@'")
        if role not in ROLES:
            problems.append(f"the role is one of {', '.join(ROLES)}")
        if len(password) < MIN_PASSWORD:
            problems.append(f"the password has at least {MIN_PASSWORD} characters")
        if problems:
            raise UserError.single("users add", "; ".join(problems), "e.g. users add lan --role approver")
        u = self.t["users"]
        digest = self.hasher.hash(password)
        with self.reg.write() as conn:
            if conn.execute(select(u.c.name).where(u.c.name == name)).first() is not None:
                raise UserError.single(
                    "users add", f"user {name!r} already exists", "choose another name, or remove it first"
                )
            conn.execute(
                u.insert().values(
                    name=name, role=role, password_hash=digest, created_at=_now(), created_by=created_by
                )
            )
            self._log(conn, created_by, "user_add", {"name": name, "role": role}, None)
        return User(name, role)  # type: ignore[arg-type]

    def remove(self, name: str, removed_by: str) -> None:
        u = self.t["users"]
        with self.reg.write() as conn:
            gone = conn.execute(u.delete().where(u.c.name == name)).rowcount
            if not gone:
                raise UserError.single("users remove", f"no user {name!r}", "list them with: users list")
            self._log(conn, removed_by, "user_remove", {"name": name}, None)

    # --- signing in -----------------------------------------------------------------------------

    def locked(self, name: str, client: str) -> bool:
        f = self.t["sign_in_failures"]
        since = _now() - FAILURE_WINDOW
        with self.reg.read() as conn:
            by_name = conn.execute(
                select(func.count()).where(f.c.name == name, f.c.at > since).select_from(f)
            ).scalar()
            by_client = conn.execute(
                select(func.count()).where(f.c.client == client, f.c.at > since).select_from(f)
            ).scalar()
        return int(by_name or 0) >= MAX_FAILURES or int(by_client or 0) >= MAX_CLIENT_FAILURES

    def sign_in(self, name: str, password: str, client: str) -> SignIn:
        """Check a password under the failed-sign-in limit; failures and successes are recorded."""
        if self.locked(name, client):
            return SignIn(None, "locked")
        u, f = self.t["users"], self.t["sign_in_failures"]
        with self.reg.read() as conn:
            row = conn.execute(select(u).where(u.c.name == name)).first()
        ok = False
        if row is not None:
            try:
                ok = self.hasher.verify(row.password_hash, password)
            except (VerificationError, InvalidHashError):
                ok = False
        else:
            # The same work for an unknown name: timing does not tell which names exist.
            self.hasher.hash(password)
        with self.reg.write() as conn:
            if not ok or row is None:
                conn.execute(f.insert().values(name=name[:100], client=client[:100], at=_now()))
                return SignIn(None, "wrong")
            conn.execute(delete(f).where(or_(f.c.name == name, f.c.at < _now() - FAILURE_WINDOW)))
            self._log(conn, name, "sign_in", {}, client)
            if self.hasher.check_needs_rehash(row.password_hash):
                conn.execute(
                    u.update().where(u.c.name == name).values(password_hash=self.hasher.hash(password))
                )
        return SignIn(User(row.name, row.role))

    # --- activity -------------------------------------------------------------------------------

    def _log(
        self, conn: Connection, user: str, action: str, detail: dict[str, Any], client: str | None
    ) -> None:
        conn.execute(
            self.t["user_activity"]
            .insert()
            .values(
                at=_now(), user_name=user, action=action, detail_json=canonical_json(detail), client=client
            )
        )

    def log(self, user: str, action: str, detail: dict[str, Any], client: str | None = None) -> None:
        """Record that ``user`` did ``action`` (a write made through the web application)."""
        with self.reg.write() as conn:
            self._log(conn, user, action, detail, client)

    def activity(self, limit: int = 50) -> builtins.list[dict[str, Any]]:  # `list` is a method here
        a = self.t["user_activity"]
        with self.reg.read() as conn:
            rows = conn.execute(select(a).order_by(a.c.id.desc()).limit(limit))
            return [dict(r._mapping) for r in rows]
