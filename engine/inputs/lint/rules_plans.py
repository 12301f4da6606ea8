"""Plan-file rules about the plan as a whole: its area, period, target ids and years, numbers."""

from __future__ import annotations

from collections.abc import Iterator

from engine.inputs.lint.rule import Finding, not_finite, rule
from engine.inputs.plan_models import Plan

NEEDS = {"national": (), "province": ("province",), "district": ("province", "district"),
         "commune": ("province", "commune")}  # fmt: skip


@rule(
    "PL101",
    "scope-names",
    summary="A plan names the places of its level: a province plan its province, a district plan its "
    "province and district, a commune plan its province and commune.",
    why="Plans are matched with the communes of their area by these names: an unnamed area matches "
    "every commune, or none.",
    fix="Add the missing name under scope.",
)
def scope_names(plan: Plan) -> Iterator[Finding]:
    s = plan.scope
    for name in NEEDS[s.level]:
        if getattr(s, name) is None:
            yield Finding(("scope",), f"a {s.level} plan must name its {name}", f"add {name}: <name>")


@rule(
    "PL102",
    "period",
    summary="A plan's period ends in or after the year it starts.",
    why="A plan is used for the assessment years of its period: one that ends before it starts "
    "covers no year.",
    fix="Correct period.from_year or period.until_year.",
)
def period(plan: Plan) -> Iterator[Finding]:
    if plan.period.until_year < plan.period.from_year:
        yield Finding(("period", "until_year"), "the period ends before it starts", "check the years")


@rule(
    "PL103",
    "target-id",
    summary="Every target of a plan has its own id.",
    why="Reports and the planner's --plan name targets by id: two targets with one id are mixed up.",
    fix="Give each target its own id (lowercase words joined by '-').",
)
def target_id(plan: Plan) -> Iterator[Finding]:
    seen: set[str] = set()
    for k, t in enumerate(plan.targets):
        if t.id in seen:
            yield Finding(
                ("targets", k, "id"), f"target id {t.id!r} is used twice", "give each target its own id"
            )
        seen.add(t.id)


@rule(
    "PL104",
    "due-year",
    summary="A target is not due before its plan's period starts.",
    why="A target due before the plan exists was not set by this plan: the year is mistyped, or the "
    "target belongs to another plan.",
    fix="Correct due_year or the plan's period.",
)
def due_year(plan: Plan) -> Iterator[Finding]:
    for k, t in enumerate(plan.targets):
        if t.due_year < plan.period.from_year:
            yield Finding(
                ("targets", k, "due_year"), "due before the plan's period starts", "check due_year and period"
            )


@rule(
    "PL105",
    "baseline-year",
    summary="A target's baseline year is not after its due year.",
    why="A baseline is the figure the target starts from: measured after the deadline it is no baseline.",
    fix="Correct baseline.year or due_year.",
)
def baseline_year(plan: Plan) -> Iterator[Finding]:
    for k, t in enumerate(plan.targets):
        if t.baseline is not None and t.baseline.year > t.due_year:
            yield Finding(
                ("targets", k, "baseline", "year"),
                "the baseline year is after the due year",
                "check both years",
            )


@rule(
    "PL113",
    "finite-number",
    summary="Every number in the plan is finite: no .nan, .inf or -.inf.",
    why="A target of NaN is never met nor missed, and an infinite one is met by nothing: the "
    "appraisal's comparison with the plan would mean nothing.",
    fix="Write the figure the source states, as a plain number.",
)
def finite_number(plan: Plan) -> Iterator[Finding]:
    yield from not_finite(plan.model_dump())
