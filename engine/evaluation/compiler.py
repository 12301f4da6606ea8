"""Compiling a criteria set into a durable_rules ruleset definition (plain JSON, no durable import).

Design. Each commune contributes one small fact per indicator::

    {"i": "<indicator>", "z": zone, "a": area, "r": region, "v": value, "v1": value, …}

holding only the fields the indicator's rules test: the dimensions its thresholds vary by (``z``,
``a``, ``r``) and the facts it reads (``v`` for the first, ``v1``, ``v2``, … for the others, in
:attr:`~engine.inputs.criteria.Indicator.reads` order). A value is left out when the commune's fact
is absent, and so is the region when it is unknown. For every indicator the compiler emits rules
whose conditions partition all such facts — exactly one rule matches each fact:

* ``na``: the commune's zone or area is outside the indicator's ``applies_to``;
* the communes the indicator applies to are split into *cells* by the dimensions its thresholds
  vary by; cells with the same thresholds form a group, and each group gets the rules of the
  indicator's form with its thresholds:

  - one comparison: ``pass``, ``partial`` (per band), ``fail``, and ``missing`` when the value is
    absent (one rule for all groups);
  - a condition: ``pass`` when it holds, ``fail`` when it fails, ``missing`` when it is unknown
    (three-valued logic, :mod:`engine.evaluation.logic`);
  - sub-items added up: one rule per set of items met, ``missing`` when an unknown item could still
    change the score; the first item that holds: one rule per item, ``fail`` when none holds,
    ``missing`` when an unknown item comes first.

A rule's meaning is a :class:`RuleMeta`: the verdict and its *outcome* (the band of a partial
verdict, or the bit mask of the sub-items met). The zoning rule of the set compiles the same way,
as the subject ``zoning`` whose outcome is the index of the zone rule that holds.

Every rule carries ``cap`` so that durable_rules hands its action all matching facts of a batch
at once: one Python call per rule and batch. Every condition starts with the subject's id, an
equality that durable_rules' network hashes on, and never matches the session's state document.
:func:`fields_read_by_indicator` lists, per subject, the fields its rules test, found by walking the
compiled conditions; communes whose facts agree on those fields share one fact and its verdict.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from engine.errors import UserError
from engine.evaluation.logic import (
    FALSE,
    Formula,
    Tri,
    compare_tri,
    conj,
    disj,
    fails,
    fields_tested,
    leaf,
    meets,
    split,
    tri,
)
from engine.evaluation.outcomes import items_points
from engine.inputs.conditions import AREAS, ZONES, Compare, Dims, Unknown, dimensions_of, resolve
from engine.inputs.criteria import CriteriaSet, Indicator, Status, Zoning

# Frames handed to one action call at most. Large enough to take a whole batch in one call.
CAP = 100_000
MAX_RULES = 4_096  # rules one durable_rules ruleset holds (rete.c, MAX_ACTIONS)
EPS = 1e-9
ZONING = "zoning"  # the subject id of the zoning rule (indicator ids are numbers such as 7.5)
DIM_FIELDS = {"zone": "z", "area": "a", "region": "r"}


@dataclass(frozen=True)
class RuleMeta:
    """What a rule's firing means: this verdict (and outcome) for this indicator."""

    indicator: str
    status: Status
    outcome: int | None  # band index ('compare'), bit mask of sub-items met ('items'), zone rule index


@dataclass(frozen=True)
class CompiledSet:
    set_id: str
    name: str  # ruleset name: set id + content hash of the definition
    digest: str
    definition: dict[str, Any]
    meta: dict[str, RuleMeta]
    indicators: tuple[str, ...]
    reads: dict[str, tuple[str, ...]]  # per subject (indicators, then 'zoning'): facts behind v, v1, …

    @property
    def subjects(self) -> tuple[str, ...]:
        return tuple(self.reads)


def value_field(k: int) -> str:
    """The fact field holding the k-th fact a subject reads: ``v``, ``v1``, ``v2``, …"""
    return "v" if k == 0 else f"v{k}"


def _one_of(field: str, values: Sequence[Any]) -> Formula:
    parts = [leaf({"$nex": {field: 1}}) if v is None else leaf({field: v}) for v in values]
    return disj(*parts)


@dataclass(frozen=True)
class _Group:
    tag: str
    condition: Formula
    dims: Dims  # a representative cell: every cell of the group resolves thresholds alike


def _groups(
    ind: Indicator,
    regions: Sequence[str],
    signature: Callable[[Dims], str],
    used: Sequence[str] | None = None,
) -> list[_Group]:
    """The applicable communes in cells by the dimensions the thresholds vary by (``used``: those of
    one threshold; default: the indicator's), grouped by thresholds."""
    used = ind.dimensions if used is None else used
    zones = sorted(ind.applies_to.zones)
    areas = sorted(ind.applies_to.areas)
    axes: list[tuple[str, list[Any]]] = [("zone", list(zones))]
    if "area" in used or len(areas) < len(AREAS):
        axes.append(("area", list(areas)))
    if "region" in used:
        axes.append(("region", [*regions, None]))
    by_sig: dict[str, list[tuple[Any, ...]]] = {}
    for cell in itertools.product(*(values for _, values in axes)):
        named = dict(zip((n for n, _ in axes), cell, strict=True))
        dims = Dims(named.get("zone", 1), named.get("area", areas[0]), named.get("region"))
        by_sig.setdefault(signature(dims), []).append(cell)
    out = []
    for k, cells in enumerate(by_sig.values()):
        projections = [sorted({c[i] for c in cells}, key=repr) for i in range(len(axes))]
        if len(cells) == len(list(itertools.product(*projections))):
            tag = "z" + "".join(map(str, projections[0]))
            parts = [_one_of("z", projections[0])] if len(projections[0]) < len(ZONES) else []
            for (name, domain), proj in list(zip(axes, projections, strict=True))[1:]:
                if len(proj) < len(domain):
                    tag += f"-{DIM_FIELDS[name]}" + "+".join(str(p) for p in proj)
                if len(proj) < len(domain) or (name == "area" and len(areas) < len(AREAS)):
                    parts.append(_one_of(DIM_FIELDS[name], proj))
            condition = conj(*parts)
        else:
            tag = f"g{k}"
            condition = disj(
                *(
                    conj(*(_one_of(DIM_FIELDS[n], [v]) for (n, _), v in zip(axes, c, strict=True)))
                    for c in cells
                )
            )
        first = dict(zip((n for n, _ in axes), cells[0], strict=True))
        dims = Dims(first.get("zone", 1), first.get("area", areas[0]), first.get("region"))
        out.append(_Group(tag, condition, dims))
    return out


def _not_applicable(ind: Indicator) -> tuple[Formula, Formula]:
    """(the communes the indicator does not apply to, those it applies to)."""
    zones = sorted(ind.applies_to.zones)
    excluded = [leaf({"z": z}) for z in ZONES if z not in zones]
    other_areas = [a for a in AREAS if a not in ind.applies_to.areas]
    if other_areas and zones:
        # Alternatives that never overlap: durable_rules fires a rule once for every alternative a
        # fact meets, so the areas excluded count only within the zones the indicator applies to.
        area = _one_of("a", other_areas)
        excluded.append(conj(_one_of("z", zones), area) if len(zones) < len(ZONES) else area)
    applies = [_one_of("z", zones)] if len(zones) < len(ZONES) else []
    if len(ind.applies_to.areas) < len(AREAS):
        applies.append(_one_of("a", sorted(ind.applies_to.areas)))
    return disj(*excluded), conj(*applies)


Outcome = tuple[Status, int | None]


def first_rules(
    levels: Sequence[Tri], when_met: Callable[[int], Outcome], nothing: int | None = None
) -> list[tuple[str, Formula, Outcome]]:
    """Rules for 'the first level that holds': one per level, ``none``, and ``missing`` variants.

    A missing verdict records the first level that still holds after the unknown one (the least
    the facts guarantee), or ``nothing``.
    """
    out: list[tuple[str, Formula, Outcome]] = []
    n = len(levels)
    for k in range(n):
        out.append((f"level{k}", conj(*(x.f for x in levels[:k]), levels[k].t), when_met(k)))
    out.append(("none", conj(*(x.f for x in levels)), ("fail", nothing)))
    for j in range(n):
        head = [*(x.f for x in levels[:j]), levels[j].u]
        for m in range(j + 1, n):
            cond = conj(*head, *(x.not_t for x in levels[j + 1 : m]), levels[m].t)
            out.append((f"missing{j}-{m}", cond, ("missing", when_met(m)[1])))
        out.append((f"missing{j}", conj(*head, *(x.not_t for x in levels[j + 1 :])), ("missing", nothing)))
    return out


def _status(points: float, full: float) -> Status:
    return "pass" if points >= full - EPS else "partial" if points > EPS else "fail"


def _sum_rules(ind: Indicator, items: Sequence[Tri]) -> list[tuple[str, Formula, Outcome]]:
    out: list[tuple[str, Formula, Outcome]] = []
    n = len(items)
    for mask in range(1 << n):
        met = [k for k in range(n) if mask >> k & 1]
        rest = [k for k in range(n) if not mask >> k & 1]
        points = items_points(ind, mask)
        status = _status(points, ind.points)
        held = [items[k].t for k in met]
        if points >= ind.points - EPS:
            out.append((f"met{mask}", conj(*held, *(items[k].not_t for k in rest)), (status, mask)))
            continue
        out.append((f"met{mask}", conj(*held, *(items[k].f for k in rest)), (status, mask)))
        unknown = disj(*(items[k].u for k in rest))
        cond = conj(*held, *(items[k].not_t for k in rest), unknown)
        out.append((f"missing{mask}", cond, ("missing", mask)))
    return out


def _fields_of(reads: Sequence[str]) -> Callable[[str], str]:
    fields = {path: value_field(k) for k, path in enumerate(reads)}
    return fields.__getitem__


def _indicator_rules(ind: Indicator, regions: Sequence[str]) -> list[tuple[str, Formula, RuleMeta]]:
    out: list[tuple[str, Formula, RuleMeta]] = []
    na, applies = _not_applicable(ind)

    def add(suffix: str, cond: Formula, outcome: Outcome) -> None:
        pieces = split(cond)
        for k, piece in enumerate(pieces):
            name = f"{ind.id}#{suffix}" + (f".{k}" if len(pieces) > 1 else "")
            out.append((name, piece, RuleMeta(ind.id, outcome[0], outcome[1])))

    if not na.false:
        add("na", na, ("not_applicable", None))
    field_of = _fields_of(ind.reads)
    if ind.form == "compare":
        levels = [ind.threshold, *(b.threshold for b in ind.partial)]

        def met(k: int) -> Outcome:
            return ("pass", None) if k == 0 else ("partial", k - 1)

        add("missing", conj(applies, leaf({"$nex": {"v": 1}})), ("missing", None))
        for g in _groups(ind, regions, lambda d: repr([resolve(t, d)[0] for t in levels])):
            resolved = [resolve(t, g.dims)[0] for t in levels]
            if any(isinstance(t, Unknown) for t in resolved):
                tris = [compare_tri(ind.compare, t, "v", present=True) for t in resolved]
                present = leaf({"$ex": {"v": 1}})  # an absent value is the 'missing' rule's
                for name, cond, outcome in first_rules(tris, met):
                    add(f"{name}@{g.tag}", conj(g.condition, present, cond), outcome)
                continue
            op = ind.operator or ""
            add(f"pass@{g.tag}", conj(g.condition, leaf(meets(op, resolved[0]))), met(0))
            for k in range(1, len(resolved)):
                cond = conj(g.condition, leaf(meets(op, resolved[k])), leaf(fails(op, resolved[k - 1])))
                add(f"partial{k}@{g.tag}", cond, met(k))
            add(f"fail@{g.tag}", conj(g.condition, leaf(fails(op, resolved[-1]))), ("fail", None))
        return out
    conditions = [ind.condition] if ind.form == "condition" else [item.when for item in ind.items]

    def leaf_tri(c: Compare) -> Tri:
        """A comparison whose threshold may vary by dimension: its groups of cells, each with its threshold."""
        field = field_of(c.fact)
        t, f, u = [], [], [leaf({"$nex": {field: 1}})]
        for g in _groups(
            ind, regions, lambda d: repr(resolve(c.threshold, d)[0]), dimensions_of(c.threshold)
        ):
            one = compare_tri(c, resolve(c.threshold, g.dims)[0], field)
            t.append(conj(g.condition, one.t))
            f.append(conj(g.condition, one.f))
            u.append(conj(g.condition, one.u))
        return Tri(disj(*t), disj(*f), disj(*u))

    tris = [tri(cond, leaf_tri) for cond in conditions]
    rules: list[tuple[str, Formula, Outcome]]
    if ind.form == "condition":
        rules = [("pass", tris[0].t, ("pass", None)), ("fail", tris[0].f, ("fail", None))]
        rules.append(("missing", tris[0].u, ("missing", None)))
    elif ind.scoring == "sum":
        rules = _sum_rules(ind, tris)
    else:
        rules = first_rules(tris, lambda k: (_status(ind.items[k].points, ind.points), 1 << k), nothing=0)
    for name, cond, outcome in rules:
        add(name, conj(applies, cond), outcome)
    return out


def _zoning_rules(zoning: Zoning) -> list[tuple[str, Formula, RuleMeta]]:
    """The zoning rule: the first zone rule that holds; undetermined when an unknown one comes first."""
    field_of = _fields_of(zoning.reads)
    tris = [tri(r.when, lambda c: compare_tri(c, c.threshold, field_of(c.fact))) for r in zoning.rules]
    rules: list[tuple[str, Formula, Outcome]] = [
        (f"zone{k}", conj(*(x.f for x in tris[:k]), tris[k].t), ("pass", k)) for k in range(len(tris))
    ]
    rules.append(("none", conj(*(x.f for x in tris)), ("fail", None)))
    for j in range(len(tris)):
        rules.append((f"unknown{j}", conj(*(x.f for x in tris[:j]), tris[j].u), ("missing", j)))
    out = []
    for name, cond, o in rules:
        pieces = split(cond)
        for k, piece in enumerate(pieces):
            full = f"{ZONING}#{name}" + (f".{k}" if len(pieces) > 1 else "")
            out.append((full, piece, RuleMeta(ZONING, o[0], o[1])))
    return out


def _rule(subject: str, cond: Formula, action: str) -> dict[str, Any]:
    expr = conj(leaf({"i": subject}), cond).expr
    return {"all": [{"m": expr}], "cap": CAP, "run": action}


def fields_read(condition: Any) -> set[str]:
    """Every fact field a durable_rules condition tests (operators such as ``$and`` are walked)."""
    return fields_tested(condition)


def _readable(field: str) -> tuple[int, int]:
    fixed = ("z", "a", "r")
    return (fixed.index(field), 0) if field in fixed else (len(fixed), int(field[1:] or 0))


def fields_read_by_indicator(compiled: CompiledSet) -> dict[str, tuple[str, ...]]:
    """Per subject, the fact fields (``z``, ``a``, ``r``, ``v``, ``v1``, …) that any of its rules tests."""
    tested: dict[str, set[str]] = {i: set() for i in compiled.subjects}
    for name, rule in compiled.definition.items():
        into = tested.setdefault(compiled.meta[name].indicator, set())
        for alias in rule["all"]:
            into |= fields_read(next(iter(alias.values())))
    return {i: tuple(sorted((f for f in got if f != "i"), key=_readable)) for i, got in tested.items()}


def compile_set(cs: CriteriaSet, regions: Sequence[str] = ()) -> CompiledSet:
    """The durable_rules definition of ``cs``, named by the hash of its content.

    ``regions``: the region codes of the region table, for thresholds that vary by region.
    """
    definition: dict[str, Any] = {}
    meta: dict[str, RuleMeta] = {}
    reads: dict[str, tuple[str, ...]] = {}
    subjects: list[tuple[str, list[tuple[str, Formula, RuleMeta]]]] = [
        (ind.id, _indicator_rules(ind, regions)) for _, ind in cs.indicators()
    ]
    for _, ind in cs.indicators():
        reads[ind.id] = ind.reads
    if cs.zoning is not None:
        subjects.append((ZONING, _zoning_rules(cs.zoning)))
        reads[ZONING] = cs.zoning.reads
    for subject, rules in subjects:
        for name, cond, m in rules:
            definition[name] = _rule(subject, cond, name)
            meta[name] = m
    if len(definition) > MAX_RULES:
        counts: dict[str, int] = {}
        for m in meta.values():
            counts[m.indicator] = counts.get(m.indicator, 0) + 1
        worst = sorted(counts.items(), key=lambda kv: -kv[1])[:3]
        raise UserError.single(
            f"criteria set {cs.id}",
            f"compiles into {len(definition):,} durable_rules rules, more than a ruleset holds ({MAX_RULES:,})",
            "simplify the indicators with the most rules: " + ", ".join(f"{i} ({n:,})" for i, n in worst),
        )
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return CompiledSet(
        set_id=cs.id,
        name=f"{cs.id}-{digest[:16]}",
        digest=digest,
        definition=definition,
        meta=meta,
        indicators=tuple(i.id for _, i in cs.indicators()),
        reads=reads,
    )


__all__ = ["CAP", "FALSE", "ZONING", "CompiledSet", "RuleMeta", "compile_set", "fields_read_by_indicator"]
