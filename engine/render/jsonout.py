"""Results as JSON-ready objects (one per commune). Renders only; computes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import orjson

from engine.evaluation.results import ActionRef, CommuneResult, IndicatorResult, ZoneCheck
from engine.render import indicators as shown


def action(a: ActionRef, lang: str) -> dict[str, Any]:
    """An action as the JSON outputs show it."""
    return {
        "id": a.id,
        "action": a.action.get(lang),
        "responsible": a.responsible.get(lang),
        "lead_time_months": a.lead_time_months,
        "cost": a.cost_vnd,
        "cost_currency": "VND",
        "cost_indicative": a.indicative_cost,
    }


def _zone_check(z: ZoneCheck | None, lang: str) -> dict[str, Any] | None:
    if z is None:
        return None
    return {
        "declared": z.declared,
        "by_rule": z.by_rule,
        "agrees": z.agrees,
        "finding": z.finding,
        "rule": z.rule.get(lang) if z.rule else None,
        "missing_facts": z.missing_facts,
        "reason": z.reason.text(lang),
    }


def _indicator(i: IndicatorResult, lang: str) -> dict[str, Any]:
    return {
        "id": i.id,
        "no": i.no,
        "cited_as": shown.cite(i.no, i.id, lang),
        "criterion": i.criterion,
        "title": i.title.get(lang),
        "fact": i.fact,
        "facts": i.facts,
        "status": i.status,
        "points": i.points,
        "max_points": i.max_points,
        "knockout": i.knockout,
        "observed": i.observed,
        "operator": i.operator,
        "threshold": i.threshold,
        "threshold_zone": i.threshold_zone,
        "threshold_basis": [{"dimension": d, "value": v} for d, v in i.threshold_basis],
        "requirement": shown.requirement(i, lang),
        "items": [
            {"id": x.id, "title": x.title.get(lang), "points": x.points, "met": x.met} for x in i.items
        ],
        "gap": i.gap.text(lang) if i.gap else None,
        "message": i.message.text(lang),
        "fix": i.fix.get(lang) if i.fix else None,
        "remediation": [action(a, lang) for a in i.remediation],
        "source": i.source,
        "provenance": i.provenance,
        "confirmed_parts": i.confirmed_parts,
        "threshold_provenance": i.threshold_provenance,
    }


def commune_object(r: CommuneResult, lang: str) -> dict[str, Any]:
    return {
        "commune": {
            "id": r.commune.id,
            "name": r.commune.name,
            "province": r.commune.province,
            "district": r.commune.district,
            "zone": r.commune.zone,
            "area": r.commune.area,
            "region": r.commune.region,
        },
        "year": r.year,
        "source_file": r.source_file,
        "illustrative": r.illustrative,
        "criteria_set": {
            "id": r.criteria_set.id,
            "decision": r.criteria_set.decision,
            "hash": r.criteria_set.hash,
            "draft_indicators": r.criteria_set.draft_indicators,
            "total_indicators": r.criteria_set.total_indicators,
        },
        "uses_draft_indicators": r.uses_drafts,
        "total_score": r.total_score,
        "max_score": r.max_score,
        "min_total": r.min_total,
        "qualified": r.qualified,
        "reasons": [x.text(lang) for x in r.reasons],
        "criteria": [
            {
                "id": c.id,
                "name": c.name.get(lang),
                "score": c.score,
                "max": c.max,
                "min_required": c.min_required,
                "passed": c.passed,
            }
            for c in r.criteria
        ],
        "indicators": [_indicator(i, lang) for i in r.indicators],
        "zone_check": _zone_check(r.zone_check, lang),
        "remediation_plan": [
            {
                "indicator": m.indicator,
                "status": m.status,
                "knockout": m.knockout,
                "recovers_points": m.recovers_points,
                "gap": m.gap.text(lang) if m.gap else None,
                "actions": [action(a, lang) for a in m.actions],
            }
            for m in r.remediation
        ],
    }


def encode(obj: Any, indent: bool = False) -> bytes:
    """``obj`` as UTF-8 JSON, what ``json.dumps(obj, ensure_ascii=False, indent=2 if indent else
    None, separators=… compact)`` gives, written by orjson (30x faster than json's indenting encoder,
    which is pure Python). The one difference: a number below 0.0001 is written 0.00001, not 1e-05
    (the same number). Integers beyond 64 bits, which orjson refuses, go through json."""
    try:
        return orjson.dumps(obj, option=orjson.OPT_INDENT_2 if indent else 0)
    except TypeError:  # orjson.JSONEncodeError: an integer of more than 64 bits
        if indent:
            return json.dumps(obj, ensure_ascii=False, indent=2).encode("utf-8")
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def element(r: CommuneResult, lang: str, depth: int = 1) -> bytes:
    """One commune as an element of the indented array of :func:`dumps` (indented by two spaces),
    or of an array ``depth`` levels deep in an indented document."""
    pad = b"  " * depth
    return pad + encode(commune_object(r, lang), indent=True).replace(b"\n", b"\n" + pad)


def join(elements: Iterable[bytes]) -> Iterable[bytes]:
    """The pieces of the indented JSON array of ``elements`` (each from :func:`element`)."""
    first = True
    for e in elements:
        yield b"[\n" if first else b",\n"
        yield e
        first = False
    yield b"[]" if first else b"\n]"


def dumps(results: Sequence[CommuneResult], lang: str) -> str:
    """The results as an indented JSON array (what ``json.dumps(…, indent=2, ensure_ascii=False)`` gives)."""
    return b"".join(join(element(r, lang) for r in results)).decode("utf-8")
