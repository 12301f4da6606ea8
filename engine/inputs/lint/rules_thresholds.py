"""Criteria-set rules about how an indicator compares its fact: operator, threshold, choices, bands."""

from __future__ import annotations

from collections.abc import Iterator

from engine.inputs.criteria import NUMERIC_OPERATORS, ZONES, CriteriaSet, Indicator
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

ORDERED = frozenset({"gte", "gt", "lte", "lt"})


def _with_spec(cs: CriteriaSet) -> Iterator[tuple[Loc, Indicator, FactSpec]]:
    """Indicators whose fact is known (an unknown fact is reported by CS112)."""
    facts = catalogue()
    for loc, _, ind in indicators(cs):
        spec = facts.get(ind.fact)
        if spec is not None:
            yield loc, ind, spec


def _numeric(ind: Indicator, spec: FactSpec) -> bool:
    return ind.operator in NUMERIC_OPERATORS and spec.kind in NUMERIC_KINDS


@rule(
    "CS104",
    "threshold-value",
    summary="A numeric threshold is a possible value of its fact (a whole number for counts, 0–100 for "
    "percentages).",
    why="A threshold no commune can have makes the indicator always pass or always fail, and a "
    "threshold of the wrong type is compared with values of another type.",
    fix="Write a value the fact can take: see its kind and range in docs/facts.md.",
)
def threshold_value(cs: CriteriaSet) -> Iterator[Finding]:
    for loc, ind, spec in _with_spec(cs):
        t = ind.threshold
        if not _numeric(ind, spec) or t is None or isinstance(t, list):
            continue
        values = t.items() if isinstance(t, dict) else [(None, t)]
        for z, v in values:
            why = value_problem(v, spec)
            if why:
                yield Finding(
                    (*loc, "threshold", *([] if z is None else [z])), why, "fix the threshold value"
                )


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
    for loc, ind, spec in _with_spec(cs):
        op = ind.operator
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
    "'in', a number or a map of zones for the others.",
    why="The compiler turns the operator and threshold into durable_rules conditions: a missing "
    "threshold, or one of another form, leaves the indicator without a meaning.",
    fix="Remove the threshold (is_true/is_false), give a list of choices ('in'), or give a number or "
    "{1: …, 2: …, 3: …}.",
)
def threshold_form(cs: CriteriaSet) -> Iterator[Finding]:
    for loc, _, ind in indicators(cs):
        op, t, tloc = ind.operator, ind.threshold, (*loc, "threshold")
        if op in ("is_true", "is_false"):
            if t is not None:
                yield Finding(tloc, f"{op} takes no threshold", "remove the threshold")
        elif op == "in":
            if not isinstance(t, list) or not t:
                yield Finding(tloc, "'in' needs a list of accepted choices", "write e.g. threshold: [good]")
        elif t is None:
            yield Finding(tloc, f"{op} needs a threshold", "add threshold: <number>")
        elif isinstance(t, list):
            yield Finding(
                tloc,
                "a list of choices only goes with operator 'in'",
                "give a number, or a map {1: …, 2: …, 3: …} when zones differ",
            )


@rule(
    "CS107",
    "zone-thresholds",
    summary="A threshold or band given per zone gives every zone 1, 2 and 3.",
    why="A commune of a zone without a threshold would have nothing to be compared with.",
    fix="Give a value for every zone 1, 2 and 3 (a zone the indicator does not apply to included), "
    "or one number for all zones.",
)
def zone_thresholds(cs: CriteriaSet) -> Iterator[Finding]:
    for loc, _, ind in indicators(cs):
        maps: list[tuple[Loc, object]] = [((*loc, "threshold"), ind.threshold)]
        maps += [((*loc, "partial", k, "threshold"), b.threshold) for k, b in enumerate(ind.partial)]
        for tloc, t in maps:
            missing = [z for z in ZONES if isinstance(t, dict) and z not in t]
            if missing:
                yield Finding(
                    tloc,
                    f"thresholds vary by zone but zone(s) {', '.join(map(str, missing))} are missing",
                    "give a threshold for every zone 1, 2 and 3",
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
    for loc, ind, spec in _with_spec(cs):
        t = ind.threshold
        if ind.operator != "in" or spec.kind != "choice" or not isinstance(t, list):
            continue
        for k, choice in enumerate(t):
            if choice not in spec.choices:
                yield Finding(
                    (*loc, "threshold", k),
                    f"{choice!r} is not a choice of {spec.path}",
                    f"choices: {', '.join(spec.choices)}",
                )
        for twice in duplicates(t):
            yield Finding((*loc, "threshold"), f"choice {twice!r} is listed twice", "list it once")


@rule(
    "CS109",
    "band-operator",
    summary="Partial-credit bands go only with the operators gte, gt, lte and lt.",
    why="A band awards part of the points for a value short of the threshold: 'short of' has a "
    "meaning only for an ordering operator.",
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


def _level(t: object, zone: int) -> object:
    """The value of threshold ``t`` in ``zone`` (None where a map leaves the zone out)."""
    return t.get(zone) if isinstance(t, dict) else t


def _looser(op: str, lower: float, upper: float) -> bool:
    """True when ``lower`` is strictly easier to meet than ``upper`` under ``op``."""
    return lower < upper if op in ("gte", "gt") else lower > upper


@rule(
    "CS111",
    "band-threshold",
    summary="Each partial-credit band's threshold is a possible value of the fact, strictly looser "
    "than the threshold or band above it, in every zone.",
    why="The compiler gives a band the values between its threshold and the level above: a band "
    "that is not looser never applies, and bands out of order give some values two verdicts.",
    fix="Order the bands from the strictest to the loosest threshold, all looser than the main one.",
)
def band_threshold(cs: CriteriaSet) -> Iterator[Finding]:
    for loc, ind, spec in _with_spec(cs):
        if ind.operator not in ORDERED or spec.kind not in NUMERIC_KINDS:
            continue
        for k, band in enumerate(ind.partial):
            bloc = (*loc, "partial", k, "threshold")
            if isinstance(band.threshold, dict) and any(z not in band.threshold for z in ZONES):
                continue  # CS107
            for z in ZONES:
                lower = _level(band.threshold, z)
                why = value_problem(lower, spec)
                if why:
                    yield Finding(bloc, why, "fix the band threshold")
                    break
                above = _level(ind.threshold if k == 0 else ind.partial[k - 1].threshold, z)
                if not is_number(above) or not is_finite(above) or not is_finite(lower):
                    continue
                if not _looser(ind.operator, lower, above):  # type: ignore[arg-type]
                    level = "threshold" if k == 0 else f"band {k}"
                    yield Finding(
                        bloc,
                        f"in zone {z} the band threshold {lower:g} is not looser than the {level} {above:g}",
                        "a band awards part of the points for a value short of the level above it",
                    )
                    break
