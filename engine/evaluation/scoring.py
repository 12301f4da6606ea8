"""Pure scoring over the verdicts durable_rules produced: points, criteria, knockouts, verdict."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.evaluation import remediation, subitems
from engine.evaluation.outcomes import Verdict, basis_of, points_for, threshold_part
from engine.evaluation.results import (
    CommuneRef,
    CommuneResult,
    CriterionResult,
    IndicatorResult,
    RemediationItem,
    SetRef,
    ZoneCheck,
)
from engine.i18n import Message
from engine.inputs.conditions import Dims
from engine.inputs.criteria import CriteriaSet, Indicator, Text
from engine.inputs.fact_catalogue import catalogue
from engine.inputs.facts import CommuneFacts
from engine.inputs.loader import places as shipped_places
from engine.inputs.regions import Places

__all__ = ["EPS", "ScoreCache", "Verdict", "points_for", "score"]
EPS = 1e-9


@dataclass(frozen=True)
class Placed:
    basis: tuple[tuple[str, Any], ...]
    zone: int | None  # the zone, when the threshold varies by zone alone (the message says "(vùng 3)")
    basis_text: list[Message] | None  # the dimension values in words, when they are more than the zone
    threshold: Any
    required: Message | None  # the requirement alone ('≥ 90'), of an indicator over one fact
    requirement: Message  # in full: with the unit and the dimension values that chose the threshold
    threshold_provenance: str | None


class ScoreCache:
    """What scoring can reuse across communes evaluated against one criteria set.

    An indicator's result depends only on (indicator, verdict, observed values, the dimension values
    that chose its thresholds, waived); the results are immutable, so communes that share those share
    one result object. Nationally that is a few thousand distinct results instead of half a million.
    The memo is bounded.
    """

    MAX_ENTRIES = 10_000  # bounded memory (a national run adds about 3 entries per commune)

    def __init__(self, cs: CriteriaSet) -> None:
        specs = catalogue()
        self.criteria_set = cs
        self.specs = {ind.id: specs.get(ind.primary_fact) for _, ind in cs.indicators()}
        self.paths = {ind.id: [tuple(p.split(".")) for p in ind.reads] for _, ind in cs.indicators()}
        self.dims = {ind.id: ind.dimensions for _, ind in cs.indicators()}
        self.results: dict[tuple[Any, ...], tuple[IndicatorResult, RemediationItem | None]] = {}
        self.places: dict[tuple[Any, ...], Placed] = {}  # per indicator and dimension values

    def placed(self, ind: Indicator, dims: Dims, where: tuple[Any, ...], places: Places) -> Placed:
        """What an indicator requires where a commune stands (nothing of its observed values)."""
        key = (ind.id, dims.zone, where)
        found = self.places.get(key)
        if found is None:
            basis = basis_of(ind, dims)
            zone_only = tuple(d for d, _ in basis) == ("zone",)
            prov = ind.provenance
            threshold = ind.threshold_for(*dims) if ind.form == "compare" else None
            found = self.places[key] = Placed(
                basis=basis,
                zone=dims.zone if zone_only else None,
                basis_text=None if zone_only or not basis else subitems.basis_text(basis, places),
                threshold=threshold,
                required=remediation.required(ind.operator, threshold) if ind.operator else None,
                requirement=subitems.requirement(ind, dims, places),
                threshold_provenance=(
                    ("confirmed" if prov.confirms(threshold_part(basis)) else "draft")
                    if ind.form == "compare"
                    else None
                ),
            )
        return found

    def remember(
        self, key: tuple[Any, ...], result: IndicatorResult
    ) -> tuple[IndicatorResult, RemediationItem | None]:
        if len(self.results) >= self.MAX_ENTRIES:
            self.results.clear()
        entry = self.results[key] = (result, remediation.item(result))
        return entry


def score(
    cs: CriteriaSet,
    set_ref: SetRef,
    facts: CommuneFacts,
    verdicts: dict[str, Verdict],
    source_file: str | None = None,
    waived: frozenset[str] = frozenset(),
    cache: ScoreCache | None = None,
    dims: Dims | None = None,
    places: Places | None = None,
    zone_check: ZoneCheck | None = None,
) -> CommuneResult:
    """Score one commune. A ``waived`` indicator keeps its durable_rules verdict (shown, flagged
    waived) but is scored like a not-applicable one and cannot fail the commune as a knockout.
    ``cache`` (one per criteria set) lets many communes share identical indicator results.
    ``dims``: the commune's zone, area and region (the region from ``places``, the region table)."""
    if cache is None or cache.criteria_set is not cs:
        cache = ScoreCache(cs)
    if places is None:
        places = shipped_places()
    c = facts.commune
    dims = dims or Dims(c.zone, c.area, places.region_of(c.province, facts.year, c.region))
    indicators: list[IndicatorResult] = []
    gaps: list[RemediationItem | None] = []
    criteria: list[CriterionResult] = []
    reasons: list[Message] = []
    total = 0.0
    for crit in cs.criteria:
        crit_score = 0.0
        for ind in crit.indicators:
            verdict = verdicts[ind.id]
            paths = cache.paths[ind.id]
            if len(paths) == 1:  # the common case, without building tuples
                observed: Any = getattr(getattr(facts, paths[0][0]), paths[0][1])
                kinds: Any = type(observed)
            else:
                observed = tuple(getattr(getattr(facts, s), n) for s, n in paths)
                kinds = tuple(map(type, observed))
            is_waived = ind.id in waived
            used = cache.dims[ind.id]
            where = tuple(getattr(dims, d) for d in used) if used else ()
            key = (ind.id, verdict, kinds, observed, dims.zone, where, is_waived)
            entry = cache.results.get(key)
            if entry is None:
                result = _indicator_result(cs, crit.id, ind, cache, verdict, facts, dims, places, is_waived)
                entry = cache.remember(key, result)
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
    return CommuneResult(
        commune=CommuneRef(
            id=c.code,
            name=c.name,
            province=c.province,
            district=c.district,
            zone=c.zone,
            area=c.area,
            population=c.population,
            region=dims.region,
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
        zone_check=zone_check,
    )


def _indicator_result(
    cs: CriteriaSet,
    criterion: str,
    ind: Indicator,
    cache: ScoreCache,
    verdict: Verdict,
    facts: CommuneFacts,
    dims: Dims,
    places: Places,
    is_waived: bool,
) -> IndicatorResult:
    status = verdict[0]
    spec = cache.specs[ind.id]
    placed = cache.placed(ind, dims, tuple(dims.get(d) for d in cache.dims[ind.id]), places)
    threshold = placed.threshold
    observed = subitems.observed_of(ind, facts)
    points = points_for(cs, ind, ("not_applicable", None) if is_waived else verdict)
    region_unknown = status == "missing" and ind.form == "compare" and observed is not None
    if ind.form != "compare" or region_unknown:
        gap = subitems.gap(ind, verdict, facts, dims)
        message = (
            subitems.message(cs, ind, verdict, facts, dims)
            if not region_unknown
            else Message("criteria.missing_region", province=facts.commune.province)
        )
        actions = subitems.actions(ind, verdict, facts)
    else:
        req = placed.required
        gap = remediation.gap_text(ind, spec, status, observed, threshold, req)  # type: ignore[arg-type]
        message = remediation.message(ind, status, observed, threshold, placed.zone, req, placed.basis_text)
        if status == "missing":
            actions = [remediation.collect_evidence(ind, spec)]  # type: ignore[arg-type]
        elif status in ("fail", "partial"):
            actions = [remediation.action_ref(a) for a in ind.remediation]
        else:
            actions = []
    prov = ind.provenance
    unit = ind.unit or Text(
        vi=(spec.unit_vi if spec else "") or "-", en=(spec.unit_en if spec else "") or "-"
    )
    return IndicatorResult(
        id=ind.id,
        no=ind.no,
        criterion=criterion,
        title=ind.title,
        fact=ind.primary_fact,
        facts=list(ind.reads),
        unit=unit,
        operator=ind.operator or ind.form,
        status=status,
        observed=observed,
        threshold=threshold,
        threshold_zone=dims.zone if "zone" in cache.dims[ind.id] else None,
        threshold_basis=placed.basis,
        requirement=placed.requirement,
        items=subitems.item_results(ind, verdict, facts) if ind.items else [],
        points=points,
        max_points=ind.points,
        knockout=ind.knockout,
        gap=gap,
        message=message,
        fix=ind.doc.fix if status in ("fail", "partial", "missing") else None,
        remediation=actions,
        source=ind.source,
        provenance=prov.status,
        confirmed_parts=list(prov.confirmed_parts),
        threshold_provenance=placed.threshold_provenance,
        waived=is_waived,
    )
