"""Plan-file rules about each target: what it measures, where, and the value it sets."""

from __future__ import annotations

from collections.abc import Iterator

from engine.inputs.fact_catalogue import FactSpec, catalogue
from engine.inputs.lint.rule import NUMERIC_KINDS, Finding, Loc, fact_hint, is_finite, rule
from engine.inputs.plan_models import Plan, Target

NEEDS_FACT = {"fact", "weighted_mean", "per_population"}
QUALIFYING = {"qualifies", "share_qualifying", "count_qualifying"}
SHARE = {"share_qualifying", "share_meeting"}


def _targets(plan: Plan) -> Iterator[tuple[Loc, Target]]:
    for k, t in enumerate(plan.targets):
        yield ("targets", k), t


def _spec(name: str | None) -> FactSpec | None:
    return catalogue().get(name or "")


def _range(value: float, spec: FactSpec, loc: Loc) -> Iterator[Finding]:
    if not is_finite(value):
        return  # PL113
    if spec.minimum is not None and value < spec.minimum:
        yield Finding(loc, f"{value} is below the smallest possible value of {spec.path}", "check the figure")
    if spec.maximum is not None and value > spec.maximum:
        yield Finding(loc, f"{value} is above the largest possible value of {spec.path}", "check the figure")


@rule(
    "PL106",
    "measure-fact",
    summary="A fact, weighted_mean or per_population measure names a known fact; other measures name none.",
    why="The appraisal computes these measures from one commune fact: without it, or with an unknown "
    "one, there is nothing to compute; a fact on another measure would be silently ignored.",
    fix="Add fact: <section.name> (see docs/facts.md), or remove it from measures that read none.",
)
def measure_fact(plan: Plan) -> Iterator[Finding]:
    for loc, t in _targets(plan):
        m, floc = t.measure, (*loc, "measure", "fact")
        if m.kind in NEEDS_FACT:
            if m.fact is None:
                yield Finding(
                    floc, "this measure needs a fact", "add fact: <section.name>, e.g. staffing.doctors"
                )
            elif _spec(m.fact) is None:
                yield Finding(floc, f"unknown fact {m.fact!r}", fact_hint(m.fact))
        elif m.fact is not None:
            yield Finding(floc, f"a {m.kind} measure reads no single fact", "remove fact")


@rule(
    "PL107",
    "measure-fields",
    summary="A measure has the fields its kind takes, and no others: conditions for share_meeting, "
    "weight for weighted_mean, per for per_population, statistic for statistic, communes for "
    "qualifies and count_qualifying.",
    why="Each kind of measure is computed from its own fields: a missing one leaves it undefined, "
    "and one that does not belong would be silently ignored.",
    fix="Add the field the measure's kind needs, or remove the one it does not take.",
)
def measure_fields(plan: Plan) -> Iterator[Finding]:
    for loc, t in _targets(plan):
        m, kind, mloc = t.measure, t.measure.kind, (*loc, "measure")
        if kind == "share_meeting" and not m.conditions:
            yield Finding(
                mloc, "share_meeting needs conditions", "add conditions: [{fact, comparator, value}]"
            )
        if kind != "share_meeting" and m.conditions:
            yield Finding((*mloc, "conditions"), f"a {kind} measure takes no conditions", "remove conditions")
        if kind == "statistic" and m.statistic is None:
            yield Finding(
                mloc, "a statistic measure must name the statistic", "add statistic: {vi: …, en: …}"
            )
        if kind == "per_population" and m.per is None:
            yield Finding(mloc, "per_population needs 'per'", "add per: 10000 (per 10,000 people)")
        if kind == "weighted_mean" and m.weight is None:
            yield Finding(mloc, "weighted_mean needs 'weight'", "add weight: population (or communes)")
        if kind != "weighted_mean" and m.weight is not None:
            yield Finding((*mloc, "weight"), f"a {kind} measure takes no weight", "remove weight")
        if m.communes and kind not in ("qualifies", "count_qualifying"):
            yield Finding((*mloc, "communes"), f"a {kind} measure takes no commune list", "remove communes")
        if kind == "qualifies" and not m.communes and plan.scope.level != "commune":
            yield Finding(mloc, "'qualifies' must name its communes", "add communes: [<name>, …]")


@rule(
    "PL108",
    "measure-fact-kind",
    summary="The fact a measure reads has the kind it needs: a count for per_population, a "
    "percentage or number for weighted_mean and fact targets.",
    why="A sum per population of a percentage, or an average of yes/no answers, is no figure a plan sets.",
    fix="Read a fact of the right kind, or use share_meeting for yes/no facts.",
)
def measure_fact_kind(plan: Plan) -> Iterator[Finding]:
    for loc, t in _targets(plan):
        m, floc, spec = t.measure, (*loc, "measure", "fact"), _spec(t.measure.fact)
        if spec is None:
            continue
        if m.kind == "per_population" and spec.kind != "count":
            yield Finding(floc, f"{spec.path} is not a count", "per_population sums a count fact")
        if m.kind == "weighted_mean" and spec.kind not in ("percent", "number"):
            yield Finding(floc, f"{spec.path} is a {spec.kind}", "weighted_mean averages a percent")
        if m.kind == "fact" and spec.kind in ("boolean", "choice"):
            yield Finding(floc, f"{spec.path} is a {spec.kind}", "use share_meeting for yes/no facts")


@rule(
    "PL109",
    "target-scope",
    summary="Fact and qualifies targets are about one commune or station; aggregate measures are "
    "about an area.",
    why="An area has no single value of a commune fact, and a share of communes has no meaning for "
    "one commune.",
    fix="Use scope: commune or station for fact and qualifies targets, province or district for the others.",
)
def target_scope(plan: Plan) -> Iterator[Finding]:
    for loc, t in _targets(plan):
        kind = t.measure.kind
        if kind in ("fact", "qualifies") and t.scope not in ("commune", "station"):
            yield Finding(
                (*loc, "scope"), f"a {kind} target is about one commune", "use scope: commune or station"
            )
        if kind not in ("fact", "qualifies", "statistic") and t.scope in ("commune", "station"):
            yield Finding(
                (*loc, "scope"), f"a {kind} target is about an area", "use scope: province or district"
            )


@rule(
    "PL110",
    "target-value",
    summary="A target's value is one its measure can have: shares 0–100, counts whole, 'qualifies' "
    "eq 1, a fact's value within the fact's range.",
    why="A target no figure can reach (a share of 922 %, 118.5 communes) is a typing mistake, and the "
    "area's gap to it would be nonsense.",
    fix="Write the figure as the source states it (92.2 for 92,2 %).",
)
def target_value(plan: Plan) -> Iterator[Finding]:
    for loc, t in _targets(plan):
        kind, vloc = t.measure.kind, (*loc, "value")
        if kind in SHARE and is_finite(t.value) and not 0 <= t.value <= 100:
            yield Finding(vloc, f"a share is a percentage; {t.value} is outside 0–100", "write e.g. 92.2")
        if kind == "count_qualifying" and not isinstance(t.value, int):
            yield Finding(vloc, "a number of communes is a whole number", "write e.g. 119")
        if kind == "qualifies" and (t.value != 1 or t.comparator != "eq"):
            yield Finding(
                vloc,
                "a 'qualifies' target is met when the commune qualifies",
                "write comparator: eq, value: 1",
            )
        spec = _spec(t.measure.fact)
        if kind == "fact" and spec is not None and spec.kind in NUMERIC_KINDS:
            yield from _range(t.value, spec, vloc)


@rule(
    "PL111",
    "target-unit",
    summary="Targets on qualifying communes give no unit: theirs is fixed.",
    why="The unit of a share or count of qualifying communes is fixed (% of communes, communes): "
    "another unit would be shown but not used.",
    fix="Remove unit.",
)
def target_unit(plan: Plan) -> Iterator[Finding]:
    for loc, t in _targets(plan):
        if t.measure.kind in QUALIFYING and t.unit is not None:
            yield Finding((*loc, "unit"), "the unit of this measure is fixed", "remove unit")


@rule(
    "PL112",
    "condition",
    summary="A share_meeting condition reads a known fact, with a comparator of its kind and a "
    "value within its range (none for is_true/is_false).",
    why="Each condition is tested on every commune of the area: one that cannot be tested makes "
    "the share meaningless.",
    fix="Use is_true/is_false for yes/no facts and gte/gt/lte/lt/eq with a value for numbers.",
)
def condition(plan: Plan) -> Iterator[Finding]:
    for loc, t in _targets(plan):
        for k, c in enumerate(t.measure.conditions):
            cloc = (*loc, "measure", "conditions", k)
            spec = _spec(c.fact)
            if spec is None:
                yield Finding((*cloc, "fact"), f"unknown fact {c.fact!r}", fact_hint(c.fact))
                continue
            if c.comparator in ("is_true", "is_false"):
                if spec.kind != "boolean":
                    yield Finding(
                        (*cloc, "comparator"), f"{c.comparator} needs a yes/no fact", "use gte/lte/gt/lt/eq"
                    )
                if c.value is not None:
                    yield Finding((*cloc, "value"), f"{c.comparator} takes no value", "remove the value")
            elif spec.kind not in NUMERIC_KINDS:
                yield Finding(
                    (*cloc, "comparator"), f"{spec.path} is a {spec.kind}, not a number", "use is_true"
                )
            elif c.value is None:
                yield Finding((*cloc, "value"), "this condition needs a value", "add value: <number>")
            else:
                yield from _range(c.value, spec, (*cloc, "value"))
