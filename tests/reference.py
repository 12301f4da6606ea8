"""A pure-Python reference evaluator of the criteria YAML, for differential testing only.

The product never imports this module: every verdict the product reports comes from durable_rules.
This is the independent, obvious reading of the same YAML that the compiled rules must agree with:
conditions are evaluated directly in three values (True, False, None for unknown), sub-items are
added up or searched in order, and a verdict is ``missing`` exactly when the unknown parts could
still change it. It shares nothing with ``engine/evaluation/`` (not the compiler, not the logic,
not the points): only the models of the YAML and the table of regions.
"""

from __future__ import annotations

from typing import Any

from engine.inputs.conditions import AllOf, AnyOf, ByDimension, Compare, NotOf
from engine.inputs.criteria import CriteriaSet, Indicator, Zoning
from engine.inputs.facts import CommuneFacts
from engine.inputs.loader import places

UNKNOWN = object()  # a threshold that cannot be chosen (the commune's region is not known)


def meets(op: str, value: Any, threshold: Any) -> bool:
    if op == "gte":
        return value >= threshold
    if op == "gt":
        return value > threshold
    if op == "lte":
        return value <= threshold
    if op == "lt":
        return value < threshold
    if op == "eq":
        return value == threshold
    if op == "in":
        return value in threshold
    if op == "is_true":
        return value is True
    if op == "is_false":
        return value is False
    raise ValueError(op)


def where(facts: CommuneFacts) -> dict[str, Any]:
    c = facts.commune
    return {"zone": c.zone, "area": c.area, "region": places().region_of(c.province, facts.year, c.region)}


def threshold_at(t: Any, at: dict[str, Any]) -> Any:
    """Walk a threshold table down the commune's dimension values."""
    while True:
        if isinstance(t, dict):  # the zone shorthand {1: …, 2: …, 3: …}
            t = t[at["zone"]]
        elif isinstance(t, ByDimension):
            if at[t.by] is None:
                return UNKNOWN
            t = t.values[at[t.by]]
        else:
            return t


def truth(cond: Any, facts: CommuneFacts, at: dict[str, Any]) -> bool | None:
    """True, False, or None (unknown), as Kleene's three-valued logic reads all / any / not."""
    if isinstance(cond, Compare):
        value = facts.get(cond.fact)
        threshold = threshold_at(cond.threshold, at)
        if value is None or threshold is UNKNOWN:
            return None
        return meets(cond.operator, value, threshold)
    if isinstance(cond, NotOf):
        inner = truth(cond.not_, facts, at)
        return None if inner is None else not inner
    values = [truth(p, facts, at) for p in (cond.all if isinstance(cond, AllOf) else cond.any)]
    if isinstance(cond, AllOf):
        return False if False in values else None if None in values else True
    assert isinstance(cond, AnyOf)
    return True if True in values else None if None in values else False


def _first(values: list[bool | None]) -> tuple[str, int | None, int | None]:
    """('met', k, None), ('none', None, None) or ('unknown', j, first level that holds after j)."""
    for j, v in enumerate(values):
        if v is True:
            return ("met", j, None)
        if v is None:
            after = next((m for m in range(j + 1, len(values)) if values[m] is True), None)
            return ("unknown", j, after)
    return ("none", None, None)


def verdict(ind: Indicator, facts: CommuneFacts) -> tuple[str, int | None]:
    at = where(facts)
    if at["zone"] not in ind.applies_to.zones or at["area"] not in ind.applies_to.areas:
        return ("not_applicable", None)
    if ind.items:
        values = [truth(item.when, facts, at) for item in ind.items]
        if ind.scoring == "first":
            kind, k, after = _first(values)
            if kind == "met":
                pts = ind.items[k].points  # type: ignore[index]
                return ("pass" if pts >= ind.points else "partial", 1 << k)  # type: ignore[operator]
            if kind == "none":
                return ("fail", 0)
            return ("missing", 0 if after is None else 1 << after)
        mask = sum(1 << k for k, v in enumerate(values) if v is True)
        held = sum(item.points for item, v in zip(ind.items, values, strict=True) if v is True)
        maybe = sum(item.points for item, v in zip(ind.items, values, strict=True) if v is None)
        lo, hi = min(ind.points, held), min(ind.points, held + maybe)
        if lo != hi:
            return ("missing", mask)
        return ("pass" if lo >= ind.points else "partial" if lo > 0 else "fail", mask)
    if ind.condition is not None:
        v = truth(ind.condition, facts, at)
        return ("missing", None) if v is None else ("pass", None) if v else ("fail", None)
    value = facts.get(ind.fact or "")
    if value is None:
        return ("missing", None)
    levels = [ind.threshold, *(b.threshold for b in ind.partial)]
    values = []
    for t in levels:
        threshold = threshold_at(t, at)
        values.append(None if threshold is UNKNOWN else meets(ind.operator or "", value, threshold))
    kind, k, after = _first(values)
    if kind == "met":
        return ("pass", None) if k == 0 else ("partial", k - 1)  # type: ignore[operator]
    if kind == "none":
        return ("fail", None)
    return ("missing", None if after is None else after - 1)


def verdicts(cs: CriteriaSet, facts: CommuneFacts) -> dict[str, tuple[str, int | None]]:
    return {ind.id: verdict(ind, facts) for _, ind in cs.indicators()}


def zone_by_rule(zoning: Zoning, facts: CommuneFacts) -> int | None:
    """The zone the zoning rule gives (the first line that holds), None when facts are missing."""
    at = where(facts)
    kind, k, _ = _first([truth(r.when, facts, at) for r in zoning.rules])
    return zoning.rules[k].zone if kind == "met" else None  # type: ignore[index]


def points(cs: CriteriaSet, ind: Indicator, v: tuple[str, int | None]) -> float:
    status, outcome = v
    if status == "not_applicable":
        return ind.points if cs.recognition.not_applicable_points == "award" else 0.0
    if ind.items:
        met = [item.points for k, item in enumerate(ind.items) if (outcome or 0) >> k & 1]
        return min(ind.points, sum(met)) if ind.scoring == "sum" else sum(met)
    if status == "pass":
        return ind.points
    return ind.partial[outcome].points if outcome is not None else 0.0


def total(cs: CriteriaSet, facts: CommuneFacts) -> tuple[float, bool]:
    """Total score and qualification, computed independently of engine.evaluation.scoring."""
    v = verdicts(cs, facts)
    score = 0.0
    floors_ok = True
    knockout_ok = True
    for crit in cs.criteria:
        s = 0.0
        for ind in crit.indicators:
            s += points(cs, ind, v[ind.id])
            if ind.knockout and v[ind.id][0] in ("fail", "missing"):
                knockout_ok = False
        floors_ok &= s >= crit.max_points * cs.recognition.min_criterion_share - 1e-9
        score += s
    qualified = (
        score >= cs.recognition.min_total - 1e-9
        and floors_ok
        and (knockout_ok or not cs.recognition.knockouts_must_pass)
    )
    return score, qualified
