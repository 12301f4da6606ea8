"""Semantic checks of a plan file, beyond what the models' types enforce.

Every problem is located by a path into the YAML document so the loader reports them all at once,
each at its file:line:col, with a hint.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from engine.inputs.criteria_checks import Problem
from engine.inputs.fact_catalogue import FactSpec, catalogue
from engine.inputs.plan_models import Condition, Plan, Target

Loc = tuple[int | str, ...]

_NEEDS_FACT = {"fact", "weighted_mean", "per_population"}
_QUALIFYING = {"qualifies", "share_qualifying", "count_qualifying"}
_SHARE = {"share_qualifying", "share_meeting"}


def _fact(name: str | None, loc: Loc) -> Iterator[Problem]:
    if name is None:
        yield Problem(loc, "this measure needs a fact", "add fact: <section.name>, e.g. staffing.doctors")
    elif name not in catalogue():
        close = difflib.get_close_matches(name, list(catalogue()), n=3)
        yield Problem(
            loc,
            f"unknown fact {name!r}",
            ("did you mean " + ", ".join(close) + "?")
            if close
            else "use a fact path listed by 'commune-health template'",
        )


def _in_range(value: float, spec: FactSpec, loc: Loc) -> Iterator[Problem]:
    if spec.minimum is not None and value < spec.minimum:
        yield Problem(loc, f"{value} is below the smallest possible value of {spec.path}", "check the figure")
    if spec.maximum is not None and value > spec.maximum:
        yield Problem(loc, f"{value} is above the largest possible value of {spec.path}", "check the figure")


def _condition(c: Condition, loc: Loc) -> Iterator[Problem]:
    yield from _fact(c.fact, (*loc, "fact"))
    spec = catalogue().get(c.fact)
    if spec is None:
        return
    if c.comparator in ("is_true", "is_false"):
        if spec.kind != "boolean":
            yield Problem((*loc, "comparator"), f"{c.comparator} needs a yes/no fact", "use gte/lte/gt/lt/eq")
        if c.value is not None:
            yield Problem((*loc, "value"), f"{c.comparator} takes no value", "remove the value")
        return
    if spec.kind not in ("count", "number", "percent"):
        yield Problem((*loc, "comparator"), f"{spec.path} is a {spec.kind}, not a number", "use is_true")
    elif c.value is None:
        yield Problem((*loc, "value"), "this condition needs a value", "add value: <number>")
    else:
        yield from _in_range(c.value, spec, (*loc, "value"))


def _target(t: Target, loc: Loc, level: str) -> Iterator[Problem]:
    m, kind = t.measure, t.measure.kind
    mloc = (*loc, "measure")
    if kind in _NEEDS_FACT:
        yield from _fact(m.fact, (*mloc, "fact"))
    elif m.fact is not None:
        yield Problem((*mloc, "fact"), f"a {kind} measure reads no single fact", "remove fact")
    if kind == "share_meeting":
        if not m.conditions:
            yield Problem(
                mloc, "share_meeting needs conditions", "add conditions: [{fact, comparator, value}]"
            )
        for k, c in enumerate(m.conditions):
            yield from _condition(c, (*mloc, "conditions", k))
    elif m.conditions:
        yield Problem((*mloc, "conditions"), f"a {kind} measure takes no conditions", "remove conditions")
    if kind == "statistic" and m.statistic is None:
        yield Problem(mloc, "a statistic measure must name the statistic", "add statistic: {vi: …, en: …}")
    if kind == "per_population":
        if m.per is None:
            yield Problem(mloc, "per_population needs 'per'", "add per: 10000 (per 10,000 people)")
        spec = catalogue().get(m.fact or "")
        if spec is not None and spec.kind != "count":
            yield Problem((*mloc, "fact"), f"{spec.path} is not a count", "per_population sums a count fact")
    if kind == "weighted_mean":
        spec = catalogue().get(m.fact or "")
        if spec is not None and spec.kind not in ("percent", "number"):
            yield Problem(
                (*mloc, "fact"), f"{spec.path} is a {spec.kind}", "weighted_mean averages a percent"
            )
        if m.weight is None:
            yield Problem(mloc, "weighted_mean needs 'weight'", "add weight: population (or communes)")
    elif m.weight is not None:
        yield Problem((*mloc, "weight"), f"a {kind} measure takes no weight", "remove weight")
    if m.communes and kind not in ("qualifies", "count_qualifying"):
        yield Problem((*mloc, "communes"), f"a {kind} measure takes no commune list", "remove communes")
    if kind == "qualifies" and not m.communes and level != "commune":
        yield Problem(mloc, "'qualifies' must name its communes", "add communes: [<name>, …]")

    # scope: commune-level measures on communes and stations, aggregates on areas
    if kind in ("fact", "qualifies") and t.scope not in ("commune", "station"):
        yield Problem(
            (*loc, "scope"), f"a {kind} target is about one commune", "use scope: commune or station"
        )
    if kind not in ("fact", "qualifies", "statistic") and t.scope in ("commune", "station"):
        yield Problem((*loc, "scope"), f"a {kind} target is about an area", "use scope: province or district")

    # value: shares are percentages, counts whole numbers, 'qualifies' is 1 (yes)
    vloc = (*loc, "value")
    if kind in _SHARE and not 0 <= t.value <= 100:
        yield Problem(vloc, f"a share is a percentage; {t.value} is outside 0–100", "write e.g. 92.2")
    if kind == "count_qualifying" and not isinstance(t.value, int):
        yield Problem(vloc, "a number of communes is a whole number", "write e.g. 119")
    if kind == "qualifies" and (t.value != 1 or t.comparator != "eq"):
        yield Problem(
            vloc, "a 'qualifies' target is met when the commune qualifies", "write comparator: eq, value: 1"
        )
    if kind == "fact":
        spec = catalogue().get(m.fact or "")
        if spec is not None:
            if spec.kind in ("boolean", "choice"):
                yield Problem(
                    (*mloc, "fact"), f"{spec.path} is a {spec.kind}", "use share_meeting for yes/no facts"
                )
            yield from _in_range(t.value, spec, vloc)
    if kind in _QUALIFYING and t.unit is not None:
        yield Problem((*loc, "unit"), "the unit of this measure is fixed", "remove unit")
    if t.baseline is not None and t.baseline.year > t.due_year:
        yield Problem(
            (*loc, "baseline", "year"), "the baseline year is after the due year", "check both years"
        )


def check_plan(plan: Plan) -> list[Problem]:
    problems: list[Problem] = []
    s = plan.scope
    needs = {"national": (), "province": ("province",), "district": ("province", "district"),
             "commune": ("province", "commune")}[s.level]  # fmt: skip
    for name in needs:
        if getattr(s, name) is None:
            problems.append(
                Problem(("scope",), f"a {s.level} plan must name its {name}", f"add {name}: <name>")
            )
    if plan.period.until_year < plan.period.from_year:
        problems.append(
            Problem(("period", "until_year"), "the period ends before it starts", "check the years")
        )
    seen: set[str] = set()
    for k, t in enumerate(plan.targets):
        loc: Loc = ("targets", k)
        if t.id in seen:
            problems.append(
                Problem((*loc, "id"), f"target id {t.id!r} is used twice", "give each target its own id")
            )
        seen.add(t.id)
        problems.extend(_target(t, loc, s.level))
        if t.due_year < plan.period.from_year:
            problems.append(
                Problem(
                    (*loc, "due_year"), "due before the plan's period starts", "check due_year and period"
                )
            )
    return problems
