"""Pure scoring over the verdicts durable_rules produced: points, criteria, knockouts, verdict."""

from __future__ import annotations

from typing import Any

from . import i18n, remediation
from .criteria import CriteriaSet, Status, Text
from .facts import CommuneFacts, catalogue
from .results import (
    CommuneRef,
    CommuneResult,
    CriterionResult,
    IndicatorResult,
    SetRef,
)

Verdict = tuple[Status, int | None]  # (status, band index for 'partial')
EPS = 1e-9


def _points(cs: CriteriaSet, ind_points: float, bands: list[float], verdict: Verdict) -> float:
    status, band = verdict
    if status == "pass":
        return ind_points
    if status == "partial" and band is not None:
        return bands[band]
    if status == "not_applicable" and cs.recognition.not_applicable_points == "award":
        return ind_points
    return 0.0


def score(
    cs: CriteriaSet,
    set_ref: SetRef,
    facts: CommuneFacts,
    verdicts: dict[str, Verdict],
    source_file: str | None = None,
    waived: frozenset[str] = frozenset(),
) -> CommuneResult:
    """Score one commune. A ``waived`` indicator keeps its durable_rules verdict (shown, flagged
    waived) but is scored like a not-applicable one and cannot fail the commune as a knockout."""
    specs = catalogue()
    zone = facts.commune.zone
    indicators: list[IndicatorResult] = []
    criteria: list[CriterionResult] = []
    reasons: list[Text] = []
    total = 0.0
    for crit in cs.criteria:
        crit_score = 0.0
        for ind in crit.indicators:
            verdict = verdicts[ind.id]
            status = verdict[0]
            spec = specs[ind.fact]
            observed: Any = facts.get(ind.fact)
            threshold = ind.threshold_for(zone)
            is_waived = ind.id in waived
            points = _points(
                cs,
                ind.points,
                [b.points for b in ind.partial],
                ("not_applicable", None) if is_waived else verdict,
            )
            crit_score += points
            gap = remediation.gap_text(ind, spec, status, observed, threshold)
            actions = (
                [remediation.collect_evidence(ind, spec)]
                if status == "missing"
                else [remediation.action_ref(a) for a in ind.remediation]
                if status in ("fail", "partial")
                else []
            )
            indicators.append(
                IndicatorResult(
                    id=ind.id,
                    criterion=crit.id,
                    title=ind.title,
                    fact=ind.fact,
                    unit=ind.unit or Text(vi=spec.unit_vi or "-", en=spec.unit_en or "-"),
                    operator=ind.operator,
                    status=status,
                    observed=observed,
                    threshold=threshold,
                    threshold_zone=zone if ind.varies_by_zone else None,
                    points=points,
                    max_points=ind.points,
                    knockout=ind.knockout,
                    gap=gap,
                    message=remediation.message(
                        ind, status, observed, threshold, zone if ind.varies_by_zone else None
                    ),
                    fix=ind.doc.fix if status in ("fail", "partial", "missing") else None,
                    remediation=actions,
                    source=ind.source,
                    provenance=ind.provenance.status,
                    waived=is_waived,
                )
            )
        minimum = crit.max_points * cs.recognition.min_criterion_share
        passed = crit_score + EPS >= minimum
        if not passed:
            reasons.append(
                Text(
                    vi=f"Tiêu chí {crit.id} đạt {i18n.num(crit_score, 'vi', 2)}/{i18n.num(crit.max_points, 'vi')} "
                    f"điểm, dưới mức tối thiểu {i18n.num(minimum, 'vi', 2)}",
                    en=f"Criterion {crit.id} scores {i18n.num(crit_score, 'en', 2)}/{i18n.num(crit.max_points, 'en')}, "
                    f"below its minimum {i18n.num(minimum, 'en', 2)}",
                )
            )
        criteria.append(
            CriterionResult(
                id=crit.id,
                name=crit.name,
                score=round(crit_score, 6),
                max=crit.max_points,
                min_required=minimum,
                passed=passed,
            )
        )
        total += crit_score
    total = round(total, 6)
    rule = cs.recognition
    if total + EPS < rule.min_total:
        reasons.insert(
            0,
            Text(
                vi=f"Tổng điểm {i18n.score(total, 'vi')} dưới {i18n.num(rule.min_total, 'vi')}",
                en=f"Total score {i18n.score(total, 'en')} is below {i18n.num(rule.min_total, 'en')}",
            ),
        )
    if rule.knockouts_must_pass:
        for r in indicators:
            if r.knockout and not r.waived and r.status in ("fail", "missing"):
                what = "không đạt" if r.status == "fail" else "thiếu số liệu"
                what_en = "failed" if r.status == "fail" else "has no data"
                reasons.append(
                    Text(vi=f"Chỉ tiêu điểm liệt {r.id} {what}", en=f"Knockout indicator {r.id} {what_en}")
                )
    c = facts.commune
    return CommuneResult(
        commune=CommuneRef(
            id=c.code,
            name=c.name,
            province=c.province,
            district=c.district,
            zone=c.zone,
            area=c.area,
            population=c.population,
        ),
        year=facts.year,
        source_file=source_file,
        illustrative=facts.illustrative,
        criteria_set=set_ref,
        total_score=total,
        max_score=cs.max_points,
        min_total=rule.min_total,
        qualified=not reasons,
        reasons=reasons,
        criteria=criteria,
        indicators=indicators,
        remediation=remediation.order(indicators),
    )
