"""Plan targets as data: the frozen models of a plan file (``criteria/plans/*.yaml``) and place names.

A plan is one source document (a provincial programme, a district plan, a commune plan, a national
resolution) and the targets it sets. Each target says where it was read (document, section and the
words of the source), what it measures, its comparator and value, the baseline where the plan gives
one, and the year it is due. Loading and lookup are in :mod:`engine.inputs.plans`, the checks in
the lint rules ``PL…`` of :mod:`engine.inputs.lint`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.inputs.criteria import Text

Comparator = Literal["gt", "gte", "lt", "lte", "eq"]
Scalar = Annotated[int, Field(strict=True)] | Annotated[float, Field(strict=True)]
AreaLevel = Literal["national", "province", "district", "commune"]
TargetScope = Literal["national", "province", "district", "commune", "station"]
AREA_SCOPES = frozenset({"national", "province", "district"})
COMMUNE_SCOPES = frozenset({"commune", "station"})

# What a target measures:
#   fact              one commune's fact (scope commune or station), e.g. staffing.doctors ≥ 4
#   qualifies         the named commune(s) meet the criteria set (value 1 = yes)
#   share_qualifying  % of the area's communes meeting the criteria
#   count_qualifying  number of the area's (or the named) communes meeting the criteria
#   share_meeting     % of the area's communes/stations where every condition holds
#   weighted_mean     the area's figure for a fact, weighted by population (or by commune)
#   per_population    sum of a count fact over the area per N people (e.g. per 10,000)
#   statistic         a figure commune facts cannot give (life expectancy): reported, not computed
MeasureKind = Literal[
    "fact",
    "qualifies",
    "share_qualifying",
    "count_qualifying",
    "share_meeting",
    "weighted_mean",
    "per_population",
    "statistic",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class SourceRef(_Frozen):
    """Where a target was read: the document, its section, and the source's own words."""

    document: str = Field(min_length=1)
    section: str = Field(min_length=1)
    quote: str = Field(min_length=1, description="The source's words, verbatim (whitespace aside)")


class Baseline(_Frozen):
    value: Scalar
    year: int = Field(ge=1990, le=2100)


class Condition(_Frozen):
    """One condition on a commune fact, for ``share_meeting`` targets."""

    fact: str
    comparator: Literal["gt", "gte", "lt", "lte", "eq", "is_true", "is_false"]
    value: Scalar | None = None


class Measure(_Frozen):
    kind: MeasureKind
    fact: str | None = None
    conditions: list[Condition] = Field(default_factory=list)
    weight: Literal["population", "communes"] | None = None
    per: int | None = Field(default=None, gt=0)
    statistic: Text | None = None
    communes: list[str] = Field(default_factory=list, description="Named communes (qualifies, counts)")


class Target(_Frozen):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: Text
    scope: TargetScope
    measure: Measure
    comparator: Comparator
    value: Scalar
    unit: Text | None = None
    reading: Literal["exact", "interpreted"] = Field(
        default="exact",
        description="exact: the figure is printed in the source; interpreted: the source states the "
        "target in words ('every resident', 'universal') and the value is this project's reading",
    )
    baseline: Baseline | None = None
    due_year: int = Field(ge=1990, le=2100)
    due: str | None = Field(default=None, description="The deadline as the source words it")
    source: SourceRef
    note: Text | None = None

    @property
    def is_area(self) -> bool:
        return self.scope in AREA_SCOPES


class PlanScope(_Frozen):
    level: AreaLevel
    province: str | None = None
    district: str | None = None
    commune: str | None = None
    communes_total: int | None = Field(default=None, gt=0, description="Communes in the area per the source")

    def label(self) -> str:
        parts = [p for p in (self.commune, self.district, self.province) if p]
        return ", ".join(parts) if parts else "Việt Nam"


class PlanDocument(_Frozen):
    title: Text
    number: str | None = None
    issuer: Text
    date: dt.date | None = Field(default=None, strict=False)
    year: int = Field(ge=1990, le=2100)
    reference: str = Field(min_length=1, description="Where the document was read (seed file, portal)")


class PlanPeriod(_Frozen):
    from_year: int = Field(ge=1990, le=2100)
    until_year: int = Field(ge=1990, le=2100)

    def covers(self, year: int) -> bool:
        return self.from_year <= year <= self.until_year


class PlanProvenance(_Frozen):
    status: Literal["confirmed", "unverified"]
    note: str | None = None


class Plan(_Frozen):
    schema_version: Literal[1] = 1
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Text
    document: PlanDocument
    scope: PlanScope
    period: PlanPeriod
    provenance: PlanProvenance
    notes: Text | None = None
    targets: list[Target] = Field(min_length=1)

    def target(self, target_id: str) -> Target:
        for t in self.targets:
            if t.id == target_id:
                return t
        raise KeyError(target_id)

    def matches(self, province: str, district: str | None, commune: str | None = None) -> bool:
        """Whether a commune of ``province``/``district`` lies in this plan's area."""
        s = self.scope
        if s.level == "national":
            return True
        if _same(s.province, province) is False:
            return False
        if s.level == "province":
            return True
        if s.level == "district":
            return _same(s.district, district) is True
        return _same(s.commune, commune) is True


def _norm(name: str | None) -> str | None:
    if name is None:
        return None
    text = " ".join(name.replace("_", " ").split()).casefold()
    for prefix in ("tỉnh ", "huyện ", "thị xã ", "thành phố ", "xã ", "phường ", "thị trấn "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text


def _same(a: str | None, b: str | None) -> bool | None:
    if a is None or b is None:
        return None
    return _norm(a) == _norm(b)


def same_place(a: str | None, b: str | None) -> bool:
    """Whether two place names are the same (case, spacing and 'xã'/'huyện'… prefixes aside)."""
    return _same(a, b) is True
