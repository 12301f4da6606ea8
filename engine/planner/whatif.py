"""What-if simulation: change some facts, re-evaluate, and show what changes.

``PATH=VALUE`` assignments are typed by the fact vocabulary (:func:`engine.inputs.fact_catalogue.catalogue`) and the
changed facts are validated as strictly as a fact file, so a simulation can never hold a value a
fact file could not. ``VALUE`` may be ``null`` to remove a fact (the indicators reading it become
*missing*). Immutable facts (population, villages, distance) and the zone may be changed in a
what-if, but the result says that no plan can change them.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from engine.errors import Diagnostic, UserError
from engine.evaluation.evaluator import Evaluator
from engine.i18n import Message
from engine.inputs.criteria import Text
from engine.inputs.fact_catalogue import catalogue
from engine.inputs.facts import CommuneFacts
from engine.inputs.loader import places
from engine.planner.actions import with_values
from engine.planner.report import (
    CommuneReport,
    CriterionDiff,
    IndicatorDiff,
    ReportModel,
    criterion_diffs,
    indicator_diffs,
    report_head,
)

_TRUE = {"true", "yes", "có", "co", "đúng", "1"}
_FALSE = {"false", "no", "không", "khong", "sai", "0"}
_NULL = {"null", "none", "-", ""}
_ZONES_AREAS = {"commune.zone": (1, 2, 3), "commune.area": ("urban", "rural")}


def _identity() -> dict[str, tuple[Any, ...]]:
    """Identity facts a what-if may change besides the catalogue: the zone assigned by the DoH, the
    area, and the socio-economic region (a threshold by region in a what-if)."""
    return {**_ZONES_AREAS, "commune.region": places().table.codes}


class FactChange(ReportModel):
    path: str
    label: Text | Message  # the fact's label; a Message for the zone and the area
    before: Any
    after: Any
    immutable: bool


class Simulation(CommuneReport):
    changes: list[FactChange]
    indicators: list[IndicatorDiff]
    criteria: list[CriterionDiff]
    total_after: float
    qualified_after: bool
    reasons_after: list[Message]
    notes: list[Message]


def _bad(raw: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic(
        path="--set", where=raw if len(raw) <= 60 else raw[:57] + "…", message=message, hint=hint
    )


def _typed(path: str, text: str, raw: str) -> tuple[Any, Diagnostic | None]:
    """The value of ``text`` for fact ``path``, typed like a fact file would type it (numbers finite,
    at most 18 digits for a whole number: the fact's range check says the rest)."""
    low = text.strip().lower()
    if len(text) > 40:
        text = text[:37] + "…"
    if low in _NULL:
        return None, None
    identity = _identity()
    if path in identity:
        allowed = identity[path]
        value: Any = int(low) if path == "commune.zone" and re.fullmatch(r"\d{1,2}", low) else low
        if value not in allowed:
            return None, _bad(
                raw, f"{path} must be one of {', '.join(map(str, allowed))}", "e.g. commune.zone=3"
            )
        return value, None
    spec = catalogue()[path]
    if spec.kind == "boolean":
        if low in _TRUE | _FALSE:
            return low in _TRUE, None
        return None, _bad(raw, f"{path} is yes/no, not {text!r}", f"write {path}=true or {path}=false")
    if spec.kind == "choice":
        if low in spec.choices:
            return low, None
        return None, _bad(raw, f"{path} cannot be {text!r}", f"use one of: {', '.join(spec.choices)}")
    if spec.kind == "count":
        if re.fullmatch(r"\d{1,18}", low):
            return int(low), None
        return None, _bad(raw, f"{path} is a count (a whole number ≥ 0), not {text!r}", f"e.g. {path}=2")
    try:
        number = float(low.replace(",", ".").rstrip("%").strip())
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        return None, _bad(raw, f"{path} is a number, not {text!r}", f"e.g. {path}=95")
    return number, None


def parse_assignments(items: Sequence[str]) -> dict[str, Any]:
    """``["staffing.doctors=2", ...]`` → ``{"staffing.doctors": 2}``; every bad item reported at once."""
    out: dict[str, Any] = {}
    problems: list[Diagnostic] = []
    specs = catalogue()
    for raw in items:
        path, sep, text = raw.partition("=")
        path = path.strip()
        if not sep:
            problems.append(_bad(raw, "expected PATH=VALUE", "e.g. --set staffing.doctors=2"))
            continue
        if path not in specs and path not in _identity():
            close = difflib.get_close_matches(path, list(specs), n=3, cutoff=0.6) or sorted(
                p for p in specs if p.split(".")[0] == path.split(".")[0]
            )
            problems.append(
                _bad(
                    raw,
                    f"unknown fact {path!r}",
                    f"did you mean {', '.join(close[:5])}?"
                    if close
                    else "facts are named section.field, e.g. staffing.doctors (see README.md)",
                )
            )
            continue
        if path in out:
            problems.append(_bad(raw, f"{path} is set twice", "give each fact once"))
            continue
        value, problem = _typed(path, text, raw)
        if problem:
            problems.append(problem)
        else:
            out[path] = value
    if problems:
        raise UserError(problems)
    return out


def apply_assignments(facts: CommuneFacts, values: dict[str, Any]) -> CommuneFacts:
    """The facts with ``values`` applied, validated like a fact file (ranges, types)."""
    try:
        return with_values(facts, values)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            path = ".".join(str(p) for p in err["loc"][:2])
            raw = f"{path}={values.get(path)}"
            problems.append(_bad(raw, err["msg"], "percentages go from 0 to 100; counts and amounts are ≥ 0"))
        raise UserError(problems) from None


_NAMES = {
    "commune.zone": Message("common.zone"),
    "commune.area": Message("planner.fact_area"),
    "commune.region": Message("planner.fact_region"),
}


def _label(path: str) -> Text | Message:
    if path in _NAMES:
        return _NAMES[path]
    spec = catalogue()[path]
    return Text(vi=spec.label_vi, en=spec.label_en)


def simulate(
    ev: Evaluator, facts: CommuneFacts, values: dict[str, Any], source: str | None = None
) -> Simulation:
    """Evaluate before and after the changes; keep only what changed."""
    after_facts = apply_assignments(facts, values)
    before, after = ev.evaluate([facts, after_facts], [source, source])
    specs = catalogue()
    changes = [
        FactChange(
            path=p,
            label=_label(p),
            before=facts.get(p),
            after=after_facts.get(p),
            immutable=p in _identity() or specs[p].immutable,
        )
        for p in values
    ]
    notes = [Message("planner.immutable_fact", fact=c.label) for c in changes if c.immutable]
    return Simulation(
        **report_head(facts, before, source),
        changes=changes,
        indicators=indicator_diffs(before, after),
        criteria=criterion_diffs(before, after),
        total_after=after.total_score,
        qualified_after=after.qualified,
        reasons_after=after.reasons,
        notes=notes,
    )
