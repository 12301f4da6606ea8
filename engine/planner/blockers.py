"""Naming what blocks a commune from qualifying within a budget and a deadline."""

from __future__ import annotations

from engine.i18n import Message
from engine.inputs.criteria import CriteriaSet, Indicator
from engine.planner.options import Option, Problem
from engine.planner.solver import Solution, allowed_options

_BAD = ("fail", "missing")


def _vnd(x: int) -> Message:
    return Message("common.vnd", amount=x)


def _passes(opt: Option, ind: str) -> bool:
    return opt.statuses[ind][0] not in _BAD


def _knockout_blockers(
    cs: CriteriaSet, problem: Problem, limit: int | None, budget: int | None, by_year: int | None
) -> list[Message]:
    out: list[Message] = []
    if not problem.knockouts_must_pass:
        return out
    for ind_id, verdict in problem.fixed_statuses.items():
        if ind_id in problem.knockouts and verdict[0] in _BAD:
            title = cs.indicator(ind_id).title
            out.append(Message("planner.knockout_unfixable", indicator=ind_id, title=title))
    for comp in problem.components:
        for ind_id in comp.indicators:
            if ind_id not in problem.knockouts or _passes(comp.options[0], ind_id):
                continue
            ind: Indicator = cs.indicator(ind_id)
            fixes = [o for o in comp.options if _passes(o, ind_id)]
            timely = [o for o in fixes if limit is None or o.months <= limit]
            if not fixes:
                out.append(Message("planner.knockout_no_action", indicator=ind_id, title=ind.title))
            elif not timely and limit is not None:
                quickest = min(fixes, key=lambda o: (o.months, o.cost_vnd))
                out.append(
                    Message(
                        "planner.knockout_too_slow",
                        indicator=ind_id,
                        title=ind.title,
                        actions=", ".join(quickest.actions),
                        months=quickest.months,
                        year=by_year,
                        limit=limit,
                    )
                )
            elif budget is not None and min(o.cost_vnd for o in timely) > budget:
                cheapest = min(timely, key=lambda o: o.cost_vnd)
                out.append(
                    Message(
                        "planner.knockout_too_costly",
                        indicator=ind_id,
                        title=ind.title,
                        actions=", ".join(cheapest.actions),
                        cost=_vnd(cheapest.cost_vnd),
                        budget=_vnd(budget),
                    )
                )
    return out


def _score_blockers(
    cs: CriteriaSet, problem: Problem, limit: int | None, by_year: int | None
) -> list[Message]:
    allowed = allowed_options(problem, limit, force_knockouts=False)
    best = dict(problem.fixed)
    for comp, opts in zip(problem.components, allowed, strict=True):
        for c in comp.criteria:
            best[c] += max(comp.options[oi].points.get(c, 0) for oi in opts)
    by = {} if by_year is None else {"year": by_year}  # "… by the end of YEAR"
    crit_code, total_code = (
        ("planner.criterion_out_of_reach", "planner.total_out_of_reach")
        if by_year is None
        else ("planner.criterion_out_of_reach_by", "planner.total_out_of_reach_by")
    )
    out: list[Message] = []
    for crit in cs.criteria:
        if best[crit.id] < problem.floors[crit.id]:
            out.append(
                Message(
                    crit_code,
                    by,
                    criterion=crit.id,
                    name=crit.name,
                    top=problem.points(best[crit.id]),
                    floor=problem.points(problem.floors[crit.id]),
                )
            )
    # Components are independent, so the sum of each one's best is the exact best total.
    total = sum(best.values())
    if total < problem.min_total:
        top, need = problem.points(total), problem.points(problem.min_total)
        out.append(Message(total_code, by, top=top, need=need))
    return out


def blockers(
    cs: CriteriaSet,
    problem: Problem,
    limit: int | None,
    budget: int | None,
    by_year: int | None,
    cheapest: list[Solution],
) -> list[Message]:
    """Why no plan fits: knockouts out of reach, criteria or total out of reach, or the budget."""
    out = _knockout_blockers(cs, problem, limit, budget, by_year) + _score_blockers(
        cs, problem, limit, by_year
    )
    if cheapest and budget is not None and cheapest[0].cost_vnd > budget:
        out.append(Message("planner.over_budget", cost=_vnd(cheapest[0].cost_vnd), budget=_vnd(budget)))
    if not out:
        out.append(Message("planner.no_combination"))
    return out
