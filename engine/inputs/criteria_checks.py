"""Semantic checks of a criteria set, beyond what the models' types enforce.

Each check yields ``Problem``s located by a path into the YAML document, so the loader can report
every problem of a file at once with its line and column.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from engine.inputs.criteria import NUMERIC_OPERATORS, ZONES, CriteriaSet, Indicator
from engine.inputs.fact_catalogue import FactSpec, catalogue

Loc = tuple[int | str, ...]
EPS = 1e-9


@dataclass(frozen=True)
class Problem:
    loc: Loc
    message: str
    hint: str


def _fact_hint(name: str) -> str:
    close = difflib.get_close_matches(name, list(catalogue()), n=3)
    if close:
        return "did you mean " + ", ".join(close) + "?"
    return "use a fact path listed in README.md (section 'Fact files')"


def _scalar_ok(value: object, spec: FactSpec) -> str | None:
    """Why ``value`` cannot be a threshold for ``spec``, or None when it can."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"must be a number for the {spec.kind} fact {spec.path}, not {value!r}"
    if spec.kind == "count" and not isinstance(value, int):
        return f"must be a whole number: {spec.path} is a count"
    if spec.minimum is not None and value < spec.minimum:
        return f"{value} is below the smallest possible value {spec.minimum} of {spec.path}"
    if spec.maximum is not None and value > spec.maximum:
        return f"{value} is above the largest possible value {spec.maximum} of {spec.path}"
    return None


def _check_threshold(ind: Indicator, spec: FactSpec, loc: Loc) -> Iterator[Problem]:
    op, t = ind.operator, ind.threshold
    if op in ("is_true", "is_false"):
        if spec.kind != "boolean":
            yield Problem(
                (*loc, "operator"),
                f"{op} needs a yes/no fact; {spec.path} is a {spec.kind}",
                "use gte/lte/gt/lt/eq for numbers, 'in' for choices",
            )
        if t is not None:
            yield Problem((*loc, "threshold"), f"{op} takes no threshold", "remove the threshold")
        return
    if op == "in":
        if spec.kind != "choice":
            yield Problem(
                (*loc, "operator"),
                f"'in' needs a choice fact; {spec.path} is a {spec.kind}",
                "use gte/lte/gt/lt/eq for numbers, is_true/is_false for yes/no facts",
            )
        elif not isinstance(t, list) or not t:
            yield Problem(
                (*loc, "threshold"),
                "'in' needs a list of accepted choices",
                f"write e.g. [{spec.choices[0]}]; choices: {', '.join(spec.choices)}",
            )
        else:
            for k, choice in enumerate(t):
                if choice not in spec.choices:
                    yield Problem(
                        (*loc, "threshold", k),
                        f"{choice!r} is not a choice of {spec.path}",
                        f"choices: {', '.join(spec.choices)}",
                    )
        return
    if spec.kind not in ("count", "percent", "number"):
        yield Problem(
            (*loc, "operator"),
            f"{op} needs a numeric fact; {spec.path} is a {spec.kind}",
            "use is_true/is_false for yes/no facts, 'in' for choices",
        )
        return
    if t is None:
        yield Problem((*loc, "threshold"), f"{op} needs a threshold", "add threshold: <number>")
        return
    if isinstance(t, list):
        yield Problem(
            (*loc, "threshold"),
            "a list of choices only goes with operator 'in'",
            "give a number, or a map {1: …, 2: …, 3: …} when zones differ",
        )
        return
    if isinstance(t, dict):
        missing = [z for z in ZONES if z not in t]
        if missing:
            yield Problem(
                (*loc, "threshold"),
                f"thresholds vary by zone but zone(s) {', '.join(map(str, missing))} are missing",
                "give a threshold for every zone 1, 2 and 3",
            )
        for z, v in t.items():
            why = _scalar_ok(v, spec)
            if why:
                yield Problem((*loc, "threshold", z), why, "fix the threshold value")
    else:
        why = _scalar_ok(t, spec)
        if why:
            yield Problem((*loc, "threshold"), why, "fix the threshold value")


def _better(op: str, a: float, b: float) -> bool:
    """True when value ``a`` is strictly more demanding than ``b`` under ``op``."""
    return a > b if op in ("gte", "gt") else a < b


def _check_bands(ind: Indicator, spec: FactSpec, loc: Loc) -> Iterator[Problem]:
    if not ind.partial:
        return
    if ind.operator not in NUMERIC_OPERATORS - {"eq"}:
        yield Problem(
            (*loc, "partial"),
            f"partial bands need gte/gt/lte/lt, not {ind.operator}",
            "remove 'partial' or change the operator",
        )
        return
    previous_points = ind.points
    for k, band in enumerate(ind.partial):
        bloc = (*loc, "partial", k)
        if band.points >= previous_points - EPS:
            yield Problem(
                (*bloc, "points"),
                f"band points {band.points} must be below {previous_points}",
                "order bands from the most to the least points, each below the full points",
            )
        previous_points = band.points
        if isinstance(band.threshold, dict) and any(z not in band.threshold for z in ZONES):
            yield Problem(
                (*bloc, "threshold"),
                "a per-zone band must give every zone 1, 2 and 3",
                "add the missing zones",
            )
            continue
        for z in ZONES:
            main, lower = ind.threshold_for(z), ind.band_threshold(band, z)
            why = _scalar_ok(lower, spec)
            if why:
                yield Problem((*bloc, "threshold"), why, "fix the band threshold")
                break
            if isinstance(main, (int, float)) and not _better(ind.operator, main, lower):
                yield Problem(
                    (*bloc, "threshold"),
                    f"in zone {z} the band threshold {lower} is not looser than {main}",
                    "a band awards part of the points for a value short of the threshold",
                )
                break


def check_set(cs: CriteriaSet) -> list[Problem]:
    """Every semantic problem in ``cs``, each with its location in the YAML document."""
    out: list[Problem] = []
    facts = catalogue()
    seen_criteria: set[str] = set()
    seen_indicators: set[str] = set()
    seen_actions: dict[str, Loc] = {}
    total = 0.0
    for ci, crit in enumerate(cs.criteria):
        cloc: Loc = ("criteria", ci)
        if crit.id in seen_criteria:
            out.append(
                Problem(
                    (*cloc, "id"),
                    f"criterion id {crit.id} is used twice",
                    "give every criterion its own number",
                )
            )
        seen_criteria.add(crit.id)
        total += crit.max_points
        points = 0.0
        for ii, ind in enumerate(crit.indicators):
            iloc: Loc = (*cloc, "indicators", ii)
            points += ind.points
            if ind.id in seen_indicators:
                out.append(
                    Problem(
                        (*iloc, "id"),
                        f"indicator id {ind.id} is used twice",
                        "ids are stable and never reused: give a new number",
                    )
                )
            seen_indicators.add(ind.id)
            if ind.id.split(".")[0] != crit.id:
                out.append(
                    Problem(
                        (*iloc, "id"),
                        f"indicator {ind.id} is not numbered under criterion {crit.id}",
                        f"number it {crit.id}.<n>",
                    )
                )
            spec = facts.get(ind.fact)
            if spec is None:
                out.append(Problem((*iloc, "fact"), f"unknown fact {ind.fact!r}", _fact_hint(ind.fact)))
            else:
                out.extend(_check_threshold(ind, spec, iloc))
                out.extend(_check_bands(ind, spec, iloc))
            if ind.provenance.status == "confirmed" and not ind.provenance.source:
                out.append(
                    Problem(
                        (*iloc, "provenance"),
                        "confirmed content must say where it was read",
                        "add provenance.source, or mark it status: draft",
                    )
                )
            if not ind.applies_to.zones or not ind.applies_to.areas:
                out.append(
                    Problem(
                        (*iloc, "applies_to"), "applies to no commune", "list at least one zone and one area"
                    )
                )
            for ai, act in enumerate(ind.remediation):
                aloc: Loc = (*iloc, "remediation", ai)
                if act.id in seen_actions:
                    out.append(
                        Problem(
                            (*aloc, "id"), f"action id {act.id} is used twice", "give every action its own id"
                        )
                    )
                seen_actions[act.id] = aloc
                for ei, eff in enumerate(act.effects):
                    espec = facts.get(eff.fact)
                    eloc: Loc = (*aloc, "effects", ei)
                    if espec is None:
                        out.append(
                            Problem((*eloc, "fact"), f"unknown fact {eff.fact!r}", _fact_hint(eff.fact))
                        )
                    elif espec.immutable:
                        out.append(
                            Problem(
                                (*eloc, "fact"),
                                f"{eff.fact} cannot be changed by an action",
                                "zone, population and distance are facts of geography",
                            )
                        )
                    if (eff.set is None) == (eff.add is None):
                        out.append(
                            Problem(
                                eloc,
                                "an effect needs exactly one of 'set' or 'add'",
                                "write set: <value> or add: <number>",
                            )
                        )
        if abs(points - crit.max_points) > EPS:
            out.append(
                Problem(
                    (*cloc, "max_points"),
                    f"criterion {crit.id}: indicator points add up to {points:g}, "
                    f"not its maximum {crit.max_points:g}",
                    "make the indicators' points add up to the criterion's maximum",
                )
            )
    if abs(total - cs.max_points) > EPS:
        out.append(
            Problem(
                ("max_points",),
                f"criteria maxima add up to {total:g}, not {cs.max_points:g}",
                "make the criteria maxima add up to the set's max_points",
            )
        )
    if cs.recognition.min_total > cs.max_points:
        out.append(
            Problem(
                ("recognition", "min_total"), "the pass mark is above the maximum score", "lower min_total"
            )
        )
    if cs.provenance.status == "confirmed" and not cs.provenance.source:
        out.append(
            Problem(("provenance",), "confirmed content must say where it was read", "add provenance.source")
        )
    return out
