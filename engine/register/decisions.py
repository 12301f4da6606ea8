"""Proposing a year's recognition decisions from the register, and recording them with an audit trail.

Proposals are computed from the latest evaluation of each commune for the year and the title it held
at the start of the year (:mod:`.rules`). Recording (``apply``) writes all of the year's decisions in
one transaction; every decision created, changed or deleted leaves an audit row saying who, when,
and the old and new values.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from engine.i18n import Message
from engine.inputs.criteria import Text
from engine.register.db import Register, inserted_id
from engine.register.migrations import serialize
from engine.register.rules import DecisionKind, Title, decide, title_at
from engine.register.store import canonical_json


class Proposal(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    commune: str
    name: str
    year: int
    kind: DecisionKind | None
    reason: Message
    title_before: Title
    evaluation_id: int | None
    qualified: bool | None
    total_score: float | None
    criteria_set_id: str | None
    draft_indicators: int
    waived: list[str]
    verdict_reasons: list[Text] = []  # as stored with the evaluation, in both languages
    recognised_year: int | None
    valid_until: dt.date | None
    merged_into: str | None = None
    recorded_kind: str | None = None


def latest_evaluations(reg: Register, conn: Connection, year: int) -> dict[str, Any]:
    """The latest evaluation of each commune for ``year`` (the last imported counts)."""
    ev = reg.t["evaluations"]
    last = (
        select(ev.c.commune_code, func.max(ev.c.id).label("id"))
        .where(ev.c.year == year)
        .group_by(ev.c.commune_code)
        .subquery()
    )
    rows = conn.execute(select(ev).join(last, ev.c.id == last.c.id).order_by(ev.c.commune_code)).all()
    return {r.commune_code: r for r in rows}


def title_before(reg: Register, conn: Connection, code: str, year: int) -> Title:
    d = reg.t["decisions"]
    row = conn.execute(
        select(d).where(d.c.commune_code == code, d.c.year < year).order_by(d.c.year.desc()).limit(1)
    ).first()
    if row is None:
        return title_at(year, None, None, None, None)
    return title_at(year, row.kind, row.year, row.recognised_year, row.valid_until)


def holders_at(reg: Register, conn: Connection, year: int) -> list[str]:
    """Codes of communes whose last decision before ``year`` is not a withdrawal."""
    d = reg.t["decisions"]
    last = (
        select(d.c.commune_code, func.max(d.c.year).label("year"))
        .where(d.c.year < year)
        .group_by(d.c.commune_code)
        .subquery()
    )
    rows = conn.execute(
        select(d.c.commune_code)
        .join(last, (d.c.commune_code == last.c.commune_code) & (d.c.year == last.c.year))
        .where(d.c.kind != "withdrawn")
    ).scalars()
    return sorted(rows)


def propose(reg: Register, year: int, decision_date: dt.date | None = None) -> list[Proposal]:
    """The proposed decision of every commune evaluated in ``year`` or holding a title then."""
    with reg.read() as conn:
        return proposals_in(reg, conn, year, decision_date or dt.date(year, 12, 31), with_unevaluated=True)


@dataclass
class ApplySummary:
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    later_years: list[int] = field(default_factory=list)
    undecided_years: list[int] = field(default_factory=list)  # evaluated earlier, nothing recorded


_AUDITED = ("kind", "decision_number", "decision_date", "recognised_year", "valid_until", "evaluation_id")


def _snapshot(row: Any) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, dt.date) else v) for k, v in row.items() if k in _AUDITED}


def apply(
    reg: Register,
    year: int,
    number: str,
    decision_date: dt.date,
    actor: str,
    reason: str | None = None,
) -> tuple[list[Proposal], ApplySummary]:
    """Record the year's proposals as decisions ``number`` of ``decision_date``, in one transaction.

    Re-applying the same decisions changes nothing; a different outcome (for example after corrected
    facts were imported) updates the decision and leaves an audit row with the old and new values.
    """
    summary = ApplySummary()
    now = dt.datetime.now(dt.timezone.utc)
    d, audit = reg.t["decisions"], reg.t["decision_audit"]
    with reg.write() as conn:
        serialize(conn)
        # Proposals are recomputed inside the write transaction: nobody can change them meanwhile.
        proposals = proposals_in(reg, conn, year, decision_date)
        summary.later_years = sorted(
            set(conn.execute(select(d.c.year).where(d.c.year > year).distinct()).scalars())
        )
        ev = reg.t["evaluations"]
        evaluated = set(conn.execute(select(ev.c.year).where(ev.c.year < year).distinct()).scalars())
        decided = set(conn.execute(select(d.c.year).where(d.c.year < year).distinct()).scalars())
        summary.undecided_years = sorted(evaluated - decided)
        for p in proposals:
            old = conn.execute(select(d).where(d.c.commune_code == p.commune, d.c.year == year)).first()
            new = {
                "kind": p.kind,
                "decision_number": number,
                "decision_date": decision_date,
                "recognised_year": p.recognised_year,
                "valid_until": p.valid_until,
                "evaluation_id": p.evaluation_id,
            }
            old_snap = _snapshot(old._mapping) if old is not None else None
            if p.kind is None and old is None:
                continue
            if p.kind is None:
                assert old is not None  # the case of neither was skipped above
                conn.execute(d.delete().where(d.c.id == old.id))
                action, dec_id, new_snap = "delete", old.id, None
                summary.deleted.append(p.commune)
            elif old is None:
                dec_id = inserted_id(
                    conn,
                    d.insert().values(
                        commune_code=p.commune,
                        year=year,
                        criteria_set_id=p.criteria_set_id,
                        recorded_by=actor,
                        recorded_at=now,
                        **new,
                    ),
                )
                action, new_snap = "create", _snapshot(new)
                summary.created.append(p.commune)
            else:
                new_snap = _snapshot(new)
                if new_snap == old_snap:
                    summary.unchanged.append(p.commune)
                    continue
                conn.execute(
                    d.update()
                    .where(d.c.id == old.id)
                    .values(criteria_set_id=p.criteria_set_id, recorded_by=actor, recorded_at=now, **new)
                )
                action, dec_id = "change", old.id
                summary.changed.append(p.commune)
            conn.execute(
                audit.insert().values(
                    decision_id=dec_id,
                    commune_code=p.commune,
                    year=year,
                    action=action,
                    old_json=canonical_json(old_snap) if old_snap is not None else None,
                    new_json=canonical_json(new_snap) if new_snap is not None else None,
                    actor=actor,
                    at=now,
                    reason=reason,
                )
            )
    return proposals, summary


def proposals_in(
    reg: Register, conn: Connection, year: int, when: dt.date, with_unevaluated: bool = False
) -> list[Proposal]:
    evals = latest_evaluations(reg, conn, year)
    communes, d = reg.t["communes"], reg.t["decisions"]
    names = dict(conn.execute(select(communes.c.code, communes.c.name)).all())
    recorded = dict(conn.execute(select(d.c.commune_code, d.c.kind).where(d.c.year == year)).all())
    s = reg.t["commune_successions"]
    merged_into = {
        old: (new, since)
        for new, old, since in conn.execute(
            select(s.c.successor_code, s.c.predecessor_code, s.c.since_year).where(s.c.since_year <= year)
        )
    }
    out = []
    for code in sorted(set(evals) | set(holders_at(reg, conn, year))):
        e = evals.get(code)
        if e is None and not with_unevaluated:
            continue  # not evaluated this year: nothing to record
        title = title_before(reg, conn, code, year)
        qualified = None if e is None else bool(e.qualified)
        o = decide(title, qualified, year, when, e.validity_years if e is not None else 3)
        if e is None and code in merged_into:
            new, since = merged_into[code]
            o = o.model_copy(update={"reason": Message("register.merged", successor=new, since=since)})
        out.append(
            Proposal(
                commune=code,
                name=e.commune_name if e is not None else names.get(code, code),
                year=year,
                kind=o.kind,
                reason=o.reason,
                title_before=title,
                evaluation_id=None if e is None else e.id,
                qualified=qualified,
                total_score=None if e is None else e.total_score,
                criteria_set_id=None if e is None else e.criteria_set_id,
                draft_indicators=0 if e is None else e.draft_indicators,
                waived=[] if e is None else json.loads(e.waived_json),
                verdict_reasons=[] if e is None else [Text(**x) for x in json.loads(e.reasons_json)],
                recognised_year=o.recognised_year,
                valid_until=o.valid_until,
                merged_into=merged_into.get(code, (None,))[0],
                recorded_kind=recorded.get(code),
            )
        )
    return out
