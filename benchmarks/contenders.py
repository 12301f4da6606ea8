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

Only the product is part of commune-health; the others exist to be measured against it.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Sequence
from typing import Any

from engine.inputs.criteria import ZONES, CriteriaSet, Indicator
from engine.inputs.facts import CommuneFacts

Verdict = tuple[str, int | None]
Verdicts = list[dict[str, Verdict]]
_SECTIONS = ("staffing", "medicinal_garden", "facilities", "equipment", "services", "management")


def _levels(ind: Indicator, zone: int) -> list[Any]:
    return [ind.threshold_for(zone)] + [ind.band_threshold(b, zone) for b in ind.partial]


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


class Floor:
    """Plain Python: per indicator and zone, a precomputed list of levels, compared in order."""

    def __init__(self, cs: CriteriaSet) -> None:
        self.plan = []
        for _, ind in cs.indicators():
            section, name = ind.fact.split(".")
            by_zone = {
                z: [(_OPS[ind.operator], t) for t in _levels(ind, z)] if z in ind.applies_to.zones else None
                for z in ZONES
            }
            self.plan.append((ind.id, section, name, by_zone, frozenset(ind.applies_to.areas)))

    def verdicts(self, communes: Sequence[CommuneFacts]) -> Verdicts:
        out: Verdicts = []
        for c in communes:
            zone, area = c.commune.zone, c.commune.area
            got: dict[str, Verdict] = {}
            for ind_id, section, name, by_zone, areas in self.plan:
                levels = by_zone[zone]
                if levels is None or area not in areas:
                    got[ind_id] = ("not_applicable", None)
                    continue
                v = getattr(getattr(c, section), name)
                if v is None:
                    got[ind_id] = ("missing", None)
                    continue
                for k, (op, t) in enumerate(levels):
                    if op(v, t):
                        got[ind_id] = ("pass", None) if k == 0 else ("partial", k - 1)
                        break
                else:
                    got[ind_id] = ("fail", None)
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
    """The rows of one indicator's decision table, first hit wins: zone, area, value → verdict."""
    rows: list[dict[str, str]] = []

    def row(zone: str, area: str, value: str, verdict: str) -> None:
        rows.append({"_id": f"r{len(rows)}", "z": zone, "a": area, "v": value, "o": json.dumps(verdict)})

    for z in ZONES:
        if z not in ind.applies_to.zones:
            row(f"$ == {z}", "", "", "not_applicable")
    for a in ("urban", "rural"):
        if a not in ind.applies_to.areas:
            row("", f'$ == "{a}"', "", "not_applicable")
    row("", "", "$ == null", "missing")
    for z in ind.applies_to.zones:
        levels = _levels(ind, z)
        for n, t in enumerate(levels):
            row(f"$ == {z}", "", _unary(ind.operator, t), "pass" if n == 0 else f"partial:{n - 1}")
        row(f"$ == {z}", "", "", "fail")
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
        rows = _table_rows(ind)
        table = {
            "hitPolicy": "first",
            "inputs": [
                {"id": "z", "name": "zone", "field": "commune.zone"},
                {"id": "a", "name": "area", "field": "commune.area"},
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
    if text.startswith("partial:"):
        return ("partial", int(text.split(":")[1]))
    return (text, None)


def zen_context(c: CommuneFacts) -> dict[str, Any]:
    ctx: dict[str, Any] = {s: vars(getattr(c, s)) for s in _SECTIONS}
    ctx["commune"] = {"zone": c.commune.zone, "area": c.commune.area}
    return ctx


class Zen:
    """zen-engine: the generated graph, evaluated once per commune (or with ``evaluate_batch``)."""

    def __init__(self, cs: CriteriaSet, batch: bool = False) -> None:
        import zen

        self.ids = [ind.id for _, ind in cs.indicators()]
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
        return [{i: _zen_verdict(r[k]) for i, k in zip(self.ids, keys, strict=True)} for r in results]


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
        self.fields = [(f"f{k}", *ind.fact.split(".")) for k, (_, ind) in enumerate(cs.indicators())]
        self.sink: dict[str, dict[str, Verdict]] = {}
        k = 0
        for crit in cs.criteria:
            rules: dict[str, Any] = {}
            for ind in crit.indicators:
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
        for z in ind.applies_to.zones:
            base = [{"zone": z}, *area_cond]
            levels = _levels(ind, z)
            rules[f"{ind.id}-missing-z{z}"] = self._rule(
                {"$and": [*base, {"$nex": {f: 1}}]}, ind.id, ("missing", None)
            )
            rules[f"{ind.id}-pass-z{z}"] = self._rule(
                {"$and": [*base, _meets(ind.operator, f, levels[0])]}, ind.id, ("pass", None)
            )
            for n in range(1, len(levels)):
                cond = [*base, _meets(ind.operator, f, levels[n]), _fails(ind.operator, f, levels[n - 1])]
                rules[f"{ind.id}-partial{n}-z{z}"] = self._rule({"$and": cond}, ind.id, ("partial", n - 1))
            rules[f"{ind.id}-fail-z{z}"] = self._rule(
                {"$and": [*base, _fails(ind.operator, f, levels[-1])]}, ind.id, ("fail", None)
            )

    def _rule(self, cond: dict[str, Any], ind_id: str, verdict: Verdict) -> dict[str, Any]:
        def action(c: Any) -> None:
            self.sink[c.m.id][ind_id] = verdict

        return {"all": [{"m": cond}], "run": action}

    def verdicts(self, communes: Sequence[CommuneFacts]) -> Verdicts:
        self.sink = {}
        ids = []
        for k, c in enumerate(communes):
            fact: dict[str, Any] = {"id": str(k), "zone": c.commune.zone, "area": c.commune.area}
            for f, section, name in self.fields:
                v = getattr(getattr(c, section), name)
                if v is not None:
                    fact[f] = v
            self.sink[str(k)] = {}
            ids.append(str(k))
            for name in self.names:
                self.host.assert_fact(name, fact)
        for name in self.names:
            self.host.delete_state(name, "0")
        return [self.sink[i] for i in ids]
