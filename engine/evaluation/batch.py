"""Batch evaluation of many fact files, on all cores.

Reading and validating fact files and evaluating them are spread over worker processes, each with
its own durable_rules host (durable_rules is not thread-safe, and a host cannot be shared across
processes). Results come back in input order; files that fail validation come back as diagnostics,
so one bad file never hides the others.

Ctrl-C: the terminal sends SIGINT to the workers too. They ignore it (interrupted inside
durable_rules, a worker printed a traceback, once glibc's "corrupted" heap message); the parent
alone gets the KeyboardInterrupt, cancels every chunk not started, lets the running ones finish
(a fraction of a second) and stops: exit status 130, nothing written.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TypeVar

from engine.errors import Diagnostic, UserError
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.results import CommuneResult
from engine.files import ctrl_c_held
from engine.inputs.criteria import CriteriaSet
from engine.inputs.facts import CommuneFacts
from engine.inputs.loader import load_facts

# Below this many communes a single process is faster than starting workers.
PARALLEL_THRESHOLD = 200
CHUNK = 250

T = TypeVar("T")


@dataclass(frozen=True)
class BatchOutcome:
    results: list[CommuneResult]
    facts: list[CommuneFacts]
    diagnostics: list[Diagnostic]


_worker_evaluator: Evaluator | None = None


def _init_worker(criteria_set: CriteriaSet) -> None:
    global _worker_evaluator  # one per worker process, set once by the pool initializer
    _worker_evaluator = Evaluator(criteria_set)


def _init_pool_worker(criteria_set: CriteriaSet) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _init_worker(criteria_set)


def _load(paths: Sequence[Path]) -> tuple[list[tuple[int, CommuneFacts]], list[Diagnostic]]:
    ok: list[tuple[int, CommuneFacts]] = []
    bad: list[Diagnostic] = []
    for k, p in enumerate(paths):
        try:
            ok.append((k, load_facts(p)))
        except UserError as exc:
            bad.extend(exc.diagnostics)
    return ok, bad


def _work(chunk: Sequence[Path]) -> tuple[list[tuple[int, CommuneFacts, CommuneResult]], list[Diagnostic]]:
    assert _worker_evaluator is not None
    ok, bad = _load(chunk)
    results = _worker_evaluator.evaluate([f for _, f in ok], [str(chunk[k]) for k, _ in ok])
    return [(k, f, r) for (k, f), r in zip(ok, results, strict=True)], bad


@contextmanager
def _pool(criteria_set: CriteriaSet, workers: int) -> Iterator[ProcessPoolExecutor]:
    """Worker processes, each with its own evaluator (and so its own durable_rules host).

    On any exception in the block (Ctrl-C above all), the chunks not started are cancelled and
    only the running ones are waited for.
    """
    ctx = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    pool = ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_init_pool_worker, initargs=(criteria_set,)
    )
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


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def evaluate_files(
    criteria_set: CriteriaSet,
    paths: Sequence[Path],
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchOutcome:
    """Load and evaluate ``paths`` against ``criteria_set``; ``progress(n)`` after each n files."""
    workers = workers or default_workers()
    if workers == 1 or len(paths) < PARALLEL_THRESHOLD:
        ok, bad = _load(paths)
        ev = Evaluator(criteria_set)
        results = ev.evaluate([f for _, f in ok], [str(paths[k]) for k, _ in ok]) if ok else []
        if progress:
            progress(len(paths))
        return BatchOutcome(results, [f for _, f in ok], bad)
    chunks = [paths[i : i + CHUNK] for i in range(0, len(paths), CHUNK)]
    triples: list[tuple[int, CommuneFacts, CommuneResult]] = []
    diagnostics: list[Diagnostic] = []
    with _pool(criteria_set, min(workers, len(chunks))) as pool:
        for n, (chunk, (done, bad)) in enumerate(zip(chunks, pool.map(_work, chunks), strict=True)):
            offset = n * CHUNK
            triples.extend((offset + k, f, r) for k, f, r in done)
            diagnostics.extend(bad)
            if progress:
                progress(len(chunk))
    triples.sort(key=lambda x: x[0])
    return BatchOutcome([r for _, _, r in triples], [f for _, f, _ in triples], diagnostics)


def _work_facts(chunk: Sequence[tuple[CommuneFacts, str | None]]) -> list[CommuneResult]:
    assert _worker_evaluator is not None
    return _worker_evaluator.evaluate([f for f, _ in chunk], [src for _, src in chunk])


def evaluate_facts(
    criteria_set: CriteriaSet,
    facts: Sequence[CommuneFacts],
    sources: Sequence[str | None],
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[CommuneResult]:
    """Evaluate facts already read (e.g. spreadsheet rows) on all cores; results in input order."""
    workers = workers or default_workers()
    pairs = list(zip(facts, sources, strict=True))
    if workers == 1 or len(pairs) < PARALLEL_THRESHOLD:
        results = Evaluator(criteria_set).evaluate(list(facts), list(sources)) if facts else []
        if progress:
            progress(len(pairs))
        return results
    chunks = [pairs[i : i + CHUNK] for i in range(0, len(pairs), CHUNK)]
    out: list[CommuneResult] = []
    with _pool(criteria_set, min(workers, len(chunks))) as pool:
        for chunk, done in zip(chunks, pool.map(_work_facts, chunks), strict=True):
            out.extend(done)
            if progress:
                progress(len(chunk))
    return out


def _work_mapped(
    chunk: Sequence[Path], transform: Callable[[list[CommuneResult]], T]
) -> tuple[T, list[Diagnostic]]:
    done, bad = _work(chunk)
    return transform([r for _, _, r in done]), bad


def stream_files(
    criteria_set: CriteriaSet,
    paths: Sequence[Path],
    transform: Callable[[list[CommuneResult]], T],
    workers: int | None = None,
) -> Iterator[tuple[T, list[Diagnostic]]]:
    """Load and evaluate ``paths`` chunk by chunk, and yield ``transform(results)`` of each chunk, in order.

    For national runs: ``transform`` (a module-level function, so that it reaches the workers) runs
    in the worker, so only its output, typically text, crosses back to the parent; at most two
    chunks per worker are in flight, so the parent's memory stays flat however many files there are.
    Files that cannot be read come back as diagnostics beside their chunk's output.
    """
    workers = workers or default_workers()
    chunks = [paths[i : i + CHUNK] for i in range(0, len(paths), CHUNK)]
    if workers == 1 or len(paths) < PARALLEL_THRESHOLD:
        _init_worker(criteria_set)
        for chunk in chunks:
            yield _work_mapped(chunk, transform)
        return
    with _pool(criteria_set, min(workers, len(chunks))) as pool:
        todo = iter(chunks)
        running = deque(pool.submit(_work_mapped, c, transform) for c in islice(todo, 2 * workers))
        while running:
            item = running.popleft().result()
            for chunk in islice(todo, 1):
                running.append(pool.submit(_work_mapped, chunk, transform))
            yield item
