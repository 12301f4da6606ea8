"""Criteria-set rules about how facts are compared: operator, threshold, dimensions, choices, bands.

Every comparison counts: an indicator's own, those inside its condition or its sub-items, and the
zoning rule's; a threshold that varies by zone, area or region is checked value by value.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from engine.inputs.conditions import NUMERIC_OPERATORS, Compare, resolve
from engine.inputs.criteria import CriteriaSet
from engine.inputs.fact_catalogue import FactSpec, catalogue
from engine.inputs.lint.rule import (
    NUMERIC_KINDS,
    Finding,
    Loc,
    duplicates,
    indicators,
    is_finite,
    is_number,
    rule,
    value_problem,
)
from engine.inputs.lint.walk import (
    all_comparisons,
    cells,
    domain,
    indicator_comparisons,
    plain_values,
    tables,
    zoning_comparisons,
)
from engine.inputs.regions import places

ORDERED = frozenset({"gte", "gt", "lte", "lt"})


def _with_spec(cs: CriteriaSet) -> Iterator[tuple[Loc, Compare, FactSpec]]:
    """Comparisons whose fact is known (an unknown fact is reported by CS112)."""
    facts = catalogue()
    for loc, cmp in all_comparisons(cs):
        spec = facts.get(cmp.fact)
        if spec is not None:
            yield loc, cmp, spec


def _numeric(cmp: Compare, spec: FactSpec) -> bool:
    return cmp.operator in NUMERIC_OPERATORS and spec.kind in NUMERIC_KINDS


@rule(
    "CS104",
    "threshold-value",
    summary="A numeric threshold is a possible value of its fact (a whole number for counts, 0–100 for "
    "percentages), in every zone, area and region it is given for.",
    why="A threshold no commune can have makes the indicator always pass or always fail, and a "
    "threshold of the wrong type is compared with values of another type.",
    fix="Write a value the fact can take: see its kind and range in docs/facts.md.",
)
def threshold_value(cs: CriteriaSet) -> Iterator[Finding]:
    for loc, cmp, spec in _with_spec(cs):
        if not _numeric(cmp, spec) or cmp.threshold is None:
            continue
        for vloc, v in plain_values(cmp.threshold, (*loc, "threshold")):
            why = None if isinstance(v, list) else value_problem(v, spec)
            if why:
                yield Finding(vloc, why, "fix the threshold value")


@rule(
    "CS105",
    "operator-fact",
    summary="The operator suits the kind of fact: is_true/is_false for yes/no facts, 'in' for "
    "choices, gte/gt/lte/lt/eq for numbers.",
    why="durable_rules compares the commune's value with the operator: a yes/no fact compared with "
    "'gte' or a number with 'in' can never give the verdict the indicator means.",
    fix="Change the operator, or read a fact of the right kind.",
)
def operator_fact(cs: CriteriaSet) -> Iterator[Finding]:
    for loc, cmp, spec in _with_spec(cs):
        op = cmp.operator
        if op in ("is_true", "is_false") and spec.kind != "boolean":
            yield Finding(
                (*loc, "operator"),
                f"{op} needs a yes/no fact; {spec.path} is a {spec.kind}",
                "use gte/lte/gt/lt/eq for numbers, 'in' for choices",
            )
        elif op == "in" and spec.kind != "choice":
            yield Finding(
                (*loc, "operator"),
                f"'in' needs a choice fact; {spec.path} is a {spec.kind}",
                "use gte/lte/gt/lt/eq for numbers, is_true/is_false for yes/no facts",
            )
        elif op in NUMERIC_OPERATORS and spec.kind not in NUMERIC_KINDS:
            yield Finding(
                (*loc, "operator"),
                f"{op} needs a numeric fact; {spec.path} is a {spec.kind}",
                "use is_true/is_false for yes/no facts, 'in' for choices",
            )


@rule(
    "CS106",
    "threshold-form",
    summary="The threshold has the form its operator takes: none for is_true/is_false, a list for "
    "'in', a number for the others (or a table of them by zone, area or region).",
    why="The compiler turns the operator and threshold into durable_rules conditions: a missing "
    "threshold, or one of another form, leaves the indicator without a meaning.",
    fix="Remove the threshold (is_true/is_false), give a list of choices ('in'), or give a number or "
    "{1: …, 2: …, 3: …} or {by: region, values: {…}}.",
)
def threshold_form(cs: CriteriaSet) -> Iterator[Finding]:
    for loc, cmp in all_comparisons(cs):
        op, t, tloc = cmp.operator, cmp.threshold, (*loc, "threshold")
        if op in ("is_true", "is_false"):
            if t is not None:
                yield Finding(tloc, f"{op} takes no threshold", "remove the threshold")
            continue
        if t is None:
            yield Finding(tloc, f"{op} needs a threshold", "add threshold: <number>")
            continue
        for vloc, v in plain_values(t, tloc):
            if op == "in" and (not isinstance(v, list) or not v):
                yield Finding(vloc, "'in' needs a list of accepted choices", "write e.g. threshold: [good]")
            elif op != "in" and isinstance(v, list):
                yield Finding(
                    vloc,
                    "a list of choices only goes with operator 'in'",
                    "give a number, or a map {1: …, 2: …, 3: …} when zones differ",
                )


def _thresholds(cs: CriteriaSet) -> Iterator[tuple[Loc, Any]]:
    """Every threshold and band threshold, with its location."""
    for loc, _, ind in indicators(cs):
        if ind.form == "compare":
            yield (*loc, "threshold"), ind.threshold
            yield from (((*loc, "partial", k, "threshold"), b.threshold) for k, b in enumerate(ind.partial))
        else:
            yield from (
                ((*cloc, "threshold"), cmp.threshold) for cloc, cmp in indicator_comparisons(ind, loc)
            )
    yield from (((*cloc, "threshold"), cmp.threshold) for cloc, cmp in zoning_comparisons(cs))


@rule(
    "CS107",
    "dimension-thresholds",
    summary="A threshold or band that varies by zone, area or region names real values of it, gives "
    "every one of them, and varies by each dimension once.",
    why="A commune of a zone, area or region without a threshold would have nothing to be compared "
    "with; a value that is not a zone, area or region is never used.",
    fix="Give a value for every zone 1, 2 and 3, every area (rural, urban), every region of "
    "criteria/regions/regions.yaml — or one value for all.",
)
def dimension_thresholds(cs: CriteriaSet) -> Iterator[Finding]:
    regions = places().table.codes
    for base, t in _thresholds(cs):
        for keys_loc, dimension, values, walked in tables(t, base):
            allowed = domain(dimension, regions)
            for key in values:
                if key not in allowed:
                    shown = ", ".join(map(str, allowed))
                    yield Finding(
                        (*keys_loc, key), f"{key!r} is not a {dimension} (one of {shown})", "use one of them"
                    )
            missing = [d for d in allowed if d not in values]
            if missing and dimension == "zone" and walked == keys_loc:  # the {1: …, 2: …, 3: …} shorthand
                yield Finding(
                    keys_loc,
                    f"thresholds vary by zone but zone(s) {', '.join(map(str, missing))} are missing",
                    "give a threshold for every zone 1, 2 and 3",
                )
            elif missing:
                yield Finding(
                    keys_loc,
                    f"thresholds vary by {dimension} but {', '.join(map(str, missing))} "
                    f"{'is' if len(missing) == 1 else 'are'} missing",
                    f"give a value for every {dimension}: {', '.join(map(str, allowed))}",
                )
            inner = {d for _, d, _, w in tables(t, base) if w[: len(walked)] == walked and w != walked}
            if dimension in inner:
                yield Finding(
                    walked,
                    f"a table by {dimension} inside a table by {dimension}",
                    "nest each dimension once",
                )


@rule(
    "CS108",
    "choices",
    summary="The choices accepted by 'in' are choices of the fact, each listed once.",
    why="A choice the fact does not have never matches; a choice listed twice makes durable_rules "
    "give the indicator two verdicts, which stops the evaluation.",
    fix="List each accepted choice once, spelled as in docs/facts.md.",
)
def choices(cs: CriteriaSet) -> Iterator[Finding]:
    for loc, cmp, spec in _with_spec(cs):
        if cmp.operator != "in" or spec.kind != "choice":
            continue
        for vloc, t in plain_values(cmp.threshold, (*loc, "threshold")):
            if not isinstance(t, list):
                continue
            for k, choice in enumerate(t):
                if choice not in spec.choices:
                    yield Finding(
                        (*vloc, k),
                        f"{choice!r} is not a choice of {spec.path}",
                        f"choices: {', '.join(spec.choices)}",
                    )
            for twice in duplicates(t):
                yield Finding(vloc, f"choice {twice!r} is listed twice", "list it once")


@rule(
    "CS109",
    "band-operator",
    summary="Partial-credit bands go only with an indicator of one comparison by gte, gt, lte or lt.",
    why="A band awards part of the points for a value short of the threshold: 'short of' has a "
    "meaning only for an ordering operator (a condition or sub-items score by their own points).",
    fix="Remove 'partial', or use gte/gt/lte/lt.",
)
def band_operator(cs: CriteriaSet) -> Iterator[Finding]:
    for loc, _, ind in indicators(cs):
        if ind.partial and ind.operator not in ORDERED:
            yield Finding(
                (*loc, "partial"),
                f"partial bands need gte/gt/lte/lt, not {ind.operator}",
                "remove 'partial' or change the operator",
            )


def _looser(op: str, lower: float, upper: float) -> bool:
    """True when ``lower`` is strictly easier to meet than ``upper`` under ``op``."""
    return lower < upper if op in ("gte", "gt") else lower > upper


def _where(dims: Any, basis: Any) -> str:
    parts = [f"{d} {v}" for d, v in basis]
    return ", ".join(parts) if parts else f"zone {dims.zone}"


@rule(
    "CS111",
    "band-threshold",
    summary="Each partial-credit band's threshold is a possible value of the fact, strictly looser "
    "than the threshold or band above it, in every zone, area and region.",
    why="The compiler gives a band the values between its threshold and the level above: a band "
    "that is not looser never applies, and bands out of order give some values two verdicts.",
    fix="Order the bands from the strictest to the loosest threshold, all looser than the main one.",
)
def band_threshold(cs: CriteriaSet) -> Iterator[Finding]:
    facts = catalogue()
    regions = places().table.codes
    for loc, _, ind in indicators(cs):
        spec = facts.get(ind.fact or "")
        if (
            ind.form != "compare"
            or spec is None
            or ind.operator not in ORDERED
            or spec.kind not in NUMERIC_KINDS
        ):
            continue
        for k, band in enumerate(ind.partial):
            bloc = (*loc, "partial", k, "threshold")
            above = ind.threshold if k == 0 else ind.partial[k - 1].threshold
            for dims in cells([above, band.threshold], regions):
                (lower, basis), upper = resolve(band.threshold, dims), resolve(above, dims)[0]
                if not is_number(lower):
                    continue  # CS106, CS107
                why = value_problem(lower, spec)
                if why:
                    yield Finding(bloc, why, "fix the band threshold")
                    break
                if not is_number(upper) or not is_finite(upper) or not is_finite(lower):
                    continue
                if not _looser(ind.operator, lower, upper):
                    level = "threshold" if k == 0 else f"band {k}"
                    yield Finding(
                        bloc,
                        f"in {_where(dims, basis)} the band threshold {lower:g} is not looser than the {level} {upper:g}",
                        "a band awards part of the points for a value short of the level above it",
                    )
                    break
