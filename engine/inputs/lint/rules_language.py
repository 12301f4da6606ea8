"""Criteria-set rules about the language's constructs: official numbers, the form of an indicator,
sub-items, the parts provenance names, and the zoning rule."""

from __future__ import annotations

from collections.abc import Iterator

from engine.inputs.conditions import ByDimension
from engine.inputs.criteria import CriteriaSet, Indicator, Provenance
from engine.inputs.fact_catalogue import catalogue
from engine.inputs.lint.rule import Finding, Loc, indicators, rule
from engine.inputs.lint.walk import indicator_comparisons, plain_values, zoning_comparisons

EPS = 1e-9
MAX_ITEMS = 8  # sub-items per indicator: 2^n sets of items met, each a compiled rule
MAX_COMPARISONS = 16  # comparisons per indicator: each multiplies the compiled conditions


@rule(
    "CS127",
    "official-number",
    summary="Indicators carry their official numbers ('no: 35') — all of them or none — running on "
    "by one without gap or repeat in the order of the set, across the criteria (1, 2, 3, … in a "
    "whole decision).",
    why="Outputs cite an indicator the way the decision does ('Chỉ tiêu 35'); the decisions number "
    "indicators continuously across the criteria (1–47 in Decision 1300), so a gap or a repeat is a "
    "typing mistake.",
    fix="Give every indicator its number in the decision, in the order of the decision.",
)
def official_number(cs: CriteriaSet) -> Iterator[Finding]:
    numbers = [ind.no for _, _, ind in indicators(cs) if ind.no is not None]
    if not numbers:
        return
    expected = numbers[0]  # 1 in a whole decision; an excerpt may start further on
    for loc, _, ind in indicators(cs):
        if ind.no is None:
            yield Finding(
                loc,
                f"indicator {ind.id} has no official number while others have one",
                "give every indicator its number in the decision: no: <n>",
            )
            continue
        if ind.no != expected:
            yield Finding(
                (*loc, "no"),
                f"indicator {ind.id} is numbered {ind.no}; the numbers run on by one across the "
                f"criteria, so it should be {expected}",
                "number the indicators in the order of the decision, without gaps or repeats",
            )
        expected = ind.no + 1


@rule(
    "CS128",
    "indicator-form",
    summary="An indicator is one comparison (fact, operator, threshold, bands), a condition, or "
    "scored sub-items — never a mix — with at most 16 comparisons.",
    why="Each form compiles to its own rules; keys of another form would be silently ignored, and a "
    "very large indicator compiles into more durable_rules rules than a ruleset holds.",
    fix="Keep the keys of one form (see docs/criteria-language.md), or split the indicator.",
)
def indicator_form(cs: CriteriaSet) -> Iterator[Finding]:
    for loc, _, ind in indicators(cs):
        forms = [
            name
            for name, present in (
                ("fact/operator", ind.fact is not None or ind.operator is not None),
                ("condition", ind.condition is not None),
                ("items", bool(ind.items)),
            )
            if present
        ]
        if len(forms) != 1:
            what = f"mixes {' and '.join(forms)}" if forms else "has no fact, condition or items"
            yield Finding(
                loc,
                f"indicator {ind.id} {what}",
                "write one comparison (fact, operator, threshold), a condition, or items",
            )
            continue
        if ind.form == "compare" and (ind.fact is None or ind.operator is None):
            key = "operator" if ind.fact is not None else "fact"
            yield Finding((*loc, key), f"indicator {ind.id} needs both fact and operator", f"add {key}")
        if ind.form != "compare":
            for key, value in (("threshold", ind.threshold), ("partial", ind.partial), ("unit", ind.unit)):
                if value:
                    yield Finding(
                        (*loc, key),
                        f"'{key}' belongs to an indicator of one comparison",
                        "put thresholds inside the condition's comparisons; score sub-items by their points",
                    )
        if ind.form != "items" and "scoring" in ind.model_fields_set:
            yield Finding((*loc, "scoring"), "'scoring' applies to sub-items only", "remove it or add items")
        if len(list(indicator_comparisons(ind, loc))) > MAX_COMPARISONS:
            yield Finding(loc, f"indicator {ind.id} makes more than {MAX_COMPARISONS} comparisons")


def _sub_item_findings(ind: Indicator, loc: Loc) -> Iterator[Finding]:
    seen: set[str] = set()
    for k, item in enumerate(ind.items):
        if item.id in seen:
            yield Finding(
                (*loc, "items", k, "id"), f"sub-item {item.id} is listed twice", "give each its own id"
            )
        seen.add(item.id)
        if item.points > ind.points + EPS:
            yield Finding(
                (*loc, "items", k, "points"),
                f"sub-item {item.id} is worth {item.points:g}, more than the indicator's {ind.points:g}",
                "a sub-item earns part of the indicator's points",
            )
    if len(ind.items) > MAX_ITEMS:
        yield Finding((*loc, "items"), f"more than {MAX_ITEMS} sub-items", "split the indicator")
    points = [i.points for i in ind.items]
    if ind.scoring == "sum" and sum(points) < ind.points - EPS:
        yield Finding(
            (*loc, "points"),
            f"the sub-items add up to {sum(points):g}, less than the indicator's {ind.points:g}: it can never pass",
            "make the sub-items' points add up to at least the indicator's",
        )
    if ind.scoring == "first":
        if abs(points[0] - ind.points) > EPS:
            yield Finding(
                (*loc, "items", 0, "points"),
                f"the first level is worth {points[0]:g}, not the indicator's {ind.points:g}",
                "with scoring: first, list the levels from the full points down",
            )
        for k in range(1, len(points)):
            if points[k] >= points[k - 1] - EPS:
                yield Finding(
                    (*loc, "items", k, "points"),
                    f"level {ind.items[k].id} is worth {points[k]:g}, not less than the level above",
                    "with scoring: first, each level is worth less than the one above",
                )


@rule(
    "CS129",
    "sub-items",
    summary="Sub-items have their own ids, at most 8 of them, each worth part of the indicator's "
    "points; added up they can reach its points; first-level items go from its points down.",
    why="The verdict says which sub-items were met (by id); points that cannot add up to the "
    "indicator's make it impossible to pass; levels out of order are never reached.",
    fix="Correct the sub-items' ids and points against the scoring guide.",
)
def sub_items(cs: CriteriaSet) -> Iterator[Finding]:
    for loc, _, ind in indicators(cs):
        if ind.items:
            yield from _sub_item_findings(ind, loc)


def _parts(ind: Indicator) -> set[str]:
    """The parts of an indicator provenance may name: 'title', 'threshold.red-river-delta', 'items.a'."""
    parts = {"number", "title", "fact", "operator", "threshold", "points", "knockout", "partial", "condition"}
    parts |= {"items", "scoring", *(f"items.{i.id}" for i in ind.items)}
    thresholds = (
        [ind.threshold] if ind.form == "compare" else [c.threshold for _, c in indicator_comparisons(ind, ())]
    )
    for t in thresholds:
        for vloc, _ in plain_values(t, ()):
            keys = [str(x) for x in vloc if x != "values"]
            parts |= {".".join(["threshold", *keys[:n]]) for n in range(1, len(keys) + 1)}
    return parts


def _provenance(prov: Provenance, parts: set[str], loc: Loc) -> Iterator[Finding]:
    for k, part in enumerate(prov.confirmed_parts):
        if part not in parts:
            yield Finding(
                (*loc, "confirmed_parts", k),
                f"{part!r} is not a part of this item",
                f"parts: {', '.join(sorted(parts))}",
            )
    for part in prov.draft_sources:
        if part not in parts:
            yield Finding(
                (*loc, "draft_sources", part), f"{part!r} is not a part of this item", "name a part"
            )
        elif prov.confirms(part):
            yield Finding(
                (*loc, "draft_sources", part), f"{part!r} is also listed as confirmed", "list it once"
            )
    if prov.status == "confirmed" and prov.confirmed_parts:
        yield Finding(
            (*loc, "confirmed_parts"),
            "a confirmed item is confirmed in every part: confirmed_parts is for drafts",
            "remove confirmed_parts, or make the status draft",
        )
    if prov.status == "draft" and prov.confirmed_parts and not prov.source:
        yield Finding(loc, "confirmed parts must say where they were read", "add provenance.source")


@rule(
    "CS130",
    "provenance-parts",
    summary="The parts a draft names as confirmed (or as taken from a source) exist: 'title', "
    "'threshold.red-river-delta', 'items.a'; and say where they were read.",
    why="Outputs show which parts of an indicator were read in the official text (the threshold "
    "applied to a commune included): a part that does not exist confirms nothing.",
    fix="Name parts of the indicator (or 'name', 'max_points' of a criterion), each once.",
)
def provenance_parts(cs: CriteriaSet) -> Iterator[Finding]:
    for ci, crit in enumerate(cs.criteria):
        yield from _provenance(crit.provenance, {"name", "max_points"}, ("criteria", ci, "provenance"))
    for loc, _, ind in indicators(cs):
        yield from _provenance(ind.provenance, _parts(ind), (*loc, "provenance"))


@rule(
    "CS131",
    "zoning-rule",
    summary="The zoning rule reads only facts of geography (which no plan changes), with one "
    "threshold each (the rule decides the zone: it cannot vary by zone, area or region).",
    why="A zone comes from where a commune is: a rule reading staffing or services would move a "
    "commune between zones as its station improves.",
    fix="Read commune.geography, commune.difficult_terrain and facilities.distance_to_hospital_km.",
)
def zoning_rule(cs: CriteriaSet) -> Iterator[Finding]:
    facts = catalogue()
    for cloc, cmp in zoning_comparisons(cs):
        spec = facts.get(cmp.fact)
        if spec is not None and not spec.immutable:
            yield Finding(
                (*cloc, "fact"), f"{cmp.fact} can change: the zoning rule reads facts of geography only"
            )
        if isinstance(cmp.threshold, (ByDimension, dict)):
            yield Finding(
                (*cloc, "threshold"),
                "the zoning rule cannot vary by zone, area or region",
                "give one threshold: the zoning rule decides the zone",
            )
