"""The contenders of benchmarks/bench.py: the same thresholds, the same communes, one verdict each.

Each contender turns a list of :class:`~engine.inputs.facts.CommuneFacts` into, per commune, a mapping
indicator id → ``(status, band)`` (``band``: index of the partial-credit band, else None):

* ``product``: the product's own path, :meth:`engine.evaluation.evaluator.Evaluator.verdicts` (durable_rules);
* ``floor``: plain Python comparing each value with its zone's threshold: the floor;
* ``zen``: GoRules zen-engine evaluating a decision graph (JDM) generated from the criteria YAML,
  one decision table per indicator, once per commune (``zen-batch``: its ``evaluate_batch``);
* ``naive``: durable_rules used the straightforward way: a ``Host``, one fact per commune holding
  all its values, one rule per indicator, zone and outcome, one Python action per rule (none of
  the product's compiler design: no shared facts, no ``cap``, no grouping of zones). One ruleset
  holding all 47 indicators cannot run: a commune fact matches more alpha nodes at once than
  durable_rules' 64-entry stack holds (error 303, ERR_MAX_STACK_SIZE), so the straightforward
  workaround is one ruleset per criterion, and one ``assert_fact`` per commune and criterion.

Thresholds that vary by region (indicator 35) are read from the commune's region like the zone.
The contenders (c) and (d) generate tables and rules for indicators of one comparison; an indicator
over several facts (a condition, sub-items: one in national-2030) is read by the floor's plain
Python in them too, so that every contender still gives every verdict.

Only the product is part of commune-health; the others exist to be measured against it.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Sequence
from typing import Any

from engine.inputs.conditions import AREAS, ZONES, AllOf, AnyOf, Compare, Dims, NotOf, Unknown, resolve
from engine.inputs.criteria import CriteriaSet, Indicator
from engine.inputs.facts import CommuneFacts
from engine.inputs.loader import places

Verdict = tuple[str, int | None]
Verdicts = list[dict[str, Verdict]]
_SECTIONS = ("staffing", "medicinal_garden", "facilities", "equipment", "services", "management")


def _levels(ind: Indicator, where: Dims) -> list[Any]:
    """The thresholds of the levels at ``where`` (an ``Unknown`` where the region is not known)."""
    return [resolve(t, where)[0] for t in (ind.threshold, *(b.threshold for b in ind.partial))]


def dims_of(c: CommuneFacts) -> Dims:
    i = c.commune
    return Dims(i.zone, i.area, places().region_of(i.province, c.year, i.region))


def cells(ind: Indicator) -> list[Dims]:
    """The applicable combinations of the dimensions ``ind``'s thresholds vary by."""
    regions = places().table.codes if "region" in ind.dimensions else (None,)
    return [Dims(z, a, r) for z in ind.applies_to.zones for a in ind.applies_to.areas for r in regions]


# --- (b) the floor: plain Python ------------------------------------------------------------------

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "gte": operator.ge,
    "gt": operator.gt,
    "lte": operator.le,
    "lt": operator.lt,
    "eq": operator.eq,
    "in": lambda v, t: v in t,
    "is_true": lambda v, _: v is True,
    "is_false": lambda v, _: v is False,
}


def _truth(cond: Any, c: CommuneFacts, where: Dims) -> bool | None:
    """A condition in three values (None: unknown), plain Python."""
    if isinstance(cond, Compare):
        v, t = c.get(cond.fact), resolve(cond.threshold, where)[0]
        return None if v is None or isinstance(t, Unknown) else _OPS[cond.operator](v, t)
    if isinstance(cond, NotOf):
        inner = _truth(cond.not_, c, where)
        return None if inner is None else not inner
    values = [_truth(p, c, where) for p in (cond.all if isinstance(cond, AllOf) else cond.any)]
    if isinstance(cond, AllOf):
        return False if False in values else None if None in values else True
    assert isinstance(cond, AnyOf)
    return True if True in values else None if None in values else False


def python_verdict(ind: Indicator, c: CommuneFacts, where: Dims) -> Verdict:
    """The verdict of an indicator over several facts (a condition, sub-items), plain Python."""
    if where.zone not in ind.applies_to.zones or where.area not in ind.applies_to.areas:
        return ("not_applicable", None)
    if ind.condition is not None:
        v = _truth(ind.condition, c, where)
        return ("missing", None) if v is None else ("pass", None) if v else ("fail", None)
    values = [_truth(item.when, c, where) for item in ind.items]
    if ind.scoring == "first":
        for j, v in enumerate(values):
            if v is not False:
                if v:
                    return ("pass" if ind.items[j].points >= ind.points else "partial", 1 << j)
                after = next((m for m in range(j + 1, len(values)) if values[m]), None)
                return ("missing", 0 if after is None else 1 << after)
        return ("fail", 0)
    mask = sum(1 << k for k, v in enumerate(values) if v)
    held = sum(i.points for i, v in zip(ind.items, values, strict=True) if v)
    maybe = sum(i.points for i, v in zip(ind.items, values, strict=True) if v is None)
    lo, hi = min(ind.points, held), min(ind.points, held + maybe)
    if lo != hi:
        return ("missing", mask)
    return ("pass" if lo >= ind.points else "partial" if lo > 0 else "fail", mask)


class Floor:
    """Plain Python: per indicator and cell of dimensions, a precomputed list of levels, compared in order."""

    def __init__(self, cs: CriteriaSet) -> None:
        self.plan = []
        for _, ind in cs.indicators():
            if ind.form != "compare":
                self.plan.append((ind.id, ind, "", "", {}, frozenset()))
                continue
            section, name = (ind.fact or "").split(".")
            by_cell = {
                (w.zone, w.area, w.region): [(_OPS[ind.operator or ""], t) for t in _levels(ind, w)]
                for w in cells(ind)
            }
            self.plan.append((ind.id, ind, section, name, by_cell, frozenset(ind.dimensions)))

    def verdicts(self, communes: Sequence[CommuneFacts]) -> Verdicts:
        out: Verdicts = []
        for c in communes:
            where = dims_of(c)
            got: dict[str, Verdict] = {}
            for ind_id, ind, section, name, by_cell, dims in self.plan:
                if not section:
                    got[ind_id] = python_verdict(ind, c, where)
                    continue
                levels = by_cell.get((where.zone, where.area, where.region if "region" in dims else None))
                if levels is None:
                    got[ind_id] = ("not_applicable", None)
                    continue
                v = getattr(getattr(c, section), name)
                if v is None:
                    got[ind_id] = ("missing", None)
                    continue
                got[ind_id] = ("fail", None)
                for k, (op, t) in enumerate(levels):
                    if isinstance(t, Unknown):  # the region is not known: the threshold cannot be chosen
                        later = next(
                            (
                                j
                                for j in range(k + 1, len(levels))
                                if not isinstance(levels[j][1], Unknown) and levels[j][0](v, levels[j][1])
                            ),
                            None,
                        )
                        got[ind_id] = ("missing", None if later is None else later - 1)
                        break
                    if op(v, t):
                        got[ind_id] = ("pass", None) if k == 0 else ("partial", k - 1)
                        break
            out.append(got)
        return out


# --- (c) GoRules zen-engine: a decision graph generated from the YAML -----------------------------


def _unary(op: str, t: Any) -> str:
    """A zen unary test (``$`` is the cell's input) for ``value op t``."""
    if op in ("is_true", "is_false"):
        return "$ == true" if op == "is_true" else "$ == false"
    if op == "in":
        return " or ".join(f"$ == {json.dumps(c)}" for c in t)
    sym = {"gte": ">=", "gt": ">", "lte": "<=", "lt": "<", "eq": "=="}[op]
    return f"$ {sym} {json.dumps(t)}"


def _table_rows(ind: Indicator) -> list[dict[str, str]]:
    """The rows of one indicator's decision table, first hit wins: zone, area, region, value → verdict."""
    rows: list[dict[str, str]] = []

    def row(zone: str, area: str, region: str, value: str, verdict: str) -> None:
        rows.append(
            {"_id": f"r{len(rows)}", "z": zone, "a": area, "r": region, "v": value, "o": json.dumps(verdict)}
        )

    for z in ZONES:
        if z not in ind.applies_to.zones:
            row(f"$ == {z}", "", "", "", "not_applicable")
    for a in AREAS:
        if a not in ind.applies_to.areas:
            row("", f'$ == "{a}"', "", "", "not_applicable")
    row("", "", "", "$ == null", "missing")
    by_region = "region" in ind.dimensions
    for where in cells(ind):
        z, a = f"$ == {where.zone}", f'$ == "{where.area}"'
        r = ("$ == null" if where.region is None else f'$ == "{where.region}"') if by_region else ""
        levels = _levels(ind, where)
        for n, t in enumerate(levels):
            row(z, a, r, _unary(ind.operator or "", t), "pass" if n == 0 else f"partial:{n - 1}")
        row(z, a, r, "", "fail")
    if by_region:  # the region not known: the thresholds cannot be chosen
        for n, t in enumerate(_levels(ind, Dims(1, "rural", None))[1:], start=1):
            if not isinstance(t, Unknown):
                row("", "", "$ == null", _unary(ind.operator or "", t), f"missing:{n - 1}")
        row("", "", "$ == null", "", "missing")
    return rows


def jdm(cs: CriteriaSet) -> dict[str, Any]:
    """The criteria set as a JDM decision graph: input → one decision table per indicator → output.

    Each table (hit policy ``first``) reads the commune's zone, area and the indicator's fact and
    writes ``v<k>``: ``not_applicable``, ``missing``, ``pass``, ``partial:<band>`` or ``fail``.
    """
    nodes: list[dict[str, Any]] = [
        {"id": "in", "type": "inputNode", "name": "commune", "position": {"x": 0, "y": 0}},
        {"id": "out", "type": "outputNode", "name": "verdicts", "position": {"x": 600, "y": 0}},
    ]
    edges: list[dict[str, Any]] = []
    for k, (_, ind) in enumerate(cs.indicators()):
        if ind.form != "compare":
            continue  # read in Python (see the module docstring)
        rows = _table_rows(ind)
        table = {
            "hitPolicy": "first",
            "inputs": [
                {"id": "z", "name": "zone", "field": "commune.zone"},
                {"id": "a", "name": "area", "field": "commune.area"},
                {"id": "r", "name": "region", "field": "commune.region"},
                {"id": "v", "name": ind.fact, "field": ind.fact},
            ],
            "outputs": [{"id": "o", "name": ind.id, "field": f"v{k}"}],
            "rules": rows,
        }
        node_id = f"t{k}"
        nodes.append(
            {
                "id": node_id,
                "type": "decisionTableNode",
                "name": ind.id,
                "position": {"x": 300, "y": 60 * k},
                "content": table,
            }
        )
        edges.append({"id": f"e{k}i", "sourceId": "in", "targetId": node_id, "type": "edge"})
        edges.append({"id": f"e{k}o", "sourceId": node_id, "targetId": "out", "type": "edge"})
    return {"contentType": "application/vnd.gorules.decision", "nodes": nodes, "edges": edges}


def _zen_verdict(text: str) -> Verdict:
    if ":" in text:
        status, band = text.split(":")
        return (status, int(band))  # type: ignore[return-value]
    return (text, None)


def zen_context(c: CommuneFacts) -> dict[str, Any]:
    ctx: dict[str, Any] = {s: vars(getattr(c, s)) for s in _SECTIONS}
    ctx["commune"] = {"zone": c.commune.zone, "area": c.commune.area, "region": dims_of(c).region}
    return ctx


class Zen:
    """zen-engine: the generated graph, evaluated once per commune (or with ``evaluate_batch``)."""

    def __init__(self, cs: CriteriaSet, batch: bool = False) -> None:
        import zen

        self.ids = [ind.id for _, ind in cs.indicators()]
        self.in_python = [ind for _, ind in cs.indicators() if ind.form != "compare"]
        content = json.dumps(jdm(cs))
        self.engine = zen.ZenEngine({"loader": lambda key: content})
        self.decision = self.engine.create_decision(content)
        self.batch = batch

    def verdicts(self, communes: Sequence[CommuneFacts]) -> Verdicts:
        keys = [f"v{k}" for k in range(len(self.ids))]
        if self.batch:
            answers = self.engine.evaluate_batch(
                [{"key": "set", "context": zen_context(c)} for c in communes]
            )
            results = []
            for a in answers:
                if not a.get("success"):
                    raise RuntimeError(f"zen-engine failed: {a.get('error')}")
                results.append(a["data"]["result"])
        else:
            results = [self.decision.evaluate(zen_context(c))["result"] for c in communes]
        out = []
        for c, r in zip(communes, results, strict=True):
            where = dims_of(c)
            python = {ind.id: python_verdict(ind, c, where) for ind in self.in_python}
            out.append(
                {
                    i: python[i] if i in python else _zen_verdict(r[k])
                    for i, k in zip(self.ids, keys, strict=True)
                }
            )
        return out


# --- (d) durable_rules the straightforward way ----------------------------------------------------


def _meets(op: str, field: str, t: Any) -> dict[str, Any]:
    if op in ("is_true", "is_false"):
        return {field: op == "is_true"}
    if op == "eq":
        return {field: t}
    if op == "in":
        return {"$or": [{field: c} for c in t]} if len(t) > 1 else {field: t[0]}
    return {f"${op}": {field: t}}


def _fails(op: str, field: str, t: Any) -> dict[str, Any]:
    if op in ("is_true", "is_false"):
        return {field: op != "is_true"}
    if op == "eq":
        return {"$neq": {field: t}}
    if op == "in":
        return {"$and": [{"$neq": {field: c}} for c in t]} if len(t) > 1 else {"$neq": {field: t[0]}}
    return {f"${ {'gte': 'lt', 'gt': 'lte', 'lte': 'gt', 'lt': 'gte'}[op] }": {field: t}}


class Naive:
    """durable_rules as its documentation shows it: a Host, facts, rules with Python actions."""

    def __init__(self, cs: CriteriaSet) -> None:
        from durable import engine as durable_engine

        class Host(durable_engine.Host):
            def _run(self) -> None:  # no background timer threads (durable_rules is not thread-safe)
                pass

        self.host = Host()
        self.names: list[str] = []
        self.in_python = [ind for _, ind in cs.indicators() if ind.form != "compare"]
        self.all_ids = [ind.id for _, ind in cs.indicators()]
        self.fields = [
            (f"f{k}", *(ind.fact or "").split("."))
            for k, (_, ind) in enumerate(cs.indicators())
            if ind.form == "compare"
        ]
        self.sink: dict[str, dict[str, Verdict]] = {}
        k = 0
        for crit in cs.criteria:
            rules: dict[str, Any] = {}
            for ind in crit.indicators:
                if ind.form == "compare":
                    self._indicator(rules, ind, f"f{k}")
                k += 1
            self.names.append(f"naive-{cs.id}-{crit.id}-{id(self)}")
            self.host.set_rulesets({self.names[-1]: rules})

    def _indicator(self, rules: dict[str, Any], ind: Indicator, f: str) -> None:
        areas = [{"area": a} for a in ind.applies_to.areas]
        area_cond = [] if len(areas) == 2 else areas
        for z in ZONES:
            if z not in ind.applies_to.zones:
                rules[f"{ind.id}-na-z{z}"] = self._rule({"zone": z}, ind.id, ("not_applicable", None))
        for a in ("urban", "rural"):
            if a not in ind.applies_to.areas:
                rules[f"{ind.id}-na-{a}"] = self._rule({"area": a}, ind.id, ("not_applicable", None))
        zones = [{"zone": z} for z in ind.applies_to.zones]
        # Every rule tests the zone: a rule of absent fields only would match the session's state.
        base_missing = [zones[0] if len(zones) == 1 else {"$or": zones}, *area_cond]
        rules[f"{ind.id}-missing"] = self._rule(
            {"$and": [*base_missing, {"$nex": {f: 1}}]}, ind.id, ("missing", None)
        )
        by_region = "region" in ind.dimensions
        for n, where in enumerate(cells(ind)):
            base = [{"zone": where.zone}, {"area": where.area}]
            if by_region:
                base.append({"$nex": {"region": 1}} if where.region is None else {"region": where.region})
            levels = _levels(ind, where)
            if any(isinstance(t, Unknown) for t in levels):  # the region is not known: missing, band aside
                known = [(k, t) for k, t in enumerate(levels) if not isinstance(t, Unknown)]
                for j, (k, t) in enumerate(known):
                    cond = [
                        *base,
                        _meets(ind.operator or "", f, t),
                        *(_fails(ind.operator or "", f, t2) for _, t2 in known[:j]),
                    ]
                    rules[f"{ind.id}-unknown{k}-{n}"] = self._rule({"$and": cond}, ind.id, ("missing", k - 1))
                cond = [*base, {"$ex": {f: 1}}, *(_fails(ind.operator or "", f, t2) for _, t2 in known)]
                rules[f"{ind.id}-unknown-{n}"] = self._rule({"$and": cond}, ind.id, ("missing", None))
                continue
            rules[f"{ind.id}-pass-{n}"] = self._rule(
                {"$and": [*base, _meets(ind.operator or "", f, levels[0])]}, ind.id, ("pass", None)
            )
            for m in range(1, len(levels)):
                cond = [
                    *base,
                    _meets(ind.operator or "", f, levels[m]),
                    _fails(ind.operator or "", f, levels[m - 1]),
                ]
                rules[f"{ind.id}-partial{m}-{n}"] = self._rule({"$and": cond}, ind.id, ("partial", m - 1))
            rules[f"{ind.id}-fail-{n}"] = self._rule(
                {"$and": [*base, _fails(ind.operator or "", f, levels[-1])]}, ind.id, ("fail", None)
            )

    def _rule(self, cond: dict[str, Any], ind_id: str, verdict: Verdict) -> dict[str, Any]:
        def action(c: Any) -> None:
            self.sink[c.m.id][ind_id] = verdict

        return {"all": [{"m": cond}], "run": action}

    def verdicts(self, communes: Sequence[CommuneFacts]) -> Verdicts:
        self.sink = {}
        ids = []
        for k, c in enumerate(communes):
            where = dims_of(c)
            fact: dict[str, Any] = {"id": str(k), "zone": where.zone, "area": where.area}
            if where.region is not None:
                fact["region"] = where.region
            for f, section, name in self.fields:
                v = getattr(getattr(c, section), name)
                if v is not None:
                    fact[f] = v
            self.sink[str(k)] = {ind.id: python_verdict(ind, c, where) for ind in self.in_python}
            ids.append(str(k))
            for name in self.names:
                self.host.assert_fact(name, fact)
        for name in self.names:
            self.host.delete_state(name, "0")
        return [{i: self.sink[k][i] for i in self.all_ids} for k in ids]
