"""Work that runs durable_rules, done in worker processes (durable_rules is not thread-safe).

The web server never evaluates in its own process: every appraisal, what-if, plan and register import
is a job sent to a pool of worker processes (started with ``spawn``: a fresh interpreter, no state
copied from the threaded server). A worker runs one job at a time, so its durable_rules host is
never shared, and concurrent requests get separate, correct results. Jobs return ``(True, value)``
or ``(False, diagnostics)`` for a user's mistake: the diagnostics cross the process boundary as
plain data, so the page can list them.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from engine.appraisal.area import Appraisal, appraise
from engine.errors import Diagnostic, UserError
from engine.evaluation.evaluator import Evaluator
from engine.inputs.costs import criteria_with_costs
from engine.inputs.criteria import CriteriaSet
from engine.inputs.facts import CommuneFacts
from engine.planner.action_plan import ActionPlanReport, plan_commune
from engine.planner.whatif import Simulation, parse_assignments, simulate
from engine.register.db import Register
from engine.register.importer import ImportOutcome, import_facts
from engine.render.documents import files as documents
from engine.render.documents.words import Options

T = TypeVar("T")
Outcome = tuple[bool, Any]


def _init(root: str) -> None:
    """Each worker works inside the server's private upload folder (paths in results stay short)."""
    os.chdir(root)


@lru_cache(maxsize=8)
def _evaluator(set_id: str, year: int) -> tuple[CriteriaSet, Evaluator, Any]:
    """One compiled set per worker process and (set, year): the set with its costs note."""
    cs, note = criteria_with_costs(set_id, year, None)
    return cs, Evaluator(cs), note


@lru_cache(maxsize=4)
def _register(url: str) -> Register:
    return Register(url)


def _guarded(fn: Callable[[], T]) -> Outcome:
    try:
        return True, fn()
    except UserError as exc:
        return False, list(exc.diagnostics)


def warm(set_id: str, year: int) -> int:
    """Compile a criteria set ahead of the first request; returns the worker's process id."""
    _evaluator(set_id, year)
    return os.getpid()


def appraisal_job(path: str, criteria: str | None, plans: tuple[str, ...], year: int | None) -> Outcome:
    return _guarded(lambda: appraise(Path(path), criteria, list(plans), year, workers=1))


def whatif_job(facts: CommuneFacts, set_id: str, assignments: list[str], source: str | None) -> Outcome:
    def run() -> Simulation:
        values = parse_assignments(assignments)
        _, ev, _ = _evaluator(set_id, facts.year)
        return simulate(ev, facts, values, source)

    return _guarded(run)


def plan_job(
    facts: CommuneFacts, set_id: str, budget: int | None, by_year: int | None, source: str | None
) -> Outcome:
    def run() -> ActionPlanReport:
        cs, ev, note = _evaluator(set_id, facts.year)
        return plan_commune(
            cs, ev, facts, budget=budget, by_year=by_year, top=3, source_file=source, costs_note=note
        )

    return _guarded(run)


def import_job(
    url: str, set_id: str, items: list[tuple[str, CommuneFacts, str]], year: int, appraiser: str
) -> Outcome:
    def run() -> ImportOutcome:
        cs, _, _ = _evaluator(set_id, year)
        texts = [(src, f, (lambda t=t: t)) for src, f, t in items]
        return import_facts(_register(url), cs, texts, year, appraiser)

    return _guarded(run)


def documents_job(a: Appraisal, lang: str, fmt: str, stem: str | None = None) -> Outcome:
    """The score sheets and minutes of ``a``'s communes as ``(file name, bytes)``: Word files, or the
    PDFs LibreOffice makes of them (``fmt`` 'docx' or 'pdf'); only the one named ``stem`` when given
    (none when no document has that name). Built by the ``documents`` command's own code."""

    def run() -> list[tuple[str, bytes]]:
        built = documents.commune_documents(a, tuple(documents.COMMUNE_KINDS), Options(lang=lang), stem)
        if not built:
            return []
        with tempfile.TemporaryDirectory(prefix="commune-health-docs-") as tmp:
            written = documents.write(Path(tmp) / "out", built, fmt)
            return [(p.name, p.read_bytes()) for p in written]

    return _guarded(run)


class Workers:
    """The pool of evaluation processes; rebuilt if a worker dies."""

    def __init__(self, size: int, root: Path) -> None:
        self.size = max(1, size)
        self.root = root
        self.pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        ctx = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(self.size, mp_context=ctx, initializer=_init, initargs=(str(self.root),))

    async def run(self, fn: Callable[..., Outcome], *args: Any) -> Outcome:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self.pool, fn, *args)
        except BrokenProcessPool:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self._new()
            raise

    async def warm(self, set_id: str, year: int) -> set[int]:
        """Start every worker and compile the usual set in each (the first request is then fast)."""
        loop = asyncio.get_running_loop()
        futures = [loop.run_in_executor(self.pool, warm, set_id, year) for _ in range(self.size * 2)]
        return set(await asyncio.gather(*futures))

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


__all__ = [
    "Appraisal",
    "Diagnostic",
    "Workers",
    "appraisal_job",
    "documents_job",
    "import_job",
    "plan_job",
    "whatif_job",
]
