"""A criteria set's requirements in words, every dimension at once (for `criteria show` and the docs).

An evaluation shows the threshold that applied to one commune; the reference of a set shows all of
them: "Trung du miền núi phía Bắc: ≤ 24; Đồng bằng sông Hồng: ≤ 16,5; …", conditions as
"tất cả: …", sub-items one per line. Renders only.
"""

from __future__ import annotations

from typing import Any

from engine import i18n
from engine.evaluation.remediation import requirement
from engine.inputs.conditions import AllOf, AnyOf, Compare, NotOf, as_dimensional
from engine.inputs.criteria import Indicator, Provenance
from engine.inputs.fact_catalogue import catalogue
from engine.inputs.loader import places


def dimension_value(dimension: str, value: Any, lang: str) -> str:
    """'vùng 3', 'khu vực nông thôn', 'vùng Tây Nguyên' / 'zone 3', 'rural area', 'Central Highlands'."""
    shown = places().table.name(value, lang) if dimension == "region" else i18n.value(value, lang)
    return i18n.msg(f"criteria.dimension_{dimension}", lang, value=shown)


def threshold_words(cmp: Indicator | Compare, threshold: Any, lang: str) -> str:
    """Every value of a threshold, by the dimension values it depends on."""
    table = as_dimensional(threshold)
    if table is None:
        return requirement(cmp, threshold, lang)
    parts = []
    for key, value in table.values.items():
        inner = threshold_words(cmp, value, lang)
        nested = as_dimensional(value) is not None
        parts.append(f"{dimension_value(table.by, key, lang)}: " + (f"({inner})" if nested else inner))
    return "; ".join(parts)


def condition_words(cond: Any, lang: str) -> str:
    if isinstance(cond, Compare):
        spec = catalogue().get(cond.fact)
        label = spec.label(lang) if spec else cond.fact
        return i18n.msg(
            "criteria.compare", lang, fact=label, requirement=threshold_words(cond, cond.threshold, lang)
        )
    if isinstance(cond, NotOf):
        return i18n.msg("criteria.not_of", lang, part=condition_words(cond.not_, lang))
    parts = "; ".join(condition_words(p, lang) for p in (cond.all if isinstance(cond, AllOf) else cond.any))
    assert isinstance(cond, (AllOf, AnyOf))
    return i18n.msg("criteria.all_of" if isinstance(cond, AllOf) else "criteria.any_of", lang, parts=parts)


def indicator_requirement(ind: Indicator, lang: str) -> list[str]:
    """The requirement of an indicator, one line per sub-item for an indicator of sub-items."""
    if ind.form == "condition":
        return [condition_words(ind.condition, lang)]
    if ind.form == "items":
        key = "criteria.items_sum" if ind.scoring == "sum" else "criteria.items_first"
        head = i18n.msg(key, lang, points=ind.points, items="").rstrip(": ")
        return [head] + [
            f"{item.id}) {item.title.get(lang)} — {i18n.num(item.points, lang)}: {condition_words(item.when, lang)}"
            for item in ind.items
        ]
    req = threshold_words(ind, ind.threshold, lang)
    bands = ", ".join(
        f"{threshold_words(ind, b.threshold, lang)} → {i18n.num(b.points, lang)}" for b in ind.partial
    )
    return [req] + ([f"{i18n.msg('criteria.partial', lang)}: {bands}"] if bands else [])


def provenance_words(prov: Provenance) -> str:
    """'draft (confirmed: number, title, threshold.red-river-delta)'."""
    text = prov.status + (f" (confirmed: {', '.join(prov.confirmed_parts)})" if prov.confirmed_parts else "")
    return text
