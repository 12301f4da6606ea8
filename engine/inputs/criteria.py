"""The shape of a criteria set: frozen pydantic models that forbid unknown keys.

A criteria set (``criteria/*.yaml``) holds criteria, each holding indicators. An indicator carries
its stable ``id`` and its official number ``no`` (1–47 in Decision 1300), and is written in one of
three forms (``docs/criteria-language.md``):

* one comparison: ``fact``, ``operator``, ``threshold`` (possibly by zone, area or region, see
  :mod:`engine.inputs.conditions`) and optional partial-credit ``partial`` bands;
* a ``condition`` over several facts, combined with ``all`` / ``any`` / ``not``: pass or fail;
* scored sub-items (``items``), each with its own condition, points and remediation, added up
  (``scoring: sum``, capped at the indicator's points) or the first that holds (``scoring: first``).

The recognition rule, the zoning rule and the set's effective dates are data here too, never
constants in code.

Cross-field checks that need the fact vocabulary (thresholds typed like their fact, sums of points,
unique ids and numbers, dimension tables, sub-items) are the lint rules of :mod:`engine.inputs.lint`,
so that every problem of a file is reported at once, each with its code.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.i18n import pick
from engine.inputs.conditions import (
    AREAS,
    NUMERIC_OPERATORS,
    ZONES,
    Area,
    ChoiceList,
    Compare,
    Condition,
    Dims,
    Operator,
    Scalar,
    Threshold,
    Zone,
    ZoneMap,
    comparisons,
    dimensions_of,
    facts_of,
    resolve,
)

__all__ = [
    "AREAS",
    "NUMERIC_OPERATORS",
    "ZONES",
    "ChoiceList",
    "Compare",
    "Condition",
    "Dims",
    "Operator",
    "Scalar",
    "Threshold",
    "Zone",
    "ZoneMap",
]

Status = Literal["pass", "partial", "fail", "missing", "not_applicable"]
Form = Literal["compare", "condition", "items"]

# The parts of an indicator that provenance may mark confirmed: a whole part (``threshold``), or one
# value of it (``threshold.red-river-delta``, ``items.a``).
PART = r"^(number|title|name|fact|operator|threshold|points|max_points|knockout|condition|items|scoring|partial)(\.[A-Za-z0-9_.-]+)?$"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Text(_Frozen):
    """A label in Vietnamese (official, first) with its English rendering."""

    vi: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return pick(lang, self.vi, self.en)


class Provenance(_Frozen):
    """Where the content came from.

    ``confirmed``: every part was read in the official text, and ``source`` says where. ``draft``:
    written by this project; ``confirmed_parts`` may list the parts that were read (``title``,
    ``threshold``, or one value of a threshold that varies: ``threshold.red-river-delta``) while
    the rest remains to be checked against the annex; ``draft_sources`` says where the draft parts
    were taken from, part by part.
    """

    status: Literal["confirmed", "draft"]
    source: str | None = Field(default=None, description="Where it was read")
    confirmed_parts: list[Annotated[str, Field(pattern=PART)]] = Field(default_factory=list)
    draft_sources: dict[Annotated[str, Field(pattern=PART)], str] = Field(default_factory=dict)
    note: str | None = None

    def confirms(self, part: str) -> bool:
        """True when ``part`` (``threshold.red-river-delta``) or a part containing it was read."""
        if self.status == "confirmed":
            return True
        return any(part == p or part.startswith(p + ".") for p in self.confirmed_parts)

    @property
    def label(self) -> str:
        """``confirmed``, ``draft``, or ``part-confirmed`` when some parts were read."""
        if self.status == "confirmed":
            return "confirmed"
        return "part-confirmed" if self.confirmed_parts else "draft"


class Doc(_Frozen):
    """What the indicator checks, why it matters and how to fix a failure (ruff-style docs)."""

    what: Text
    why: Text
    fix: Text


class Effect(_Frozen):
    """What an action does to a fact: set it to a value, or add to it."""

    fact: str
    set: Scalar | bool | str | None = None
    add: Scalar | None = None


class Action(_Frozen):
    """A remediation action that closes (part of) a gap."""

    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    action: Text
    responsible: Text
    lead_time_months: Annotated[int, Field(ge=0, le=120)]
    cost_vnd: Annotated[int, Field(ge=0)]
    effects: list[Effect] = Field(default_factory=list)
    notes: Text | None = None


class Band(_Frozen):
    """A partial-credit band: meeting this lower threshold earns ``points`` (< the indicator's)."""

    threshold: Threshold
    points: Annotated[float, Field(gt=0)]


class Applicability(_Frozen):
    """Which communes an indicator applies to; the others get 'not applicable'."""

    zones: list[Zone] = Field(default_factory=lambda: list(ZONES))
    areas: list[Area] = Field(default_factory=lambda: list(AREAS))


class Item(_Frozen):
    """A scored sub-item of an indicator's scoring guide: ``points`` when its condition holds."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: Text
    points: Annotated[float, Field(gt=0)]
    when: Condition
    remediation: list[Action] = Field(default_factory=list)


class Indicator(_Frozen):
    id: str = Field(pattern=r"^\d+\.\d+$")
    no: Annotated[int, Field(ge=1)] | None = Field(default=None, description="Official number")
    title: Text
    # Form 'compare': one fact, one operator, one threshold (by dimension), optional bands.
    fact: str | None = None
    unit: Text | None = None
    operator: Operator | None = None
    threshold: Threshold | None = None
    partial: list[Band] = Field(default_factory=list)
    # Form 'condition': pass when the condition holds, fail when it fails.
    condition: Condition | None = None
    # Form 'items': scored sub-items, added up (capped at ``points``) or the first that holds.
    items: list[Item] = Field(default_factory=list)
    scoring: Literal["sum", "first"] = "sum"
    points: Annotated[float, Field(gt=0)]
    knockout: bool = False
    applies_to: Applicability = Applicability()
    doc: Doc
    remediation: list[Action] = Field(default_factory=list)
    source: str = Field(min_length=1)
    provenance: Provenance

    @property
    def form(self) -> Form:
        if self.items:
            return "items"
        return "condition" if self.condition is not None else "compare"

    @property
    def compare(self) -> Compare:
        """The one comparison of a 'compare' indicator."""
        return Compare(fact=self.fact or "", operator=self.operator or "eq", threshold=self.threshold)

    @property
    def reads(self) -> tuple[str, ...]:
        """Every fact the indicator reads, each once, in document order."""
        if self.form == "compare":
            return (self.fact,) if self.fact else ()
        if self.form == "condition":
            return facts_of(self.condition)
        return tuple(dict.fromkeys(f for item in self.items for f in facts_of(item.when)))

    @property
    def primary_fact(self) -> str:
        """The fact an indicator is known by (its first): the register matches indicators by it."""
        return self.reads[0] if self.reads else ""

    def threshold_for(self, zone: int, area: str = "rural", region: str | None = None) -> Any:
        """The threshold of a 'compare' indicator for a commune (None when it has no value there)."""
        return resolve(self.threshold, Dims(zone, area, region))[0]

    def band_threshold(self, band: Band, zone: int, area: str = "rural", region: str | None = None) -> Any:
        return resolve(band.threshold, Dims(zone, area, region))[0]

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The dimensions any threshold of the indicator varies by."""
        found: list[str] = []
        thresholds: list[Any] = []
        if self.form == "compare":
            thresholds = [self.threshold, *(b.threshold for b in self.partial)]
        else:
            conds = [self.condition] if self.form == "condition" else [i.when for i in self.items]
            thresholds = [c.threshold for cond in conds for c in comparisons(cond)]
        for t in thresholds:
            found += [d for d in dimensions_of(t) if d not in found]
        return tuple(found)

    @property
    def varies_by_zone(self) -> bool:
        return "zone" in self.dimensions

    def actions(self) -> list[Action]:
        """Every remediation action of the indicator, its sub-items' included."""
        return [*self.remediation, *(a for item in self.items for a in item.remediation)]


class Criterion(_Frozen):
    id: str = Field(pattern=r"^\d+$")
    name: Text
    max_points: Annotated[float, Field(gt=0)]
    provenance: Provenance
    indicators: list[Indicator] = Field(min_length=1)


class RecognitionRule(_Frozen):
    """When a commune meets the criteria, and how long a recognition lasts."""

    min_total: Annotated[float, Field(ge=0)]
    min_criterion_share: Annotated[float, Field(gt=0, le=1)]
    knockouts_must_pass: bool = True
    not_applicable_points: Literal["award", "none"] = "award"
    validity_years: Annotated[int, Field(ge=1)]
    provenance: Provenance


class Decision(_Frozen):
    number: str
    date: dt.date = Field(strict=False)
    title: Text | None = None


class Effective(_Frozen):
    """Assessments of years ``from_year`` .. ``until_year`` (inclusive) use this set."""

    from_year: int
    until_year: int | None = None

    def covers(self, year: int) -> bool:
        return self.from_year <= year and (self.until_year is None or year <= self.until_year)


class ZoneRule(_Frozen):
    """One line of the zoning rule: communes whose facts meet ``when`` belong in ``zone``."""

    zone: Zone
    when: Condition
    label: Text


class Zoning(_Frozen):
    """The rule by which a province's Department of Health assigns zones, as data.

    The first rule whose condition holds gives the zone. Each evaluation compares the zone it gives
    with the declared one (``zone_check``).
    """

    rules: list[ZoneRule] = Field(min_length=1)
    source: str = Field(min_length=1)
    provenance: Provenance
    notes: Text | None = None

    @property
    def reads(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f for r in self.rules for f in facts_of(r.when)))


class CriteriaSet(_Frozen):
    schema_version: Literal[1] = 1
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Text
    decision: Decision
    amended_by: list[Decision] = Field(default_factory=list)
    effective: Effective
    max_points: Annotated[float, Field(gt=0)]
    recognition: RecognitionRule
    zoning: Zoning | None = None
    provenance: Provenance
    notes: Text | None = None
    criteria: list[Criterion] = Field(min_length=1)

    def indicators(self) -> list[tuple[Criterion, Indicator]]:
        return [(c, i) for c in self.criteria for i in c.indicators]

    def indicator(self, indicator_id: str) -> Indicator:
        for _, ind in self.indicators():
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    @property
    def draft_count(self) -> int:
        return sum(1 for _, i in self.indicators() if i.provenance.status == "draft")

    def provenance_counts(self) -> dict[str, int]:
        """How many indicators are confirmed, part-confirmed and draft."""
        out = {"confirmed": 0, "part-confirmed": 0, "draft": 0}
        for _, ind in self.indicators():
            out[ind.provenance.label] += 1
        return out
