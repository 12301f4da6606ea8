"""A commune's record over the years: its evaluations, decisions, audit trail, waivers and code history.

After the 2025 mergers a commune may succeed several older ones (``successor_of`` in its fact file).
The history of a successor includes its predecessors' records, each labelled with the code it was
made under; the history of a predecessor names the commune that succeeded it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from engine.errors import UserError
from engine.register.db import Register
from engine.register.waiver_store import all_waivers
from engine.register.waivers import Waiver


@dataclass(frozen=True)
class CommuneHistory:
    code: str
    name: str
    province: str
    district: str | None
    predecessors: list[tuple[str, int]]  # (code, since year)
    successors: list[tuple[str, int]]
    evaluations: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)
    waivers: list[Waiver] = field(default_factory=list)


def _lineage(conn: Any, s: Any, code: str) -> list[str]:
    """``code`` and, transitively, every commune it succeeded."""
    seen, todo = [code], [code]
    while todo:
        cur = todo.pop()
        for (old,) in conn.execute(select(s.c.predecessor_code).where(s.c.successor_code == cur)):
            if old not in seen:
                seen.append(old)
                todo.append(old)
    return seen


def history(reg: Register, code: str) -> CommuneHistory:
    t = reg.t
    c, s, ev, d, a = (
        t["communes"],
        t["commune_successions"],
        t["evaluations"],
        t["decisions"],
        t["decision_audit"],
    )
    with reg.read() as conn:
        row = conn.execute(select(c).where(c.c.code == code)).first()
        if row is None:
            near = conn.execute(select(c.c.code, c.c.name).where(c.c.name.ilike(f"%{code}%"))).all()
            hint = (
                "did you mean: " + ", ".join(f"{k} ({n})" for k, n in near[:5])
                if near
                else "give the administrative code as in the fact file's commune.code"
            )
            raise UserError.single("COMMUNE", f"no commune with code {code!r} in the register", hint)
        codes = _lineage(conn, s, code)
        preds = [
            (p, y)
            for p, y in conn.execute(
                select(s.c.predecessor_code, s.c.since_year).where(s.c.successor_code.in_(codes))
            )
        ]
        succs = [
            (p, y)
            for p, y in conn.execute(
                select(s.c.successor_code, s.c.since_year).where(s.c.predecessor_code == code)
            )
        ]
        evals = [
            {
                "id": r.id,
                "code": r.commune_code,
                "name": r.commune_name,
                "year": r.year,
                "criteria_set": r.criteria_set_id,
                "criteria_hash": r.criteria_set_hash,
                "decision": r.criteria_decision,
                "draft_indicators": r.draft_indicators,
                "total_indicators": r.total_indicators,
                "score": r.total_score,
                "max": r.max_score,
                "qualified": bool(r.qualified),
                "reasons": json.loads(r.reasons_json),
                "waived": json.loads(r.waived_json),
                "appraiser": r.appraiser,
                "imported_at": r.imported_at.isoformat(timespec="seconds"),
                "source_file": r.source_file,
            }
            for r in conn.execute(select(ev).where(ev.c.commune_code.in_(codes)).order_by(ev.c.year, ev.c.id))
        ]
        decisions = [
            {
                "code": r.commune_code,
                "year": r.year,
                "kind": r.kind,
                "number": r.decision_number,
                "date": r.decision_date.isoformat(),
                "recognised_year": r.recognised_year,
                "valid_until": r.valid_until.isoformat() if r.valid_until else None,
                "criteria_set": r.criteria_set_id,
                "recorded_by": r.recorded_by,
            }
            for r in conn.execute(select(d).where(d.c.commune_code.in_(codes)).order_by(d.c.year))
        ]
        audit = [
            {
                "code": r.commune_code,
                "year": r.year,
                "action": r.action,
                "old": json.loads(r.old_json) if r.old_json else None,
                "new": json.loads(r.new_json) if r.new_json else None,
                "actor": r.actor,
                "at": r.at.isoformat(timespec="seconds"),
                "reason": r.reason,
            }
            for r in conn.execute(select(a).where(a.c.commune_code.in_(codes)).order_by(a.c.id))
        ]
        waivers = all_waivers(reg, conn, codes)
    return CommuneHistory(
        code=row.code,
        name=row.name,
        province=row.province,
        district=row.district,
        predecessors=sorted(preds),
        successors=sorted(succs),
        evaluations=evals,
        decisions=decisions,
        audit=audit,
        waivers=waivers,
    )
