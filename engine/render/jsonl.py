"""The compact national format, JSON Lines: each criteria set once, then one short line per commune.

``evaluate --format jsonl`` writes, for 10,600 communes, about 30 MB where the full JSON of
``--format json`` takes 450 MB: what the full JSON repeats for every commune (indicator titles,
thresholds by zone, actions with their costs) is written once per criteria set, in a ``criteria_set``
line that comes before the first commune evaluated against it; a ``commune`` line then holds only
what is the commune's own, indicators and actions by id. Texts are in the language asked for.

    {"type":"criteria_set","format":"commune-health/jsonl","version":1,"id":…,"indicators":[…],"actions":{…},…}
    {"type":"commune","set":"national-2030","commune":{…},"total_score":71.5,"qualified":false,
     "indicators":{"1.1":["pass",2.0,2,1,null],…},"remediation":[["2.1",4.0,["train-doctor"]],…],…}

Each indicator of a commune is ``[status, points, observed, threshold, gap]`` (the columns are named
in the set's line; ``observed`` of an indicator over several facts lists their values in the order
of the indicator's ``facts``); ``remediation`` lists ``[indicator, points it would recover, [action ids]]`` in
the order that recovers most (knockouts first). README.md ("The national format") has a reader.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from engine.evaluation.remediation import action_ref, collect_evidence
from engine.evaluation.results import CommuneResult, SetRef
from engine.evaluation.subitems import evidence_actions
from engine.inputs.criteria import CriteriaSet
from engine.inputs.fact_catalogue import catalogue
from engine.render.jsonout import action, encode

FORMAT = "commune-health/jsonl"
VERSION = 1
COLUMNS = ("status", "points", "observed", "threshold", "gap")


def _plain(threshold: Any) -> Any:
    """A threshold as JSON data (one by dimension is a model)."""
    return threshold.model_dump(mode="json") if isinstance(threshold, BaseModel) else threshold


def header(cs: CriteriaSet, ref: SetRef, lang: str) -> bytes:
    """The ``criteria_set`` line: everything about the set that commune lines refer to by id."""
    specs = catalogue()
    actions: dict[str, dict[str, Any]] = {}
    indicators = []
    for crit, ind in cs.indicators():
        # The actions the engine adds for missing data, by the ids commune lines give them.
        evidence = evidence_actions(ind)
        if ind.form == "compare" and ind.fact in specs:
            evidence[0] = collect_evidence(ind, specs[ind.fact])
        for a in ind.actions():
            actions.setdefault(a.id, _own(action(action_ref(a), lang)))
        for e in evidence:
            actions[e.id] = _own(action(e, lang))
        indicators.append(
            {
                "id": ind.id,
                "no": ind.no,
                "criterion": crit.id,
                "title": ind.title.get(lang),
                "form": ind.form,
                "facts": list(ind.reads),
                "operator": ind.operator,
                "threshold": _plain(ind.threshold),
                "partial": [{"threshold": _plain(b.threshold), "points": b.points} for b in ind.partial],
                "items": [{"id": x.id, "title": x.title.get(lang), "points": x.points} for x in ind.items],
                "scoring": ind.scoring if ind.items else None,
                "points": ind.points,
                "knockout": ind.knockout,
                "applies_to": {"zones": ind.applies_to.zones, "areas": ind.applies_to.areas},
                "fix": ind.doc.fix.get(lang),
                "actions": [a.id for a in ind.actions()],
                "evidence_actions": [e.id for e in evidence],
                "source": ind.source,
                "provenance": ind.provenance.status,
            }
        )
    rule = cs.recognition
    line = {
        "type": "criteria_set",
        "format": FORMAT,
        "version": VERSION,
        "lang": lang,
        "id": ref.id,
        "title": cs.title.get(lang),
        "decision": ref.decision,
        "hash": ref.hash,
        "draft_indicators": ref.draft_indicators,
        "total_indicators": ref.total_indicators,
        "max_score": cs.max_points,
        "min_total": rule.min_total,
        "min_criterion_share": rule.min_criterion_share,
        "knockouts_must_pass": rule.knockouts_must_pass,
        "criteria": [
            {
                "id": c.id,
                "name": c.name.get(lang),
                "max": c.max_points,
                "min_required": c.max_points * rule.min_criterion_share,
            }
            for c in cs.criteria
        ],
        "indicators": indicators,
        "actions": actions,
        "columns": list(COLUMNS),
    }
    return encode(line) + b"\n"


def _own(a: dict[str, Any]) -> dict[str, Any]:
    """An action of the set's table (keyed by its id, so without it)."""
    return {k: v for k, v in a.items() if k != "id"}


def _observed(value: Any) -> Any:
    """An observed value; of an indicator over several facts, the values in the order of its
    ``facts`` in the set's line (not by path: shorter)."""
    return list(value.values()) if isinstance(value, dict) else value


def line(r: CommuneResult, lang: str) -> bytes:
    """One ``commune`` line."""
    c = r.commune
    obj = {
        "type": "commune",
        "set": r.criteria_set.id,
        "commune": {
            "id": c.id,
            "name": c.name,
            "province": c.province,
            "district": c.district,
            "zone": c.zone,
            "area": c.area,
            "region": c.region,
        },
        "year": r.year,
        "source_file": r.source_file,
        "illustrative": r.illustrative,
        "uses_draft_indicators": r.uses_drafts,
        "total_score": r.total_score,
        "qualified": r.qualified,
        "reasons": [x.text(lang) for x in r.reasons],
        "criteria": {x.id: [x.score, x.passed] for x in r.criteria},
        "indicators": {
            i.id: [
                i.status,
                i.points,
                _observed(i.observed),
                i.threshold,
                i.gap.text(lang) if i.gap else None,
            ]
            for i in r.indicators
        },
        "remediation": [[m.indicator, m.recovers_points, [a.id for a in m.actions]] for m in r.remediation],
    }
    return encode(obj) + b"\n"
