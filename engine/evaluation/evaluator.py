"""Evaluation: commune facts in, one verdict per indicator from durable_rules, scored results out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import attrgetter, itemgetter
from typing import Any

from engine.errors import EngineError
from engine.evaluation.compiler import ZONING, CompiledSet, compile_set, fields_read_by_indicator, value_field
from engine.evaluation.inference import RuleHost
from engine.evaluation.results import CommuneResult, SetRef, ZoneCheck
from engine.evaluation.scoring import ScoreCache, Verdict, score
from engine.evaluation.zoning import zone_check
from engine.inputs.conditions import Dims
from engine.inputs.criteria import CriteriaSet
from engine.inputs.facts import CommuneFacts
from engine.inputs.loader import places as shipped_places
from engine.inputs.regions import Places

# Distinct indicator facts asserted in one durable_rules session. Not a correctness limit (facts are
# identified so that their hashes never clash, see engine.evaluation.inference): a session indexes its facts in
# 512 hash chains, so the cost per fact grows with the session while the cost per call shrinks;
# this size is the fastest measured by benchmarks/bench.py.
MAX_FACTS_PER_BATCH = 4_000

# A planner's question: (indicator id, the commune's dimensions, the values of the facts the
# indicator reads, in ``Evaluator.reads(indicator)`` order; None for an absent fact).
Query = tuple[str, Dims, tuple[Any, ...]]

_DIMS = {"z": 0, "a": 1, "r": 2}


def set_reference(cs: CriteriaSet, compiled: CompiledSet | None = None) -> SetRef:
    """How results name the set they were evaluated against (its hash: of its compiled rules)."""
    digest = (compiled or compile_set(cs, shipped_places().table.codes)).digest
    return SetRef(
        id=cs.id,
        decision=cs.decision.number,
        hash=digest[:16],
        draft_indicators=cs.draft_count,
        total_indicators=len(cs.indicators()),
    )


class Evaluator:
    """Evaluates communes against one criteria set, compiled once into a durable_rules ruleset."""

    def __init__(
        self, criteria_set: CriteriaSet, host: RuleHost | None = None, places: Places | None = None
    ) -> None:
        self.criteria_set = criteria_set
        self.places = places or shipped_places()
        self._score_cache = ScoreCache(criteria_set)
        self.compiled: CompiledSet = compile_set(criteria_set, self.places.table.codes)
        self.host = host or RuleHost.shared()
        self.host.ensure(self.compiled)
        self._ids = [i.id for _, i in criteria_set.indicators()]
        self._zone_memo: dict[Any, Any] = {}  # identical zone checks shared (a few dozen at most)
        self._fields_for = ""
        self._fields_cache: dict[str, tuple[str, ...]] = {}
        self.set_ref = set_reference(criteria_set, self.compiled)

    def reads(self, subject: str) -> tuple[str, ...]:
        """The facts an indicator (or the zoning rule) reads, in the order of its fact fields."""
        return self.compiled.reads[subject]

    def _fields(self) -> dict[str, tuple[str, ...]]:
        """Per subject, the fact fields its compiled rules test (recomputed if ``compiled`` changes)."""
        if self._fields_for != self.compiled.name:
            self._fields_cache = fields_read_by_indicator(self.compiled)
            self._fields_for = self.compiled.name
        return self._fields_cache

    def dims(self, facts: CommuneFacts) -> Dims:
        """Where the commune stands on every dimension (its region from its province, or stated)."""
        c = facts.commune
        return Dims(c.zone, c.area, self.places.region_of(c.province, facts.year, c.region))

    def distinct_facts(
        self, communes: Sequence[CommuneFacts], subjects: Sequence[str] | None = None
    ) -> tuple[list[dict[str, Any]], list[list[int]]]:
        """The distinct facts of ``communes``, and for each subject which one each commune has.

        Subjects are the indicators in order, then the zoning rule when the set has one (or those
        named in ``subjects``). A fact
        holds only the fields the subject's rules test (``z`` zone, ``a`` area, ``r`` region, ``v``,
        ``v1``, … the values it reads, each left out when absent), so communes alike on those
        fields share one fact, asserted once: its verdict is the verdict of every commune that has it.
        """
        fields = self._fields()
        dims = [self.dims(c) for c in communes]
        dim_columns = {f: [d[k] for d in dims] for f, k in _DIMS.items()}
        # Field values straight from each section's __dict__: 3x faster than attribute access.
        subjects = self.compiled.subjects if subjects is None else subjects
        paths = {p for s in subjects for p in self.compiled.reads[s]}
        sections = {
            s: [vars(x) for x in map(attrgetter(s), communes)] for s in {p.split(".")[0] for p in paths}
        }
        values: dict[str, list[Any]] = {}
        for path in paths:
            section, name = path.split(".", 1)
            column: list[Any] = list(map(itemgetter(name), sections[section]))
            if len(set(map(type, column))) > 1:  # never with validated facts; True == 1 in a dict
                column = list(zip(map(type, column), column, strict=True))
            values[path] = column
        facts: list[dict[str, Any]] = []
        columns: list[list[int]] = []
        for subject in subjects:
            wanted = fields[subject]
            reads = self.compiled.reads[subject]
            parts = [dim_columns[f] if f in _DIMS else values[reads[_index(f)]] for f in wanted]
            keys: Any = zip(*parts, strict=True) if len(parts) != 1 else parts[0]
            if not parts:
                keys = [()] * len(communes)
            seen: dict[Any, int] = {}
            offset = len(facts)
            columns.append([offset + seen.setdefault(key, len(seen)) for key in keys])
            for key in seen:
                row = key if len(parts) != 1 else (key,)
                fact: dict[str, Any] = {"i": subject}
                for f, v in zip(wanted, row, strict=True):
                    v = v[1] if isinstance(v, tuple) else v
                    if v is not None:
                        fact[f] = v
                facts.append(fact)
        return facts, columns

    def _decide(self, facts: Sequence[dict[str, Any]]) -> list[Verdict | None]:
        """The verdict durable_rules gives each fact (``None`` where no rule fired).

        Facts go in batches of ``MAX_FACTS_PER_BATCH``; the host reports, per rule that fired, the
        positions of the facts it matched (a rule whose alternatives a fact meets twice reports it
        twice). A fact matched by two rules, or by another subject's rule, is an engine error.
        """
        decided: list[Verdict | None] = [None] * len(facts)
        by_rule: list[str | None] = [None] * len(facts)
        meta = self.compiled.meta
        for start in range(0, len(facts), MAX_FACTS_PER_BATCH):
            batch = facts[start : start + MAX_FACTS_PER_BATCH]
            for rule_name, positions in self.host.run_batch(self.compiled, batch):
                m = meta[rule_name]
                for p in positions:
                    j = start + p
                    if by_rule[j] == rule_name:
                        continue  # one rule met through two of its alternatives: still one verdict
                    if decided[j] is not None or facts[j]["i"] != m.indicator:
                        raise EngineError(
                            f"indicator {facts[j]['i']} received two verdicts for fact {facts[j]} "
                            f"({decided[j]} from {by_rule[j]} and {m.status} from {rule_name})"
                        )
                    decided[j] = (m.status, m.outcome)
                    by_rule[j] = rule_name
        return decided

    def _run(self, communes: Sequence[CommuneFacts]) -> tuple[list[dict[str, Verdict]], list[Verdict | None]]:
        """Every commune's indicator verdicts, and its zoning verdict (None without a zoning rule)."""
        if not communes:
            return [], []
        facts, columns = self.distinct_facts(communes)
        decided = self._decide(facts)
        undecided = {j for j, v in enumerate(decided) if v is None}
        if undecided:
            k, j = next((k, x) for col in columns for k, x in enumerate(col) if x in undecided)
            raise EngineError(
                f"commune {communes[k].commune.code}: indicator {facts[j]['i']} and "
                f"{len(undecided) - 1} other fact(s) received no verdict from durable_rules"
            )
        ids = self._ids
        zoning: list[Verdict | None] = [None] * len(communes)
        if len(columns) > len(ids):
            zoning = [decided[j] for j in columns[-1]]
            columns = columns[: len(ids)]
        if len(communes) == 1:
            return [{i: decided[column[0]] for i, column in zip(ids, columns, strict=True)}], zoning  # type: ignore[misc]
        rows = zip(*(itemgetter(*column)(decided) for column in columns), strict=True)
        return [dict(zip(ids, row, strict=True)) for row in rows], zoning

    def verdicts(self, communes: Sequence[CommuneFacts]) -> list[dict[str, Verdict]]:
        """One verdict per indicator per commune, each decided by a durable_rules rule."""
        return self._run(communes)[0]

    def query(self, indicator: str, facts: CommuneFacts, changed: Mapping[str, Any] | None = None) -> Query:
        """The question "what verdict does ``indicator`` give this commune, with ``changed`` facts?"."""
        changed = changed or {}
        values = tuple(changed[p] if p in changed else facts.get(p) for p in self.reads(indicator))
        return (indicator, self.dims(facts), values)

    def verdicts_for(self, queries: Sequence[Query]) -> list[Verdict]:
        """The verdict of each query (see :meth:`query`), decided by durable_rules.

        For the planner, which asks about values a commune's options would produce: each query
        becomes the same fact an evaluation asserts, so its verdict is the one an evaluation of a
        commune with those values would get.
        """
        fields = self._fields()
        facts: list[dict[str, Any]] = []
        for ind, dims, values in queries:
            fact: dict[str, Any] = {"i": ind}
            for f in fields[ind]:
                v = dims[_DIMS[f]] if f in _DIMS else values[_index(f)]
                if v is not None:
                    fact[f] = v
            facts.append(fact)
        decided = self._decide(facts)
        if any(v is None for v in decided):
            q = next(q for q, v in zip(queries, decided, strict=True) if v is None)
            raise EngineError(f"query {q} received no verdict from durable_rules")
        return decided  # type: ignore[return-value]

    def zone_checks(self, communes: Sequence[CommuneFacts]) -> list[ZoneCheck | None]:
        """Each commune's declared zone against the set's zoning rule (None without a zoning rule)."""
        zoning = self.criteria_set.zoning
        if zoning is None or not communes:
            return [None] * len(communes)
        facts, columns = self.distinct_facts(communes, [ZONING])
        decided = self._decide(facts)
        return [
            zone_check(zoning, c, decided[j], self._zone_memo)
            for c, j in zip(communes, columns[0], strict=True)
        ]

    def evaluate(
        self,
        communes: Sequence[CommuneFacts],
        sources: Sequence[str | None] | None = None,
        waived: Sequence[frozenset[str]] | None = None,
    ) -> list[CommuneResult]:
        """``waived[k]``: ids of the indicators waived for commune k (see engine/waivers.py)."""
        sources = sources or [None] * len(communes)
        waived = waived or [frozenset()] * len(communes)
        verdicts, zoning = self._run(communes)
        zoning_rule = self.criteria_set.zoning
        return [
            score(
                self.criteria_set,
                self.set_ref,
                facts,
                row,
                source_file=src,
                waived=w,
                cache=self._score_cache,
                dims=self.dims(facts),
                places=self.places,
                zone_check=zone_check(zoning_rule, facts, z, self._zone_memo)
                if zoning_rule is not None
                else None,
            )
            for facts, row, z, src, w in zip(communes, verdicts, zoning, sources, waived, strict=True)
        ]

    def evaluate_one(self, facts: CommuneFacts, source: str | None = None) -> CommuneResult:
        return self.evaluate([facts], [source])[0]


def _index(field: str) -> int:
    """The position in a subject's reads of the fact behind field ``v`` / ``v1`` / ``v2`` …"""
    return 0 if field == "v" else int(field[1:])


__all__ = ["MAX_FACTS_PER_BATCH", "ZONING", "Evaluator", "Query", "value_field"]
