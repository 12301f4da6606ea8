"""The rules, listed explicitly (no registration by import side effect), and how to run them."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable

from engine.errors import Diagnostic, UserError
from engine.inputs.cost_models import CostFile
from engine.inputs.criteria import CriteriaSet
from engine.inputs.lint import (
    rules_actions,
    rules_costs,
    rules_language,
    rules_meta,
    rules_numbers,
    rules_plan_targets,
    rules_plans,
    rules_scoring,
    rules_thresholds,
)
from engine.inputs.lint.rule import Problem, Rule, RuleDoc, run
from engine.inputs.plan_models import Plan

CRITERIA_RULES: tuple[Rule[CriteriaSet], ...] = (
    rules_scoring.point_sum,
    rules_scoring.criteria_sum,
    rules_scoring.pass_mark,
    rules_thresholds.threshold_value,
    rules_thresholds.operator_fact,
    rules_thresholds.threshold_form,
    rules_thresholds.dimension_thresholds,
    rules_thresholds.choices,
    rules_thresholds.band_operator,
    rules_scoring.band_points,
    rules_thresholds.band_threshold,
    rules_meta.unknown_fact,
    rules_meta.applies_to,
    rules_meta.unique_ids,
    rules_meta.indicator_number,
    rules_meta.provenance_source,
    rules_numbers.finite_number,
    rules_numbers.value_precision,
    rules_scoring.points_precision,
    rules_meta.validity_years,
    rules_meta.effective_years,
    rules_actions.action_id,
    rules_actions.effect_fact,
    rules_actions.effect_form,
    rules_actions.effect_value,
    rules_actions.action_cost,
    rules_language.official_number,
    rules_language.indicator_form,
    rules_language.sub_items,
    rules_language.provenance_parts,
    rules_language.zoning_rule,
)

PLAN_RULES: tuple[Rule[Plan], ...] = (
    rules_plans.scope_names,
    rules_plans.period,
    rules_plans.target_id,
    rules_plans.due_year,
    rules_plans.baseline_year,
    rules_plan_targets.measure_fact,
    rules_plan_targets.measure_fields,
    rules_plan_targets.measure_fact_kind,
    rules_plan_targets.target_scope,
    rules_plan_targets.target_value,
    rules_plan_targets.target_unit,
    rules_plan_targets.condition,
    rules_plans.finite_number,
)

COST_RULES: tuple[Rule[rules_costs.CostsForSet], ...] = (
    rules_costs.criteria_set,
    rules_costs.action_known,
    rules_costs.override_something,
    rules_costs.cost_plausible,
)

_SCHEMA_WHY = (
    "Nothing else can be checked in a file that does not have the shape of its model, so these "
    "problems cannot be ignored."
)
# Problems found by the models themselves (pydantic: unknown key, wrong type, missing key).
SCHEMA: dict[str, RuleDoc] = {
    kind: RuleDoc(
        code=code,
        name="schema",
        summary=f"The {what} has the keys and types of its format: no unknown key, no missing required key, "
        "numbers without quotes.",
        why=_SCHEMA_WHY,
        fix=f"Correct the key or value named (the format is in {where}).",
    )
    for kind, code, what, where in (
        ("criteria", "CS000", "criteria set", "README.md, 'Criteria sets'"),
        ("plan", "PL000", "plan file", "README.md, 'Plans'"),
        ("costs", "CO000", "cost file", "engine/inputs/costs.py"),
    )
}


def all_rules() -> list[RuleDoc]:
    """Every rule, the schema codes included: criteria sets, plan files, cost files, each by code."""
    rules: list[RuleDoc] = [*SCHEMA.values(), *CRITERIA_RULES, *PLAN_RULES, *COST_RULES]
    order = {"CS": 0, "PL": 1, "CO": 2}
    return sorted(rules, key=lambda r: (order[r.code[:2]], r.code))


def check_criteria(cs: CriteriaSet, ignore: Collection[str] = ()) -> list[Problem]:
    return run(CRITERIA_RULES, cs, ignore)


def check_plan(plan: Plan, ignore: Collection[str] = ()) -> list[Problem]:
    return run(PLAN_RULES, plan, ignore)


def check_costs(costs: CostFile, cs: CriteriaSet, ignore: Collection[str] = ()) -> list[Problem]:
    return run(COST_RULES, rules_costs.CostsForSet(costs, cs), ignore)


def ignorable(names: Iterable[str], option: str = "--ignore") -> frozenset[str]:
    """The rule codes named by ``names`` (codes such as CS101, or names such as point-sum, which
    may stand for a rule of each kind of file), checked: each must name a rule that can be ignored,
    else a UserError with a hint."""
    rules = [r for r in all_rules() if r.code not in SCHEMA_CODES]
    by_name: dict[str, set[str]] = {}
    for r in rules:
        by_name.setdefault(r.name, set()).add(r.code)
    codes = {r.code for r in rules}
    problems: list[Diagnostic] = []
    out: set[str] = set()
    for raw in names:
        word = raw.strip()
        if word.upper() in codes:
            out.add(word.upper())
        elif word.lower() in by_name:
            out |= by_name[word.lower()]
        elif word.upper() in SCHEMA_CODES:
            problems.append(
                Diagnostic(
                    option, f"{word.upper()} (schema) cannot be ignored", "correct the key or value it names"
                )
            )
        else:
            close = difflib.get_close_matches(word.upper(), sorted(codes), n=3)
            close += difflib.get_close_matches(word.lower(), sorted(by_name), n=3)
            hint = f"did you mean {', '.join(close)}? " if close else ""
            problems.append(
                Diagnostic(
                    option, f"no lint rule {word!r}", hint + "see 'commune-health criteria lint --list'"
                )
            )
    if problems:
        raise UserError(problems)
    return frozenset(out)


SCHEMA_CODES = frozenset(doc.code for doc in SCHEMA.values())
