"""The shape of a criteria set: frozen pydantic models that forbid unknown keys.

A criteria set (``criteria/*.yaml``) holds criteria, each holding indicators. An indicator reads
one commune fact, compares it with a threshold (one for all zones, or one per zone) by an operator
from a fixed list, and awards points, possibly partial points by bands. The recognition rule and
the set's effective dates are data here too, never constants in code.

Cross-field checks that need the fact vocabulary (thresholds typed like their fact, sums of points,
unique ids) are the lint rules of :mod:`engine.inputs.lint`, so that every problem of a file is
reported at once, each with its code.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.i18n import pick

Zone = Literal[1, 2, 3]
ZONES: tuple[Zone, ...] = (1, 2, 3)

# The fixed list of operators. ``gte``: value ≥ threshold; ``lte``: value ≤ threshold; ``gt``/``lt``
# strict; ``eq``: equal to the threshold; ``in``: one of the listed choices; ``is_true``/``is_false``:
# a yes/no fact must be yes/no (no threshold).
Operator = Literal["gte", "gt", "lte", "lt", "eq", "in", "is_true", "is_false"]
NUMERIC_OPERATORS = frozenset({"gte", "gt", "lte", "lt", "eq"})
Status = Literal["pass", "partial", "fail", "missing", "not_applicable"]

Scalar = Annotated[int, Field(strict=True)] | Annotated[float, Field(strict=True)]
ChoiceList = list[str]
ZoneMap = dict[Zone, Scalar]
Threshold = Scalar | ZoneMap | ChoiceList


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
    written by this project; ``confirmed_parts`` may list the parts that were read (for example the
    title) while the rest (points, threshold) remains to be checked against the annex.
    """

    status: Literal["confirmed", "draft"]
    source: str | None = Field(default=None, description="Where it was read")
    confirmed_parts: list[Literal["title", "fact", "threshold", "points", "knockout"]] = Field(
        default_factory=list
    )
    note: str | None = None


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

    threshold: Scalar | ZoneMap
    points: Annotated[float, Field(gt=0)]


class Applicability(_Frozen):
    """Which communes an indicator applies to; the others get 'not applicable'."""

    zones: list[Zone] = Field(default_factory=lambda: list(ZONES))
    areas: list[Literal["urban", "rural"]] = Field(default_factory=lambda: ["urban", "rural"])


class Indicator(_Frozen):
    id: str = Field(pattern=r"^\d+\.\d+$")
    title: Text
    fact: str
    unit: Text | None = None
    operator: Operator
    threshold: Threshold | None = None
    points: Annotated[float, Field(gt=0)]
    partial: list[Band] = Field(default_factory=list)
    knockout: bool = False
    applies_to: Applicability = Applicability()
    doc: Doc
    remediation: list[Action] = Field(default_factory=list)
    source: str = Field(min_length=1)
    provenance: Provenance

    def threshold_for(self, zone: int) -> Scalar | ChoiceList | None:
        """The threshold that applies in ``zone`` (the same for all zones unless a map is given)."""
        return self.threshold.get(zone) if isinstance(self.threshold, dict) else self.threshold  # type: ignore[return-value]

    def band_threshold(self, band: Band, zone: int) -> Scalar:
        t = band.threshold
        return t[zone] if isinstance(t, dict) else t  # type: ignore[index,return-value]

    @property
    def varies_by_zone(self) -> bool:
        return isinstance(self.threshold, dict) or any(isinstance(b.threshold, dict) for b in self.partial)


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


class CriteriaSet(_Frozen):
    schema_version: Literal[1] = 1
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Text
    decision: Decision
    amended_by: list[Decision] = Field(default_factory=list)
    effective: Effective
    max_points: Annotated[float, Field(gt=0)]
    recognition: RecognitionRule
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
