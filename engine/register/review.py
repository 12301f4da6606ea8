"""The annual review of one year, computed from the register (pure reading; renders elsewhere).

- decisions by type (recorded ones; the proposals when none is recorded yet, flagged as such);
- communes holding the title after the year's decisions, as a share of the communes evaluated that
  year (urban / rural), against the plan targets of the area;
- regressions: indicators whose status got worse since the evaluation behind each commune's last
  recognition (matched by indicator id under the same criteria set, by the fact they read across
  sets);
- titles expiring next year, and waivers in force, expired, and expiring next year.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from engine.i18n import Message
from engine.inputs.plan_models import Plan, Target, same_place
from engine.inputs.plans import plans_for
from engine.register.db import Register
from engine.register.decisions import Proposal, latest_evaluations, proposals_in, title_before
from engine.register.waiver_store import all_waivers
from engine.register.waivers import Waiver, expired, expiring_in, reference_date

_RANK = {"pass": 3, "partial": 2, "fail": 1, "missing": 0}


@dataclass(frozen=True)
class Regression:
    commune: str
    name: str
    indicator: str
    fact: str
    before: str
    now: str
    since_year: int
    waived: bool


@dataclass(frozen=True)
class TargetCheck:
    plan: str
    target: str
    title: Any  # Text
    comparator: str
    value: float
    due_year: int
    actual: float
    met: bool
    note: Message | None = None


@dataclass
class Review:
    year: int
    recorded: bool
    counts: dict[str, int]
    proposals: list[Proposal]
    evaluated: dict[str, int]  # by area, plus 'total'
    recognised: dict[str, int]
    draft_evaluations: int
    regressions: list[Regression] = field(default_factory=list)
    expiring: list[tuple[str, str, dt.date]] = field(default_factory=list)
    waivers_in_force: list[Waiver] = field(default_factory=list)
    waivers_expired: list[Waiver] = field(default_factory=list)
    waivers_expiring: list[Waiver] = field(default_factory=list)
    targets: list[TargetCheck] = field(default_factory=list)
    plans_note: Message | None = None

    def share(self, area: str = "total") -> float | None:
        n = self.evaluated.get(area, 0)
        return 100.0 * self.recognised.get(area, 0) / n if n else None


def _regressions(reg: Register, conn: Any, year: int, evals: dict[str, Any]) -> list[Regression]:
    d, ind = reg.t["decisions"], reg.t["evaluation_indicators"]
    ev = reg.t["evaluations"]
    out: list[Regression] = []
    for code, e in evals.items():
        if not title_before(reg, conn, code, year).recognised:
            continue  # only communes holding the title when the year began
        rec = conn.execute(
            select(d.c.year, d.c.evaluation_id)
            .where(d.c.commune_code == code, d.c.year < year, d.c.kind.in_(("new", "re_recognised")))
            .order_by(d.c.year.desc())
            .limit(1)
        ).first()
        if rec is None or rec.evaluation_id is None:
            continue
        then_set = conn.execute(select(ev.c.criteria_set_id).where(ev.c.id == rec.evaluation_id)).scalar()
        same_set = then_set == e.criteria_set_id
        before = {
            r.indicator_id: r
            for r in conn.execute(select(ind).where(ind.c.evaluation_id == rec.evaluation_id))
        }
        by_fact = {r.fact: r for r in before.values()}
        for r in conn.execute(select(ind).where(ind.c.evaluation_id == e.id).order_by(ind.c.indicator_id)):
            old = before.get(r.indicator_id) if same_set else by_fact.get(r.fact)
            if old is None or old.status not in _RANK or r.status not in _RANK:
                continue
            if _RANK[r.status] < _RANK[old.status]:
                out.append(
                    Regression(
                        commune=code,
                        name=e.commune_name,
                        indicator=r.indicator_id,
                        fact=r.fact,
                        before=f"{old.indicator_id}:{old.status}",
                        now=r.status,
                        since_year=rec.year,
                        waived=bool(r.waived),
                    )
                )
    return out


@dataclass(frozen=True)
class Member:
    """An evaluated commune of the year, and whether it holds the title after the year's decisions."""

    code: str
    name: str
    province: str
    district: str | None
    holds: bool


_OPS = {
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "eq": lambda a, b: a == b,
}


def _target_check(plan: Plan, tg: Target, members: list[Member]) -> TargetCheck | None:
    """Compare one target measuring recognitions with the register; None for other targets."""
    kind = tg.measure.kind
    if kind not in ("qualifies", "count_qualifying", "share_qualifying"):
        return None
    area = [m for m in members if plan.matches(m.province, m.district, m.name)]
    note = None
    if tg.measure.communes:
        named = [[m for m in area if same_place(n, m.name)] for n in tg.measure.communes]
        absent = [n for n, found in zip(tg.measure.communes, named, strict=True) if not found]
        if absent:
            names = ", ".join(absent)
            note = Message("register.not_in_register", names=names)
        held = sum(1 for found in named if any(m.holds for m in found))
        actual = float(held == len(named)) if kind == "qualifies" else float(held)
    elif kind == "count_qualifying":
        actual = float(sum(m.holds for m in area))
    else:
        actual = 100.0 * sum(m.holds for m in area) / len(area) if area else 0.0
    total = plan.scope.communes_total
    if not tg.measure.communes and total and len(area) < total:
        note = Message("register.register_holds", n=len(area), total=total)
    return TargetCheck(
        plan=plan.id,
        target=tg.id,
        title=tg.title,
        comparator=tg.comparator,
        value=float(tg.value),
        due_year=tg.due_year,
        actual=round(actual, 2),
        met=_OPS[tg.comparator](actual, float(tg.value)) and note is None,
        note=note,
    )


def _targets(year: int, members: list[Member]) -> tuple[list[TargetCheck], Message | None]:
    places = sorted({(m.province, m.district) for m in members}, key=lambda p: (p[0], p[1] or ""))
    try:
        found = {p.id: p for province, district in places for p in plans_for(province, district, year)}
    except Exception as exc:  # a broken plan file must not hide the rest of the review
        return [], Message("register.targets_not_compared", error=str(exc))
    checks = [c for plan in found.values() for tg in plan.targets if (c := _target_check(plan, tg, members))]
    return checks, None if found else Message("register.no_plan")


def review(reg: Register, year: int) -> Review:
    with reg.read() as conn:
        evals = latest_evaluations(reg, conn, year)
        d = reg.t["decisions"]
        recorded_rows = conn.execute(select(d).where(d.c.year == year)).all()
        proposals = proposals_in(reg, conn, year, dt.date(year, 12, 31), with_unevaluated=True)
        recorded = bool(recorded_rows)
        counts: dict[str, int] = {}
        if recorded:
            for r in recorded_rows:
                counts[r.kind] = counts.get(r.kind, 0) + 1
        else:
            for p in proposals:
                if p.kind:
                    counts[p.kind] = counts.get(p.kind, 0) + 1
        c = reg.t["communes"]
        areas = dict(conn.execute(select(c.c.code, c.c.area)).all())
        evaluated = {"total": len(evals)}
        recognised = {"total": 0}
        expiring: list[tuple[str, str, dt.date]] = []
        for code in evals:
            area = areas.get(code, "rural")
            evaluated[area] = evaluated.get(area, 0) + 1
        holders = {p.commune: p for p in proposals}
        members: list[Member] = []
        for code in sorted(set(evals) | set(holders)):
            if recorded:
                title = title_before(reg, conn, code, year + 1)
                holds, until = title.recognised, title.valid_until
            else:
                held = holders.get(code)
                holds = held is not None and (
                    held.kind in ("new", "maintained", "re_recognised")
                    or (held.kind is None and held.title_before.recognised)
                )
                until = held.valid_until if held else None
            if code in evals:
                e = evals[code]
                who = json.loads(e.facts_json)["commune"]  # the identity of that year, not today's
                members.append(Member(code, e.commune_name, who["province"], who.get("district"), holds))
            if holds and code in evals:
                area = areas.get(code, "rural")
                recognised["total"] += 1
                recognised[area] = recognised.get(area, 0) + 1
            if holds and until is not None and until.year == year + 1:
                name = evals[code].commune_name if code in evals else holders[code].name
                expiring.append((code, name, until))
        regressions = _regressions(reg, conn, year, evals)
        waivers = all_waivers(reg, conn)
    out = Review(
        year=year,
        recorded=recorded,
        counts=counts,
        proposals=proposals,
        evaluated=evaluated,
        recognised=recognised,
        draft_evaluations=sum(1 for e in evals.values() if e.draft_indicators),
        regressions=regressions,
        expiring=expiring,
        waivers_in_force=[w for w in waivers if w.covers_year(year)],
        waivers_expired=expired(waivers, reference_date(year)),
        waivers_expiring=expiring_in(waivers, year + 1),
    )
    out.targets, out.plans_note = _targets(year, members)
    return out
