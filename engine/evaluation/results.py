"""Evaluation results: immutable data that renderers turn into tables, JSON, CSV, XLSX or HTML.

Criteria content (titles, names, actions) is bilingual data (``Text``); what the engine says about a
commune (reasons, gaps, messages) is a :class:`~engine.i18n.Message`, a code and its parameters.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from engine.i18n import Message
from engine.inputs.criteria import Status, Text


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ActionRef(_Result):
    id: str
    action: Text | Message  # Message for the actions the engine adds (collect the evidence)
    responsible: Text | Message
    lead_time_months: int
    cost_vnd: int
    indicative_cost: bool = True


class ItemResult(_Result):
    """A scored sub-item of an indicator: met, not met, or unknown (a fact it reads is absent)."""

    id: str
    title: Text
    points: float
    met: bool | None


class IndicatorResult(_Result):
    id: str
    no: int | None = None  # the official number ("Chỉ tiêu 35"); None in sets without numbers
    criterion: str
    title: Text
    fact: str  # the first fact it reads
    facts: list[str] = []  # every fact it reads
    unit: Text
    operator: str
    status: Status
    observed: Any
    threshold: Any
    threshold_zone: int | None  # the zone whose threshold was applied; None when one for all
    # The dimension values that chose the thresholds, outermost first: (("region", "…"), ("zone", 3)).
    threshold_basis: tuple[tuple[str, Any], ...] = ()
    requirement: Message | None = None  # what is required, in words, with the dimension it came from
    items: list[ItemResult] = []
    points: float
    max_points: float
    knockout: bool
    gap: Message | None
    message: Message
    fix: Text | None
    remediation: list[ActionRef]
    source: str
    provenance: str  # 'confirmed' or 'draft'
    confirmed_parts: list[str] = []  # of a draft: the parts read in the official text
    threshold_provenance: str | None = None  # 'confirmed' or 'draft': the threshold applied here
    waived: bool = False


class CriterionResult(_Result):
    id: str
    name: Text
    score: float
    max: float
    min_required: float
    passed: bool


class RemediationItem(_Result):
    """One gap to close, in the order that recovers most: knockouts first, then points."""

    indicator: str
    criterion: str
    status: Status
    knockout: bool
    recovers_points: float
    gap: Message | None
    actions: list[ActionRef]


class CommuneRef(_Result):
    id: str
    name: str
    province: str
    district: str | None
    zone: int
    area: str
    population: int | None
    region: str | None = None  # socio-economic region code (stated, or the province's)


class ZoneCheck(_Result):
    """The declared zone against the zone the set's zoning rule gives from the commune's facts.

    ``finding``: ``agrees``; ``stricter`` (declared below the rule: judged against stricter
    thresholds than the rule grants); ``difficult_access`` (declared 3 while the distances give 1
    or 2: needs the Department of Health's decision); ``laxer`` (declared above the rule otherwise);
    ``undetermined`` (facts missing); ``no_rule`` (no line of the rule applies).
    """

    declared: int
    by_rule: int | None
    agrees: bool | None
    finding: str
    rule: Text | None  # the line of the zoning rule that gave ``by_rule``
    missing_facts: list[str]
    reason: Message


class SetRef(_Result):
    id: str
    decision: str
    hash: str
    draft_indicators: int
    total_indicators: int


class CommuneResult(_Result):
    commune: CommuneRef
    year: int
    source_file: str | None
    illustrative: bool
    criteria_set: SetRef
    total_score: float
    max_score: float
    min_total: float
    qualified: bool
    reasons: list[Message]
    criteria: list[CriterionResult]
    indicators: list[IndicatorResult]
    remediation: list[RemediationItem]
    zone_check: ZoneCheck | None = None

    @property
    def uses_drafts(self) -> bool:
        return self.criteria_set.draft_indicators > 0

    @property
    def knockouts_failed(self) -> list[str]:
        return [
            i.id for i in self.indicators if i.knockout and not i.waived and i.status in ("fail", "missing")
        ]

    @property
    def criteria_below_floor(self) -> list[str]:
        return [c.id for c in self.criteria if not c.passed]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for i in self.indicators:
            out[i.status] = out.get(i.status, 0) + 1
        return out
