"""`target`: the least-cost choice of communes and actions that brings an area to a target rate.

Every commune's cheapest qualifying plan that completes by the deadline is exact (see
:mod:`engine.planner.action_plan`) and communes are independent, so the least-cost way to add ``n`` qualifying
communes is to take the ``n`` cheapest such plans; under a budget, the cheapest-first prefix is also
the largest number of communes the budget can bring in. Phasing: all actions start in January of
the start year and run as each plan schedules them; a commune counts from the year its last
action ends, and money is booked in the year an action starts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from engine.errors import EngineError, UserError
from engine.evaluation.evaluator import Evaluator
from engine.i18n import Message
from engine.inputs.criteria import CriteriaSet
from engine.inputs.facts import CommuneFacts
from engine.inputs.plan_models import Plan, Target
from engine.inputs.plans import available_plans, resolve_plan
from engine.planner.action_plan import ActionPlan, months_until, verified_plans
from engine.planner.actions import PlanAction, collect_actions, completion_months
from engine.planner.options import build_problems
from engine.planner.solver import allowed_options, chosen_actions, solve


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TargetSpec(_Model):
    """What to reach: a share (``rate`` %) or a count of qualifying communes, by a year."""

    rate: float | None = None
    count: int | None = None
    strict: bool = False  # 'more than' the rate, as some plans word it
    by_year: int
    source: Message | None = None  # the plan target it comes from, when --plan was given


class CommuneOption(_Model):
    commune: str
    name: str
    source_file: str
    total_before: float
    plan: ActionPlan | None  # the cheapest plan completing by the deadline; None when there is none
    blocked: bool


class YearPhase(_Model):
    year: int
    qualifying: list[str]  # codes of communes that start counting this year
    cumulative: int
    rate: float
    spend_vnd: int


class TargetReport(_Model):
    area: str
    criteria_set: str
    draft_indicators: int
    total_indicators: int
    illustrative: bool
    costs_note: Message
    target: TargetSpec
    start_year: int
    budget_vnd: int | None
    communes_total: int
    communes_rejected: int = 0  # of communes_total: files that could not be read (not qualifying)
    qualifying_now: int
    rate_now: float
    required: int
    needed: int
    reachable: bool
    selected: list[CommuneOption]
    total_cost_vnd: int
    phases: list[YearPhase]
    best_count: int
    best_rate: float
    blocked: list[CommuneOption]
    notes: list[Message]


def required_count(spec: TargetSpec, n: int) -> int:
    """How many of ``n`` communes must qualify to meet the target."""
    if spec.count is not None:
        return spec.count + (1 if spec.strict else 0)
    assert spec.rate is not None
    exact = spec.rate * n / 100
    need = math.floor(exact + 1e-9) + 1 if spec.strict else math.ceil(exact - 1e-9)
    return max(need, 0)


def target_area(
    cs: CriteriaSet,
    ev: Evaluator,
    loaded: Sequence[tuple[Path, CommuneFacts]],
    spec: TargetSpec,
    *,
    area: str,
    budget: int | None = None,
    start_year: int | None = None,
    costs_note: Message,
    actions: dict[str, PlanAction] | None = None,
    rejected: int = 0,
) -> TargetReport:
    """``rejected``: communes of the area whose files could not be read; they count in the area's
    total as not qualifying, and cannot be planned."""
    actions = actions if actions is not None else collect_actions(cs)
    start = start_year if start_year is not None else max(f.year for _, f in loaded) + 1
    limit = months_until(start, spec.by_year)
    facts = [f for _, f in loaded]
    results = ev.evaluate(facts, [str(p) for p, _ in loaded])
    n = len(loaded) + rejected
    now = sum(r.qualified for r in results)
    required = required_count(spec, n)
    needed = max(0, required - now)
    failing = [
        (k, path, f) for k, ((path, f), r) in enumerate(zip(loaded, results, strict=True)) if not r.qualified
    ]
    problems = build_problems(cs, ev, [f for _, _, f in failing], actions)
    # Each failing commune's cheapest qualifying choice by the deadline (None when there is none).
    cheapest: list[tuple[int, int, list[str]] | None] = []
    for problem in problems:
        found = solve(problem, allowed_options(problem, limit), k=1)
        if found:
            ids = chosen_actions(problem, found[0])
            cheapest.append((found[0].cost_vnd, completion_months([actions[i].action for i in ids]), ids))
        else:
            cheapest.append(None)
    order = sorted(
        (j for j, c in enumerate(cheapest) if c is not None),
        key=lambda j: (cheapest[j][0], cheapest[j][1], failing[j][2].commune.code),  # type: ignore[index]
    )
    chosen: list[int] = []
    spent = 0
    for j in order:
        cost = cheapest[j][0]  # type: ignore[index]
        if budget is not None and spent + cost > budget:
            break
        chosen.append(j)
        spent += cost
    reachable = needed <= len(chosen) and required <= n
    picked = chosen[:needed] if reachable else chosen
    plans = verified_plans(
        [(cheapest[j][2], failing[j][2], results[failing[j][0]]) for j in picked],  # type: ignore[index]
        actions,
        ev,
        start,
    )

    for j, p in zip(picked, plans, strict=True):
        if not p.qualified_after:
            raise EngineError(f"the plan for {failing[j][2].commune.code} does not qualify when re-evaluated")

    def option(j: int, plan: ActionPlan | None) -> CommuneOption:
        k, path, f = failing[j]
        return CommuneOption(
            commune=f.commune.code,
            name=f.commune.name,
            source_file=str(path),
            total_before=results[k].total_score,
            plan=plan,
            blocked=plan is None,
        )

    selected = [option(j, p) for j, p in zip(picked, plans, strict=True)]
    best = now + len(chosen)
    notes: list[Message] = []
    if rejected:
        notes.append(Message("planner.rejected_communes", n=rejected))
    if required > n:
        notes.append(Message("planner.too_few_communes", required=required, n=n))
    return TargetReport(
        area=area,
        criteria_set=cs.id,
        draft_indicators=cs.draft_count,
        total_indicators=len(cs.indicators()),
        illustrative=any(f.illustrative for f in facts),
        costs_note=costs_note,
        target=spec,
        start_year=start,
        budget_vnd=budget,
        communes_total=n,
        communes_rejected=rejected,
        qualifying_now=now,
        rate_now=100 * now / n,
        required=required,
        needed=needed,
        reachable=reachable,
        selected=selected,
        total_cost_vnd=sum(o.plan.cost_vnd for o in selected if o.plan),
        phases=_phases(selected, now, n, start, spec.by_year),
        best_count=min(best, n),
        best_rate=100 * min(best, n) / n,
        blocked=[option(j, None) for j, c in enumerate(cheapest) if c is None],
        notes=notes,
    )


def _phases(chosen: Sequence[CommuneOption], now: int, n: int, start: int, by_year: int) -> list[YearPhase]:
    out: list[YearPhase] = []
    cumulative = now
    for year in range(start, by_year + 1):
        newly = [o.commune for o in chosen if o.plan and max(o.plan.completes_year, start) == year]
        spend = sum(
            a.cost_vnd
            for o in chosen
            if o.plan
            for a in o.plan.actions
            if start + a.start_month // 12 == year
        )
        cumulative += len(newly)
        out.append(
            YearPhase(
                year=year, qualifying=newly, cumulative=cumulative, rate=100 * cumulative / n, spend_vnd=spend
            )
        )
    return out


def _share_targets(plan: Plan, by_year: int | None) -> list[Target]:
    """A plan's targets on the share or number of an area's qualifying communes (none named)."""
    return [
        t
        for t in plan.targets
        if t.measure.kind in ("share_qualifying", "count_qualifying")
        and not t.measure.communes
        and t.comparator in ("gte", "gt")
        and (by_year is None or t.due_year == by_year)
    ]


def _spec(plan: Plan, t: Target) -> TargetSpec:
    share = t.measure.kind == "share_qualifying"
    return TargetSpec(
        rate=float(t.value) if share else None,
        count=None if share else int(t.value),
        strict=t.comparator == "gt",
        by_year=t.due_year,
        source=Message(
            "planner.target_source",
            plan=plan.title,
            target=t.title,
            document=t.source.document,
            section=t.source.section,
        ),
    )


def spec_from_plan(plan_id: str, by_year: int | None) -> TargetSpec:
    """The share-of-qualifying-communes target of a plan (``criteria/plans/``)."""
    plan = resolve_plan(plan_id)
    found = _share_targets(plan, by_year)
    if not found:
        raise UserError.single(
            "--plan",
            f"plan {plan.id} has no target on the share or number of qualifying communes"
            + (f" due in {by_year}" if by_year is not None else ""),
            "give the target directly with --rate R --by YEAR",
        )
    return _spec(plan, min(found, key=lambda t: (t.due_year, t.measure.kind != "share_qualifying")))


def default_spec(province: str, district: str | None, start_year: int) -> TargetSpec | None:
    """The target an area's plan aims at when none is named: among the plans covering the area, the
    most local level first (commune plans aside), then the earliest share/count target due from
    ``start_year`` on. None when no plan has one."""
    level = {"district": 0, "province": 1, "national": 2}
    found = [
        (level[p.scope.level], t.due_year, t.measure.kind != "share_qualifying", p.id, p, t)
        for p in available_plans().values()
        if p.scope.level in level and p.matches(province, district)
        for t in _share_targets(p, None)
        if t.due_year >= start_year
    ]
    if not found:
        return None
    *_, plan, target = min(found, key=lambda x: x[:4])
    return _spec(plan, target)
