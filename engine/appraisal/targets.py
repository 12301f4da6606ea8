"""Evaluating plan targets: for one commune, and for an area from its communes' results.

Plain Python over results: every qualification verdict comes from the evaluation (durable_rules);
this module only counts, shares and weighs them against a plan's targets. Missing data is never a
pass: a commune without the fact a condition reads does not meet it, and an area figure computed
without some communes' data is 'incomplete', never 'met'.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from engine.evaluation.results import CommuneResult
from engine.i18n import Message
from engine.inputs.criteria import Text
from engine.inputs.fact_catalogue import catalogue
from engine.inputs.facts import CommuneFacts
from engine.inputs.plan_models import Baseline, Condition, Plan, SourceRef, Target, same_place

TargetStatus = Literal["met", "not_met", "incomplete", "no_data", "not_computable"]
EPS = 1e-9
_PERCENT = Text(vi="%", en="%")
_COMMUNES = Message("appraisal.unit_communes")
_QUALIFIES = Message("appraisal.unit_qualifies")
_NO_UNIT = Message("appraisal.unit_none")


class _R(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TargetResult(_R):
    plan: str
    target: str
    title: Text
    scope: str
    kind: str
    comparator: str
    value: float
    reading: str
    unit: Text | Message  # the plan's own, the fact's, or the engine's (communes, qualifies)
    due_year: int
    year: int
    status: TargetStatus
    observed: float | None
    gap: float | None  # how far from the target, in its unit (positive = short of it)
    overdue: bool  # the assessment year is past the due year and the target is not met
    communes: int = 0  # communes counted (area targets)
    meeting: int | None = None  # communes qualifying / meeting the conditions (area targets)
    needed: int | None = None  # more communes needed to meet the target
    missing: int = 0  # communes without the data the target reads
    baseline: Baseline | None = None
    source: SourceRef
    note: Text | None = None


class PlanResult(_R):
    """One plan's targets evaluated for an area (or for one commune)."""

    plan: str
    title: Text
    area: str
    level: str
    year: int
    communes: int  # communes evaluated in the area
    rejected: int  # input rows/files of the area that could not be evaluated
    communes_total: int | None  # communes in the area per the plan's source
    targets: list[TargetResult]

    @property
    def partial_area(self) -> bool:
        return self.communes_total is not None and self.communes + self.rejected < self.communes_total


def compare(observed: float, comparator: str, value: float) -> bool:
    if comparator == "gte":
        return observed + EPS >= value
    if comparator == "gt":
        return observed > value + EPS
    if comparator == "lte":
        return observed <= value + EPS
    if comparator == "lt":
        return observed + EPS < value
    return abs(observed - value) <= EPS


def share(k: int, n: int) -> float | None:
    """k of n as a percentage (exact; renderers round for display)."""
    return None if n == 0 else 100.0 * k / n


def communes_needed(k: int, n: int, comparator: str, value: float) -> int | None:
    """How many more of n communes must meet (qualify) for k/n to meet a share target.

    111 of 129 against ≥ 92.2 %: 92.2 % of 129 is 118.9, so 119 are needed, 8 more.
    """
    if n == 0:
        return None
    if comparator in ("gte", "eq"):
        required = math.ceil(value * n / 100.0 - EPS)
    elif comparator == "gt":
        required = math.floor(value * n / 100.0 + EPS) + 1
    else:
        return None  # a ceiling on a share is met by fewer communes, never by more
    return max(0, required - k)


def count_needed(k: int, comparator: str, value: float) -> int | None:
    """How many more communes must qualify for a count of k to meet 'at least/more than value'."""
    if comparator in ("gte", "eq"):
        return max(0, math.ceil(value - EPS) - k)
    if comparator == "gt":
        return max(0, math.floor(value + EPS) + 1 - k)
    return None


def _gap(observed: float, comparator: str, value: float) -> float:
    return value - observed if comparator in ("gte", "gt", "eq") else observed - value


def _condition_holds(c: Condition, facts: CommuneFacts) -> bool:
    v = facts.get(c.fact)
    if v is None:
        return False
    if c.comparator == "is_true":
        return v is True
    if c.comparator == "is_false":
        return v is False
    return compare(float(v), c.comparator, float(c.value or 0))


def _unit(t: Target) -> Text | Message:
    if t.unit is not None:
        return t.unit
    kind = t.measure.kind
    if kind in ("share_qualifying", "share_meeting"):
        return _PERCENT
    if kind == "count_qualifying":
        return _COMMUNES
    if kind == "qualifies":
        return _QUALIFIES
    spec = catalogue().get(t.measure.fact or "")
    if spec is None or not spec.unit_vi:
        return _NO_UNIT  # a Text cannot be empty
    return Text(vi=spec.unit_vi, en=spec.unit_en)


def _result(
    t: Target, plan: Plan, year: int, observed: float | None, status: TargetStatus, **kw: Any
) -> TargetResult:
    if status not in ("met", "not_met") or observed is None:
        gap = None
    else:
        gap = None if status == "met" else _gap(observed, t.comparator, t.value)
    return TargetResult(
        plan=plan.id,
        target=t.id,
        title=t.title,
        scope=t.scope,
        kind=t.measure.kind,
        comparator=t.comparator,
        value=t.value,
        reading=t.reading,
        unit=_unit(t),
        due_year=t.due_year,
        year=year,
        status=status,
        observed=observed,
        gap=gap,
        overdue=year > t.due_year and status != "met",
        baseline=t.baseline,
        source=t.source,
        note=t.note,
        **kw,
    )


def _status(observed: float | None, t: Target, missing: int = 0) -> TargetStatus:
    if observed is None:
        return "no_data"
    if compare(observed, t.comparator, t.value):
        return "incomplete" if missing else "met"
    return "not_met"


def applies_to_commune(plan: Plan, t: Target, facts: CommuneFacts) -> bool:
    """Whether a commune- or station-level target applies to this commune."""
    if t.is_area:
        return False
    c = facts.commune
    if t.measure.communes:
        return plan.matches(c.province, c.district, c.name) and any(
            same_place(name, c.name) for name in t.measure.communes
        )
    return plan.scope.level == "commune" and plan.matches(c.province, c.district, c.name)


def commune_targets(plan: Plan, result: CommuneResult, facts: CommuneFacts, year: int) -> list[TargetResult]:
    """The plan's targets that apply to one commune, each met or not, with the gap and due year."""
    out: list[TargetResult] = []
    for t in plan.targets:
        if not applies_to_commune(plan, t, facts):
            continue
        kind = t.measure.kind
        if kind == "statistic":
            out.append(_result(t, plan, year, None, "not_computable"))
        elif kind == "qualifies":
            observed: float | None = 1.0 if result.qualified else 0.0
            out.append(_result(t, plan, year, observed, _status(observed, t)))
        else:
            v = facts.get(t.measure.fact or "")
            observed = None if v is None else float(v)
            out.append(_result(t, plan, year, observed, _status(observed, t)))
    return out


def _area_target(
    plan: Plan, t: Target, members: Sequence[tuple[CommuneResult, CommuneFacts]], rejected: int, year: int
) -> TargetResult:
    m = t.measure
    kind = m.kind
    n = len(members) + rejected  # a rejected row is a commune whose data could not be read: never a pass
    if kind == "statistic":
        return _result(t, plan, year, None, "not_computable", communes=n)
    if kind in ("share_qualifying", "count_qualifying"):
        pool = members
        if m.communes:
            pool = [x for x in members if any(same_place(c, x[1].commune.name) for c in m.communes)]
            n = len(pool)
        k = sum(1 for r, _ in pool if r.qualified)
        if kind == "count_qualifying":
            total = len(m.communes) if m.communes else plan.scope.communes_total
            missing = max(0, total - n) if total else 0  # communes of the area not in the data
            needed = count_needed(k, t.comparator, t.value)
            observed: float | None = float(k)
            status = _status(observed, t)
            if status == "not_met" and needed is not None and needed <= missing:
                status = "incomplete"  # the communes not in the data could still make up the count
            return _result(
                t,
                plan,
                year,
                observed,
                status,
                communes=n,
                meeting=k,
                needed=needed,
                missing=missing,
            )
        observed = share(k, n)
        needed = communes_needed(k, n, t.comparator, t.value)
        return _result(t, plan, year, observed, _status(observed, t), communes=n, meeting=k, needed=needed)
    if kind == "share_meeting":
        k = sum(1 for _, f in members if all(_condition_holds(c, f) for c in m.conditions))
        missing = sum(1 for _, f in members if any(f.get(c.fact) is None for c in m.conditions)) + rejected
        observed = share(k, n)
        needed = communes_needed(k, n, t.comparator, t.value)
        return _result(
            t,
            plan,
            year,
            observed,
            _status(observed, t),
            communes=n,
            meeting=k,
            needed=needed,
            missing=missing,
        )
    # weighted_mean and per_population read one fact and the population of each commune
    fact = m.fact or ""
    rows = [(f.get(fact), f.commune.population) for _, f in members]
    weighted = m.weight == "population" or kind == "per_population"
    usable = [(float(v), float(p or 0)) for v, p in rows if v is not None and (p or not weighted)]
    missing = len(rows) - len(usable) + rejected
    if not usable:
        return _result(t, plan, year, None, "no_data", communes=n, missing=missing)
    if kind == "per_population":
        people = sum(p for _, p in usable)
        observed = sum(v for v, _ in usable) / people * (m.per or 1) if people else None
    elif weighted:
        people = sum(p for _, p in usable)
        observed = sum(v * p for v, p in usable) / people if people else None
    else:
        observed = sum(v for v, _ in usable) / len(usable)
    return _result(t, plan, year, observed, _status(observed, t, missing), communes=n, missing=missing)


def area_targets(
    plan: Plan,
    members: Sequence[tuple[CommuneResult, CommuneFacts]],
    year: int,
    rejected: int = 0,
    area: str | None = None,
) -> PlanResult:
    """The plan's area targets evaluated over ``members`` (the communes of its area that were
    evaluated); ``rejected`` input rows of the area count as communes that do not qualify."""
    return PlanResult(
        plan=plan.id,
        title=plan.title,
        area=area or plan.scope.label(),
        level=plan.scope.level,
        year=year,
        communes=len(members),
        rejected=rejected,
        communes_total=plan.scope.communes_total,
        targets=[_area_target(plan, t, members, rejected, year) for t in plan.targets if t.is_area],
    )


def members_of(
    plan: Plan, pairs: Sequence[tuple[CommuneResult, CommuneFacts]]
) -> list[tuple[CommuneResult, CommuneFacts]]:
    """The communes among ``pairs`` that lie in the plan's area."""
    return [(r, f) for r, f in pairs if plan.matches(f.commune.province, f.commune.district, f.commune.name)]
