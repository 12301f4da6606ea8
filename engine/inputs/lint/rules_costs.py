"""Cost-file rules: a province's overrides name the set and actions they change, with plausible figures."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from engine.inputs.cost_models import CostFile
from engine.inputs.criteria import CriteriaSet
from engine.inputs.lint.rule import COST_MAX, Finding, rule


@dataclass(frozen=True)
class CostsForSet:
    """A cost file with the criteria set it is applied to (the subject of the CO rules)."""

    costs: CostFile
    criteria: CriteriaSet

    @property
    def action_ids(self) -> list[str]:
        return [a.id for _, ind in self.criteria.indicators() for a in ind.actions()]


@rule(
    "CO101",
    "criteria-set",
    summary="A cost file names the criteria set it is applied to.",
    why="Action ids belong to one criteria set: figures written for another set would be applied "
    "to actions that only share a name, or to none.",
    fix="Name the set the file was written for with --criteria, or correct criteria_set.",
)
def criteria_set(subject: CostsForSet) -> Iterator[Finding]:
    costs, cs = subject.costs, subject.criteria
    if costs.criteria_set != cs.id:
        yield Finding(
            ("criteria_set",),
            f"this file is for criteria set {costs.criteria_set!r}, but the plan uses {cs.id!r}",
        )


@rule(
    "CO102",
    "action-known",
    summary="Every action a cost file overrides is an action of its criteria set.",
    why="An override of an action the set does not have changes nothing, silently: the plans keep "
    "the national figure the province meant to replace.",
    fix="Use an action id from 'commune-health criteria show' (remediation), spelled exactly.",
)
def action_known(subject: CostsForSet) -> Iterator[Finding]:
    known = subject.action_ids
    for action_id in subject.costs.actions:
        if action_id not in known:
            close = difflib.get_close_matches(action_id, known, n=3)
            yield Finding(
                ("actions", action_id),
                f"criteria set {subject.criteria.id} has no action {action_id!r}",
                f"did you mean {', '.join(close)}?" if close else "",
            )


@rule(
    "CO103",
    "override-something",
    summary="Every override gives a cost, a lead time or both.",
    why="An override that gives neither changes nothing: it is an unfinished line.",
    fix="Give cost_vnd, lead_time_months or both, or remove the action.",
)
def override_something(subject: CostsForSet) -> Iterator[Finding]:
    for action_id, override in subject.costs.actions.items():
        if override.cost_vnd is None and override.lead_time_months is None:
            yield Finding(("actions", action_id), f"action {action_id!r} overrides nothing")


@rule(
    "CO104",
    "cost-plausible",
    summary=f"An overriding cost is at most {COST_MAX:,} VND.",
    why="Costs are summed into plans and stored in the register: a figure beyond any commune's "
    "budget is a typing mistake (an extra 000), and would make every plan look unaffordable.",
    fix="Write the cost in đồng, without decimals (850000000 for 850 million).",
)
def cost_plausible(subject: CostsForSet) -> Iterator[Finding]:
    for action_id, override in subject.costs.actions.items():
        if override.cost_vnd is not None and override.cost_vnd > COST_MAX:
            yield Finding(
                ("actions", action_id, "cost_vnd"),
                f"{override.cost_vnd:,} VND is not a plausible cost for one action",
            )
