"""Criteria-set rules about identity and metadata: facts read, ids, applicability, provenance, years."""

from __future__ import annotations

from collections.abc import Iterator

from engine.inputs.criteria import CriteriaSet, Provenance
from engine.inputs.fact_catalogue import catalogue
from engine.inputs.lint.rule import Finding, Loc, duplicates, fact_hint, indicators, rule
from engine.inputs.lint.walk import actions, all_comparisons

FIRST_YEAR, LAST_YEAR = 1990, 2100  # the years a fact file may be assessed in
MAX_VALIDITY_YEARS = 10


@rule(
    "CS112",
    "unknown-fact",
    summary="Every fact an indicator reads or an action changes is in the fact vocabulary.",
    why="An indicator reading an unknown fact would be 'missing' for every commune, and an action "
    "changing one would change nothing.",
    fix="Use a fact path listed in docs/facts.md (commune-health criteria facts).",
)
def unknown_fact(cs: CriteriaSet) -> Iterator[Finding]:
    facts = catalogue()
    for loc, cmp in all_comparisons(cs):  # an indicator's, its condition's, its sub-items', the zoning rule's
        if cmp.fact not in facts:
            yield Finding((*loc, "fact"), f"unknown fact {cmp.fact!r}", fact_hint(cmp.fact))
    for aloc, act in actions(cs):
        for ei, eff in enumerate(act.effects):
            if eff.fact not in facts:
                yield Finding(
                    (*aloc, "effects", ei, "fact"), f"unknown fact {eff.fact!r}", fact_hint(eff.fact)
                )


@rule(
    "CS113",
    "applies-to",
    summary="An indicator applies to at least one zone and one area, each listed once.",
    why="An indicator that applies to no commune scores nothing anywhere; a zone or area listed "
    "twice gives its communes two verdicts (not applicable and another), which stops the evaluation.",
    fix="List each zone (1, 2, 3) and area (rural, urban) the indicator applies to once, or leave "
    "applies_to out when it applies everywhere.",
)
def applies_to(cs: CriteriaSet) -> Iterator[Finding]:
    for loc, _, ind in indicators(cs):
        zones, areas = ind.applies_to.zones, ind.applies_to.areas
        if not zones or not areas:
            yield Finding(
                (*loc, "applies_to"), "applies to no commune", "list at least one zone and one area"
            )
        for key, values in (("zones", zones), ("areas", areas)):
            for twice in duplicates(values):
                yield Finding((*loc, "applies_to", key), f"{twice} is listed twice", "list it once")


@rule(
    "CS114",
    "unique-ids",
    summary="Criterion ids and indicator ids are each used once in the set.",
    why="Results, golden cases, waivers and the register name indicators by id: two indicators "
    "with one id would be mixed up.",
    fix="Give the new criterion or indicator its own id; never reuse the id of a removed one.",
)
def unique_ids(cs: CriteriaSet) -> Iterator[Finding]:
    seen_criteria: set[str] = set()
    seen_indicators: set[str] = set()
    for ci, crit in enumerate(cs.criteria):
        if crit.id in seen_criteria:
            yield Finding(
                ("criteria", ci, "id"),
                f"criterion id {crit.id} is used twice",
                "give every criterion its own number",
            )
        seen_criteria.add(crit.id)
    for loc, _, ind in indicators(cs):
        if ind.id in seen_indicators:
            yield Finding(
                (*loc, "id"),
                f"indicator id {ind.id} is used twice",
                "ids are stable and never reused: give a new number",
            )
        seen_indicators.add(ind.id)


@rule(
    "CS115",
    "indicator-number",
    summary="An indicator's id starts with its criterion's id (indicator 2.3 under criterion 2).",
    why="Readers and reports find an indicator under its criterion by its number.",
    fix="Number the indicator <criterion id>.<n>, with a number not used before.",
)
def indicator_number(cs: CriteriaSet) -> Iterator[Finding]:
    for loc, crit, ind in indicators(cs):
        if ind.id.split(".")[0] != crit.id:
            yield Finding(
                (*loc, "id"),
                f"indicator {ind.id} is not numbered under criterion {crit.id}",
                f"number it {crit.id}.<n>",
            )


@rule(
    "CS116",
    "provenance-source",
    summary="Content marked confirmed says where it was read (provenance.source).",
    why="Every output tells the appraisal team which content was checked against the official "
    "text; 'confirmed' without a source cannot be verified by anyone.",
    fix="Add provenance.source (document, page or article), or mark the content status: draft.",
)
def provenance_source(cs: CriteriaSet) -> Iterator[Finding]:
    items: list[tuple[Loc, Provenance]] = [
        (("provenance",), cs.provenance),
        (("recognition", "provenance"), cs.recognition.provenance),
    ]
    items += [(("criteria", ci, "provenance"), c.provenance) for ci, c in enumerate(cs.criteria)]
    items += [((*loc, "provenance"), ind.provenance) for loc, _, ind in indicators(cs)]
    for loc, prov in items:
        if prov.status == "confirmed" and not prov.source:
            yield Finding(loc, "confirmed content must say where it was read")


@rule(
    "CS120",
    "validity-years",
    summary=f"A recognition lasts between 1 and {MAX_VALIDITY_YEARS} years (3 in the national sets).",
    why="The register dates every title's expiry from it: a validity of a thousand years or more "
    "gives dates no calendar holds, and stops the register's decisions.",
    fix="Write the validity the decision states (validity_years: 3).",
)
def validity_years(cs: CriteriaSet) -> Iterator[Finding]:
    years = cs.recognition.validity_years
    if years > MAX_VALIDITY_YEARS:
        yield Finding(
            ("recognition", "validity_years"), f"a recognition valid for {years} years is not plausible"
        )


@rule(
    "CS121",
    "effective-years",
    summary=f"The set is in force from a year to a later (or the same) year, within "
    f"{FIRST_YEAR}–{LAST_YEAR}.",
    why="Fact files are matched with the set in force for their year: a period that ends before it "
    "starts, or lies outside the years a fact file can have, matches no commune.",
    fix="Correct effective.from_year and effective.until_year (leave until_year out while in force).",
)
def effective_years(cs: CriteriaSet) -> Iterator[Finding]:
    eff = cs.effective
    for key, year in (("from_year", eff.from_year), ("until_year", eff.until_year)):
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            yield Finding(("effective", key), f"{year} is outside {FIRST_YEAR}–{LAST_YEAR}", "check the year")
    if eff.until_year is not None and eff.until_year < eff.from_year:
        yield Finding(
            ("effective", "until_year"),
            f"the set ends ({eff.until_year}) before it starts ({eff.from_year})",
            "check both years",
        )
