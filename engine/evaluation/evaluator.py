"""Evaluation: commune facts in, one verdict per indicator from durable_rules, scored results out."""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter, itemgetter
from typing import Any

from engine.errors import EngineError
from engine.evaluation.compiler import CompiledSet, compile_set, fields_read_by_indicator
from engine.evaluation.inference import RuleHost
from engine.evaluation.results import CommuneResult, SetRef
from engine.evaluation.scoring import ScoreCache, Verdict, score
from engine.inputs.criteria import CriteriaSet
from engine.inputs.facts import CommuneFacts

# Distinct indicator facts asserted in one durable_rules session. Not a correctness limit (facts are
# identified so that their hashes never clash, see engine.evaluation.inference): a session indexes its facts in
# 512 hash chains, so the cost per fact grows with the session while the cost per call shrinks;
# this size is the fastest measured by benchmarks/bench.py.
MAX_FACTS_PER_BATCH = 4_000

# A planner's question: (indicator id, zone, area, value or None for an absent fact).
Query = tuple[str, int, str, Any]


class Evaluator:
    """Evaluates communes against one criteria set, compiled once into a durable_rules ruleset."""

    def __init__(self, criteria_set: CriteriaSet, host: RuleHost | None = None) -> None:
        self.criteria_set = criteria_set
        self._score_cache = ScoreCache(criteria_set)
        self.compiled: CompiledSet = compile_set(criteria_set)
        self.host = host or RuleHost.shared()
        self.host.ensure(self.compiled)
        self._facts_paths = [(i.id, i.fact) for _, i in criteria_set.indicators()]
        self._paths = [(i, *path.split(".", 1)) for i, path in self._facts_paths]
        self._fields_for = ""
        self._fields_cache: dict[str, tuple[str, ...]] = {}
        self.set_ref = SetRef(
            id=criteria_set.id,
            decision=criteria_set.decision.number,
            hash=self.compiled.digest[:16],
            draft_indicators=criteria_set.draft_count,
            total_indicators=len(self._facts_paths),
        )

    def _fields(self) -> dict[str, tuple[str, ...]]:
        """Per indicator, the fact fields its compiled rules test (recomputed if ``compiled`` changes)."""
        if self._fields_for != self.compiled.name:
            self._fields_cache = fields_read_by_indicator(self.compiled)
            self._fields_for = self.compiled.name
        return self._fields_cache

    def distinct_facts(
        self, communes: Sequence[CommuneFacts]
    ) -> tuple[list[dict[str, Any]], list[list[int]]]:
        """The distinct indicator facts of ``communes``, and for each indicator which one each commune has.

        A fact holds only the fields the indicator's rules test (``z`` zone, ``a`` area, ``v``
        value, left out when the commune's value is absent), so communes alike on those fields share
        one fact, asserted once: its verdict is the verdict of every commune that has it.
        """
        fields = self._fields()
        zones = [c.commune.zone for c in communes]
        areas = [c.commune.area for c in communes]
        # Field values straight from each section's __dict__: 3x faster than attribute access.
        wanted = {s for _, s, _ in self._paths}
        sections = {s: [vars(x) for x in map(attrgetter(s), communes)] for s in wanted}
        facts: list[dict[str, Any]] = []
        columns: list[list[int]] = []
        for ind_id, section, name in self._paths:
            use_z, use_a = "z" in fields[ind_id], "a" in fields[ind_id]
            values: list[Any] = list(map(itemgetter(name), sections[section]))
            if len(set(map(type, values))) > 1:  # never with validated facts; True == 1 in a dict
                values = list(zip(map(type, values), values, strict=True))
            parts = ([zones] if use_z else []) + ([areas] if use_a else [])
            keys = zip(*parts, values, strict=True) if parts else values
            seen: dict[Any, int] = {}
            offset = len(facts)
            columns.append([offset + seen.setdefault(key, len(seen)) for key in keys])
            for key in seen:
                fact: dict[str, Any] = {"i": ind_id}
                if use_z:
                    fact["z"] = key[0]
                if use_a:
                    fact["a"] = key[1 if use_z else 0]
                v = key[-1] if parts else key
                v = v[1] if isinstance(v, tuple) else v
                if v is not None:
                    fact["v"] = v
                facts.append(fact)
        return facts, columns

    def _decide(self, facts: Sequence[dict[str, Any]]) -> list[Verdict | None]:
        """The verdict durable_rules gives each indicator fact (``None`` where no rule fired).

        Facts go in batches of ``MAX_FACTS_PER_BATCH``; the host reports, per rule that fired, the
        positions of the facts it matched. A fact matched twice, or by another indicator's rule, is
        an engine error.
        """
        decided: list[Verdict | None] = [None] * len(facts)
        meta = self.compiled.meta
        for start in range(0, len(facts), MAX_FACTS_PER_BATCH):
            batch = facts[start : start + MAX_FACTS_PER_BATCH]
            for rule_name, positions in self.host.run_batch(self.compiled, batch):
                m = meta[rule_name]
                for p in positions:
                    j = start + p
                    if decided[j] is not None or facts[j]["i"] != m.indicator:
                        raise EngineError(
                            f"indicator {facts[j]['i']} received two verdicts for fact {facts[j]} "
                            f"({decided[j]} and {m.status} from {rule_name})"
                        )
                    decided[j] = (m.status, m.band)
        return decided

    def verdicts(self, communes: Sequence[CommuneFacts]) -> list[dict[str, Verdict]]:
        """One verdict per indicator per commune, each decided by a durable_rules rule."""
        if not communes:
            return []
        facts, columns = self.distinct_facts(communes)
        decided = self._decide(facts)
        undecided = {j for j, v in enumerate(decided) if v is None}
        if undecided:
            k, j = next((k, x) for col in columns for k, x in enumerate(col) if x in undecided)
            raise EngineError(
                f"commune {communes[k].commune.code}: indicator {facts[j]['i']} and "
                f"{len(undecided) - 1} other fact(s) received no verdict from durable_rules"
            )
        ids = [ind_id for ind_id, _, _ in self._paths]
        if len(communes) == 1:
            return [{i: decided[column[0]] for i, column in zip(ids, columns, strict=True)}]  # type: ignore[misc]
        rows = zip(*(itemgetter(*column)(decided) for column in columns), strict=True)
        return [dict(zip(ids, row, strict=True)) for row in rows]

    def verdicts_for(self, queries: Sequence[Query]) -> list[Verdict]:
        """The verdict of each (indicator id, zone, area, value) query, decided by durable_rules.

        For the planner, which asks about values a commune's options would produce: each query
        becomes the same indicator fact an evaluation asserts, so its verdict is the one an
        evaluation of a commune with that value would get. ``value`` ``None`` means the fact is absent.
        """
        facts: list[dict[str, Any]] = []
        for ind, zone, area, value in queries:
            fact: dict[str, Any] = {"i": ind, "z": zone, "a": area}
            if value is not None:
                fact["v"] = value
            facts.append(fact)
        decided = self._decide(facts)
        if any(v is None for v in decided):
            q = next(q for q, v in zip(queries, decided, strict=True) if v is None)
            raise EngineError(f"query {q} received no verdict from durable_rules")
        return decided  # type: ignore[return-value]

    def evaluate(
        self,
        communes: Sequence[CommuneFacts],
        sources: Sequence[str | None] | None = None,
        waived: Sequence[frozenset[str]] | None = None,
    ) -> list[CommuneResult]:
        """``waived[k]``: ids of the indicators waived for commune k (see engine/waivers.py)."""
        sources = sources or [None] * len(communes)
        waived = waived or [frozenset()] * len(communes)
        return [
            score(
                self.criteria_set,
                self.set_ref,
                facts,
                verdicts,
                source_file=src,
                waived=w,
                cache=self._score_cache,
            )
            for facts, verdicts, src, w in zip(
                communes, self.verdicts(communes), sources, waived, strict=True
            )
        ]

    def evaluate_one(self, facts: CommuneFacts, source: str | None = None) -> CommuneResult:
        return self.evaluate([facts], [source])[0]
