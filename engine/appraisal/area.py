"""District appraisal: evaluate every commune of an input, rank them, and set the area against its plans.

Input is a folder of fact files or a CSV/XLSX file with one row per commune. The result is immutable
data (:class:`Appraisal`) that the renderers turn into a table, JSON, CSV, XLSX or HTML.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from engine.appraisal.targets import PlanResult, TargetResult, area_targets, commune_targets, members_of
from engine.errors import Diagnostic, UserError
from engine.evaluation.batch import evaluate_facts, evaluate_files
from engine.evaluation.results import CommuneResult
from engine.i18n import Message
from engine.inputs.criteria import CriteriaSet, Text
from engine.inputs.discovery import FACT_SUFFIXES, discover, duplicates
from engine.inputs.facts import CommuneFacts
from engine.inputs.loader import load_facts, resolve_set
from engine.inputs.plan_models import Plan
from engine.inputs.plans import available_plans, plans_for, resolve_plan
from engine.inputs.tabular import read_table

TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm")
TOP_ACTIONS = 3


class LeagueRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rank: int
    commune: str  # commune code
    name: str
    district: str | None
    zone: int
    score: float
    max_score: float
    criteria_below_floor: list[str]
    knockouts_failed: list[str]
    qualified: bool
    top_actions: list[Text | Message]


@dataclass(frozen=True)
class Appraisal:
    criteria_set: CriteriaSet
    year: int
    source: str
    rows: int  # communes read (files or rows), rejected ones included
    rejected: int
    results: list[CommuneResult]
    facts: list[CommuneFacts]
    league: list[LeagueRow]
    plans: list[PlanResult]
    commune_targets: dict[str, list[TargetResult]]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    other_years: int = 0  # communes read for another year, left out (and said so)
    notes: list[Message] = field(default_factory=list)

    @property
    def qualified(self) -> int:
        return sum(1 for r in self.results if r.qualified)

    @property
    def uses_drafts(self) -> bool:
        return self.criteria_set.draft_count > 0


def league_table(results: Sequence[CommuneResult]) -> list[LeagueRow]:
    """Communes by score (highest first); equal scores share a rank (1, 2, 2, 4)."""
    ordered = sorted(results, key=lambda r: (-r.total_score, r.commune.name))
    rows: list[LeagueRow] = []
    for k, r in enumerate(ordered):
        rank = rows[-1].rank if rows and abs(rows[-1].score - r.total_score) < 1e-9 else k + 1
        actions = [a.action for item in r.remediation for a in item.actions[:1]][:TOP_ACTIONS]
        rows.append(
            LeagueRow(
                rank=rank,
                commune=r.commune.id,
                name=r.commune.name,
                district=r.commune.district,
                zone=r.commune.zone,
                score=r.total_score,
                max_score=r.max_score,
                criteria_below_floor=r.criteria_below_floor,
                knockouts_failed=r.knockouts_failed,
                qualified=r.qualified,
                top_actions=actions,
            )
        )
    return rows


def _year_of(paths: Sequence[Path], year: int | None) -> int:
    """The assessment year: the one given, else the first readable file's (all errors if none is)."""
    if year is not None:
        return year
    problems: list[Diagnostic] = []
    for p in paths:
        try:
            return load_facts(p).year
        except UserError as exc:
            problems.extend(exc.diagnostics)
    raise UserError(problems)


@dataclass(frozen=True)
class _Read:
    criteria_set: CriteriaSet
    year: int
    results: list[CommuneResult]
    facts: list[CommuneFacts]
    diagnostics: list[Diagnostic]
    rows: int  # communes in the input (files or rows), rejected ones included
    rejected: int  # of rows: not evaluated
    duplicates: int  # of rejected: a second file or row for a commune already read


def _read(
    path: Path,
    criteria: str | None,
    year: int | None,
    workers: int | None,
    progress: Callable[[int, int], None] | None,
) -> _Read:
    """The communes of a folder or a spreadsheet, evaluated, with what was rejected and why."""
    if path.is_file() and path.suffix.lower() in TABLE_SUFFIXES:
        table = read_table(path)
        if not table.facts:
            raise UserError(
                table.diagnostics or [Diagnostic(str(path), "holds no commune row", "fill in a row")]
            )
        y = year if year is not None else Counter(f.year for f in table.facts).most_common(1)[0][0]
        cs = resolve_set(criteria, y)
        total = len(table.facts)
        tick = (lambda n: progress(n, total)) if progress else None
        results = evaluate_facts(cs, table.facts, table.sources, workers, tick)
        return _Read(
            cs, y, results, table.facts, table.diagnostics, table.rows, table.rejected, table.duplicates
        )
    if not path.exists():
        raise UserError.single(str(path), "not found", "name a folder of fact files, or a .csv/.xlsx file")
    files, unread = discover([path])
    if not files:
        raise UserError(
            [d for d in unread if d.is_error]
            + [Diagnostic(str(path), "holds no .yaml fact file", "name a folder of commune fact files")]
        )
    y = _year_of(files, year)
    cs = resolve_set(criteria, y)
    tick = (lambda n: progress(n, len(files))) if progress else None
    outcome = evaluate_files(cs, files, workers, tick)
    # A second file for the same commune and year is rejected (never ranked or counted twice).
    keep, dup = duplicates(
        [(r.source_file or "", f) for r, f in zip(outcome.results, outcome.facts, strict=True)]
    )
    results, facts = [outcome.results[k] for k in keep], [outcome.facts[k] for k in keep]
    # Would-be fact files that could not be opened (a FIFO, a broken link) are communes read and rejected.
    unopened = [d for d in unread if d.is_error and d.path.lower().endswith(FACT_SUFFIXES)]
    rejected = len({d.path for d in (*unopened, *outcome.diagnostics, *dup) if d.is_error})
    return _Read(
        cs,
        y,
        results,
        facts,
        unread + outcome.diagnostics + dup,
        len(files) + len(unopened),
        rejected,
        len(dup),
    )


def choose_plans(
    plan_refs: Sequence[str], facts: Sequence[CommuneFacts], year: int
) -> tuple[list[Plan], list[Message]]:
    """The plans named, or those for the communes' area in force in ``year`` (else all for the area)."""
    if plan_refs:
        return [resolve_plan(ref) for ref in plan_refs], []
    if not facts:
        return [], []
    province = Counter(f.commune.province for f in facts).most_common(1)[0][0]
    districts = {f.commune.district for f in facts if f.commune.province == province}
    district = next(iter(districts)) if len(districts) == 1 else None
    found = plans_for(province, district, year)
    if found:
        return found, []
    everyone = [
        p
        for p in available_plans().values()
        if p.scope.level != "commune" and p.scope.level != "national" and p.matches(province, district)
    ]
    if not everyone:
        return [], []
    ids = ", ".join(p.id for p in everyone)
    return everyone, [Message("appraisal.no_plan_in_force", year=year, plans=ids)]


def appraise(
    path: Path,
    criteria: str | None = None,
    plan_refs: Sequence[str] = (),
    year: int | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Appraisal:
    got = _read(path, criteria, year, workers, progress)
    cs, y, results, facts = got.criteria_set, got.year, got.results, got.facts
    keep = [k for k, f in enumerate(facts) if f.year == y]
    other_years = len(facts) - len(keep)
    notes: list[Message] = []
    if other_years:
        notes.append(Message("appraisal.other_years", n=other_years, year=y))
    results = [results[k] for k in keep]
    facts = [facts[k] for k in keep]
    plans, plan_notes = choose_plans(plan_refs, facts, y)
    notes.extend(plan_notes)
    pairs = list(zip(results, facts, strict=True))
    area_results = [
        # Rejected communes count in the area as not qualifying; a duplicate is no commune of its own.
        area_targets(p, members_of(p, pairs), y, got.rejected - got.duplicates)
        for p in plans
        if any(t.is_area for t in p.targets)
    ]
    commune_plans = [p for p in available_plans().values() if p.scope.level == "commune" and p not in plans]
    per_commune: dict[str, list[TargetResult]] = {}
    for r, f in pairs:
        targets = [t for p in [*plans, *commune_plans] for t in commune_targets(p, r, f, y)]
        if targets:
            per_commune[r.commune.id] = targets
    return Appraisal(
        criteria_set=cs,
        year=y,
        source=str(path),
        rows=got.rows,
        rejected=got.rejected,
        results=results,
        facts=facts,
        league=league_table(results),
        plans=area_results,
        commune_targets=per_commune,
        diagnostics=got.diagnostics,
        other_years=other_years,
        notes=notes,
    )
