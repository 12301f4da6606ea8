"""A pure-Python reference evaluator of the criteria YAML, for differential testing only.

The product never imports this module: every verdict the product reports comes from durable_rules.
This is the independent, obvious reading of the same YAML that the compiled rules must agree with.
"""

from __future__ import annotations

from typing import Any

from engine.inputs.criteria import CriteriaSet, Indicator
from engine.inputs.facts import CommuneFacts


def meets(op: str, value: Any, threshold: Any) -> bool:
    if op == "gte":
        return value >= threshold
    if op == "gt":
        return value > threshold
    if op == "lte":
        return value <= threshold
    if op == "lt":
        return value < threshold
    if op == "eq":
        return value == threshold
    if op == "in":
        return value in threshold
    if op == "is_true":
        return value is True
    if op == "is_false":
        return value is False
    raise ValueError(op)


def verdict(ind: Indicator, facts: CommuneFacts) -> tuple[str, int | None]:
    zone, area = facts.commune.zone, facts.commune.area
    if zone not in ind.applies_to.zones or area not in ind.applies_to.areas:
        return ("not_applicable", None)
    value = facts.get(ind.fact)
    if value is None:
        return ("missing", None)
    if meets(ind.operator, value, ind.threshold_for(zone)):
        return ("pass", None)
    for k, band in enumerate(ind.partial):
        if meets(ind.operator, value, ind.band_threshold(band, zone)):
            return ("partial", k)
    return ("fail", None)


def verdicts(cs: CriteriaSet, facts: CommuneFacts) -> dict[str, tuple[str, int | None]]:
    return {ind.id: verdict(ind, facts) for _, ind in cs.indicators()}


def total(cs: CriteriaSet, facts: CommuneFacts) -> tuple[float, bool]:
    """Total score and qualification, computed independently of engine.evaluation.scoring."""
    v = verdicts(cs, facts)
    score = 0.0
    floors_ok = True
    knockout_ok = True
    for crit in cs.criteria:
        s = 0.0
        for ind in crit.indicators:
            status, band = v[ind.id]
            if status == "pass" or (
                status == "not_applicable" and cs.recognition.not_applicable_points == "award"
            ):
                s += ind.points
            elif status == "partial":
                s += ind.partial[band].points  # type: ignore[index]
            if ind.knockout and status in ("fail", "missing"):
                knockout_ok = False
        floors_ok &= s >= crit.max_points * cs.recognition.min_criterion_share - 1e-9
        score += s
    qualified = (
        score >= cs.recognition.min_total - 1e-9
        and floors_ok
        and (knockout_ok or not cs.recognition.knockouts_must_pass)
    )
    return score, qualified
