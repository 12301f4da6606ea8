"""The contenders of the whole evaluation: facts in memory in, each commune scored and judged out.

Every contender does the same work as ``Evaluator.evaluate``: a verdict per indicator, its points,
each criterion's score against its floor, the total, the knockouts, whether the commune qualifies,
and a record per indicator (id, status, points, observed value). They differ in who does it:

* ``Product``: the product, :meth:`engine.evaluation.evaluator.Evaluator.evaluate` (durable_rules
  decides the verdicts, then the scoring of engine/evaluation/scoring.py with every message and
  remediation of the results);
* ``Floor``: plain Python, the verdicts of :class:`benchmarks.contenders.Floor` then :class:`Scorer`;
* ``Zen``: a zen-engine graph that also scores: each indicator's decision table writes its verdict
  and its points, and an expression node adds the points by criterion, sets the total against the
  thresholds and the knockouts and writes ``qualified``; indicators over several facts (read in
  Python, see benchmarks/contenders.py) come in with the commune as verdicts and points;
* ``Naive``: durable_rules the straightforward way (:class:`benchmarks.contenders.Naive`), then
  :class:`Scorer`.

Each one returns, per commune, ``(total, qualified, criterion scores)``, which must be the
product's before it is timed (:func:`summary`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from operator import attrgetter
from typing import Any

from benchmarks import contenders
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.outcomes import points_for
from engine.evaluation.results import CommuneResult
from engine.inputs.criteria import CriteriaSet
from engine.inputs.facts import CommuneFacts

Summary = tuple[float, bool, tuple[float, ...]]  # total, qualified, criterion scores
EPS = 1e-9


def summary(total: float, qualified: bool, scores: Sequence[float]) -> Summary:
    return (float(round(total, 6)), bool(qualified), tuple(float(round(s, 6)) for s in scores))


def of_results(results: Sequence[CommuneResult]) -> list[Summary]:
    return [summary(r.total_score, r.qualified, [c.score for c in r.criteria]) for r in results]


class Product:
    def __init__(self, cs: CriteriaSet) -> None:
        self.ev = Evaluator(cs)

    def evaluate(self, communes: Sequence[CommuneFacts]) -> list[Summary]:
        return of_results(self.ev.evaluate(communes))


class Scorer:
    """Plain Python scoring of verdicts: points, criterion floors, total, knockouts, records."""

    def __init__(self, cs: CriteriaSet) -> None:
        rule = cs.recognition
        self.min_total = rule.min_total
        self.knockouts = rule.knockouts_must_pass
        self.points: dict[tuple[str, Any], float] = {}
        self.criteria = []
        for crit in cs.criteria:
            inds = []
            for ind in crit.indicators:
                read = attrgetter(*ind.reads) if ind.reads else (lambda _: None)
                inds.append((ind.id, ind, read, ind.knockout))
            self.criteria.append((crit.max_points * rule.min_criterion_share, inds))
        self.cs = cs

    def score(self, c: CommuneFacts, verdicts: dict[str, Any]) -> tuple[Summary, list[tuple[Any, ...]]]:
        records: list[tuple[Any, ...]] = []
        scores: list[float] = []
        floors_met = knockouts_pass = True
        for minimum, inds in self.criteria:
            crit_score = 0.0
            for ind_id, ind, read, knockout in inds:
                verdict = verdicts[ind_id]
                points = self.points.get((ind_id, verdict))
                if points is None:
                    points = self.points[ind_id, verdict] = points_for(self.cs, ind, verdict)
                crit_score += points
                records.append((ind_id, verdict[0], points, read(c)))
                if knockout and verdict[0] in ("fail", "missing"):
                    knockouts_pass = False
            scores.append(crit_score)
            floors_met = floors_met and crit_score + EPS >= minimum
        total = round(sum(scores), 6)
        ok = total + EPS >= self.min_total and floors_met and (knockouts_pass or not self.knockouts)
        return summary(total, ok, scores), records


class Floor:
    def __init__(self, cs: CriteriaSet) -> None:
        self.verdicts = contenders.Floor(cs).verdicts
        self.scorer = Scorer(cs)

    def evaluate(self, communes: Sequence[CommuneFacts]) -> list[Summary]:
        score = self.scorer.score
        return [score(c, v)[0] for c, v in zip(communes, self.verdicts(communes), strict=True)]


class Naive(Floor):
    def __init__(self, cs: CriteriaSet) -> None:
        self.verdicts = contenders.Naive(cs).verdicts
        self.scorer = Scorer(cs)


def _points_row(cs: CriteriaSet, ind: Any, row: dict[str, str]) -> dict[str, str]:
    """A decision-table row that also writes the points its verdict earns."""
    text = json.loads(row["o"])
    status, _, band = text.partition(":")
    verdict = (status, int(band) if band else None)
    return {**row, "p": json.dumps(points_for(cs, ind, verdict))}  # type: ignore[arg-type]


def scoring_graph(cs: CriteriaSet) -> dict[str, Any]:
    """:func:`benchmarks.contenders.jdm` with points in every table and an expression node that
    scores: ``c<criterion>`` (its points), ``total`` and ``qualified``."""
    graph = contenders.jdm(cs)
    tables = {n["name"]: n for n in graph["nodes"] if n["type"] == "decisionTableNode"}
    terms, crit_exprs, floors, knockouts = [], [], [], []
    k = 0
    rule = cs.recognition
    for crit in cs.criteria:
        parts = []
        for ind in crit.indicators:
            table = tables.get(ind.id)
            if table is not None:
                content = table["content"]
                content["outputs"].append({"id": "p", "name": "points", "field": f"p{k}"})
                content["rules"] = [_points_row(cs, ind, r) for r in content["rules"]]
            parts.append(f"p{k}")
            if ind.knockout and rule.knockouts_must_pass:
                knockouts.append(f"v{k} != 'fail' and not startsWith(v{k}, 'missing')")
            k += 1
        crit_exprs.append((crit.id, " + ".join(parts)))
        floors.append(f"({' + '.join(parts)}) + {EPS} >= {crit.max_points * rule.min_criterion_share}")
        terms.extend(parts)
    total = " + ".join(terms)
    expressions = [{"id": f"x{c}", "key": f"c{c}", "value": e} for c, e in crit_exprs]
    expressions.append({"id": "xt", "key": "total", "value": total})
    decide = [f"({total}) + {EPS} >= {rule.min_total}", *floors, *knockouts]
    expressions.append({"id": "xq", "key": "qualified", "value": " and ".join(f"({x})" for x in decide)})
    node = {
        "id": "score",
        "type": "expressionNode",
        "name": "score",
        "position": {"x": 450, "y": 0},
        "content": {"expressions": expressions},
    }
    graph["nodes"].append(node)
    graph["edges"].append({"id": "e-in-score", "sourceId": "in", "targetId": "score", "type": "edge"})
    for name, table in tables.items():
        graph["edges"].append(
            {"id": f"e-{name}-score", "sourceId": table["id"], "targetId": "score", "type": "edge"}
        )
    graph["edges"].append({"id": "e-score-out", "sourceId": "score", "targetId": "out", "type": "edge"})
    return graph


class Zen:
    """zen-engine scoring too: per commune, the graph of :func:`scoring_graph`."""

    def __init__(self, cs: CriteriaSet) -> None:
        import zen

        self.cs = cs
        self.scorer = Scorer(cs)
        self.criteria = [c.id for c in cs.criteria]
        self.indicators = [ind for _, ind in cs.indicators()]
        self.in_python = [(k, ind) for k, ind in enumerate(self.indicators) if ind.form != "compare"]
        content = json.dumps(scoring_graph(cs))
        self.decision = zen.ZenEngine({"loader": lambda key: content}).create_decision(content)
        self.records: list[tuple[Any, ...]] = []

    def evaluate(self, communes: Sequence[CommuneFacts]) -> list[Summary]:
        out: list[Summary] = []
        for c in communes:
            ctx = contenders.zen_context(c)
            where = contenders.dims_of(c)
            for k, ind in self.in_python:  # the indicators over several facts, read in Python
                verdict = contenders.python_verdict(ind, c, where)
                ctx[f"v{k}"] = verdict[0]
                ctx[f"p{k}"] = points_for(self.cs, ind, verdict)  # type: ignore[arg-type]
            r = self.decision.evaluate(ctx)["result"]
            # The record per indicator, from what the graph wrote (as every contender builds it).
            self.records = [
                (
                    ind.id,
                    r.get(f"v{k}", ctx.get(f"v{k}")),
                    r.get(f"p{k}", ctx.get(f"p{k}")),
                    c.get(ind.primary_fact),
                )
                for k, ind in enumerate(self.indicators)
            ]
            out.append(summary(r["total"], r["qualified"], [r[f"c{x}"] for x in self.criteria]))
        return out
