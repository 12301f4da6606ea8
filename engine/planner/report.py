"""What every what-if and action-plan report says about a commune: the header and the diffs.

A what-if (:mod:`engine.planner.whatif`) and an action plan (:mod:`engine.planner.action_plan`) both
compare a commune's evaluation before and after some change; they share this header and these diffs.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from engine.evaluation.results import CommuneResult
from engine.i18n import Message
from engine.inputs.criteria import Text
from engine.inputs.facts import CommuneFacts


class ReportModel(BaseModel):
    """Base of the planner's immutable report models."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class IndicatorDiff(ReportModel):
    id: str
    no: int | None = None  # the official number ("Chỉ tiêu 35")
    criterion: str
    title: Text
    knockout: bool
    status_before: str
    status_after: str
    observed_before: Any
    observed_after: Any
    points_before: float
    points_after: float


class CriterionDiff(ReportModel):
    id: str
    name: Text
    before: float
    after: float
    min_required: float
    passed_before: bool
    passed_after: bool


class CommuneReport(ReportModel):
    """What every what-if or plan report says about the commune and its evaluation before."""

    commune: str
    commune_name: str
    source_file: str | None
    year: int
    criteria_set: str
    draft_indicators: int
    total_indicators: int
    illustrative: bool
    total_before: float
    qualified_before: bool
    reasons_before: list[Message]


def report_head(facts: CommuneFacts, before: CommuneResult, source: str | None) -> dict[str, Any]:
    """The :class:`CommuneReport` fields, from the facts and their evaluation before any change."""
    return {
        "commune": facts.commune.code,
        "commune_name": facts.commune.name,
        "source_file": source,
        "year": facts.year,
        "criteria_set": before.criteria_set.id,
        "draft_indicators": before.criteria_set.draft_indicators,
        "total_indicators": before.criteria_set.total_indicators,
        "illustrative": facts.illustrative,
        "total_before": before.total_score,
        "qualified_before": before.qualified,
        "reasons_before": before.reasons,
    }


def indicator_diffs(before: CommuneResult, after: CommuneResult) -> list[IndicatorDiff]:
    """The indicators whose status or points differ between two evaluations of one commune."""
    return [
        IndicatorDiff(
            id=b.id,
            no=b.no,
            criterion=b.criterion,
            title=b.title,
            knockout=b.knockout,
            status_before=b.status,
            status_after=a.status,
            observed_before=b.observed,
            observed_after=a.observed,
            points_before=b.points,
            points_after=a.points,
        )
        for b, a in zip(before.indicators, after.indicators, strict=True)
        if (b.status, b.points) != (a.status, a.points)
    ]


def criterion_diffs(before: CommuneResult, after: CommuneResult) -> list[CriterionDiff]:
    return [
        CriterionDiff(
            id=b.id,
            name=b.name,
            before=b.score,
            after=a.score,
            min_required=b.min_required,
            passed_before=b.passed,
            passed_after=a.passed,
        )
        for b, a in zip(before.criteria, after.criteria, strict=True)
        if (b.score, b.passed) != (a.score, a.passed)
    ]
