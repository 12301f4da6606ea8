"""Pure remediation: the gap in words, the fix, and the order in which to close gaps."""

from __future__ import annotations

from typing import Any

from engine import i18n
from engine.evaluation.results import ActionRef, IndicatorResult, RemediationItem
from engine.inputs.criteria import Action, Indicator, Status, Text
from engine.inputs.fact_catalogue import FactSpec

_OP_SYMBOL = {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<", "eq": "=", "in": "∈"}


def requirement(ind: Indicator, threshold: Any, lang: str) -> str:
    """The requirement as people write it: '≥ 95 %', 'có' / 'yes', 'tốt' / 'good'."""
    if ind.operator == "is_true":
        return i18n.t("yes", lang)
    if ind.operator == "is_false":
        return i18n.t("no", lang)
    if ind.operator == "in":
        return i18n.value(threshold, lang)
    return f"{_OP_SYMBOL[ind.operator]} {i18n.value(threshold, lang)}"


def _amount(diff: float, spec: FactSpec, lang: str) -> str:
    unit = spec.unit(lang)
    if spec.kind == "percent":
        return f"{i18n.num(diff, lang)} " + ("điểm phần trăm" if lang == "vi" else "percentage points")
    return f"{i18n.num(diff, lang)} {unit}".strip()


def gap_text(ind: Indicator, spec: FactSpec, status: Status, observed: Any, threshold: Any) -> Text | None:
    """'cần thêm 1 bác sĩ' / 'needs 1 more doctor(s)'; None when nothing is missing."""
    if status in ("pass", "not_applicable"):
        return None
    if status == "missing":
        return Text(
            vi=f"thiếu số liệu: cần thu thập minh chứng về «{spec.label_vi}»",
            en=f"no data: collect the evidence for “{spec.label_en}”",
        )
    op = ind.operator
    if op == "is_true":
        return Text(vi=f"cần đạt: {spec.label_vi}", en=f"required: {spec.label_en}")
    if op == "is_false":
        return Text(vi=f"cần khắc phục: {spec.label_vi}", en=f"must no longer hold: {spec.label_en}")
    if op in ("in", "eq"):
        return Text(
            vi=f"hiện là {i18n.value(observed, 'vi')}, cần {requirement(ind, threshold, 'vi')}",
            en=f"is {i18n.value(observed, 'en')}, must be {requirement(ind, threshold, 'en')}",
        )
    step = 1 if spec.kind == "count" else 0.1
    if op in ("gte", "gt"):
        diff = threshold - observed + (step if op == "gt" else 0)
        return Text(vi=f"cần thêm {_amount(diff, spec, 'vi')}", en=f"needs {_amount(diff, spec, 'en')} more")
    diff = observed - threshold + (step if op == "lt" else 0)
    return Text(vi=f"cần giảm {_amount(diff, spec, 'vi')}", en=f"needs {_amount(diff, spec, 'en')} less")


def message(ind: Indicator, status: Status, observed: Any, threshold: Any, zone: int | None) -> Text:
    if status == "not_applicable":
        return Text(vi="Không áp dụng cho xã này", en="Does not apply to this commune")
    if status == "missing":
        return Text(vi="Chưa có số liệu: không được tính điểm", en="No data: earns no points")
    zone_vi = f" (vùng {zone})" if zone else ""
    zone_en = f" (zone {zone})" if zone else ""
    return Text(
        vi=f"{i18n.t(status, 'vi')}: {i18n.value(observed, 'vi')}, yêu cầu {requirement(ind, threshold, 'vi')}{zone_vi}",
        en=f"{i18n.t(status, 'en')}: {i18n.value(observed, 'en')}, required {requirement(ind, threshold, 'en')}{zone_en}",
    )


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
        action=Text(
            vi=f"Thu thập, bổ sung minh chứng về «{spec.label_vi}» vào hồ sơ",
            en=f"Collect and file the evidence for “{spec.label_en}”",
        ),
        responsible=Text(vi="Trạm y tế xã", en="Commune health station"),
        lead_time_months=0,
        cost_vnd=0,
        indicative_cost=False,
    )


def item(r: IndicatorResult) -> RemediationItem | None:
    """The gap an indicator result leaves to close, or None when it leaves none."""
    if r.status not in ("fail", "missing", "partial"):
        return None
    return RemediationItem(
        indicator=r.id,
        criterion=r.criterion,
        status=r.status,
        knockout=r.knockout,
        recovers_points=r.max_points - r.points,
        gap=r.gap,
        actions=r.remediation,
    )


def _priority(entry: RemediationItem) -> tuple[bool, float, int, tuple[int, ...]]:
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
    return sorted((x for x in built if x is not None), key=_priority)
