"""What a commune can do: groups of interacting actions, and what every combination of them earns.

Actions interact when they touch facts read by the same indicators (a station rebuilt or repaired;
a garden built, planted, labelled). Each *component* joins such actions with the indicators they
affect; components are independent of one another, so the commune's score is a fixed part (the
indicators no action touches) plus one chosen *option* (a subset of its actions, possibly none) per
component. Every option's verdicts come from durable_rules: each distinct (indicator, value) the
options produce is asserted once, as the compiler's indicator fact, through the evaluator's
compiled ruleset. Points are then plain scoring over those verdicts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from engine.errors import UserError
from engine.evaluation.evaluator import Evaluator, Query
from engine.evaluation.scoring import Verdict, points_for
from engine.inputs.criteria import CriteriaSet, Indicator
from engine.inputs.facts import CommuneFacts
from engine.planner.actions import PlanAction, applied_values, collect_actions, completion_months

# A component with more interacting actions than this would need 2^n options: refuse it rather
# than answer slowly (the national set has at most 3).
MAX_ACTIONS_PER_COMPONENT = 12

# Bits for each of the points lost, the lead-time sum and the action count in a packed key (their
# sums over a plan stay far below 2^20).
_FIELD = 20


def cost_of(key: int) -> int:
    """The cost part of a packed key (see :attr:`Option.key`)."""
    return key >> 3 * _FIELD


@dataclass(frozen=True)
class Option:
    """One subset of a component's actions and what the component's indicators earn after it."""

    actions: tuple[str, ...]
    cost_vnd: int
    months: int
    lead_sum: int
    lost: int  # scaled points the component's indicators still miss after this option
    points: dict[str, int]  # scaled points by criterion id
    statuses: dict[str, Verdict]  # verdict by indicator id
    knockouts_ok: bool

    @property
    def key(self) -> int:
        """Order of preference: cheaper, then a higher score, then quicker in total, then fewer
        actions — packed into one integer so that keys add up and compare like the tuple
        (cost, lost, lead_sum, actions) would."""
        return (
            (self.cost_vnd << 3 * _FIELD)
            | (self.lost << 2 * _FIELD)
            | (self.lead_sum << _FIELD)
            | len(self.actions)
        )


@dataclass(frozen=True)
class Component:
    indicators: tuple[str, ...]
    criteria: tuple[str, ...]
    actions: tuple[str, ...]
    options: tuple[Option, ...]  # options[0] is "keep": no action


@dataclass(frozen=True)
class Problem:
    """One commune's planning problem, in integer points (``scale`` units per point)."""

    facts: CommuneFacts
    scale: int
    criteria: tuple[str, ...]
    floors: dict[str, int]
    min_total: int
    fixed: dict[str, int]  # scaled points of indicators no action touches, by criterion
    fixed_statuses: dict[str, Verdict]
    components: tuple[Component, ...]
    actions: dict[str, PlanAction]
    knockouts_must_pass: bool
    knockouts: frozenset[str]

    def points(self, scaled: int) -> float:
        return scaled / self.scale


def _dominates(a: Option, b: Option) -> bool:
    """``a`` is at least as good as ``b`` in every respect the planner weighs."""
    return (
        a.cost_vnd <= b.cost_vnd
        and a.months <= b.months
        and len(a.actions) <= len(b.actions)
        and a.lead_sum <= b.lead_sum
        and (a.knockouts_ok or not b.knockouts_ok)
        and all(a.points.get(c, 0) >= p for c, p in b.points.items())
    )


def prune(options: list[Option]) -> tuple[Option, ...]:
    """Drop every option another one dominates (the first of equals stays; "keep" always stays).

    A dropped option never appears in a best plan: the one dominating it is as cheap, as quick and
    scores as much everywhere. It would only appear as a worse alternative (money for nothing).
    """
    kept: list[Option] = []
    for k, b in enumerate(options):
        if k == 0 or not any(
            _dominates(a, b) for j, a in enumerate(options) if j != k and (j < k or not _dominates(b, a))
        ):
            kept.append(b)
    return tuple(kept)


def _value_key(v: Any) -> tuple[str, Any]:
    return (type(v).__name__, v)


def _frac(x: float) -> Fraction:
    return Fraction(x).limit_denominator(10_000)


def point_scale(cs: CriteriaSet) -> int:
    """The smallest integer that makes every points value, floor and pass mark whole."""
    values = [cs.recognition.min_total]
    for crit in cs.criteria:
        values.append(crit.max_points * cs.recognition.min_criterion_share)
        for ind in crit.indicators:
            values.append(ind.points)
            values.extend(b.points for b in ind.partial)
    return math.lcm(*(_frac(v).denominator for v in values))


def _scaled(x: float, scale: int) -> int:
    return int(_frac(x) * scale)


def _components(
    cs: CriteriaSet, facts: CommuneFacts, actions: dict[str, PlanAction]
) -> list[tuple[list[Indicator], list[PlanAction]]]:
    """Connected groups of (indicators, actions that change a fact they read)."""
    readers: dict[str, list[str]] = {}
    for _, ind in cs.indicators():
        for path in ind.reads:
            readers.setdefault(path, []).append(ind.id)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    useful: list[PlanAction] = []
    for pa in actions.values():
        after = applied_values(facts, [pa.action])
        changed = [p for p, v in after.items() if _value_key(v) != _value_key(facts.get(p))]
        touched = [i for p in pa.facts for i in readers.get(p, [])]
        if not changed or not touched:
            continue  # a no-op for this commune
        useful.append(pa)
        for ind_id in touched:
            parent[find("a:" + pa.id)] = find("i:" + ind_id)
    groups: dict[str, tuple[list[Indicator], list[PlanAction]]] = {}
    for _, ind in cs.indicators():
        if "i:" + ind.id in parent:
            groups.setdefault(find("i:" + ind.id), ([], []))[0].append(ind)
    for pa in useful:
        groups[find("a:" + pa.id)][1].append(pa)
    return list(groups.values())


@dataclass
class _Pending:
    """A commune's options before their verdicts are known: the durable_rules queries they need."""

    facts: CommuneFacts
    fixed_q: dict[str, int]
    raw: list[tuple[list[Indicator], list[PlanAction], list[tuple[tuple[PlanAction, ...], dict[str, int]]]]]


def _prepare(
    cs: CriteriaSet, ev: Evaluator, facts: CommuneFacts, actions: dict[str, PlanAction], qlist: list[Query]
) -> _Pending:
    """Enumerate every component's options; append the (indicator, value) queries they need to ``qlist``."""
    comps = _components(cs, facts, actions)
    in_comp = {ind.id for inds, _ in comps for ind in inds}
    queries: dict[tuple[str, tuple[tuple[str, Any], ...]], int] = {}

    def ask(ind: Indicator, changed: dict[str, Any]) -> int:
        q = ev.query(ind.id, facts, changed)
        k = (ind.id, tuple(map(_value_key, q[2])))
        if k not in queries:
            queries[k] = len(qlist)
            qlist.append(q)
        return queries[k]

    fixed_q = {ind.id: ask(ind, {}) for _, ind in cs.indicators() if ind.id not in in_comp}
    raw = []
    for inds, acts in comps:
        if len(acts) > MAX_ACTIONS_PER_COMPONENT:
            raise UserError.single(
                "criteria",
                f"indicators {', '.join(i.id for i in inds)} share {len(acts)} interacting actions; "
                f"the exact planner handles at most {MAX_ACTIONS_PER_COMPONENT}",
                "split the actions so that fewer of them change the same facts",
            )
        subsets = []
        for mask in range(1 << len(acts)):
            chosen = tuple(a for j, a in enumerate(acts) if mask >> j & 1)
            values = applied_values(facts, [a.action for a in chosen])
            subsets.append((chosen, {i.id: ask(i, values) for i in inds}))
        raw.append((inds, acts, subsets))
    return _Pending(facts, fixed_q, raw)


def build_problems(
    cs: CriteriaSet,
    ev: Evaluator,
    communes: Sequence[CommuneFacts],
    actions: dict[str, PlanAction] | None = None,
) -> list[Problem]:
    """Every commune's options, scored through durable_rules in one batch of queries."""
    actions = actions if actions is not None else collect_actions(cs)
    qlist: list[Query] = []
    pending = [_prepare(cs, ev, f, actions, qlist) for f in communes]
    verdicts = ev.verdicts_for(qlist)
    scorer = _Scorer(cs)
    return [_finish(cs, p, verdicts, actions, scorer) for p in pending]


def build_problem(
    cs: CriteriaSet,
    ev: Evaluator,
    facts: CommuneFacts,
    actions: dict[str, PlanAction] | None = None,
) -> Problem:
    """One commune's options, scored through durable_rules."""
    return build_problems(cs, ev, [facts], actions)[0]


class _Scorer:
    """Scaled points of an indicator for a verdict (plain scoring over durable_rules' verdicts)."""

    def __init__(self, cs: CriteriaSet) -> None:
        self.cs = cs
        self.scale = point_scale(cs)
        self._cache: dict[tuple[str, Verdict], int] = {}

    def points(self, ind: Indicator, v: Verdict) -> int:
        key = (ind.id, v)
        if key not in self._cache:
            raw = points_for(self.cs, ind, v)
            self._cache[key] = _scaled(raw, self.scale)
        return self._cache[key]


def _finish(
    cs: CriteriaSet,
    pending: _Pending,
    verdicts: list[Verdict],
    actions: dict[str, PlanAction],
    scorer: _Scorer,
) -> Problem:
    facts, fixed_q, raw = pending.facts, pending.fixed_q, pending.raw
    scale = scorer.scale
    crit_of = {ind.id: c.id for c, ind in cs.indicators()}
    rule = cs.recognition

    pts = scorer.points

    def ko_ok(ind: Indicator, v: Verdict) -> bool:
        return not (rule.knockouts_must_pass and ind.knockout and v[0] in ("fail", "missing"))

    fixed: dict[str, int] = {c.id: 0 for c in cs.criteria}
    fixed_statuses: dict[str, Verdict] = {}
    for c, ind in cs.indicators():
        if ind.id in fixed_q:
            v = verdicts[fixed_q[ind.id]]
            fixed_statuses[ind.id] = v
            fixed[c.id] += pts(ind, v)
    components: list[Component] = []
    for inds, acts, subsets in raw:
        most = sum(_scaled(i.points, scale) for i in inds)
        options = []
        for chosen, qs in subsets:
            statuses = {i: verdicts[q] for i, q in qs.items()}
            per_crit: dict[str, int] = {}
            for ind in inds:
                per_crit[crit_of[ind.id]] = per_crit.get(crit_of[ind.id], 0) + pts(ind, statuses[ind.id])
            options.append(
                Option(
                    actions=tuple(a.id for a in chosen),
                    cost_vnd=sum(a.action.cost_vnd for a in chosen),
                    months=completion_months([a.action for a in chosen]),
                    lead_sum=sum(a.action.lead_time_months for a in chosen),
                    lost=max(0, most - sum(per_crit.values())),
                    points=per_crit,
                    statuses=statuses,
                    knockouts_ok=all(ko_ok(i, statuses[i.id]) for i in inds),
                )
            )
        components.append(
            Component(
                indicators=tuple(i.id for i in inds),
                criteria=tuple(dict.fromkeys(crit_of[i.id] for i in inds)),
                actions=tuple(a.id for a in acts),
                options=prune(options),
            )
        )
    return Problem(
        facts=facts,
        scale=scale,
        criteria=tuple(c.id for c in cs.criteria),
        floors={c.id: math.ceil(_frac(c.max_points * rule.min_criterion_share) * scale) for c in cs.criteria},
        min_total=math.ceil(_frac(rule.min_total) * scale),
        fixed=fixed,
        fixed_statuses=fixed_statuses,
        components=tuple(components),
        actions=actions,
        knockouts_must_pass=rule.knockouts_must_pass,
        knockouts=frozenset(i.id for _, i in cs.indicators() if i.knockout),
    )
