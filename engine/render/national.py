"""Large runs written as they are evaluated: ``evaluate --format json`` and ``--format jsonl``.

Workers load, evaluate and render their chunk of files (:func:`engine.evaluation.batch.stream`), so
that neither result objects (slow to pickle) nor the whole output (hundreds of MB for the full JSON
of a country) are ever held by the parent, which only writes, in input order, what comes back.
``json`` is byte for byte the array of :func:`engine.render.jsonout.dumps`; ``jsonl`` is the
compact national format of :mod:`engine.render.jsonl`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from engine.errors import Diagnostic
from engine.evaluation.batch import SetChoice, stream
from engine.evaluation.results import CommuneResult, SetRef
from engine.inputs.facts import CommuneFacts
from engine.render import jsonl, jsonout

# What a worker sends back per commune: (year, the set's reference, qualified, the rendered bytes).
Rendered = tuple[int, SetRef, bool, bytes]


class _Render:
    """Renders one result in the worker (picklable, so that it reaches it)."""

    def __init__(self, fmt: str, lang: str) -> None:
        self.fmt = fmt
        self.lang = lang

    def __call__(self, r: CommuneResult, facts: CommuneFacts) -> Rendered:
        data = jsonl.line(r, self.lang) if self.fmt == "jsonl" else jsonout.element(r, self.lang)
        return (facts.year, r.criteria_set, r.qualified, data)


@dataclass
class Written:
    """What a run wrote: communes, whether every one qualifies, and the inputs that were not read."""

    communes: int = 0
    all_qualified: bool = True
    diagnostics: list[Diagnostic] = field(default_factory=list)


def write(
    paths: Sequence[Path],
    choice: SetChoice,
    fmt: str,
    out: BinaryIO,
    lang: str,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Written:
    """Evaluate ``paths`` (each against ``choice``'s set) and write them to ``out`` as ``fmt``
    (``json`` or ``jsonl``), streamed; a second file for a commune and year is an error, not written."""
    done = Written()
    headed: set[str] = set()
    out.write(b"[" if fmt == "json" else b"")
    for d in stream(paths, choice, _Render(fmt, lang), workers, progress):
        done.diagnostics.extend(d.diagnostics)
        if d.item is None:
            continue
        year, ref, qualified, data = d.item
        if fmt == "jsonl":
            if ref.hash not in headed:
                headed.add(ref.hash)
                out.write(jsonl.header(choice.for_year(year), ref, lang))
        else:
            out.write(b",\n" if done.communes else b"\n")
        out.write(data)
        done.communes += 1
        done.all_qualified = done.all_qualified and qualified
    if fmt == "json":
        out.write(b"\n]" if done.communes else b"]")
    return done
