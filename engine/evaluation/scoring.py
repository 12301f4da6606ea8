"""Pure scoring over the verdicts durable_rules produced: points, criteria, knockouts, verdict."""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import Any

from engine.evaluation import remediation, subitems
from engine.evaluation.outcomes import Verdict, basis_of, points_for, threshold_part
from engine.evaluation.results import (
    ActionRef,
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
from engine.inputs.criteria import CriteriaSet, Indicator, Status, Text
from engine.inputs.fact_catalogue import catalogue
from engine.inputs.facts import CommuneFacts
from engine.inputs.loader import places as shipped_places
from engine.inputs.regions import Places

__all__ = ["EPS", "ScoreCache", "Verdict", "points_for", "score"]
EPS = 1e-9

# One indicator result and what it leaves to close: the remediation item (None when nothing) and
# that item's place in the order of remediation (:func:`engine.evaluation.remediation.priority`).
Entry = tuple[IndicatorResult, RemediationItem | None, tuple[Any, ...] | None]


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
    The memo is bounded. What does not depend on the observed values (the unit, the facts read, the
    actions of each status) is built once per indicator and shared by all its results.
    """

    MAX_ENTRIES = 10_000  # bounded memory (a national run adds about 3 entries per commune)

    def __init__(self, cs: CriteriaSet) -> None:
        specs = catalogue()
        self.criteria_set = cs
        self.specs = {ind.id: specs.get(ind.primary_fact) for _, ind in cs.indicators()}
        self.forms = {ind.id: ind.form for _, ind in cs.indicators()}
        self.primary = {ind.id: ind.primary_fact for _, ind in cs.indicators()}
        self.dims = {ind.id: ind.dimensions for _, ind in cs.indicators()}
        self.units: dict[str, Text] = {}
        self.labels: dict[str, Text] = {}
        self.reads: dict[str, list[str]] = {}
        self.confirmed_parts: dict[str, list[str]] = {}
        self.actions: dict[tuple[str, Status], list[ActionRef]] = {}
        for _, ind in cs.indicators():
            spec = self.specs[ind.id]
            self.units[ind.id] = ind.unit or Text(
                vi=(spec.unit_vi if spec else "") or "-", en=(spec.unit_en if spec else "") or "-"
            )
            self.reads[ind.id] = list(ind.reads)
            if spec is not None:
                self.labels[ind.id] = remediation.fact_label(spec)
            self.confirmed_parts[ind.id] = list(ind.provenance.confirmed_parts)
            if ind.form == "compare":
                fixes = [remediation.action_ref(a) for a in ind.remediation]
                self.actions[ind.id, "fail"] = self.actions[ind.id, "partial"] = fixes
                if spec is not None:
                    self.actions[ind.id, "missing"] = [remediation.collect_evidence(ind, spec)]
        # What every result of an indicator holds, in IndicatorResult's field order (built by position).
        self.static = {
            ind.id: (
                (ind.id, crit.id, ind.title, ind.primary_fact, self.units[ind.id], ind.operator or ind.form),
                (ind.points, ind.knockout),
                (ind.source, ind.provenance.status, self.reads[ind.id]),
            )
            for crit, ind in cs.indicators()
        }
        self.costs = {k: min((a.cost_vnd for a in v), default=0) for k, v in self.actions.items()}
        self.order = {ind.id: tuple(int(p) for p in ind.id.split(".")) for _, ind in cs.indicators()}
        self.points: dict[tuple[str, Any], float] = {}  # per indicator and verdict
        self.results: dict[tuple[Any, ...], Entry] = {}
        # Per indicator, what scoring reads of each commune: its observed value(s) (one value, or a
        # tuple when it reads several facts) and the dimension values its thresholds vary by.
        self.readers = {
            ind.id: (
                attrgetter(*ind.reads) if ind.reads else _nothing,
                len(ind.reads) > 1,
                attrgetter(*ind.dimensions) if ind.dimensions else _nothing,
            )
            for _, ind in cs.indicators()
        }
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

    def remember(self, key: tuple[Any, ...], result: IndicatorResult) -> Entry:
        if len(self.results) >= self.MAX_ENTRIES:
            self.results.clear()
        gap = remediation.item(result)
        priority = None
        if gap is not None:  # remediation.priority(gap), its parts that do not vary kept per indicator
            if gap.actions is self.actions.get((gap.indicator, gap.status)):
                cost = self.costs[gap.indicator, gap.status]
            else:
                cost = min((a.cost_vnd for a in gap.actions), default=0)
            priority = (not gap.knockout, -gap.recovers_points, cost, self.order[gap.indicator])
        entry = self.results[key] = (result, gap, priority)
        return entry


def _nothing(_: Any) -> tuple[()]:
    return ()


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
    gaps: list[tuple[Any, RemediationItem]] = []
    criteria: list[CriterionResult] = []
    reasons: list[Message] = []
    knockouts: list[Message] = []
    total = 0.0
    rule = cs.recognition
    lookup = cache.results.get
    readers = cache.readers
    for crit in cs.criteria:
        crit_score = 0.0
        for ind in crit.indicators:
            verdict = verdicts[ind.id]
            read, several, where = readers[ind.id]
            observed: Any = read(facts)
            kinds: Any = tuple(map(type, observed)) if several else type(observed)
            is_waived = ind.id in waived
            at = where(dims)
            key = (ind.id, verdict, kinds, observed, dims.zone, at, is_waived)
            entry = lookup(key)
            if entry is None:
                value = None if several else observed
                result = _indicator_result(
                    cs, crit.id, ind, cache, verdict, facts, dims, at, places, is_waived, value
                )
                entry = cache.remember(key, result)
            result, gap, priority = entry
            crit_score += result.points
            indicators.append(result)
            if gap is not None:
                gaps.append((priority, gap))
                status = result.status
                if ind.knockout and rule.knockouts_must_pass and not is_waived and status != "partial":
                    code = "evaluation.knockout_failed" if status == "fail" else "evaluation.knockout_missing"
                    knockouts.append(Message(code, indicator=ind.id))
        minimum = crit.max_points * rule.min_criterion_share
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
            CriterionResult(crit.id, crit.name, round(crit_score, 6), crit.max_points, minimum, passed)
        )
        total += crit_score
    total = round(total, 6)
    if total + EPS < rule.min_total:
        reasons.insert(0, Message("evaluation.total_below", total=total, minimum=rule.min_total))
    reasons.extend(knockouts)
    gaps.sort(key=itemgetter(0))  # stable: equal priorities keep the indicators' order
    return CommuneResult(
        commune=CommuneRef(c.code, c.name, c.province, c.district, c.zone, c.area, c.population, dims.region),
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
        remediation=[g for _, g in gaps],
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
    where: Any,
    places: Places,
    is_waived: bool,
    value: Any = None,
) -> IndicatorResult:
    """``where``: the commune's values of the dimensions the indicator's thresholds vary by;
    ``value``: the observed value of an indicator of one fact, when the caller has read it."""
    status = verdict[0]
    spec = cache.specs[ind.id]
    placed = cache.placed(ind, dims, where, places)
    threshold = placed.threshold
    form = cache.forms[ind.id]
    observed = value if value is not None and form == "compare" else subitems.observed_of(ind, facts)
    scored = ("not_applicable", None) if is_waived else verdict
    points = cache.points.get((ind.id, scored))
    if points is None:
        points = cache.points[ind.id, scored] = points_for(cs, ind, scored)
    region_unknown = status == "missing" and form == "compare" and observed is not None
    if form != "compare" or region_unknown:
        gap = subitems.gap(ind, verdict, facts, dims)
        message = (
            subitems.message(cs, ind, verdict, facts, dims)
            if not region_unknown
            else Message("criteria.missing_region", province=facts.commune.province)
        )
        actions = subitems.actions(ind, verdict, facts)
    else:
        req = placed.required
        label = cache.labels.get(ind.id)
        gap = remediation.gap_text(ind, spec, status, observed, threshold, req, label)  # type: ignore[arg-type]
        message = remediation.message(ind, status, observed, threshold, placed.zone, req, placed.basis_text)
        actions = cache.actions.get((ind.id, status), [])
    head, body, tail = cache.static[ind.id]
    return IndicatorResult._make(
        (
            *head,  # id, criterion, title, fact, unit, operator
            status,
            observed,
            threshold,
            dims.zone if "zone" in cache.dims[ind.id] else None,
            points,
            *body,  # max_points, knockout
            gap,
            message,
            ind.doc.fix if status in ("fail", "partial", "missing") else None,
            actions,
            *tail,  # source, provenance, facts
            subitems.item_results(ind, verdict, facts) if ind.items else [],
            cache.confirmed_parts[ind.id],
            ind.no,
            placed.basis,
            placed.requirement,
            placed.threshold_provenance,
            is_waived,
        )
    )
