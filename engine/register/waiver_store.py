"""Waivers kept in the register: add, revoke, list (see :mod:`engine.register.waivers` for their meaning)."""

from __future__ import annotations

import datetime as dt
import difflib

from sqlalchemy import select
from sqlalchemy.engine import Connection

from engine.errors import Diagnostic, UserError
from engine.inputs.loader import available_sets
from engine.register.db import Register, inserted_id
from engine.register.waivers import Waiver


def _row_to_waiver(r: object) -> Waiver:
    return Waiver(
        id=r.id,  # type: ignore[attr-defined]
        commune=r.commune_code,  # type: ignore[attr-defined]
        indicator=r.indicator_id,  # type: ignore[attr-defined]
        reason=r.reason,  # type: ignore[attr-defined]
        approver=r.approver,  # type: ignore[attr-defined]
        granted_on=r.granted_on,  # type: ignore[attr-defined]
        expires_on=r.expires_on,  # type: ignore[attr-defined]
        revoked_on=r.revoked_on,  # type: ignore[attr-defined]
    )


def all_waivers(reg: Register, conn: Connection, communes: list[str] | None = None) -> list[Waiver]:
    w = reg.t["waivers"]
    q = select(w).order_by(w.c.commune_code, w.c.indicator_id, w.c.granted_on)
    if communes is not None:
        q = q.where(w.c.commune_code.in_(communes))
    return [_row_to_waiver(r) for r in conn.execute(q)]


def list_waivers(reg: Register, communes: list[str] | None = None) -> list[Waiver]:
    with reg.read() as conn:
        return all_waivers(reg, conn, communes)


def check_waiver(reg: Register, waiver: Waiver) -> list[Diagnostic]:
    """What is wrong with ``waiver`` before it is stored: a commune the register does not know, or
    an indicator that no criteria set in force in the waiver's years has."""
    problems: list[Diagnostic] = []
    c = reg.t["communes"]
    with reg.read() as conn:
        known = conn.execute(select(c.c.code).where(c.c.code == waiver.commune)).first() is not None
        codes = [] if known else list(conn.execute(select(c.c.code)).scalars())
    if not known:
        close = difflib.get_close_matches(waiver.commune, codes, n=3)
        problems.append(
            Diagnostic(
                "COMMUNE",
                f"the register has no commune {waiver.commune!r}",
                (f"did you mean {', '.join(close)}? " if close else "")
                + "import the commune's facts first (register import), then record its waiver",
            )
        )
    years = range(waiver.granted_on.year, waiver.expires_on.year + 1)
    sets = [s for s in available_sets().values() if any(s.effective.covers(y) for y in years)]
    ids = {i.id for s in sets for _, i in s.indicators()}
    if waiver.indicator not in ids:
        names = ", ".join(s.id for s in sets) or "none"
        close = difflib.get_close_matches(waiver.indicator, sorted(ids), n=3)
        problems.append(
            Diagnostic(
                "INDICATOR",
                f"no criteria set in force from {years[0]} to {years[-1]} ({names}) has an indicator {waiver.indicator!r}",
                (f"did you mean {', '.join(close)}? " if close else "")
                + "see the indicators with: criteria show ID",
            )
        )
    return problems


def add_waiver(reg: Register, waiver: Waiver, actor: str) -> tuple[Waiver, bool]:
    """Store ``waiver``; (stored waiver, False) when the same one is already there (idempotent)."""
    w = reg.t["waivers"]
    with reg.write() as conn:
        same = conn.execute(
            select(w).where(
                w.c.commune_code == waiver.commune,
                w.c.indicator_id == waiver.indicator,
                w.c.granted_on == waiver.granted_on,
            )
        ).first()
        if same is not None:
            existing = _row_to_waiver(same)
            if existing.model_copy(update={"id": None}) != waiver.model_copy(update={"id": None}):
                raise UserError.single(
                    "register waive",
                    f"a different waiver of {waiver.indicator} for {waiver.commune} granted on "
                    f"{waiver.granted_on} is already recorded (id {existing.id})",
                    "revoke it first (register waive --revoke ID) or give another --granted date",
                )
            return existing, False
        new_id = inserted_id(
            conn,
            w.insert().values(
                commune_code=waiver.commune,
                indicator_id=waiver.indicator,
                reason=waiver.reason,
                approver=waiver.approver,
                granted_on=waiver.granted_on,
                expires_on=waiver.expires_on,
                revoked_on=waiver.revoked_on,
                recorded_by=actor,
                recorded_at=dt.datetime.now(dt.timezone.utc),
            ),
        )
        return waiver.model_copy(update={"id": new_id}), True


def revoke_waiver(reg: Register, waiver_id: int, on: dt.date) -> Waiver:
    w = reg.t["waivers"]
    with reg.write() as conn:
        row = conn.execute(select(w).where(w.c.id == waiver_id)).first()
        if row is None:
            raise UserError.single(
                "--revoke", f"no waiver with id {waiver_id}", "list them with: register waivers"
            )
        conn.execute(w.update().where(w.c.id == waiver_id).values(revoked_on=on))
        return _row_to_waiver(row).model_copy(update={"revoked_on": on})
