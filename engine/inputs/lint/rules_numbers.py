"""Criteria-set rules about numbers themselves: finite, and written as plainly as a commune reports them."""

from __future__ import annotations

from collections.abc import Iterator

from engine.inputs.criteria import CriteriaSet
from engine.inputs.lint.rule import (
    THRESHOLD_DECIMALS,
    Finding,
    Loc,
    decimals,
    indicators,
    is_finite,
    is_number,
    not_finite,
    rule,
)
from engine.inputs.lint.walk import actions, all_comparisons, plain_values


@rule(
    "CS117",
    "finite-number",
    summary="Every number in the set is finite: no .nan, .inf or -.inf.",
    why="NaN compares false with everything and infinity swallows every sum: a threshold, points "
    "value or maximum of either kind gives communes no verdict, or scores that mean nothing.",
    fix="Write the intended figure as a plain number.",
)
def finite_number(cs: CriteriaSet) -> Iterator[Finding]:
    yield from not_finite(cs.model_dump())


def _compared_values(cs: CriteriaSet) -> Iterator[tuple[Loc, object]]:
    """Every threshold, band threshold and effect value, with its location."""
    for loc, _, ind in indicators(cs):
        for k, b in enumerate(ind.partial):
            yield from plain_values(b.threshold, (*loc, "partial", k, "threshold"))
    for cloc, cmp in all_comparisons(cs):
        yield from plain_values(cmp.threshold, (*cloc, "threshold"))
    for aloc, act in actions(cs):
        for ei, eff in enumerate(act.effects):
            yield (*aloc, "effects", ei, "set"), eff.set
            yield (*aloc, "effects", ei, "add"), eff.add


@rule(
    "CS118",
    "value-precision",
    summary="Thresholds and effect values are written with at most three decimals.",
    why="Communes report their figures with one or two decimals: a threshold such as 0.00001 "
    "distinguishes nothing real, and values that small or that precise were handed to "
    "durable_rules in a form it could not read (1e-05), which stopped every evaluation.",
    fix="Round the value to at most three decimals (0.001).",
)
def value_precision(cs: CriteriaSet) -> Iterator[Finding]:
    for loc, value in _compared_values(cs):
        if is_number(value) and is_finite(value) and decimals(value) > THRESHOLD_DECIMALS:  # type: ignore[arg-type]
            yield Finding(loc, f"{value!r} has more than {THRESHOLD_DECIMALS} decimals")
