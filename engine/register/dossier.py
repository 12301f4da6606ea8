"""A year's recognition decisions as the proposal (tờ trình) and the draft decision list them.

Pure reading. When decisions are recorded for the year, they are the list (with their number, date,
recognition year and validity) and any commune whose current proposal differs from its recorded
decision is named (facts imported after ``decide --apply``). When none is recorded yet, the
proposals are the list, flagged as such; their validity is counted from the signing date, unknown
until the decision is signed. Communes evaluated that year without a decision (not qualifying, no
title) are listed apart: the proposal reports them too.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from engine.i18n import Message
from engine.inputs.criteria import Text
from engine.register.db import Register
from engine.register.decisions import Proposal, latest_evaluations, proposals_in
from engine.register.rules import KINDS, DecisionKind


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DecisionEntry(_Frozen):
    commune: str
    name: str
    province: str | None
    district: str | None
    kind: DecisionKind | None
    evaluated: bool
    total_score: float | None
    max_score: float | None
    qualified: bool | None
    criteria_set_id: str | None
    criteria_decision: str | None
    draft_indicators: int
    total_indicators: int
    illustrative: bool
    reasons: list[Text]
    waived: list[str]
    validity_years: int | None
    recognised_year: int | None
    valid_until: dt.date | None
    reason: Message  # why this decision (from the rules)


class YearDecisions(_Frozen):
    year: int
    recorded: bool
    decision_numbers: list[str]
    decision_dates: list[dt.date]
    entries: list[DecisionEntry]  # communes with a decision, in KINDS order then by code
    without_decision: list[DecisionEntry]  # evaluated, not qualifying and holding no title
    differing: list[str]  # recorded decisions the current proposals would change (commune codes)

    def of_kind(self, kind: DecisionKind) -> list[DecisionEntry]:
        return [e for e in self.entries if e.kind == kind]

    @property
    def evaluated(self) -> list[DecisionEntry]:
        return sorted(
            (e for e in [*self.entries, *self.without_decision] if e.evaluated), key=lambda e: e.commune
        )

    @property
    def draft_indicators(self) -> int:
        return max((e.draft_indicators for e in self.entries + self.without_decision), default=0)

    @property
    def illustrative(self) -> bool:
        return any(e.illustrative for e in self.entries + self.without_decision)


def _entry(
    p: Proposal, e: Any, kind: DecisionKind | None, recognised: int | None, until: Any
) -> DecisionEntry:
    who = json.loads(e.facts_json)["commune"] if e is not None else {}
    return DecisionEntry(
        commune=p.commune,
        name=p.name,
        province=who.get("province"),
        district=who.get("district"),
        kind=kind,
        evaluated=e is not None,
        total_score=None if e is None else e.total_score,
        max_score=None if e is None else e.max_score,
        qualified=p.qualified,
        criteria_set_id=p.criteria_set_id,
        criteria_decision=None if e is None else e.criteria_decision,
        draft_indicators=p.draft_indicators,
        total_indicators=0 if e is None else e.total_indicators,
        illustrative=bool(e is not None and e.illustrative),
        reasons=p.verdict_reasons,
        waived=p.waived,
        validity_years=None if e is None else e.validity_years,
        recognised_year=recognised,
        valid_until=until,
        reason=p.reason,
    )


def year_decisions(reg: Register, year: int) -> YearDecisions:
    """The decisions of ``year`` (recorded ones, else the proposals) with what the documents print."""
    with reg.read() as conn:
        evals = latest_evaluations(reg, conn, year)
        proposals = proposals_in(reg, conn, year, dt.date(year, 12, 31), with_unevaluated=True)
        d, ev = reg.t["decisions"], reg.t["evaluations"]
        rows = {r.commune_code: r for r in conn.execute(select(d).where(d.c.year == year))}
        by_id = {
            r.id: r
            for r in conn.execute(select(ev).where(ev.c.id.in_([r.evaluation_id for r in rows.values()])))
        }
    recorded = bool(rows)
    entries: list[DecisionEntry] = []
    without: list[DecisionEntry] = []
    for p in proposals:
        row = rows.get(p.commune)
        if recorded and row is not None:
            e = by_id.get(row.evaluation_id) if row.evaluation_id is not None else None
            entries.append(_entry(p, e, row.kind, row.recognised_year, row.valid_until))
        elif p.kind is not None and not recorded:
            # Not signed yet: new titles run from the signing date (see rules.valid_until).
            until = p.valid_until if p.kind == "maintained" else None
            entries.append(_entry(p, evals.get(p.commune), p.kind, p.recognised_year, until))
        elif p.evaluation_id is not None and p.kind is None:
            without.append(_entry(p, evals.get(p.commune), None, None, None))
    order = {k: n for n, k in enumerate(KINDS)}
    entries.sort(key=lambda x: (order[x.kind] if x.kind else len(order), x.commune))
    return YearDecisions(
        year=year,
        recorded=recorded,
        decision_numbers=sorted({r.decision_number for r in rows.values()}),
        decision_dates=sorted({r.decision_date for r in rows.values()}),
        entries=entries,
        without_decision=without,
        differing=sorted(p.commune for p in proposals if recorded and p.recorded_kind != p.kind),
    )
