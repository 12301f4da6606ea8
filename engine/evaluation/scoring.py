"""Pure scoring over the verdicts durable_rules produced: points, criteria, knockouts, verdict."""

from __future__ import annotations

from typing import Any

from engine.evaluation import remediation
from engine.evaluation.results import (
    CommuneRef,
    CommuneResult,
    CriterionResult,
    IndicatorResult,
    RemediationItem,
    SetRef,
)
from engine.i18n import Message
from engine.inputs.criteria import ZONES, CriteriaSet, Indicator, Status, Text
from engine.inputs.fact_catalogue import catalogue
from engine.inputs.facts import CommuneFacts

Verdict = tuple[Status, int | None]  # (status, band index for 'partial')
EPS = 1e-9


class ScoreCache:
    """What scoring can reuse across communes evaluated against one criteria set.

    An indicator's result depends only on (indicator, verdict, observed value, zone, waived); the
    results are immutable, so communes that share those share one result object. Nationally that is
    a few thousand distinct results instead of half a million. The memo is bounded.
    """

    MAX_ENTRIES = 10_000  # bounded memory (a national run adds about 3 entries per commune)

    def __init__(self, cs: CriteriaSet) -> None:
        specs = catalogue()
        self.criteria_set = cs
        self.varies = {ind.id: ind.varies_by_zone for _, ind in cs.indicators()}
        self.bands = {ind.id: [b.points for b in ind.partial] for _, ind in cs.indicators()}
        self.specs = {ind.id: specs[ind.fact] for _, ind in cs.indicators()}
        self.paths = {ind.id: tuple(ind.fact.split(".")) for _, ind in cs.indicators()}
        # The requirement of each indicator in each zone, shared by every result that shows it.
        self.required = {
            (ind.id, z): remediation.required(ind.operator, ind.threshold_for(z))
            for _, ind in cs.indicators()
            for z in ZONES
        }
        self.results: dict[tuple[Any, ...], tuple[IndicatorResult, RemediationItem | None]] = {}

    def remember(
        self, key: tuple[Any, ...], result: IndicatorResult
    ) -> tuple[IndicatorResult, RemediationItem | None]:
        if len(self.results) >= self.MAX_ENTRIES:
            self.results.clear()
        entry = self.results[key] = (result, remediation.item(result))
        return entry


def points_for(cs: CriteriaSet, ind_points: float, bands: list[float], verdict: Verdict) -> float:
    """Points an indicator worth ``ind_points`` earns for ``verdict`` (``bands``: its partial-credit points)."""
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
    cache: ScoreCache | None = None,
) -> CommuneResult:
    """Score one commune. A ``waived`` indicator keeps its durable_rules verdict (shown, flagged
    waived) but is scored like a not-applicable one and cannot fail the commune as a knockout.
    ``cache`` (one per criteria set) lets many communes share identical indicator results."""
    if cache is None or cache.criteria_set is not cs:
        cache = ScoreCache(cs)
    zone = facts.commune.zone
    indicators: list[IndicatorResult] = []
    gaps: list[RemediationItem | None] = []
    criteria: list[CriterionResult] = []
    reasons: list[Message] = []
    total = 0.0
    for crit in cs.criteria:
        crit_score = 0.0
        for ind in crit.indicators:
            verdict = verdicts[ind.id]
            section, name = cache.paths[ind.id]
            observed: Any = getattr(getattr(facts, section), name)
            is_waived = ind.id in waived
            key = (ind.id, verdict, type(observed), observed, zone, is_waived)
            entry = cache.results.get(key)
            if entry is None:
                entry = cache.remember(
                    key, _indicator_result(cs, crit.id, ind, cache, verdict, observed, zone, is_waived)
                )
            crit_score += entry[0].points
            indicators.append(entry[0])
            gaps.append(entry[1])
        minimum = crit.max_points * cs.recognition.min_criterion_share
        passed = crit_score + EPS >= minimum
        if not passed:
            reasons.append(
                Message(
                    "evaluation.criterion_below",
                    criterion=crit.id,
                    score=crit_score,
                    max=crit.max_points,
                    minimum=minimum,
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
        reasons.insert(0, Message("evaluation.total_below", total=total, minimum=rule.min_total))
    if rule.knockouts_must_pass:
        for r in indicators:
            if r.knockout and not r.waived and r.status in ("fail", "missing"):
                code = "evaluation.knockout_failed" if r.status == "fail" else "evaluation.knockout_missing"
                reasons.append(Message(code, indicator=r.id))
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
        remediation=remediation.order(indicators, gaps),
    )


def _indicator_result(
    cs: CriteriaSet,
    criterion: str,
    ind: Indicator,
    cache: ScoreCache,
    verdict: Verdict,
    observed: Any,
    zone: int,
    is_waived: bool,
) -> IndicatorResult:
    status = verdict[0]
    spec = cache.specs[ind.id]
    threshold = ind.threshold_for(zone)
    req = cache.required[ind.id, zone]
    varies = cache.varies[ind.id]
    points = points_for(
        cs, ind.points, cache.bands[ind.id], ("not_applicable", None) if is_waived else verdict
    )
    if status == "missing":
        actions = [remediation.collect_evidence(ind, spec)]
    elif status in ("fail", "partial"):
        actions = [remediation.action_ref(a) for a in ind.remediation]
    else:
        actions = []
    return IndicatorResult(
        id=ind.id,
        criterion=criterion,
        title=ind.title,
        fact=ind.fact,
        unit=ind.unit or Text(vi=spec.unit_vi or "-", en=spec.unit_en or "-"),
        operator=ind.operator,
        status=status,
        observed=observed,
        threshold=threshold,
        threshold_zone=zone if varies else None,
        points=points,
        max_points=ind.points,
        knockout=ind.knockout,
        gap=remediation.gap_text(ind, spec, status, observed, threshold, req),
        message=remediation.message(ind, status, observed, threshold, zone if varies else None, req),
        fix=ind.doc.fix if status in ("fail", "partial", "missing") else None,
        remediation=actions,
        source=ind.source,
        provenance=ind.provenance.status,
        waived=is_waived,
    )
