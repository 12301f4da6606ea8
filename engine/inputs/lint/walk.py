"""Walking a criteria set's language constructs for the rules: every comparison an indicator makes
(its own, inside a condition, inside a sub-item), the zoning rule's, every action (sub-items'
included) and every table of a threshold that varies by zone, area or region — each with its
location in the YAML document."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from engine.inputs.conditions import (
    AREAS,
    ZONES,
    AllOf,
    AnyOf,
    ByDimension,
    Compare,
    Dims,
    NotOf,
    dimensions_of,
)
from engine.inputs.criteria import Action, CriteriaSet, Indicator
from engine.inputs.lint.rule import Loc, indicators


def condition_comparisons(cond: Any, loc: Loc) -> Iterator[tuple[Loc, Compare]]:
    """Every comparison of a condition with its location."""
    if isinstance(cond, Compare):
        yield loc, cond
    elif isinstance(cond, NotOf):
        yield from condition_comparisons(cond.not_, (*loc, "not"))
    elif isinstance(cond, (AllOf, AnyOf)):
        key = "all" if isinstance(cond, AllOf) else "any"
        for k, part in enumerate(getattr(cond, key)):
            yield from condition_comparisons(part, (*loc, key, k))


def indicator_comparisons(ind: Indicator, loc: Loc) -> Iterator[tuple[Loc, Compare]]:
    """Every comparison an indicator makes (its bands aside) with its location: for an indicator of
    one comparison, the indicator's own location."""
    if ind.form == "compare":
        if ind.fact is not None and ind.operator is not None:
            yield loc, ind.compare
    elif ind.form == "condition":
        yield from condition_comparisons(ind.condition, (*loc, "condition"))
    else:
        for k, item in enumerate(ind.items):
            yield from condition_comparisons(item.when, (*loc, "items", k, "when"))


def zoning_comparisons(cs: CriteriaSet) -> Iterator[tuple[Loc, Compare]]:
    if cs.zoning is not None:
        for k, line in enumerate(cs.zoning.rules):
            yield from condition_comparisons(line.when, ("zoning", "rules", k, "when"))


def all_comparisons(cs: CriteriaSet) -> Iterator[tuple[Loc, Compare]]:
    """Every comparison of the set: the indicators', then the zoning rule's."""
    for loc, _, ind in indicators(cs):
        yield from indicator_comparisons(ind, loc)
    yield from zoning_comparisons(cs)


def actions(cs: CriteriaSet) -> Iterator[tuple[Loc, Action]]:
    """Every remediation action: an indicator's own, then its sub-items'."""
    for loc, _, ind in indicators(cs):
        for ai, act in enumerate(ind.remediation):
            yield (*loc, "remediation", ai), act
        for k, item in enumerate(ind.items):
            for ai, act in enumerate(item.remediation):
                yield (*loc, "items", k, "remediation", ai), act


def tables(t: Any, loc: Loc) -> Iterator[tuple[Loc, str, dict[Any, Any], Loc]]:
    """Every table of a threshold: (location of its values, dimension, values, its own location)."""
    if isinstance(t, ByDimension):
        yield (*loc, "values"), t.by, t.values, loc
        for key, value in t.values.items():
            yield from tables(value, (*loc, "values", key))
    elif isinstance(t, dict):
        yield loc, "zone", t, loc
        for key, value in t.items():
            yield from tables(value, (*loc, key))


def plain_values(t: Any, loc: Loc) -> Iterator[tuple[Loc, Any]]:
    """Every plain value (a number, a list of choices) of a threshold, with its location."""
    if isinstance(t, ByDimension):
        for key, value in t.values.items():
            yield from plain_values(value, (*loc, "values", key))
    elif isinstance(t, dict):
        for key, value in t.items():
            yield from plain_values(value, (*loc, key))
    else:
        yield loc, t


def domain(dimension: str, regions: Sequence[str]) -> tuple[Any, ...]:
    """The values a dimension takes: zones 1–3, areas rural/urban, the regions of the table."""
    return {"zone": ZONES, "area": AREAS, "region": tuple(regions)}[dimension]


def cells(thresholds: Sequence[Any], regions: Sequence[str]) -> list[Dims]:
    """Every combination of the dimension values the thresholds vary by."""
    used = {d for t in thresholds for d in dimensions_of(t)}
    zones = ZONES if "zone" in used else (1,)
    areas = AREAS if "area" in used else ("rural",)
    found = tuple(regions) if "region" in used else (None,)
    return [Dims(z, a, r) for z in zones for a in areas for r in found]
