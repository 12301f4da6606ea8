"""What every fuzz test asserts of one run: exit 0, 1 or 2 only, no traceback, bounded time and
memory, and nothing lost (every input file or row in the output or in the errors)."""

from __future__ import annotations

import contextlib
import io
import resource
import signal
import tracemalloc
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from types import FrameType

from cli import main

# A hang guard, not a speed check: every input here is read in well under a second.
HANG_S = 60
# Traced allocations of one run (tracemalloc: precise, but it slows the run several times) …
MEMORY_LIMIT = 200 * 2**20
# … and, for every run, the test process's peak resident size (cheap): an input that expands
# without bound (a billion laughs was 10^9 strings) passes it at once.
PROCESS_LIMIT_KB = 1_500_000


class Hang(Exception):
    pass


@contextlib.contextmanager
def bounded(memory: bool = False) -> Iterator[None]:
    """Fail on a hang (SIGALRM after HANG_S), a process peak above PROCESS_LIMIT_KB, or (``memory``)
    a peak of traced memory above MEMORY_LIMIT."""

    def hang(_signum: int, _frame: FrameType | None) -> None:
        raise Hang(f"no answer within {HANG_S} s")

    old = signal.signal(signal.SIGALRM, hang)
    signal.alarm(HANG_S)
    if memory:
        tracemalloc.start()
    try:
        yield
        if memory:
            peak = tracemalloc.get_traced_memory()[1]
            assert peak < MEMORY_LIMIT, f"peak {peak / 2**20:.0f} MB"
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        assert rss < PROCESS_LIMIT_KB, f"the process reached {rss / 1024:.0f} MB"
    finally:
        if memory:
            tracemalloc.stop()
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def run(argv: Sequence[str], memory: bool = False) -> Run:
    """The command in this process (no interpreter to start: CPU is scarce), checked as above."""
    out, err = io.StringIO(), io.StringIO()
    with bounded(memory), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    r = Run(code, out.getvalue(), err.getvalue())
    assert code in (0, 1, 2), f"exit {code}:\n{r.err[-3000:]}"
    assert "Traceback" not in r.err and "internal error" not in r.err, r.err[-3000:]
    return r


def tally(counter: Counter[str], kind: str, outcome: str) -> None:
    counter[f"{kind}: {outcome}"] += 1
