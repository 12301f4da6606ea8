"""How every output names and shows an indicator result: its official number, what was observed,
what is required, and its provenance. Renders only; computes nothing."""

from __future__ import annotations

from typing import Any

from engine import i18n
from engine.evaluation.results import IndicatorResult, ItemResult
from engine.inputs.fact_catalogue import catalogue


def cite(no: int | None, ident: str, lang: str) -> str:
    """The indicator as the decision cites it: 'Chỉ tiêu 35' / 'Indicator 35'; its id without a number."""
    return i18n.msg("criteria.indicator_no", lang, no=no) if no is not None else ident


def label(r: IndicatorResult, lang: str) -> str:
    """'Chỉ tiêu 35 (7.5)': the official number, then the stable id; the id alone without a number."""
    return f"{cite(r.no, r.id, lang)} ({r.id})" if r.no is not None else r.id


def observed(value: Any, lang: str) -> str:
    """An observed value; the values of an indicator over several facts, each by its fact's label."""
    if isinstance(value, dict):
        specs = catalogue()
        return "; ".join(
            f"{specs[p].label(lang) if p in specs else p}: {i18n.value(v, lang)}" for p, v in value.items()
        )
    return i18n.value(value, lang)


def requirement(r: IndicatorResult, lang: str) -> str:
    return r.requirement.get(lang) if r.requirement else ""


def provenance(r: IndicatorResult, lang: str, short: bool = False) -> str:
    """'dự thảo (đã xác nhận: number, title, threshold.red-river-delta)' / 'confirmed'; ``short``:
    'dự thảo, đã xác nhận một phần; ngưỡng áp dụng đã xác nhận'."""
    if r.provenance == "confirmed":
        return i18n.msg("criteria.provenance_confirmed", lang)
    if not r.confirmed_parts:
        return i18n.msg("criteria.provenance_draft", lang)
    if not short:
        return i18n.msg("criteria.provenance_part", lang, parts=", ".join(r.confirmed_parts))
    text = i18n.msg("criteria.provenance_part_short", lang)
    if r.threshold_provenance == "confirmed":
        text += "; " + i18n.msg("criteria.threshold_confirmed", lang)
    return text


def item_line(item: ItemResult, lang: str) -> str:
    """'✓ a) Có bác sĩ (2)' — met ✓, not met ✗, unknown ?"""
    mark = "✓" if item.met else "?" if item.met is None else "✗"
    return f"{mark} {item.id}) {item.title.get(lang)} ({i18n.num(item.points, lang)})"
