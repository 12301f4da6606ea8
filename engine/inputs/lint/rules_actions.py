"""Criteria-set rules about remediation actions: ids, the facts their effects change, values, costs."""

from __future__ import annotations

from collections.abc import Iterator

from engine.inputs.criteria import CriteriaSet, Effect
from engine.inputs.fact_catalogue import FactSpec, catalogue
from engine.inputs.lint.rule import (
    COST_MAX,
    NUMERIC_KINDS,
    PLAUSIBLE_MAX,
    Finding,
    Loc,
    is_finite,
    is_number,
    rule,
    value_problem,
)
from engine.inputs.lint.walk import actions


def _effects(cs: CriteriaSet) -> Iterator[tuple[Loc, Effect, FactSpec | None]]:
    facts = catalogue()
    for aloc, act in actions(cs):
        for ei, eff in enumerate(act.effects):
            yield (*aloc, "effects", ei), eff, facts.get(eff.fact)


@rule(
    "CS122",
    "action-id",
    summary="Every remediation action has its own id across the whole set.",
    why="Plans, cost files and reports name actions by id: two different actions with one id would "
    "be mixed up (the planner would keep only the first).",
    fix="Give each action its own id (lowercase words joined by '-').",
)
def action_id(cs: CriteriaSet) -> Iterator[Finding]:
    seen: set[str] = set()
    for aloc, act in actions(cs):
        if act.id in seen:
            yield Finding((*aloc, "id"), f"action id {act.id} is used twice", "give every action its own id")
        seen.add(act.id)


@rule(
    "CS123",
    "effect-fact",
    summary="Actions change only facts an action can change (not zone, population, villages or distance).",
    why="Geography and population are facts of the commune, not outcomes of its work: a plan that "
    "moves a commune closer to a hospital is no plan.",
    fix="Remove the effect, or make it change the fact the action really improves.",
)
def effect_fact(cs: CriteriaSet) -> Iterator[Finding]:
    for eloc, eff, spec in _effects(cs):
        if spec is not None and spec.immutable:
            yield Finding(
                (*eloc, "fact"),
                f"{eff.fact} cannot be changed by an action",
                "zone, population and distance are facts of geography",
            )


@rule(
    "CS124",
    "effect-form",
    summary="An effect either sets its fact or adds to it (exactly one of 'set' and 'add'); only "
    "numbers are added to.",
    why="The planner applies every 'set' first, then every 'add': an effect with both or neither has "
    "no defined result, and adding to a yes/no or choice fact has none either.",
    fix="Write set: <value>, or add: <number> for a count, percentage or number.",
)
def effect_form(cs: CriteriaSet) -> Iterator[Finding]:
    for eloc, eff, spec in _effects(cs):
        if (eff.set is None) == (eff.add is None):
            yield Finding(
                eloc, "an effect needs exactly one of 'set' or 'add'", "write set: <value> or add: <number>"
            )
        elif eff.add is not None and spec is not None and spec.kind not in NUMERIC_KINDS:
            yield Finding(
                (*eloc, "add"), f"{eff.fact} is a {spec.kind}: nothing can be added to it", "use set: <value>"
            )


def _set_problem(value: object, spec: FactSpec) -> str | None:
    if spec.kind == "boolean":
        return None if isinstance(value, bool) else f"{spec.path} is yes/no: set it to true or false"
    if spec.kind == "choice":
        if value in spec.choices and isinstance(value, str):
            return None
        return f"{value!r} is not a choice of {spec.path} ({', '.join(spec.choices)})"
    return value_problem(value, spec)


def _add_problem(value: float, spec: FactSpec) -> str | None:
    if not is_finite(value):
        return None  # CS117
    if spec.kind == "count" and not isinstance(value, int):
        return f"must be a whole number: {spec.path} is a count"
    limit = spec.maximum if spec.maximum is not None else PLAUSIBLE_MAX
    if abs(value) > limit:
        return f"adding {value} is beyond any figure of {spec.path} (at most {limit:,g})"
    return None


@rule(
    "CS125",
    "effect-value",
    summary="The value an effect sets or adds is a possible value of its fact.",
    why="The planner re-evaluates the commune with the changed facts, validated like a fact file: "
    "a percentage set to 150, 'yes' given to a count or half a doctor stops the plan.",
    fix="Write a value the fact can take: see its kind and range in docs/facts.md.",
)
def effect_value(cs: CriteriaSet) -> Iterator[Finding]:
    for eloc, eff, spec in _effects(cs):
        if spec is None or spec.immutable:
            continue  # CS112, CS123
        if eff.set is not None:
            why = _set_problem(eff.set, spec)
            if why:
                yield Finding((*eloc, "set"), why, "fix the value")
        if eff.add is not None and is_number(eff.add) and spec.kind in NUMERIC_KINDS:
            why = _add_problem(eff.add, spec)
            if why:
                yield Finding((*eloc, "add"), why, "fix the value")


@rule(
    "CS126",
    "action-cost",
    summary=f"An action's indicative cost is at most {COST_MAX:,} VND.",
    why="Costs are summed into plans and stored in the register: a figure beyond any commune's "
    "budget is a typing mistake (an extra 000), and would make every plan look unaffordable.",
    fix="Write the indicative cost in đồng, without decimals (350000000 for 350 million).",
)
def action_cost(cs: CriteriaSet) -> Iterator[Finding]:
    for aloc, act in actions(cs):
        if act.cost_vnd > COST_MAX:
            yield Finding((*aloc, "cost_vnd"), f"{act.cost_vnd:,} VND is not a plausible cost for one action")
