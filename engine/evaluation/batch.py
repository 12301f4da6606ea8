"""Batch evaluation of many fact files, on all cores, streamed.

Reading and validating fact files, evaluating them and (for the outputs) rendering each result are
spread over worker processes, each with its own durable_rules host (durable_rules is not
thread-safe, and a host cannot be shared across processes). Files go out in chunks; what comes back
is, per file and in input order, the ``transform`` of its result (text to write, typically: result
objects are slow to pickle) or the diagnostics that say why it could not be read. At most two chunks
per worker are in flight, so the parent's memory stays flat however many files there are. A second
file for a commune and year already read is an error naming both (:func:`engine.inputs.discovery.duplicates`).

Ctrl-C: the terminal sends SIGINT to the workers too. They ignore it (interrupted inside
durable_rules, a worker printed a traceback, once glibc's "corrupted" heap message); the parent
alone gets the KeyboardInterrupt, cancels every chunk not started, lets the running ones finish
(a fraction of a second) and stops: exit status 130, nothing written.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import Any, Generic, TypeVar

from engine.errors import Diagnostic, UserError
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.results import CommuneResult
from engine.files import ctrl_c_held
from engine.inputs.criteria import CriteriaSet
from engine.inputs.facts import CommuneFacts
from engine.inputs.loader import load_facts, resolve_set

# Below this many communes a single process is faster than starting workers.
PARALLEL_THRESHOLD = 200
CHUNK = 250

T = TypeVar("T")
Transform = Callable[[CommuneResult, CommuneFacts], T]


@dataclass(frozen=True)
class BatchOutcome:
    results: list[CommuneResult]
    facts: list[CommuneFacts]
    diagnostics: list[Diagnostic]


@dataclass(frozen=True)
class Done(Generic[T]):
    """One input, evaluated: ``item`` (the transform of its result) or why it was not (``diagnostics``)."""

    item: T | None
    diagnostics: list[Diagnostic]
    key: tuple[str, int] | None = None  # (commune code, year) of an evaluated input
    source: str = ""


class SetChoice:
    """Which criteria set evaluates a commune: ``fixed``; else the one ``ref`` names (id or file,
    ``--criteria``); else the one in force for the commune's year. Picklable (it reaches the workers)."""

    def __init__(self, ref: str | None = None, fixed: CriteriaSet | None = None) -> None:
        self.ref = ref
        self.fixed = fixed
        self._by_year: dict[int, CriteriaSet] = {}

    def for_year(self, year: int) -> CriteriaSet:
        if self.fixed is not None:
            return self.fixed
        cs = self._by_year.get(year)
        if cs is None:
            cs = self._by_year[year] = resolve_set(self.ref, year)
        return cs


class _Worker:
    """A process's evaluators, one per criteria set met (each compiled once)."""

    def __init__(self, choice: SetChoice) -> None:
        self.choice = choice
        self.evaluators: dict[int, Evaluator] = {}

    def evaluator(self, cs: CriteriaSet) -> Evaluator:
        ev = self.evaluators.get(id(cs))
        if ev is None or ev.criteria_set is not cs:
            ev = self.evaluators[id(cs)] = Evaluator(cs)
        return ev

    def run(
        self, items: Sequence[Path | tuple[CommuneFacts, str | None]], transform: Transform[T]
    ) -> list[Done[T]]:
        """Load (paths) and evaluate ``items``, grouped by criteria set; the transforms in input order."""
        out: list[Done[T] | None] = [None] * len(items)
        before = getattr(transform, "before", None)
        waived_of = getattr(transform, "waived", None)
        groups: dict[int, tuple[CriteriaSet, list[int], list[CommuneFacts], list[str | None]]] = {}
        for k, item in enumerate(items):
            try:
                facts, source = (load_facts(item), str(item)) if isinstance(item, Path) else item
                cs = self.choice.for_year(facts.year)
            except UserError as exc:
                # A set that cannot be chosen for the file's year is said at the file, not at --criteria.
                where = str(item) if isinstance(item, Path) else (item[1] or "")
                out[k] = Done(
                    None, [replace(d, path=where) if d.path == "--criteria" else d for d in exc.diagnostics]
                )
                continue
            if before is not None:
                early = before(facts, source or "")
                if early is not None:  # nothing to evaluate (already in the register…)
                    out[k] = Done(early, [], (facts.commune.code, facts.year), source or "")
                    continue
            group = groups.setdefault(id(cs), (cs, [], [], []))
            group[1].append(k)
            group[2].append(facts)
            group[3].append(source)
        for cs, idx, facts_list, sources in groups.values():
            waived = [waived_of(f) for f in facts_list] if waived_of is not None else None
            results = self.evaluator(cs).evaluate(facts_list, sources, waived)
            for k, facts, result in zip(idx, facts_list, results, strict=True):
                out[k] = Done(transform(result, facts), [], (facts.commune.code, facts.year), source or "")
        return out  # type: ignore[return-value]


_worker: _Worker | None = None  # one per worker process, set once by the pool initializer


def _init_pool_worker(choice: SetChoice) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _worker = _Worker(choice)
    gc.freeze()  # what the worker inherited and keeps is never garbage: no collection walks it again


def _work(items: Sequence[Any], transform: Transform[T]) -> list[Done[T]]:
    assert _worker is not None
    return _worker.run(items, transform)


@contextmanager
def _pool(choice: SetChoice, workers: int) -> Iterator[ProcessPoolExecutor]:
    """Worker processes, each with its own evaluators (and so its own durable_rules host).

    On any exception in the block (Ctrl-C above all), the chunks not started are cancelled and
    only the running ones are waited for.
    """
    ctx = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_pool_worker, initargs=(choice,))
    try:
        # The workers are forked by the first submit. A Ctrl-C during a fork is lost (Python runs it
        # inside logging's at-fork hook, which swallows the KeyboardInterrupt): hold it back until
        # every worker exists; they inherit it blocked, and ignore it.
        with ctrl_c_held():
            pool.submit(int)
        yield pool
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


_shared: tuple[Callable[[Any, int, int], Any], Any] | None = None  # a fan-out worker's, set once


def _init_fanout(fn: Callable[[Any, int, int], Any], shared: Any) -> None:
    global _shared
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _shared = (fn, shared)
    gc.freeze()


def _fanout_part(start: int, stop: int) -> Any:
    assert _shared is not None
    return _shared[0](_shared[1], start, stop)


def fanout(
    fn: Callable[[Any, int, int], T], shared: Any, count: int, workers: int | None = None
) -> Iterator[T]:
    """``fn(shared, start, stop)`` for consecutive slices of ``range(count)``, in order: output
    rendered (or files read) on every core. The workers are forked, so ``shared`` (an appraisal,
    say) reaches them without being pickled; only what ``fn`` returns (bytes, ideally) comes back,
    at most two slices per worker in flight. In this process for small counts, one worker, or where
    processes cannot be forked. ``fn``: a module-level function."""
    workers = workers or default_workers()
    bounds = [(i, min(i + CHUNK, count)) for i in range(0, count, CHUNK)]
    if workers == 1 or count < PARALLEL_THRESHOLD or "fork" not in multiprocessing.get_all_start_methods():
        for start, stop in bounds:
            yield fn(shared, start, stop)
        return
    ctx = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(
        min(workers, len(bounds)), mp_context=ctx, initializer=_init_fanout, initargs=(fn, shared)
    )
    try:
        with ctrl_c_held():  # see _pool: no Ctrl-C lost while the workers are forked
            pool.submit(int)
        todo = iter(bounds)
        running = deque(pool.submit(_fanout_part, *b) for b in islice(todo, 2 * workers))
        while running:
            done = running.popleft().result()
            for b in islice(todo, 1):
                running.append(pool.submit(_fanout_part, *b))
            yield done
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _read_part(paths: Sequence[Path], start: int, stop: int) -> list[CommuneFacts | list[Diagnostic]]:
    out: list[CommuneFacts | list[Diagnostic]] = []
    for p in paths[start:stop]:
        try:
            out.append(load_facts(p))
        except UserError as exc:
            out.append(exc.diagnostics)
    return out


def read_facts(
    paths: Sequence[Path], workers: int | None = None, progress: Callable[[int], None] | None = None
) -> Iterator[CommuneFacts | UserError]:
    """Each fact file read and validated (or why not), in order, on ``workers`` processes: for the
    commands that read many files without evaluating them (``template --fill``). ``progress(n)``
    after each n files."""
    for part in fanout(_read_part, list(paths), len(paths), workers):
        for x in part:
            yield UserError(x) if isinstance(x, list) else x
        if progress:
            progress(len(part))


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _chunks(
    items: Sequence[Any], choice: SetChoice, transform: Transform[T], workers: int
) -> Iterator[list[Done[T]]]:
    """Each chunk's outcomes, in order: in this process for small runs, else on ``workers`` processes."""
    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    if workers == 1 or len(items) < PARALLEL_THRESHOLD:
        local = _Worker(choice)
        for chunk in chunks:
            yield local.run(chunk, transform)
        return
    with _pool(choice, min(workers, len(chunks))) as pool:
        todo = iter(chunks)
        running = deque(pool.submit(_work, c, transform) for c in islice(todo, 2 * workers))
        while running:
            done = running.popleft().result()
            for chunk in islice(todo, 1):
                running.append(pool.submit(_work, chunk, transform))
            yield done


def stream(
    items: Sequence[Path] | Sequence[tuple[CommuneFacts, str | None]],
    choice: SetChoice,
    transform: Transform[T],
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    dedupe: bool = True,
) -> Iterator[Done[T]]:
    """Evaluate fact files (or (facts, source) pairs already read) and yield, per input and in input
    order, the ``transform(result, facts)`` of each (run in the worker: a module-level function or a
    picklable object) or the diagnostics of an input that could not be read. A ``transform`` may also
    have ``before(facts, source)``, whose item, when not None, stands for the input's without
    evaluating it, and ``waived(facts)``, the indicators waived for that commune. With ``dedupe``, a
    second input for a commune and year already yielded is an error naming both, never evaluated twice
    in the output. ``progress(n)`` after each n inputs."""
    first: dict[tuple[str, int], str] = {}
    try:
        for chunk in _chunks(items, choice, transform, workers or default_workers()):
            for done in chunk:
                if dedupe and done.key is not None:
                    seen = first.get(done.key)
                    if seen is not None:
                        yield Done(None, duplicates_of(done, seen))
                        continue
                    first[done.key] = done.source
                yield done
            if progress:
                progress(len(chunk))
            # What the caller kept of the chunks so far (results: no reference cycles) is set aside
            # from the cyclic garbage collector, whose full passes would otherwise walk it again and
            # again as it grows (a quarter of a 10,000-commune appraisal's time).
            gc.freeze()
    finally:
        gc.unfreeze()


def duplicates_of(done: Done[Any], first: str) -> list[Diagnostic]:
    """The error for a second input of a commune and year (the words of :func:`engine.inputs.discovery.duplicates`)."""
    code, year = done.key or ("", 0)
    return [
        Diagnostic(
            done.source,
            f"commune {code} ({year}) is also in {first}: this file is not read",
            "keep one fact file per commune and year",
        )
    ]


def _pair(result: CommuneResult, facts: CommuneFacts) -> tuple[CommuneResult, CommuneFacts]:
    return result, facts


def _result(result: CommuneResult, facts: CommuneFacts) -> CommuneResult:
    return result


def evaluate_files(
    criteria_set: CriteriaSet,
    paths: Sequence[Path],
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchOutcome:
    """Load and evaluate ``paths`` against ``criteria_set``; results in input order (every file
    read kept, duplicates too: the caller decides). ``progress(n)`` after each n files."""
    results: list[CommuneResult] = []
    facts: list[CommuneFacts] = []
    diagnostics: list[Diagnostic] = []
    for done in stream(paths, SetChoice(fixed=criteria_set), _pair, workers, progress, dedupe=False):
        diagnostics.extend(done.diagnostics)
        if done.item is not None:
            results.append(done.item[0])
            facts.append(done.item[1])
    return BatchOutcome(results, facts, diagnostics)


def evaluate_facts(
    criteria_set: CriteriaSet,
    facts: Sequence[CommuneFacts],
    sources: Sequence[str | None],
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[CommuneResult]:
    """Evaluate facts already read (e.g. spreadsheet rows) on all cores; results in input order."""
    pairs = list(zip(facts, sources, strict=True))
    choice = SetChoice(fixed=criteria_set)
    return [
        d.item for d in stream(pairs, choice, _result, workers, progress, dedupe=False) if d.item is not None
    ]
