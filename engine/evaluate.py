"""Evaluation: commune facts in, one verdict per indicator from durable_rules, scored results out."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from .compiler import CompiledSet, compile_set
from .criteria import CriteriaSet
from .errors import EngineError
from .facts import CommuneFacts
from .inference import RuleHost
from .results import CommuneResult, SetRef
from .scoring import Verdict, score

# Facts asserted in one durable_rules call. durable_rules refuses very large batches, and a batch
# this size already amortises the per-call cost (see benchmarks/).
MAX_FACTS_PER_BATCH = 4_000


class Evaluator:
    """Evaluates communes against one criteria set, compiled once into a durable_rules ruleset."""

    def __init__(self, criteria_set: CriteriaSet, host: RuleHost | None = None) -> None:
        self.criteria_set = criteria_set
        self.compiled: CompiledSet = compile_set(criteria_set)
        self.host = host or RuleHost.shared()
        self.host.ensure(self.compiled)
        self._facts_paths = [(i.id, i.fact) for _, i in criteria_set.indicators()]
        self.set_ref = SetRef(
            id=criteria_set.id,
            decision=criteria_set.decision.number,
            hash=self.compiled.digest[:16],
            draft_indicators=criteria_set.draft_count,
            total_indicators=len(self._facts_paths),
        )

    def _indicator_facts(self, k: int, facts: CommuneFacts) -> Iterator[dict[str, Any]]:
        zone, area = facts.commune.zone, facts.commune.area
        for ind_id, path in self._facts_paths:
            fact: dict[str, Any] = {"id": f"{k}:{ind_id}", "i": ind_id, "c": k, "z": zone, "a": area}
            value = facts.get(path)
            if value is not None:
                fact["v"] = value
            yield fact

    def verdicts(self, communes: Sequence[CommuneFacts]) -> list[dict[str, Verdict]]:
        """One verdict per indicator per commune, each decided by a durable_rules rule."""
        per_batch = max(1, MAX_FACTS_PER_BATCH // max(1, len(self._facts_paths)))
        out: list[dict[str, Verdict]] = [{} for _ in communes]
        meta = self.compiled.meta
        for start in range(0, len(communes), per_batch):
            chunk = communes[start : start + per_batch]
            facts = [f for k, c in enumerate(chunk) for f in self._indicator_facts(start + k, c)]
            for rule_name, commune_indices in self.host.run_batch(self.compiled, facts):
                m = meta[rule_name]
                for k in commune_indices:
                    if m.indicator in out[k]:
                        raise EngineError(
                            f"indicator {m.indicator} received two verdicts for commune "
                            f"{communes[k].commune.code} ({out[k][m.indicator][0]} and {m.status})"
                        )
                    out[k][m.indicator] = (m.status, m.band)
        expected = len(self._facts_paths)
        for k, got in enumerate(out):
            if len(got) != expected:
                missing = [i for i, _ in self._facts_paths if i not in got]
                raise EngineError(
                    f"commune {communes[k].commune.code}: {len(missing)} indicator(s) received no "
                    f"verdict from durable_rules: {', '.join(missing[:10])}"
                )
        return out

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
            score(self.criteria_set, self.set_ref, facts, verdicts, source_file=src, waived=w)
            for facts, verdicts, src, w in zip(
                communes, self.verdicts(communes), sources, waived, strict=True
            )
        ]

    def evaluate_one(self, facts: CommuneFacts, source: str | None = None) -> CommuneResult:
        return self.evaluate([facts], [source])[0]
