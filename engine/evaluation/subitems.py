"""Results of indicators over several facts: what was observed, which sub-items were met, the gap.

Pure presentation over a verdict durable_rules gave: the verdict itself (status, the bit mask of the
sub-items met) is never recomputed here. An item is reported *unknown* rather than *not met* when it
was not met and a fact it reads is absent. Texts come from the message catalogue
(``engine/messages/*/criteria.yaml``).
"""

from __future__ import annotations

from typing import Any

from engine.evaluation import remediation
from engine.evaluation.outcomes import Verdict, points_for
from engine.evaluation.results import ActionRef, ItemResult
from engine.evaluation.zoning import fact_labels
from engine.i18n import Message
from engine.inputs.conditions import AllOf, Basis, Compare, Dims, NotOf, Unknown, facts_of, resolve
from engine.inputs.criteria import CriteriaSet, Indicator, Text
from engine.inputs.fact_catalogue import catalogue
from engine.inputs.facts import CommuneFacts
from engine.inputs.regions import Places

_STATION = Message("evaluation.commune_health_station")


def joined(parts: list[Any]) -> Any:
    """Parts of a message joined by semicolons ('a; b; c'): a list parameter joins by commas, which
    the parts themselves may hold."""
    out = parts[-1]
    for part in reversed(parts[:-1]):
        out = Message("criteria.parts", first=part, rest=out)
    return out


def _fact_label(path: str) -> Text | str:
    spec = catalogue().get(path)
    return Text(vi=spec.label_vi, en=spec.label_en) if spec else path


def basis_text(basis: Basis, places: Places) -> list[Message]:
    """The dimension values that chose a threshold, a message parameter: 'vùng Tây Nguyên, vùng 3'."""
    out = []
    for dim, value in basis:
        if dim == "region":
            value = Text(vi=places.table.name(value, "vi"), en=places.table.name(value, "en"))
        out.append(Message(f"criteria.dimension_{dim}", value=value))
    return out


def requirement(ind: Indicator, dims: Dims, places: Places) -> Message:
    """What the indicator requires of this commune, in words, with the thresholds that apply to it."""
    if ind.form == "condition":
        return describe(ind.condition, dims)
    if ind.form == "items":
        key = "criteria.items_sum" if ind.scoring == "sum" else "criteria.items_first"
        items = [Message("criteria.item", id=i.id, title=i.title, points=i.points) for i in ind.items]
        return Message(key, points=ind.points, items=joined(items))
    threshold, basis = resolve(ind.threshold, dims)
    if isinstance(threshold, Unknown):
        return Message("criteria.threshold_unknown")
    spec = catalogue().get(ind.fact or "")
    req = remediation.required(ind.operator or "", threshold)
    if spec is not None and spec.kind == "percent":
        req = Message("criteria.required_percent", required=req)
    if not basis:
        return req
    if tuple(d for d, _ in basis) == ("zone",):
        return Message("criteria.required_zone", required=req, zone=dims.zone)
    return Message("criteria.threshold_of", basis=basis_text(basis, places), requirement=req)


def describe(cond: Any, dims: Dims) -> Message:
    """A condition as people read it, with the thresholds that apply at ``dims``."""
    if isinstance(cond, Compare):
        threshold = resolve(cond.threshold, dims)[0]
        return Message(
            "criteria.compare",
            fact=_fact_label(cond.fact),
            requirement=remediation.required(cond.operator, threshold),
        )
    if isinstance(cond, NotOf):
        return Message("criteria.not_of", part=describe(cond.not_, dims))
    parts = joined([describe(p, dims) for p in (cond.all if isinstance(cond, AllOf) else cond.any)])
    return Message("criteria.all_of" if isinstance(cond, AllOf) else "criteria.any_of", parts=parts)


def observed_of(ind: Indicator, facts: CommuneFacts) -> Any:
    """What was observed: the value of a one-fact indicator, else every fact it reads by path."""
    if ind.form == "compare":
        return facts.get(ind.fact or "")
    return {p: facts.get(p) for p in ind.reads}


def _absent(paths: tuple[str, ...], facts: CommuneFacts) -> list[str]:
    return [p for p in paths if facts.get(p) is None]


def item_results(ind: Indicator, verdict: Verdict, facts: CommuneFacts) -> list[ItemResult]:
    mask = verdict[1] or 0
    out = []
    for k, item in enumerate(ind.items):
        met: bool | None = bool(mask >> k & 1)
        if not met and (verdict[0] == "missing" and _absent(facts_of(item.when), facts)):
            met = None
        out.append(ItemResult(id=item.id, title=item.title, points=item.points, met=met))
    return out


def _titles(items: list[ItemResult], met: bool | None) -> list[Message]:
    return [Message("criteria.item_title", id=r.id, title=r.title) for r in items if r.met is met]


def message(cs: CriteriaSet, ind: Indicator, verdict: Verdict, facts: CommuneFacts, dims: Dims) -> Message:
    status = verdict[0]
    if status == "not_applicable":
        return remediation.message(ind, status, None, None, None)
    points = points_for(cs, ind, verdict)
    if status == "missing":
        absent = _absent(ind.reads, facts)
        if not absent:
            return Message("criteria.missing_region", province=facts.commune.province)
        return Message("criteria.missing_items", facts=fact_labels(absent), points=points, max=ind.points)
    if ind.form == "condition":
        observed = joined(
            [Message("criteria.observed_fact", fact=_fact_label(p), value=facts.get(p)) for p in ind.reads]
        )
        return Message(
            "criteria.status_condition",
            status=Message(f"common.{status}"),
            observed=observed,
            requirement=describe(ind.condition, dims),
        )
    met = _titles(item_results(ind, verdict, facts), True)
    key = "criteria.status_items" if met else "criteria.status_items_none"
    return Message(key, status=Message(f"common.{status}"), points=points, max=ind.points, met=met)


def gap(ind: Indicator, verdict: Verdict, facts: CommuneFacts, dims: Dims) -> Message | None:
    status = verdict[0]
    if status in ("pass", "not_applicable"):
        return None
    if status == "missing":
        absent = _absent(ind.reads, facts)
        return (
            Message("criteria.gap_missing", facts=fact_labels(absent))
            if absent
            else Message("criteria.gap_region")
        )
    if ind.form == "condition":
        return Message("criteria.gap_condition", requirement=describe(ind.condition, dims))
    return Message("criteria.gap_items", items=_titles(item_results(ind, verdict, facts), False))


def evidence_action(ind: Indicator, facts: CommuneFacts) -> ActionRef:
    """The remediation of missing data: gather the evidence (or state the region), at no cost."""
    return _evidence(ind, _absent(ind.reads, facts))


def evidence_actions(ind: Indicator) -> list[ActionRef]:
    """Both remediations of missing data an indicator may offer, by their ids: gather the evidence
    (here of every fact it reads) and state the region (how a set's table lists them once)."""
    return [_evidence(ind, list(ind.reads)), _evidence(ind, [])]


def _evidence(ind: Indicator, absent: list[str]) -> ActionRef:
    return ActionRef(
        id=f"collect-evidence-{ind.id}" if absent else f"state-region-{ind.id}",
        action=Message("criteria.collect_evidence", facts=fact_labels(absent))
        if absent
        else Message("criteria.state_region"),
        responsible=_STATION,
        lead_time_months=0,
        cost_vnd=0,
        indicative_cost=False,
    )


def actions(ind: Indicator, verdict: Verdict, facts: CommuneFacts) -> list[ActionRef]:
    """The actions an indicator over several facts offers: its own, and those of the items not met."""
    status = verdict[0]
    if status == "missing":
        return [evidence_action(ind, facts)]
    if status not in ("fail", "partial"):
        return []
    mask = verdict[1] or 0
    chosen = [*ind.remediation]
    for k, item in enumerate(ind.items):
        if not mask >> k & 1:
            chosen += item.remediation
    return [remediation.action_ref(a) for a in chosen]
