"""Conditions as durable_rules expressions, read with three values: holds, fails, unknown.

A comparison of fact field ``f`` with a threshold *holds* when ``f`` is present and meets it,
*fails* when ``f`` is present and does not, and is *unknown* when ``f`` is absent (or when its
threshold cannot be chosen because a dimension such as the region is unknown). ``all``, ``any``
and ``not`` combine the three values as Kleene's logic does: ``all`` fails as soon as one part
fails, holds when all hold, and is unknown otherwise; ``any`` the other way round; ``not`` swaps
holds and fails.

:func:`tri` turns a condition into three durable_rules expressions (:class:`Formula`), one per
value, which are mutually exclusive and together cover every fact: the compiler builds the rules
of an indicator from them, so that exactly one rule matches each fact. durable_rules has no
negation inside an expression, so "does not hold" is written positively as "fails or unknown".
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from engine.inputs.conditions import AllOf, AnyOf, Compare, NotOf, Unknown

_NEGATE = {"gte": "lt", "gt": "lte", "lte": "gt", "lt": "gte"}


@dataclass(frozen=True)
class Formula:
    """A durable_rules expression, or a constant (``expr`` None: ``value`` is True or False)."""

    expr: dict[str, Any] | None
    value: bool = False

    @property
    def false(self) -> bool:
        return self.expr is None and not self.value

    @property
    def true(self) -> bool:
        return self.expr is None and self.value


TRUE = Formula(None, True)
FALSE = Formula(None, False)


def leaf(expr: dict[str, Any]) -> Formula:
    return Formula(expr)


def _flatten(parts: Sequence[Formula], key: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for p in parts:
        assert p.expr is not None
        inner = p.expr.get(key) if len(p.expr) == 1 else None
        out.extend(inner if isinstance(inner, list) else [p.expr])
    return out


def conj(*parts: Formula) -> Formula:
    if any(p.false for p in parts):
        return FALSE
    kept = [p for p in parts if not p.true]
    if not kept:
        return TRUE
    absent = {f for p in kept if p.expr and "$nex" in p.expr for f in p.expr["$nex"]}
    if absent and any(required_fields(p.expr) & absent for p in kept):
        return FALSE  # a field both absent and compared: no fact matches
    exprs = _flatten(kept, "$and")
    exprs = list({repr(e): e for e in exprs}.values())
    return Formula(exprs[0]) if len(exprs) == 1 else Formula({"$and": exprs})


def disj(*parts: Formula) -> Formula:
    if any(p.true for p in parts):
        return TRUE
    kept = [p for p in parts if not p.false]
    if not kept:
        return FALSE
    exprs = _flatten(kept, "$or")
    exprs = list({repr(e): e for e in exprs}.values())
    return Formula(exprs[0]) if len(exprs) == 1 else Formula({"$or": exprs})


def fields_tested(condition: Any) -> set[str]:
    """Every fact field a durable_rules condition tests (operators such as ``$and`` are walked)."""
    out: set[str] = set()
    if isinstance(condition, dict):
        for key, value in condition.items():
            if key.startswith("$"):
                out |= fields_tested(value)
            else:
                out.add(key)
    elif isinstance(condition, list):
        for item in condition:
            out |= fields_tested(item)
    return out


def required_fields(expr: Any) -> set[str]:
    """The fields a fact must hold for ``expr`` to match (a comparison needs its field present)."""
    if not isinstance(expr, dict) or len(expr) != 1:
        return set().union(*(required_fields({k: v}) for k, v in expr.items())) if expr else set()
    key, value = next(iter(expr.items()))
    if key == "$nex":
        return set()
    if key == "$and":
        return set().union(*(required_fields(x) for x in value))
    if key == "$or":
        sets = [required_fields(x) for x in value]
        return set.intersection(*sets) if sets else set()
    if key.startswith("$"):
        return set(value) if isinstance(value, dict) else set()
    return {key}


def meets(op: str, threshold: Any, field: str = "v") -> dict[str, Any]:
    """durable_rules condition on ``field`` that is true when the value meets ``op threshold``."""
    if op in _NEGATE:
        return {f"${op}": {field: threshold}}
    if op == "eq":
        return {field: threshold}
    if op == "in":
        choices = [{field: c} for c in threshold]
        return {"$or": choices} if len(choices) > 1 else choices[0]
    if op == "is_true":
        return {field: True}
    if op == "is_false":
        return {field: False}
    raise ValueError(f"unknown operator {op}")


def fails(op: str, threshold: Any, field: str = "v") -> dict[str, Any]:
    """The exact complement of :func:`meets` over present values of the right type."""
    if op in _NEGATE:
        return {f"${_NEGATE[op]}": {field: threshold}}
    if op == "eq":
        return {"$neq": {field: threshold}}
    if op == "in":
        parts = [{"$neq": {field: c}} for c in threshold]
        return {"$and": parts} if len(parts) > 1 else parts[0]
    if op == "is_true":
        return {field: False}
    if op == "is_false":
        return {field: True}
    raise ValueError(f"unknown operator {op}")


@dataclass(frozen=True)
class Tri:
    """The three mutually exclusive expressions of one condition: holds, fails, unknown."""

    t: Formula
    f: Formula
    u: Formula

    @property
    def not_t(self) -> Formula:
        return disj(self.f, self.u)

    @property
    def not_f(self) -> Formula:
        return disj(self.t, self.u)


def compare_tri(c: Compare, threshold: Any, field: str, present: bool = False) -> Tri:
    """A comparison read in three values. ``present``: the value is known to be there."""
    absent = FALSE if present else leaf({"$nex": {field: 1}})
    if isinstance(threshold, Unknown) or (threshold is None and c.operator not in ("is_true", "is_false")):
        return Tri(FALSE, FALSE, TRUE)  # the threshold cannot be chosen: unknown, whatever the value
    return Tri(leaf(meets(c.operator, threshold, field)), leaf(fails(c.operator, threshold, field)), absent)


def tri(c: Any, leaf_tri: Callable[[Compare], Tri]) -> Tri:
    """A condition read in three values (see the module docstring); ``leaf_tri`` reads a comparison."""
    if isinstance(c, Compare):
        return leaf_tri(c)
    if isinstance(c, NotOf):
        inner = tri(c.not_, leaf_tri)
        return Tri(inner.f, inner.t, inner.u)
    parts = [tri(p, leaf_tri) for p in (c.all if isinstance(c, AllOf) else c.any)]
    some_unknown = disj(*(p.u for p in parts))
    if isinstance(c, AllOf):
        return Tri(
            conj(*(p.t for p in parts)),
            disj(*(p.f for p in parts)),
            conj(*(p.not_f for p in parts), some_unknown),
        )
    assert isinstance(c, AnyOf)
    return Tri(
        disj(*(p.t for p in parts)),
        conj(*(p.f for p in parts)),
        conj(*(p.not_t for p in parts), some_unknown),
    )


# --- Rules durable_rules accepts --------------------------------------------------------------------
#
# durable_rules keeps, per rule, a sequence of at most 31 markers, two for every "$and" and "$or" of
# its expression (rete.c, MAX_SEQUENCE_EXPRESSIONS; beyond: error 113, ERR_EXPRESSION_LIMIT_EXCEEDED).
# A formula with more than MAX_JUNCTIONS of them is split into pieces that no fact satisfies twice:
# a Shannon expansion over the classes of one field (absent, each constant it is compared with, the
# intervals between them; or each value it is compared with, and any other value), classes that
# leave the same formula kept together, until every piece is small enough.

MAX_JUNCTIONS = 15


def junctions(expr: Any) -> int:
    """How many "$and" and "$or" an expression holds."""
    if isinstance(expr, dict):
        return sum((1 + junctions(v)) if k in ("$and", "$or") else junctions(v) for k, v in expr.items())
    if isinstance(expr, list):
        return sum(junctions(x) for x in expr)
    return 0


_ABSENT = object()
_OTHER = object()  # a value other than every one a formula compares the field with


def is_simple(f: Formula) -> bool:
    """A constant, or an expression durable_rules accepts as it is (the rule's "$and" included)."""
    return f.expr is None or junctions(f.expr) + 1 <= MAX_JUNCTIONS


def _leaves(expr: Any) -> list[tuple[str, str, Any]]:
    """Every (operator, field, value) comparison in an expression."""
    out: list[tuple[str, str, Any]] = []
    for key, value in expr.items():
        if key in ("$and", "$or"):
            for x in value:
                out += _leaves(x)
        elif key.startswith("$"):
            out += [(key, f, v) for f, v in value.items()]
        else:
            out.append(("$eq", key, value))
    return out


Span = tuple[float | None, bool, float | None, bool]  # (low, low included, high, high included)


def _classes(field: str, leaves: list[tuple[str, str, Any]]) -> list[tuple[Formula, Any, Span | None]]:
    """The classes of ``field``'s values the leaves cannot tell apart: (condition, representative,
    the numbers it spans, for numeric fields)."""
    values = [v for op, f, v in leaves if f == field and op not in ("$nex", "$ex")]
    out: list[tuple[Formula, Any, Span | None]] = [(leaf({"$nex": {field: 1}}), _ABSENT, None)]
    numbers = sorted({v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)})
    if numbers:
        spans: list[tuple[Span, Any]] = [((None, False, numbers[0], False), numbers[0] - 1)]
        for lo, hi in itertools.pairwise(numbers):
            spans += [((lo, True, lo, True), lo), ((lo, False, hi, False), (lo + hi) / 2)]
        spans += [
            ((numbers[-1], True, numbers[-1], True), numbers[-1]),
            ((numbers[-1], False, None, False), numbers[-1] + 1),
        ]
        return out + [(_span(field, span), x, span) for span, x in spans]
    seen = list(dict.fromkeys(values))
    out += [(leaf({field: v}), v, None) for v in seen]
    other = conj(*(leaf({"$neq": {field: v}}) for v in seen)) if seen else leaf({"$ex": {field: 1}})
    out.append((other, _OTHER, None))
    return out


def _span(field: str, span: Span) -> Formula:
    """The condition that ``field`` lies in ``span``."""
    lo, lo_in, hi, hi_in = span
    if lo is not None and lo == hi:
        return leaf({field: lo})
    parts = []
    if lo is not None:
        parts.append(leaf({"$gte" if lo_in else "$gt": {field: lo}}))
    if hi is not None:
        parts.append(leaf({"$lte" if hi_in else "$lt": {field: hi}}))
    return conj(*parts) if parts else leaf({"$ex": {field: 1}})


def _merge_spans(spans: list[Span]) -> list[Span]:
    """Adjacent spans (in order) as one."""
    out: list[Span] = []
    for span in spans:
        if out and out[-1][2] == span[0] and out[-1][3] != span[1]:
            out[-1] = (out[-1][0], out[-1][1], span[2], span[3])
        else:
            out.append(span)
    return out


def _holds(op: str, x: Any, t: Any) -> bool:
    if op == "$nex":
        return x is _ABSENT
    if op == "$ex":
        return x is not _ABSENT
    if x is _ABSENT:
        return False
    if op == "$neq":
        return x is _OTHER or x != t
    if x is _OTHER:
        return False
    return {"$eq": x == t, "$lt": x < t, "$lte": x <= t, "$gt": x > t, "$gte": x >= t}[op]


def restrict(expr: dict[str, Any], field: str, x: Any) -> Formula:
    """``expr`` for the facts whose ``field`` is in the class of representative ``x``."""
    parts: list[Formula] = []
    for key, value in expr.items():
        if key in ("$and", "$or"):
            inner = [restrict(e, field, x) for e in value]
            parts.append(conj(*inner) if key == "$and" else disj(*inner))
        elif key.startswith("$"):
            for f, t in value.items():
                parts.append(Formula(None, _holds(key, x, t)) if f == field else leaf({key: {f: t}}))
        else:
            parts.append(Formula(None, _holds("$eq", x, value)) if key == field else leaf({key: value}))
    return conj(*parts)


def _pieces(f: Formula, field: str, leaves: list[tuple[str, str, Any]]) -> list[tuple[Formula, Formula]]:
    """``f`` split over the classes of ``field``; classes leaving the same formula share a piece."""
    assert f.expr is not None
    merged: dict[str, tuple[list[tuple[Formula, Span | None]], Formula]] = {}
    for cond, x, span in _classes(field, leaves):
        rest = restrict(f.expr, field, x)
        if rest.false:
            continue
        key = repr(rest.expr) if rest.expr is not None else repr(rest.value)
        merged.setdefault(key, ([], rest))[0].append((cond, span))
    out = []
    for classes, rest in merged.values():
        spans = [span for _, span in classes if span is not None]
        conds = [cond for cond, span in classes if span is None]
        conds += [_span(field, span) for span in _merge_spans(spans)]
        out.append((disj(*conds), rest))
    return out


def split(f: Formula, limit: int = 4096) -> list[Formula]:
    """``f`` as disjoint plain conjunctions (see above); ``[]`` when nothing matches.

    Fields are split on in one order, the most frequent first (a decision diagram); classes of a
    field that leave the same formula are one piece (their alternatives on that one field stay one
    atom). Raises ValueError beyond ``limit`` pieces.
    """
    if f.false:
        return []
    if is_simple(f):
        return [f]
    assert f.expr is not None
    counts: dict[str, int] = {}
    for _, field, _ in _leaves(f.expr):
        if field != "i":
            counts[field] = counts.get(field, 0) + 1
    order = sorted(counts, key=lambda fld: (-counts[fld], fld))
    out: list[Formula] = []
    _split(f, order, limit, out, {})
    return out


def _split(
    f: Formula, order: list[str], limit: int, out: list[Formula], memo: dict[str, list[Formula]]
) -> None:
    if f.false:
        return
    if is_simple(f):
        out.append(f)
        return
    assert f.expr is not None
    key = repr((f.expr, order))
    if key in memo:
        out.extend(memo[key])
        return
    leaves = _leaves(f.expr)
    present = {fld for _, fld, _ in leaves}
    at = next((k for k, fld in enumerate(order) if fld in present), None)
    if at is None:
        raise ValueError("a condition cannot be split into rules durable_rules accepts")
    start = len(out)
    for cond, rest in _pieces(f, order[at], leaves):
        _split(conj(cond, rest), order[at + 1 :], limit, out, memo)
        if len(out) > limit:
            raise ValueError(f"a condition splits into more than {limit} rules")
    memo[key] = out[start:]
