"""The building blocks of the criteria language: thresholds by commune dimension, and conditions.

**Thresholds.** A threshold is one number (or list of choices) for every commune, or varies by a
commune *dimension*: ``zone`` (1, 2, 3, assigned by the provincial Department of Health), ``area``
(``rural`` / ``urban``) or ``region`` (the socio-economic regions of ``criteria/regions/``)::

    threshold: 95                                      # every commune
    threshold: {1: 95, 2: 95, 3: 90}                   # by zone (shorthand)
    threshold: {by: region, values: {red-river-delta: 16.5, …}}
    threshold: {by: region, values: {central-highlands: {by: zone, values: {1: 20, 2: 24, 3: 26.5}}, …}}

Dimensions nest: a value may itself vary by another dimension (region, then zone within it).
:func:`resolve` picks the value that applies to a commune and says which dimension values led to
it (the *basis* that outputs cite: "ngưỡng vùng Tây Nguyên, vùng 3").

**Conditions.** A condition compares one fact (``fact``, ``operator``, ``threshold``) or combines
conditions with ``all`` (every one holds), ``any`` (at least one holds) and ``not``. Conditions are
read with three values — holds, fails, unknown — so that a missing fact makes the result unknown
only when the result depends on it (``all`` fails as soon as one part fails, whatever is missing).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal, NamedTuple, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

Zone = Literal[1, 2, 3]
ZONES: tuple[Zone, ...] = (1, 2, 3)
Area = Literal["rural", "urban"]
AREAS: tuple[Area, ...] = ("rural", "urban")
Dimension = Literal["zone", "area", "region"]
DIMENSIONS: tuple[Dimension, ...] = ("zone", "area", "region")

# The fixed list of operators. ``gte``: value ≥ threshold; ``lte``: value ≤ threshold; ``gt``/``lt``
# strict; ``eq``: equal to the threshold; ``in``: one of the listed choices; ``is_true``/``is_false``:
# a yes/no fact must be yes/no (no threshold).
Operator = Literal["gte", "gt", "lte", "lt", "eq", "in", "is_true", "is_false"]
NUMERIC_OPERATORS = frozenset({"gte", "gt", "lte", "lt", "eq"})

Scalar = Annotated[int, Field(strict=True)] | Annotated[float, Field(strict=True)]
ChoiceList = list[str]
ZoneMap = Annotated[dict[Zone, Scalar | ChoiceList], Field(min_length=1)]  # `{}` is no threshold


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)


class ByDimension(_Frozen):
    """A threshold that differs by one commune dimension; each value may vary by another in turn."""

    by: Dimension
    values: dict[int | str, Threshold] = Field(min_length=1)


Threshold = Union[Scalar, ZoneMap, ChoiceList, ByDimension]  # noqa: UP007 (recursive alias)
ByDimension.model_rebuild()


class Dims(NamedTuple):
    """Where a commune stands on every dimension a threshold may vary by (region None: unknown)."""

    zone: int
    area: str
    region: str | None = None

    def get(self, dimension: str) -> Any:
        return getattr(self, dimension)


Basis = tuple[tuple[str, Any], ...]  # ((dimension, value), …) that chose a threshold, outermost first


class Unknown(NamedTuple):
    """The threshold cannot be chosen: the commune's value of ``dimension`` is unknown."""

    dimension: str


def as_dimensional(t: Any) -> ByDimension | None:
    """``t`` as a :class:`ByDimension` (the zone shorthand included), or None when it does not vary."""
    if isinstance(t, ByDimension):
        return t
    if isinstance(t, dict):
        return ByDimension(by="zone", values=dict(t))
    return None


def resolve(t: Any, dims: Dims) -> tuple[Any, Basis]:
    """The threshold that applies at ``dims`` and the dimension values that chose it.

    Returns ``(Unknown(dimension), basis)`` when a dimension it varies by is unknown, and
    ``(None, basis)`` when the table has no value for the commune's (a lint error in a loaded set).
    """
    basis: list[tuple[str, Any]] = []
    while True:
        d = as_dimensional(t)
        if d is None:
            return t, tuple(basis)
        key = dims.get(d.by)
        if key is None:
            return Unknown(d.by), tuple(basis)
        basis.append((d.by, key))
        if key not in d.values:
            return None, tuple(basis)
        t = d.values[key]


def dimensions_of(t: Any) -> tuple[str, ...]:
    """Every dimension ``t`` varies by, outermost first."""
    out: list[str] = []

    def walk(x: Any) -> None:
        d = as_dimensional(x)
        if d is None:
            return
        if d.by not in out:
            out.append(d.by)
        for v in d.values.values():
            walk(v)

    walk(t)
    return tuple(out)


def values_of(t: Any) -> Iterator[Any]:
    """Every plain value (number or choice list) ``t`` holds, whatever the dimensions."""
    d = as_dimensional(t)
    if d is None:
        yield t
        return
    for v in d.values.values():
        yield from values_of(v)


class Compare(_Frozen):
    """One fact compared with a threshold: ``{fact: services.bhyt_coverage_pct, operator: gte, threshold: 95}``."""

    fact: str
    operator: Operator
    threshold: Threshold | None = None


class AllOf(_Frozen):
    """Holds when every part holds; fails as soon as one fails."""

    all: list[Condition] = Field(min_length=1)


class AnyOf(_Frozen):
    """Holds as soon as one part holds; fails when every part fails."""

    any: list[Condition] = Field(min_length=1)


class NotOf(_Frozen):
    """Holds when its part fails, fails when it holds; unknown stays unknown."""

    not_: Condition = Field(alias="not")


def _kind(value: Any) -> str:
    """The tag of a condition by its keys (tags start with ``~``: the loader drops them from locations)."""
    keys = value if isinstance(value, dict) else vars(value) if isinstance(value, BaseModel) else {}
    for key in ("all", "any"):
        if key in keys:
            return "~" + key
    if "not" in keys or "not_" in keys:
        return "~not"
    return "~compare"


Condition = Annotated[
    Union[  # noqa: UP007 (recursive alias)
        Annotated[Compare, Tag("~compare")],
        Annotated[AllOf, Tag("~all")],
        Annotated[AnyOf, Tag("~any")],
        Annotated[NotOf, Tag("~not")],
    ],
    Discriminator(_kind),
]
for _model in (AllOf, AnyOf, NotOf):
    _model.model_rebuild()


def parts_of(c: Any) -> list[Any]:
    """The direct sub-conditions of ``c`` (none for a comparison)."""
    if isinstance(c, AllOf):
        return list(c.all)
    if isinstance(c, AnyOf):
        return list(c.any)
    if isinstance(c, NotOf):
        return [c.not_]
    return []


def comparisons(c: Any) -> Iterator[Compare]:
    """Every comparison in ``c``, in document order."""
    if isinstance(c, Compare):
        yield c
        return
    for part in parts_of(c):
        yield from comparisons(part)


def facts_of(c: Any) -> tuple[str, ...]:
    """The facts ``c`` reads, each once, in document order."""
    return tuple(dict.fromkeys(x.fact for x in comparisons(c)))
