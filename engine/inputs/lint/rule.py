"""The unit of linting: a rule with its code and docs, the findings it yields, and shared helpers."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from engine.inputs.criteria import CriteriaSet, Criterion, Indicator
from engine.inputs.fact_catalogue import FactSpec, catalogue

Loc = tuple[int | str, ...]
T = TypeVar("T")

CODE = re.compile(r"^(CS|PL|CO)\d{3}$")
NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# The largest number a threshold, an effect or a target may hold for a fact without a stated maximum
# (a count of doctors, an area in m²): a billion is beyond any commune's figure.
PLAUSIBLE_MAX = 1_000_000_000
# Costs in VND: a thousand billion đồng (about 40 million USD) is beyond any one commune's action.
COST_MAX = 1_000_000_000_000
NUMERIC_KINDS = ("count", "percent", "number")  # the kinds of fact compared by order and added to
THRESHOLD_DECIMALS = 3  # 0.001: finer than any figure a commune reports
POINT_DECIMALS = 2  # 0.25 points: scores are shown with one decimal, the planner counts in hundredths


@dataclass(frozen=True)
class Finding:
    """One problem a rule found: where (a path into the YAML document), what, and what to do."""

    loc: Loc
    message: str
    hint: str = ""  # empty: the rule's ``fix``


@dataclass(frozen=True)
class RuleDoc:
    """What a rule checks, documented like ruff's rules: summary, why it matters, how to fix it."""

    code: str
    name: str
    summary: str
    why: str
    fix: str

    @property
    def kind(self) -> str:
        """The kind of file the rule reads: ``criteria``, ``plan`` or ``costs``."""
        return {"CS": "criteria", "PL": "plan", "CO": "costs"}[self.code[:2]]


@dataclass(frozen=True)
class Rule(RuleDoc, Generic[T]):
    """A coded check of one kind of file (``T``: the validated model it reads)."""

    check: Callable[[T], Iterable[Finding]]


def rule(
    code: str, name: str, *, summary: str, why: str, fix: str
) -> Callable[[Callable[[T], Iterable[Finding]]], Rule[T]]:
    """Make a check function into a :class:`Rule` (nothing is registered: list it in registry.py)."""

    def wrap(check: Callable[[T], Iterable[Finding]]) -> Rule[T]:
        return Rule(code=code, name=name, summary=summary, why=why, fix=fix, check=check)

    return wrap


@dataclass(frozen=True)
class Problem:
    """A finding with the code of the rule that found it and its final hint."""

    code: str
    loc: Loc
    message: str
    hint: str


def run(rules: Sequence[Rule[T]], subject: T, ignore: Collection[str] = ()) -> list[Problem]:
    """Every finding of every rule not ignored, in rule order."""
    return [
        Problem(r.code, f.loc, f.message, f.hint or r.fix)
        for r in rules
        if r.code not in ignore
        for f in r.check(subject)
    ]


# --- helpers shared by rules ----------------------------------------------------------------------


def fact_hint(name: str) -> str:
    close = difflib.get_close_matches(name, list(catalogue()), n=3)
    if close:
        return "did you mean " + ", ".join(close) + "?"
    return "use a fact path listed in docs/facts.md ('commune-health criteria facts')"


def indicators(cs: CriteriaSet) -> Iterator[tuple[Loc, Criterion, Indicator]]:
    """Every indicator with its location in the document and its criterion."""
    for ci, crit in enumerate(cs.criteria):
        for ii, ind in enumerate(crit.indicators):
            yield ("criteria", ci, "indicators", ii), crit, ind


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_finite(value: object) -> bool:
    return not isinstance(value, float) or math.isfinite(value)


def decimals(value: float) -> int:
    """How many decimal places ``value`` is written with (``95.25`` → 2, ``1e-05`` → 5)."""
    if isinstance(value, int) or not math.isfinite(value):
        return 0
    exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def value_problem(value: object, spec: FactSpec) -> str | None:
    """Why ``value`` cannot be a number compared with (or given to) fact ``spec``; None when it can."""
    if not is_number(value):
        return f"must be a number for the {spec.kind} fact {spec.path}, not {value!r}"
    assert isinstance(value, (int, float))
    if not is_finite(value):
        return None  # the finite-number rule reports it
    if spec.kind == "count" and not isinstance(value, int):
        return f"must be a whole number: {spec.path} is a count"
    if spec.minimum is not None and value < spec.minimum:
        return f"{value} is below the smallest possible value {spec.minimum:g} of {spec.path}"
    if spec.maximum is not None and value > spec.maximum:
        return f"{value} is above the largest possible value {spec.maximum:g} of {spec.path}"
    if spec.maximum is None and abs(value) > PLAUSIBLE_MAX:
        return f"{value} is beyond any figure of {spec.path} (at most {PLAUSIBLE_MAX:,})"
    return None


def walk_numbers(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, float]]:
    """Every number in plain data (a model's ``model_dump()``) with its location."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from walk_numbers(value, (*loc, key))
    elif isinstance(data, (list, tuple)):
        for k, value in enumerate(data):
            yield from walk_numbers(value, (*loc, k))
    elif is_number(data):
        yield loc, data


def not_finite(data: Any) -> Iterator[Finding]:
    """A finding for every NaN or infinite number in ``data``."""
    for loc, value in walk_numbers(data):
        if not is_finite(value):
            yield Finding(loc, f"{value} is not a number that can be compared or added up")


def duplicates(values: Iterable[object]) -> list[object]:
    """The values that occur more than once, in order of their second occurrence."""
    seen: list[object] = []
    twice: list[object] = []
    for v in values:
        if v in seen and v not in twice:
            twice.append(v)
        seen.append(v)
    return twice
