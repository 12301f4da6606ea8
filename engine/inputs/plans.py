"""Plan files (``criteria/plans/*.yaml``): strict loading and lookup by id or by place and year.

Plans are validated as strictly as criteria sets: unknown keys, wrong types and inconsistent targets
are reported at file:line:col, all at once. The models are in :mod:`engine.inputs.plan_models`, the
checks are the lint rules ``PL…`` (:mod:`engine.inputs.lint.rules_plans`, ``rules_plan_targets``).

Public API (used by ``appraise``, the planner's ``target --plan`` and the register):
:func:`load_plan`, :func:`available_plans`, :func:`resolve_plan`, :func:`plans_for`.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache
from pathlib import Path

from engine.errors import Diagnostic, UserError
from engine.inputs.lint.registry import SCHEMA, check_plan
from engine.inputs.loader import CRITERIA_DIR, file_key, located, validate
from engine.inputs.plan_models import Plan
from engine.inputs.yamlio import breadcrumb_for, read_yaml

PLANS_DIR = CRITERIA_DIR / "plans"


# 'target bhyt-coverage › measure › fact' for a location in a plan file.
plan_breadcrumb = breadcrumb_for({"targets": "target", "conditions": "condition"}, ("id", "fact"))


def load_plan(path: Path, ignore: Collection[str] = ()) -> Plan:
    """Load one plan file and check it with every lint rule (but those in ``ignore``, for
    ``criteria lint --ignore``); raise a UserError listing every problem. An unchanged file (same
    path, modification time and size) is read once (see :func:`engine.inputs.loader.load_criteria`)."""
    key = file_key(path)
    if key is None:
        return _read_plan(Path(path), frozenset(ignore))
    return _cached_plan(key, frozenset(ignore))


@lru_cache(maxsize=64)  # the shipped plans and a few more; keyed on the file's identity
def _cached_plan(key: tuple[str, int, int], ignore: frozenset[str]) -> Plan:
    return _read_plan(Path(key[0]), ignore)


def _read_plan(path: Path, ignore: frozenset[str]) -> Plan:
    doc = read_yaml(path)
    plan = validate(doc, Plan, plan_breadcrumb, SCHEMA["plan"].code)
    problems = check_plan(plan, ignore)
    if problems:
        raise UserError(located(doc, problems, plan_breadcrumb))
    return plan


def plan_files(directory: Path = PLANS_DIR) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


def available_plans(directory: Path = PLANS_DIR) -> dict[str, Plan]:
    """Every plan in ``directory`` by id (each file fully checked; all files' problems at once)."""
    plans: dict[str, Plan] = {}
    problems: list[Diagnostic] = []
    for f in plan_files(directory):
        try:
            plan = load_plan(f)
        except UserError as exc:
            problems.extend(exc.diagnostics)
            continue
        if plan.id in plans:
            problems.append(
                Diagnostic(
                    path=str(f),
                    message=f"plan id {plan.id!r} is used by another file too",
                    hint="give each plan file its own id",
                )
            )
        plans[plan.id] = plan
    if problems:
        raise UserError(problems)
    return plans


def resolve_plan(ref: str, directory: Path = PLANS_DIR) -> Plan:
    """A plan by id (see ``criteria/plans/``) or by the path of a plan YAML file."""
    if ref.endswith((".yaml", ".yml")) or "/" in ref:
        return load_plan(Path(ref))
    plans = available_plans(directory)
    if ref not in plans:
        raise UserError.single(
            "--plan", f"no plan with id {ref!r}", f"available: {', '.join(sorted(plans)) or 'none'}"
        )
    return plans[ref]


def plans_for(province: str, district: str | None, year: int, directory: Path = PLANS_DIR) -> list[Plan]:
    """The plans whose area holds communes of ``province``/``district`` and whose period covers
    ``year``, widest area first (national, province, district, commune)."""
    order = {"national": 0, "province": 1, "district": 2, "commune": 3}
    found = [
        p
        for p in available_plans(directory).values()
        if p.scope.level != "commune" and p.matches(province, district) and p.period.covers(year)
    ]
    return sorted(found, key=lambda p: (order[p.scope.level], p.id))
