"""The zone check: the declared zone against the one the set's zoning rule gives from the facts.

The zoning rule is data in the criteria YAML (``zoning:``) and durable_rules decides which of its
lines holds for a commune (the compiler's subject ``zoning``); this module only turns that verdict
into a finding with its reason.

A commune declared in a *lower* zone than the rule gives is judged against stricter thresholds
than the rule grants: flagged. One declared zone 3 while the distances give 1 or 2 may be zone 3
"by difficult access", which only the Department of Health's zoning decision can say: noted.
"""

from __future__ import annotations

from typing import Any

from engine.evaluation.outcomes import Verdict
from engine.evaluation.results import ZoneCheck
from engine.i18n import Message
from engine.inputs.criteria import Text, Zoning
from engine.inputs.fact_catalogue import catalogue
from engine.inputs.facts import CommuneFacts


def fact_labels(paths: list[str] | tuple[str, ...]) -> list[Message | str]:
    """Facts by their labels, a message parameter: «Bác sĩ làm việc tại trạm», «…» /
    “Doctors working at the station”, … (a path without a catalogue entry as it is)."""
    specs = catalogue()
    return [
        Message("criteria.fact_quoted", fact=Text(vi=specs[p].label_vi, en=specs[p].label_en))
        if p in specs
        else p
        for p in paths
    ]


def zone_check(
    zoning: Zoning, facts: CommuneFacts, verdict: Verdict | None, memo: dict[Any, ZoneCheck] | None = None
) -> ZoneCheck:
    """The zone check of one commune; ``memo`` (one per evaluator) shares identical checks."""
    declared = facts.commune.zone
    missing = [p for p in zoning.reads if facts.get(p) is None]
    key = (declared, verdict, tuple(missing))
    if memo is not None and key in memo:
        return memo[key]
    found = _check(zoning, declared, missing, verdict)
    if memo is not None:
        memo[key] = found
    return found


def _check(zoning: Zoning, declared: int, missing: list[str], verdict: Verdict | None) -> ZoneCheck:
    status, outcome = verdict or ("missing", None)
    if status != "pass" or outcome is None:
        finding = "undetermined" if status == "missing" else "no_rule"
        return ZoneCheck(
            declared=declared,
            by_rule=None,
            agrees=None,
            finding=finding,
            rule=None,
            missing_facts=missing,
            reason=Message(f"criteria.zone_{finding}", facts=fact_labels(missing)),
        )
    line = zoning.rules[outcome]
    by_rule = line.zone
    if declared == by_rule:
        finding = "agrees"
    elif declared < by_rule:
        finding = "stricter"
    elif declared == 3:
        finding = "difficult_access"
    else:
        finding = "laxer"
    return ZoneCheck(
        declared=declared,
        by_rule=by_rule,
        agrees=declared == by_rule,
        finding=finding,
        rule=line.label,
        missing_facts=missing,
        reason=Message(f"criteria.zone_{finding}", declared=declared, by_rule=by_rule, rule=line.label),
    )
