"""Pure remediation: the gap in words, the fix, and the order in which to close gaps."""

from __future__ import annotations

from typing import Any, Protocol

from engine.evaluation.results import ActionRef, IndicatorResult, RemediationItem
from engine.i18n import Message
from engine.inputs.criteria import Action, Indicator, Status, Text
from engine.inputs.fact_catalogue import FactSpec

_OP_SYMBOL = {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<", "eq": "=", "in": "∈"}
_STATUS = {s: Message(f"common.{s}") for s in ("pass", "partial", "fail", "missing", "not_applicable")}
_YES, _NO = Message("common.yes"), Message("common.no")
_NOT_APPLICABLE = Message("evaluation.result_not_applicable")
_MISSING = Message("evaluation.result_missing")


class _HasOperator(Protocol):
    @property
    def operator(self) -> str | None: ...


def required(operator: str | None, threshold: Any) -> Message:
    """The requirement as people write it: '≥ 95 %', 'có' / 'yes', 'tốt' / 'good'. ``operator`` is
    None only for an indicator written as a condition or sub-items, whose requirement is described
    by :mod:`engine.evaluation.subitems` instead: asking for it here is a bug."""
    if operator is None:
        raise ValueError("an indicator without a single comparison has no operator to describe")
    if operator == "is_true":
        return _YES
    if operator == "is_false":
        return _NO
    if operator == "in":
        return Message("evaluation.required_choice", threshold=threshold)
    return Message("evaluation.required_compare", operator=_OP_SYMBOL[operator], threshold=threshold)


def requirement(ind: _HasOperator, threshold: Any, lang: str) -> str:
    """:func:`required` in ``lang`` for an indicator (or an indicator result)."""
    return required(ind.operator, threshold).text(lang)


def _words(vi: str, en: str) -> Text:
    return Text(vi=vi, en=en)


def fact_label(spec: FactSpec) -> Text:
    """The fact's name in both languages."""
    return _words(spec.label_vi, spec.label_en)


def _amount(diff: float, spec: FactSpec) -> Message:
    if spec.kind == "percent":
        return Message("evaluation.amount_percent", n=diff)
    if not spec.unit_vi:
        return Message("evaluation.amount_bare", n=diff)
    return Message("evaluation.amount", n=diff, unit=_words(spec.unit_vi, spec.unit_en))


def gap_text(
    ind: Indicator,
    spec: FactSpec,
    status: Status,
    observed: Any,
    threshold: Any,
    req: Message | None = None,
    label: Text | None = None,
) -> Message | None:
    """'cần thêm 1 bác sĩ' / 'needs 1 doctor(s) more'; None when nothing is missing. ``req``: the
    indicator's :func:`required` for ``threshold``, and ``label``: the fact's :func:`fact_label`, when
    the caller keeps them."""
    if status in ("pass", "not_applicable"):
        return None
    label = label or fact_label(spec)
    if status == "missing":
        return Message("evaluation.gap_missing", fact=label)
    op = ind.operator
    if op == "is_true":
        return Message("evaluation.gap_is_true", fact=label)
    if op == "is_false":
        return Message("evaluation.gap_is_false", fact=label)
    if op in ("in", "eq"):
        return Message("evaluation.gap_choice", observed=observed, required=req or required(op, threshold))
    step = 1 if spec.kind == "count" else 0.1
    if op in ("gte", "gt"):
        diff = threshold - observed + (step if op == "gt" else 0)
        return Message("evaluation.gap_more", amount=_amount(diff, spec))
    diff = observed - threshold + (step if op == "lt" else 0)
    return Message("evaluation.gap_less", amount=_amount(diff, spec))


def message(
    ind: Indicator,
    status: Status,
    observed: Any,
    threshold: Any,
    zone: int | None,
    req: Message | None = None,
    basis: Any = None,
) -> Message:
    """'Đạt: 93,4, yêu cầu ≥ 90 (vùng 3)' / 'Pass: 93.4, required ≥ 90 (zone 3)'. ``zone``: the zone
    whose threshold applied; ``basis``: the dimension values that chose it, when it varies by more
    than the zone ('vùng Trung du miền núi phía Bắc')."""
    if status == "not_applicable":
        return _NOT_APPLICABLE
    if status == "missing":
        return _MISSING
    params = {
        "status": _STATUS[status],
        "observed": observed,
        "required": req if req is not None else required(ind.operator, threshold),
    }
    if basis is not None:
        return Message("criteria.result_basis", params, basis=basis)
    if zone:
        return Message("evaluation.result_zone", params, zone=zone)
    return Message("evaluation.result", params)


def action_ref(a: Action) -> ActionRef:
    return ActionRef(
        id=a.id,
        action=a.action,
        responsible=a.responsible,
        lead_time_months=a.lead_time_months,
        cost_vnd=a.cost_vnd,
    )


def collect_evidence(ind: Indicator, spec: FactSpec) -> ActionRef:
    """The remediation of a missing fact: gather the evidence, at no cost."""
    return ActionRef(
        id=f"collect-evidence-{ind.id}",
        action=Message("evaluation.collect_evidence", fact=_words(spec.label_vi, spec.label_en)),
        responsible=Message("evaluation.commune_health_station"),
        lead_time_months=0,
        cost_vnd=0,
        indicative_cost=False,
    )


def item(r: IndicatorResult) -> RemediationItem | None:
    """The gap an indicator result leaves to close, or None when it leaves none."""
    if r.status not in ("fail", "missing", "partial"):
        return None
    # indicator, criterion, status, knockout, recovers_points, gap, actions (by position: hot path)
    return RemediationItem(
        r.id, r.criterion, r.status, r.knockout, r.max_points - r.points, r.gap, r.remediation
    )


def priority(entry: RemediationItem) -> tuple[bool, float, int, tuple[int, ...]]:
    cost = min((a.cost_vnd for a in entry.actions), default=0)
    return (
        not entry.knockout,
        -entry.recovers_points,
        cost,
        tuple(int(p) for p in entry.indicator.split(".")),
    )


def order(
    indicators: list[IndicatorResult], items: list[RemediationItem | None] | None = None
) -> list[RemediationItem]:
    """Gaps ordered by what closing them recovers: knockouts first, then points, then cost.

    ``items`` may give each indicator's :func:`item` already built (scoring reuses them)."""
    built = items if items is not None else [item(r) for r in indicators]
    return sorted((x for x in built if x is not None), key=priority)
