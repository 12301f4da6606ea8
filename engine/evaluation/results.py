"""Evaluation results: immutable data that renderers turn into tables, JSON, CSV, XLSX or HTML.

Criteria content (titles, names, actions) is bilingual data (``Text``); what the engine says about a
commune (reasons, gaps, messages) is a :class:`~engine.i18n.Message`, a code and its parameters.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict

from engine.i18n import Message
from engine.inputs.criteria import Status, Text

# Results are named tuples: immutable, built without validation (the engine produced every value,
# from models validated when they were read), cheap to build and to pickle (they come back from
# worker processes), and shared wherever they are equal (scoring reuses indicator results across
# communes, and every result of an indicator and status holds the same list of actions). They
# compare by value; ``_replace`` makes a changed copy. Zone checks, a few dozen shared by a whole
# run, stay pydantic models.


class ActionRef(NamedTuple):
    id: str
    action: Text | Message  # Message for the actions the engine adds (collect the evidence)
    responsible: Text | Message
    lead_time_months: int
    cost_vnd: int
    indicative_cost: bool = True


class ItemResult(NamedTuple):
    """A scored sub-item of an indicator: met, not met, or unknown (a fact it reads is absent)."""

    id: str
    title: Text
    points: float
    met: bool | None


class IndicatorResult(NamedTuple):
    id: str
    criterion: str
    title: Text
    fact: str  # the first fact it reads
    unit: Text
    operator: str
    status: Status
    observed: Any
    threshold: Any
    threshold_zone: int | None  # the zone whose threshold was applied; None when one for all
    points: float
    max_points: float
    knockout: bool
    gap: Message | None
    message: Message
    fix: Text | None
    remediation: list[ActionRef]
    source: str
    provenance: str  # 'confirmed' or 'draft'
    facts: list[str]  # every fact it reads
    items: list[ItemResult]
    confirmed_parts: list[str]  # of a draft: the parts read in the official text
    no: int | None = None  # the official number ("Chỉ tiêu 35"); None in sets without numbers
    # The dimension values that chose the thresholds, outermost first: (("region", "…"), ("zone", 3)).
    threshold_basis: tuple[tuple[str, Any], ...] = ()
    requirement: Message | None = None  # what is required, in words, with the dimension it came from
    threshold_provenance: str | None = None  # 'confirmed' or 'draft': the threshold applied here
    waived: bool = False


class CriterionResult(NamedTuple):
    id: str
    name: Text
    score: float
    max: float
    min_required: float
    passed: bool

    def as_json(self) -> dict[str, Any]:
        """The criterion as JSON-ready data (its name in both languages)."""
        return {**self._asdict(), "name": self.name.model_dump(mode="json")}


class RemediationItem(NamedTuple):
    """One gap to close, in the order that recovers most: knockouts first, then points."""

    indicator: str
    criterion: str
    status: Status
    knockout: bool
    recovers_points: float
    gap: Message | None
    actions: list[ActionRef]


class CommuneRef(NamedTuple):
    id: str
    name: str
    province: str
    district: str | None
    zone: int
    area: str
    population: int | None
    region: str | None = None  # socio-economic region code (stated, or the province's)


class ZoneCheck(BaseModel):
    """The declared zone against the zone the set's zoning rule gives from the commune's facts.

    ``finding``: ``agrees``; ``stricter`` (declared below the rule: judged against stricter
    thresholds than the rule grants); ``difficult_access`` (declared 3 while the distances give 1
    or 2: needs the Department of Health's decision); ``laxer`` (declared above the rule otherwise);
    ``undetermined`` (facts missing); ``no_rule`` (no line of the rule applies).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    declared: int
    by_rule: int | None
    agrees: bool | None
    finding: str
    rule: Text | None  # the line of the zoning rule that gave ``by_rule``
    missing_facts: list[str]
    reason: Message


class SetRef(NamedTuple):
    id: str
    decision: str
    hash: str
    draft_indicators: int
    total_indicators: int


class CommuneResult(NamedTuple):
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
