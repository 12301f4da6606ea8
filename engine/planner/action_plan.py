"""`plan`: the least-cost set of actions after which a commune qualifies, with K alternatives.

Pipeline: :mod:`engine.planner.options` enumerates what each group of interacting actions can do
(verdicts from durable_rules), :mod:`engine.planner.solver` finds the exact K cheapest qualifying
choices, and this module turns them into plans — every plan re-evaluated through the
:class:`~engine.evaluation.evaluator.Evaluator` on the changed facts, which must qualify (otherwise it is an
engine bug and raises). When nothing fits the budget or the deadline, the report says so, gives the
best score reachable within the constraints and names what blocks.
"""

from __future__ import annotations

from engine.errors import EngineError, UserError
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.results import CommuneResult
from engine.i18n import Message
from engine.inputs.costs import costs_note as default_costs_note
from engine.inputs.criteria import Action, CriteriaSet, Text
from engine.inputs.fact_catalogue import catalogue
from engine.inputs.facts import CommuneFacts
from engine.planner.actions import PlanAction, apply_actions, collect_actions, schedule
from engine.planner.blockers import blockers
from engine.planner.options import Problem, build_problem
from engine.planner.report import CommuneReport, IndicatorDiff, ReportModel, indicator_diffs, report_head
from engine.planner.solver import Solution, allowed_options, best_reachable, chosen_actions, solve

# Alternatives are searched among 2K candidates first (doubling until K distinct plans are found or
# the candidates run out, at most MAX_CANDIDATES); those that merely add actions to a cheaper listed
# plan are dropped.
MAX_CANDIDATES = 48


class PlannedAction(ReportModel):
    id: str
    action: Text
    responsible: Text
    indicators: list[str]
    cost_vnd: int
    lead_time_months: int
    start_month: int  # months after the plan's start
    end_month: int


class ActionPlan(ReportModel):
    rank: int
    actions: list[PlannedAction]
    cost_vnd: int
    months: int
    parallel: bool  # every action starts at once
    completes: str  # "MM/YYYY", end of the month the last action ends; "" when there is none
    completes_year: int
    total_after: float
    qualified_after: bool
    changes: list[IndicatorDiff]


class Constraints(ReportModel):
    budget_vnd: int | None
    by_year: int | None
    start_year: int
    months_available: int | None


class ActionPlanReport(CommuneReport):
    costs_note: Message
    constraints: Constraints
    plans: list[ActionPlan]
    feasible: bool
    best_reachable: ActionPlan | None
    blockers: list[Message]
    assumptions: list[Message]


def month_label(start_year: int, months: int) -> tuple[str, int]:
    """'MM/YYYY' of the month in which work of ``months`` months started in January ends."""
    if months <= 0:
        return (f"01/{start_year}", start_year)
    idx = start_year * 12 + months - 1
    return (f"{idx % 12 + 1:02d}/{idx // 12}", idx // 12)


def months_until(start_year: int, by_year: int | None) -> int | None:
    if by_year is None:
        return None
    if by_year < start_year:
        raise UserError.single(
            "--by",
            f"{by_year} is before the plan's start year {start_year}",
            "give a later year or --start-year",
        )
    return (by_year - start_year + 1) * 12


def build_plans(
    choices: list[list[str]],
    actions: dict[str, PlanAction],
    facts: CommuneFacts,
    before: CommuneResult,
    ev: Evaluator,
    start_year: int,
    first_rank: int = 1,
) -> list[ActionPlan]:
    """Plans for lists of action ids of one commune, ranked from ``first_rank``."""
    plans = verified_plans([(ids, facts, before) for ids in choices], actions, ev, start_year)
    return [p.model_copy(update={"rank": first_rank + k}) for k, p in enumerate(plans)]


def verified_plans(
    items: list[tuple[list[str], CommuneFacts, CommuneResult]],
    actions: dict[str, PlanAction],
    ev: Evaluator,
    start_year: int,
) -> list[ActionPlan]:
    """A plan for each (action ids, facts, evaluation before): the facts with the actions applied
    are re-evaluated, all in one durable_rules batch; immutable facts must be untouched."""
    acts = [[actions[i].action for i in ids] for ids, _, _ in items]
    changed = [apply_actions(facts, a) for a, (_, facts, _) in zip(acts, items, strict=True)]
    immutable = [p for p, spec in catalogue().items() if spec.immutable]
    for after_facts, (_, facts, _) in zip(changed, items, strict=True):
        for path in immutable:
            if after_facts.get(path) != facts.get(path):
                raise EngineError(f"a plan changed the immutable fact {path}")
    results = ev.evaluate(changed) if changed else []
    return [
        _plan(1, a, before, after, start_year, actions)
        for a, (_, _, before), after in zip(acts, items, results, strict=True)
    ]


def _plan(
    rank: int,
    acts: list[Action],
    before: CommuneResult,
    after: CommuneResult,
    start_year: int,
    actions: dict[str, PlanAction],
) -> ActionPlan:
    starts = schedule(acts)
    planned = [
        PlannedAction(
            id=a.id,
            action=a.action,
            responsible=a.responsible,
            indicators=list(actions[a.id].indicators),
            cost_vnd=a.cost_vnd,
            lead_time_months=a.lead_time_months,
            start_month=starts[a.id],
            end_month=starts[a.id] + a.lead_time_months,
        )
        for a in acts
    ]
    planned.sort(key=lambda p: (p.start_month, p.end_month, p.id))
    months = max((p.end_month for p in planned), default=0)
    label, year = month_label(start_year, months)
    return ActionPlan(
        rank=rank,
        actions=planned,
        cost_vnd=sum(a.cost_vnd for a in acts),
        months=months,
        parallel=all(p.start_month == 0 for p in planned),
        completes=label if planned else "",
        completes_year=year,
        total_after=after.total_score,
        qualified_after=after.qualified,
        changes=indicator_diffs(before, after),
    )


def _distinct(problem: Problem, solutions: list[Solution], k: int) -> list[list[str]]:
    """The action lists of the first ``k`` solutions that are neither a listed plan plus extra actions
    nor a listed plan minus some (which, coming later at the same cost, only scores less: the actions
    it leaves out are free)."""
    out: list[list[str]] = []
    for s in solutions:
        ids = chosen_actions(problem, s)
        if any(set(prev) <= set(ids) or set(ids) <= set(prev) for prev in out):
            continue
        out.append(ids)
        if len(out) == k:
            break
    return out


def _assumptions(cs: CriteriaSet, before: CommuneResult) -> list[Message]:
    return [
        Message("planner.assume_missing", indicator=r.id) for r in before.indicators if r.status == "missing"
    ]


def plan_commune(
    cs: CriteriaSet,
    ev: Evaluator,
    facts: CommuneFacts,
    *,
    budget: int | None = None,
    by_year: int | None = None,
    start_year: int | None = None,
    top: int = 3,
    source_file: str | None = None,
    costs_note: Message | None = None,
    actions: dict[str, PlanAction] | None = None,
) -> ActionPlanReport:
    """The ``top`` cheapest plans under the constraints, verified through the evaluator."""
    actions = actions if actions is not None else collect_actions(cs)
    start = start_year if start_year is not None else facts.year + 1
    limit = months_until(start, by_year)
    before = ev.evaluate_one(facts, source_file)
    problem = build_problem(cs, ev, facts, actions)
    plans: list[ActionPlan] = []
    best: ActionPlan | None = None
    found: list[Message] = []
    if before.qualified:
        feasible = True
    else:
        allowed = allowed_options(problem, limit)
        k = 2 * max(1, top)
        while True:
            solutions = solve(problem, allowed, k=k)
            within = [s for s in solutions if budget is None or s.cost_vnd <= budget]
            chosen = _distinct(problem, within, top)
            if (
                len(chosen) >= top
                or len(within) < len(solutions)
                or len(solutions) < k
                or k >= MAX_CANDIDATES
            ):
                break
            k *= 2
        plans = build_plans(chosen, actions, facts, before, ev, start)
        for p in plans:
            if not p.qualified_after:
                raise EngineError(
                    f"plan {p.rank} for {facts.commune.code} does not qualify when re-evaluated"
                )
        feasible = bool(plans)
        if not feasible:
            reach = best_reachable(problem, allowed_options(problem, limit, force_knockouts=False), budget)
            best = build_plans([chosen_actions(problem, reach)], actions, facts, before, ev, start, 0)[0]
            cheapest = solve(problem, allowed_options(problem, limit), k=1)
            found = blockers(cs, problem, limit, budget, by_year, cheapest)
    return ActionPlanReport(
        **report_head(facts, before, source_file),
        costs_note=costs_note or default_costs_note(None, None),
        constraints=Constraints(budget_vnd=budget, by_year=by_year, start_year=start, months_available=limit),
        plans=plans,
        feasible=feasible,
        best_reachable=best,
        blockers=found,
        assumptions=[] if before.qualified else _assumptions(cs, before),
    )
