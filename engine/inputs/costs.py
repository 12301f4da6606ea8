"""Provincial overrides of remediation costs and lead times (``criteria/costs/<province>.yaml``).

The costs in a criteria set are indicative national figures. A province may replace them, action by
action, with its own figures in a file of this shape::

    schema_version: 1
    province: Điện Biên
    criteria_set: national-2030      # the set whose action ids it names
    source: Sở Y tế Điện Biên, đơn giá 2025
    actions:
      doctor-rotation-1816: {cost_vnd: 120000000, lead_time_months: 3}
      station-repair: {cost_vnd: 850000000}

The file is validated as strictly as a criteria set: unknown keys, wrong types (the models are in
:mod:`engine.inputs.cost_models`), action ids the set does not have, overrides that change nothing
and implausible costs (the lint rules ``CO…``) are all reported at once, with file:line.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from engine.errors import UserError
from engine.i18n import Message
from engine.inputs.cost_models import ActionOverride, CostFile
from engine.inputs.criteria import Action, CriteriaSet
from engine.inputs.lint.registry import SCHEMA, check_costs
from engine.inputs.loader import facts_breadcrumb, located, resolve_set, validate
from engine.inputs.yamlio import read_yaml

__all__ = ["ActionOverride", "CostFile", "apply_costs", "costs_note", "criteria_with_costs", "load_costs"]


def load_costs(path: Path, cs: CriteriaSet, ignore: Collection[str] = ()) -> CostFile:
    """Read a cost override file and check it against the criteria set it will be applied to, with
    every lint rule (but those in ``ignore``); raise a UserError listing every problem."""
    doc = read_yaml(path)
    costs = validate(doc, CostFile, facts_breadcrumb, SCHEMA["costs"].code)
    problems = check_costs(costs, cs, ignore)
    if problems:
        raise UserError(located(doc, problems, facts_breadcrumb))
    return costs


def apply_costs(cs: CriteriaSet, costs: CostFile) -> CriteriaSet:
    """A copy of ``cs`` whose actions carry the province's costs and lead times."""

    def priced(acts: list[Action]) -> list[Action]:
        out = []
        for act in acts:
            o = costs.actions.get(act.id)
            if o is not None:
                update: dict[str, int] = {}
                if o.cost_vnd is not None:
                    update["cost_vnd"] = o.cost_vnd
                if o.lead_time_months is not None:
                    update["lead_time_months"] = o.lead_time_months
                act = act.model_copy(update=update)
            out.append(act)
        return out

    criteria = []
    for crit in cs.criteria:
        indicators = []
        for ind in crit.indicators:
            items = [i.model_copy(update={"remediation": priced(i.remediation)}) for i in ind.items]
            indicators.append(ind.model_copy(update={"remediation": priced(ind.remediation), "items": items}))
        criteria.append(crit.model_copy(update={"indicators": indicators}))
    return cs.model_copy(update={"criteria": criteria})


def costs_note(costs: CostFile | None, path: Path | None) -> Message:
    """What the costs shown are: always indicative; the province's own when a file was given."""
    if costs is None or path is None:
        return Message("planner.costs_default")
    code = "planner.costs_province_illustrative" if costs.illustrative else "planner.costs_province"
    return Message(code, province=costs.province, path=str(path), source=costs.source)


def criteria_with_costs(ref: str | None, year_: int, costs: Path | None) -> tuple[CriteriaSet, Message]:
    cs = resolve_set(ref, year_)
    if costs is None:
        return cs, costs_note(None, None)
    overrides = load_costs(costs, cs)
    return apply_costs(cs, overrides), costs_note(overrides, costs)
