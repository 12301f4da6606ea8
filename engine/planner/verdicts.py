"""Verdicts for the planner's (indicator, zone, area, value) queries, decided by durable_rules.

Each query becomes the compiler's indicator fact (see :mod:`engine.evaluation.compiler`) and is asserted
through the evaluator's compiled ruleset, exactly as an evaluation would assert it; only the
distinct values a commune's options produce are asked, once each.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from engine.errors import EngineError
from engine.evaluation.evaluator import MAX_FACTS_PER_BATCH, Evaluator
from engine.evaluation.scoring import Verdict

Query = tuple[str, int, str, Any]  # (indicator id, zone, area, value or None)


def durable_verdicts(ev: Evaluator, queries: Sequence[Query]) -> list[Verdict]:
    """The verdict of each (indicator, zone, area, value), decided by the compiled durable_rules rules.

    Each query becomes the compiler's indicator fact; a fact's id and ``c`` are its position in its
    batch, which is what the rule host reports back for every rule that fired.
    """
    out: list[Verdict | None] = [None] * len(queries)
    for start in range(0, len(queries), MAX_FACTS_PER_BATCH):
        chunk = queries[start : start + MAX_FACTS_PER_BATCH]
        facts: list[dict[str, Any]] = []
        for j, (ind, zone, area, value) in enumerate(chunk):
            fact: dict[str, Any] = {"id": str(j), "i": ind, "c": j, "z": zone, "a": area}
            if value is not None:
                fact["v"] = value
            facts.append(fact)
        for rule, positions in ev.host.run_batch(ev.compiled, facts):
            m = ev.compiled.meta[rule]
            for j in positions:
                k = start + j
                if out[k] is not None or m.indicator != queries[k][0]:
                    raise EngineError(f"query {queries[k]} received a second or foreign verdict ({rule})")
                out[k] = (m.status, m.band)
    if any(v is None for v in out):
        raise EngineError("a planner query received no verdict from durable_rules")
    return out  # type: ignore[return-value]
