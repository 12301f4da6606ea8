"""The exact solver: the K cheapest choices of one option per component after which a commune qualifies.

A dynamic programme, not a greedy search. Criteria that share a component form a *group*; within a
group the state is the vector of the group's criterion scores (in integer points), and every state
keeps its K best partial choices. Group states below a criterion's floor are dropped; the groups are
then combined on the total score, and the states at or above the pass mark give the answer. Every
(state, option) pair is visited, so the result is the exact optimum, ordered by cost, then the higher
score, then the sum of lead times, then the number of actions. Knockouts are forced by offering only the options under
which every knockout indicator of the component passes.

The same programme on the total alone (no floors, no knockouts) gives the best score reachable
within a budget.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from engine.planner.options import Problem, cost_of

Key = int  # packed (cost, sum of lead times, number of actions): see Option.key
Picks = tuple[tuple[int, int], ...]  # (component index, option index)
Entry = tuple[Key, Picks]


@dataclass(frozen=True)
class Solution:
    picks: Picks
    cost_vnd: int
    total: int  # scaled points, capped at the pass mark (every total above it qualifies alike)


def _keep(entries: list[Entry], k: int) -> list[Entry]:
    entries.sort()
    return entries[:k]


def _groups(problem: Problem) -> list[tuple[tuple[str, ...], list[int]]]:
    """Criteria joined by shared components, with the components of each group."""
    parent = {c: c for c in problem.criteria}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for comp in problem.components:
        for c in comp.criteria[1:]:
            parent[find(c)] = find(comp.criteria[0])
    crits: dict[str, list[str]] = {}
    for c in problem.criteria:
        crits.setdefault(find(c), []).append(c)
    comps: dict[str, list[int]] = {r: [] for r in crits}
    for ci, comp in enumerate(problem.components):
        comps[find(comp.criteria[0])].append(ci)
    return [(tuple(crits[r]), comps[r]) for r in crits]


def allowed_options(
    problem: Problem, max_months: int | None = None, force_knockouts: bool = True
) -> list[list[int]]:
    """Indices of the options each component may use under a deadline, with knockouts forced."""
    out = []
    for comp in problem.components:
        out.append(
            [
                oi
                for oi, o in enumerate(comp.options)
                if (max_months is None or o.months <= max_months) and (o.knockouts_ok or not force_knockouts)
            ]
        )
    return out


def _group_totals(
    problem: Problem,
    crits: tuple[str, ...],
    comp_ids: list[int],
    allowed: Sequence[Sequence[int]],
    k: int,
    cap: int,
) -> dict[int, list[Entry]]:
    """For one group: the k best choices per group total, among those meeting every floor."""
    states: dict[tuple[int, ...], list[Entry]] = {tuple(problem.fixed[c] for c in crits): [(0, ())]}
    for ci in comp_ids:
        comp = problem.components[ci]
        nxt: dict[tuple[int, ...], list[Entry]] = {}
        for state, entries in states.items():
            for oi in allowed[ci]:
                opt = comp.options[oi]
                ns = tuple(s + opt.points.get(c, 0) for s, c in zip(state, crits, strict=True))
                okey = opt.key
                nxt.setdefault(ns, []).extend((key + okey, (*picks, (ci, oi))) for key, picks in entries)
        states = {s: _keep(e, k) for s, e in nxt.items()}
    out: dict[int, list[Entry]] = {}
    for state, entries in states.items():
        if all(s >= problem.floors[c] for s, c in zip(state, crits, strict=True)):
            out.setdefault(min(sum(state), cap), []).extend(entries)
    return {t: _keep(e, k) for t, e in out.items()}


def solve(problem: Problem, allowed: Sequence[Sequence[int]], k: int = 1) -> list[Solution]:
    """The ``k`` cheapest qualifying choices (fewer when fewer exist), best first."""
    if problem.knockouts_must_pass and any(
        v[0] in ("fail", "missing") and _is_knockout(problem, i) for i, v in problem.fixed_statuses.items()
    ):
        return []
    cap = problem.min_total
    per_group = [
        _group_totals(problem, crits, comp_ids, allowed, k, cap) for crits, comp_ids in _groups(problem)
    ]
    if any(not g for g in per_group):
        return []  # some criterion cannot reach its floor
    # The most the groups after position i can still add: totals that cannot reach the pass mark
    # even so are dropped as soon as they appear.
    rest = [0] * (len(per_group) + 1)
    for i in range(len(per_group) - 1, -1, -1):
        rest[i] = rest[i + 1] + max(per_group[i])
    totals: dict[int, list[Entry]] = {0: [(0, ())]}
    for i, group_totals in enumerate(per_group):
        combined: dict[int, list[Entry]] = {}
        for t1, e1 in totals.items():
            for t2, e2 in group_totals.items():
                if t1 + t2 + rest[i + 1] < cap:
                    continue
                bucket = combined.setdefault(min(t1 + t2, cap), [])
                # Both lists are sorted: the pair (i, j) has (i+1)(j+1)-1 pairs at least as good,
                # so only pairs with (i+1)(j+1) <= k can be among the k best.
                for a_i, (a, pa) in enumerate(e1):
                    for j in range(min(len(e2), k // (a_i + 1))):
                        b, pb = e2[j]
                        bucket.append((a + b, pa + pb))
        totals = {t: _keep(e, k) for t, e in combined.items()}
    found = [
        (key, picks, t) for t, entries in totals.items() if t >= problem.min_total for key, picks in entries
    ]
    found.sort()
    return [Solution(picks=tuple(sorted(p)), cost_vnd=cost_of(key), total=t) for key, p, t in found[:k]]


def best_reachable(problem: Problem, allowed: Sequence[Sequence[int]], budget: int | None) -> Solution:
    """The highest total score some choice reaches within ``budget`` (floors and knockouts ignored)."""
    totals: dict[int, Entry] = {sum(problem.fixed.values()): (0, ())}
    for ci, comp in enumerate(problem.components):
        nxt: dict[int, Entry] = {}
        for t, (key, picks) in totals.items():
            for oi in allowed[ci]:
                opt = comp.options[oi]
                nk = key + opt.key
                if budget is not None and cost_of(nk) > budget:
                    continue
                nt = t + sum(opt.points.values())
                if nt not in nxt or nk < nxt[nt][0]:
                    nxt[nt] = (nk, (*picks, (ci, oi)))
        totals = nxt
    t = max(totals)
    key, picks = totals[t]
    return Solution(picks=picks, cost_vnd=cost_of(key), total=t)


def _is_knockout(problem: Problem, indicator: str) -> bool:
    return indicator in problem.knockouts


def chosen_actions(problem: Problem, solution: Solution) -> list[str]:
    """The action ids of a solution, in the criteria file's order."""
    ids = {a for ci, oi in solution.picks for a in problem.components[ci].options[oi].actions}
    return [a for a in problem.actions if a in ids]
