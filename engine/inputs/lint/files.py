"""Linting a file of any of the three kinds: a criteria set, a plan file or a provincial cost file.

The kind is read from the file's top-level keys (a plan has ``targets``, a cost file ``actions``,
a criteria set ``criteria``); each is loaded exactly as the commands load it, with every lint rule
except those ignored.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from engine.errors import Diagnostic, UserError
from engine.inputs.cost_models import CostFile
from engine.inputs.costs import load_costs
from engine.inputs.criteria import CriteriaSet
from engine.inputs.lint.registry import SCHEMA
from engine.inputs.lint.rules_costs import criteria_set as criteria_set_rule
from engine.inputs.loader import available_sets, facts_breadcrumb, load_criteria, validate
from engine.inputs.plan_models import Plan
from engine.inputs.plans import load_plan
from engine.inputs.yamlio import read_yaml, read_yaml_data

Kind = Literal["criteria", "plan", "costs"]


@dataclass(frozen=True)
class Linted:
    """What lint found in one file: its kind, the model when it passed, or every problem."""

    path: Path
    kind: Kind
    model: CriteriaSet | Plan | CostFile | None
    diagnostics: tuple[Diagnostic, ...] = ()


def kind_of(path: Path) -> Kind:
    """The kind of file by its top-level keys (a file that cannot be read counts as a criteria set,
    whose loader reports why)."""
    data = read_yaml_data(path) if path.is_file() else None
    if isinstance(data, dict) and "criteria" not in data:
        if "targets" in data:
            return "plan"
        if "actions" in data:
            return "costs"
    return "criteria"


def _load_costs(path: Path, ignore: Collection[str]) -> CostFile:
    """A cost file checked against the criteria set it names (lint has no --criteria)."""
    doc = read_yaml(path)
    costs = validate(doc, CostFile, facts_breadcrumb, SCHEMA["costs"].code)
    sets = available_sets()
    cs = sets.get(costs.criteria_set)
    if cs is None:
        line, col = doc.position(("criteria_set",))
        raise UserError(
            [
                Diagnostic(
                    path=doc.path,
                    message=f"there is no criteria set {costs.criteria_set!r} in criteria/",
                    hint=f"available: {', '.join(sorted(sets)) or 'none'}",
                    line=line,
                    col=col,
                    where="criteria_set",
                    code=criteria_set_rule.code,
                )
            ]
        )
    return load_costs(path, cs, ignore)


def lint_file(path: Path, ignore: Collection[str] = ()) -> Linted:
    """Check one file with every rule of its kind but those in ``ignore``."""
    kind = kind_of(path)
    try:
        if kind == "plan":
            model: CriteriaSet | Plan | CostFile = load_plan(path, ignore)
        elif kind == "costs":
            model = _load_costs(path, ignore)
        else:
            model = load_criteria(path, ignore)
    except UserError as exc:
        return Linted(path, kind, None, tuple(exc.diagnostics))
    return Linted(path, kind, model)
