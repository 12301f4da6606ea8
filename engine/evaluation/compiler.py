"""Compiling a criteria set into a durable_rules ruleset definition (plain JSON, no durable import).

Design. Each commune contributes one small fact per indicator::

    {"id": "<k>:<indicator>", "i": "<indicator>", "c": k, "z": zone, "a": area, "v": value}

where ``v`` is left out when the commune's fact is absent. For every indicator the compiler emits
rules whose conditions partition all such facts — exactly one rule matches each fact:

* ``pass``: ``v`` meets the threshold of the commune's zone;
* ``partial`` (one rule per band): ``v`` meets the band but not the stricter level above it;
* ``fail``: ``v`` meets neither the threshold nor any band;
* ``missing``: ``v`` is absent;
* ``na``: the commune's zone or area is outside the indicator's ``applies_to``.

Zones sharing the same thresholds share rules. Every rule carries ``cap`` so that durable_rules
hands its action all matching facts of a batch at once: one Python call per rule and batch instead
of one per commune and indicator. Every condition starts with the indicator id, an equality that
durable_rules' network hashes on, and never matches the session's state document.

:func:`fields_read_by_indicator` lists, per indicator, the fact fields (``z``, ``a``, ``v``) its rules test,
found by walking the compiled conditions themselves. Two communes whose facts agree on those
fields reach the same rule, so the evaluator asserts each distinct fact once and lets its verdict
stand for every commune that has it (see :mod:`engine.evaluation.evaluator`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from engine.inputs.criteria import ZONES, CriteriaSet, Indicator, Status

# Frames handed to one action call at most. Large enough to take a whole batch in one call.
CAP = 100_000

_NEGATE = {"gte": "lt", "gt": "lte", "lte": "gt", "lt": "gte"}


@dataclass(frozen=True)
class RuleMeta:
    """What a rule's firing means: this verdict for this indicator."""

    indicator: str
    status: Status
    band: int | None  # index into Indicator.partial for status 'partial'
    zones: tuple[int, ...]


@dataclass(frozen=True)
class CompiledSet:
    set_id: str
    name: str  # ruleset name: set id + content hash of the definition
    digest: str
    definition: dict[str, Any]
    meta: dict[str, RuleMeta]
    indicators: tuple[str, ...]


def _meets(op: str, threshold: Any) -> dict[str, Any]:
    """durable_rules condition on ``v`` that is true when the value meets ``op threshold``."""
    if op in _NEGATE:
        return {f"${op}": {"v": threshold}}
    if op == "eq":
        return {"v": threshold}
    if op == "in":
        return {"$or": [{"v": c} for c in threshold]} if len(threshold) > 1 else {"v": threshold[0]}
    if op == "is_true":
        return {"v": True}
    if op == "is_false":
        return {"v": False}
    raise ValueError(f"unknown operator {op}")


def _fails(op: str, threshold: Any) -> dict[str, Any]:
    """The exact complement of :func:`_meets` over present values of the right type."""
    if op in _NEGATE:
        return {f"${_NEGATE[op]}": {"v": threshold}}
    if op == "eq":
        return {"$neq": {"v": threshold}}
    if op == "in":
        parts = [{"$neq": {"v": c}} for c in threshold]
        return {"$and": parts} if len(parts) > 1 else parts[0]
    if op == "is_true":
        return {"v": False}
    if op == "is_false":
        return {"v": True}
    raise ValueError(f"unknown operator {op}")


def _one_of(field: str, values: list[Any]) -> dict[str, Any]:
    return {field: values[0]} if len(values) == 1 else {"$or": [{field: v} for v in values]}


def _zone_groups(ind: Indicator) -> dict[tuple[Any, ...], list[int]]:
    """Applicable zones grouped by identical (threshold, band thresholds)."""
    groups: dict[tuple[Any, ...], list[int]] = {}
    for z in ind.applies_to.zones:
        t = ind.threshold_for(z)
        key = (json.dumps(t), *(ind.band_threshold(b, z) for b in ind.partial))
        groups.setdefault(key, []).append(z)
    return groups


def _rule(conds: list[dict[str, Any]], action: str) -> dict[str, Any]:
    return {"all": [{"m": {"$and": conds}}], "cap": CAP, "run": action}


def _indicator_rules(ind: Indicator) -> list[tuple[str, dict[str, Any], RuleMeta]]:
    out: list[tuple[str, dict[str, Any], RuleMeta]] = []
    head: list[dict[str, Any]] = [{"i": ind.id}]
    applies_zones = sorted(ind.applies_to.zones)
    applies_areas = sorted(ind.applies_to.areas)
    area_cond = [] if len(applies_areas) == 2 else [_one_of("a", applies_areas)]

    def add(
        suffix: str, conds: list[dict[str, Any]], status: Status, band: int | None, zones: list[int]
    ) -> None:
        name = f"{ind.id}#{suffix}"
        out.append((name, _rule(head + conds, name), RuleMeta(ind.id, status, band, tuple(zones))))

    excluded_zones = [z for z in ZONES if z not in applies_zones]
    excluded_areas = [a for a in ("rural", "urban") if a not in applies_areas]
    if excluded_zones or excluded_areas:
        # Alternatives that never overlap: durable_rules fires a rule once for every alternative a
        # fact matches, so a commune outside both the zones and the areas got two verdicts.
        alternatives: list[dict[str, Any]] = [{"z": z} for z in excluded_zones]
        if excluded_areas and applies_zones:
            area = _one_of("a", excluded_areas)
            alternatives.append({"$and": [_one_of("z", applies_zones), area]} if excluded_zones else area)
        cond = alternatives[0] if len(alternatives) == 1 else {"$or": alternatives}
        add("na", [cond], "not_applicable", None, excluded_zones)

    zone_all = len(applies_zones) == 3
    add(
        "missing",
        ([] if zone_all else [_one_of("z", applies_zones)]) + area_cond + [{"$nex": {"v": 1}}],
        "missing",
        None,
        applies_zones,
    )
    for zones in _zone_groups(ind).values():
        zc = [] if len(zones) == 3 else [_one_of("z", zones)]
        tag = "z" + "".join(map(str, zones))
        levels = [ind.threshold_for(zones[0])] + [ind.band_threshold(b, zones[0]) for b in ind.partial]
        add(f"pass@{tag}", zc + area_cond + [_meets(ind.operator, levels[0])], "pass", None, zones)
        for k in range(1, len(levels)):
            add(
                f"partial{k}@{tag}",
                zc + area_cond + [_meets(ind.operator, levels[k]), _fails(ind.operator, levels[k - 1])],
                "partial",
                k - 1,
                zones,
            )
        add(f"fail@{tag}", zc + area_cond + [_fails(ind.operator, levels[-1])], "fail", None, zones)
    return out


READABLE = ("z", "a", "v")


def fields_read(condition: Any) -> set[str]:
    """Every fact field a durable_rules condition tests (operators such as ``$and`` are walked)."""
    out: set[str] = set()
    if isinstance(condition, dict):
        for key, value in condition.items():
            if key.startswith("$"):
                out |= fields_read(value)
            else:
                out.add(key)
    elif isinstance(condition, list):
        for item in condition:
            out |= fields_read(item)
    return out


def fields_read_by_indicator(compiled: CompiledSet) -> dict[str, tuple[str, ...]]:
    """Per indicator, the fact fields (among ``z``, ``a``, ``v``) that any of its rules tests."""
    tested: dict[str, set[str]] = {i: set() for i in compiled.indicators}
    for name, rule in compiled.definition.items():
        into = tested.setdefault(compiled.meta[name].indicator, set())
        for alias in rule["all"]:
            into |= fields_read(next(iter(alias.values())))
    return {i: tuple(f for f in READABLE if f in got) for i, got in tested.items()}


def compile_set(cs: CriteriaSet) -> CompiledSet:
    """The durable_rules definition of ``cs``, named by the hash of its content."""
    definition: dict[str, Any] = {}
    meta: dict[str, RuleMeta] = {}
    for _, ind in cs.indicators():
        for name, rule, m in _indicator_rules(ind):
            definition[name] = rule
            meta[name] = m
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return CompiledSet(
        set_id=cs.id,
        name=f"{cs.id}-{digest[:16]}",
        digest=digest,
        definition=definition,
        meta=meta,
        indicators=tuple(i.id for _, i in cs.indicators()),
    )
