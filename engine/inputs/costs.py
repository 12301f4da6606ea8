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

The file is validated as strictly as a criteria set: unknown keys, wrong types, action ids the set
does not have, and overrides that change nothing are all reported at once, with file:line.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.errors import Diagnostic, UserError
from engine.inputs.criteria import CriteriaSet, Text
from engine.inputs.loader import facts_breadcrumb, resolve_set, validate
from engine.inputs.yamlio import read_yaml


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class ActionOverride(_Frozen):
    cost_vnd: Annotated[int, Field(ge=0)] | None = None
    lead_time_months: Annotated[int, Field(ge=0, le=120)] | None = None
    note: str | None = None


class CostFile(_Frozen):
    schema_version: Literal[1] = 1
    province: str = Field(min_length=1)
    criteria_set: str = Field(min_length=1)
    source: str = Field(min_length=1, description="Where the figures come from")
    illustrative: bool = False
    note: str | None = None
    actions: dict[str, ActionOverride] = Field(min_length=1)


def load_costs(path: Path, cs: CriteriaSet) -> CostFile:
    """Read and check a cost override file against the criteria set it will be applied to."""
    doc = read_yaml(path)
    costs = validate(doc, CostFile, facts_breadcrumb)
    known = [a.id for _, ind in cs.indicators() for a in ind.remediation]
    problems: list[Diagnostic] = []

    def problem(loc: tuple[str, ...], message: str, hint: str) -> None:
        line, col = doc.position(loc)
        problems.append(
            Diagnostic(path=doc.path, line=line, col=col, where=" › ".join(loc), message=message, hint=hint)
        )

    if costs.criteria_set != cs.id:
        problem(
            ("criteria_set",),
            f"this file is for criteria set {costs.criteria_set!r}, but the plan uses {cs.id!r}",
            "name the set the file was written for with --criteria, or correct criteria_set",
        )
    for action_id, override in costs.actions.items():
        if action_id not in known:
            close = difflib.get_close_matches(action_id, known, n=3)
            problem(
                ("actions", action_id),
                f"criteria set {cs.id} has no action {action_id!r}",
                f"did you mean {', '.join(close)}?"
                if close
                else "use an action id from 'commune-health criteria show' (remediation)",
            )
        if override.cost_vnd is None and override.lead_time_months is None:
            problem(
                ("actions", action_id),
                f"action {action_id!r} overrides nothing",
                "give cost_vnd, lead_time_months or both",
            )
    if problems:
        raise UserError(sorted(problems, key=lambda d: (d.line or 0, d.col or 0)))
    return costs


def apply_costs(cs: CriteriaSet, costs: CostFile) -> CriteriaSet:
    """A copy of ``cs`` whose actions carry the province's costs and lead times."""
    criteria = []
    for crit in cs.criteria:
        indicators = []
        for ind in crit.indicators:
            actions = []
            for act in ind.remediation:
                o = costs.actions.get(act.id)
                if o is not None:
                    update: dict[str, int] = {}
                    if o.cost_vnd is not None:
                        update["cost_vnd"] = o.cost_vnd
                    if o.lead_time_months is not None:
                        update["lead_time_months"] = o.lead_time_months
                    act = act.model_copy(update=update)
                actions.append(act)
            indicators.append(ind.model_copy(update={"remediation": actions}))
        criteria.append(crit.model_copy(update={"indicators": indicators}))
    return cs.model_copy(update={"criteria": criteria})


def costs_note(costs: CostFile | None, path: Path | None) -> Text:
    """What the costs shown are: always indicative; the province's own when a file was given."""
    if costs is None or path is None:
        return Text(
            vi="Chi phí và thời gian chỉ mang tính tham khảo (mức chung trong bộ tiêu chí, chưa theo đơn giá địa phương).",
            en="Costs and lead times are indicative (the criteria set's general figures, not local prices).",
        )
    extra_vi = " Số liệu minh họa." if costs.illustrative else ""
    extra_en = " Illustrative figures." if costs.illustrative else ""
    return Text(
        vi=f"Chi phí tham khảo theo {costs.province} ({path}; nguồn: {costs.source}).{extra_vi}",
        en=f"Indicative costs for {costs.province} ({path}; source: {costs.source}).{extra_en}",
    )


def criteria_with_costs(ref: str | None, year_: int, costs: Path | None) -> tuple[CriteriaSet, Text]:
    cs = resolve_set(ref, year_)
    if costs is None:
        return cs, costs_note(None, None)
    overrides = load_costs(costs, cs)
    return apply_costs(cs, overrides), costs_note(overrides, costs)
