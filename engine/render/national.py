"""The national batch as one JSON file: fact files in, the results of ``jsonout.dumps`` out, streamed."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from engine.errors import Diagnostic
from engine.evaluation.batch import stream_files
from engine.evaluation.results import CommuneResult
from engine.inputs.criteria import CriteriaSet
from engine.render import jsonout


class _Lines:
    """Renders a chunk's results as compact JSON lines, in the worker (picklable, so it reaches it)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, results: list[CommuneResult]) -> list[str]:
        # Compact: json's C encoder is bypassed whenever an indent is asked for (10x slower).
        return [json.dumps(jsonout.commune_object(r, self.lang), ensure_ascii=False) for r in results]


def write_json(
    criteria_set: CriteriaSet,
    paths: Sequence[Path],
    out: TextIO,
    lang: str,
    workers: int | None = None,
) -> tuple[int, list[Diagnostic]]:
    """Evaluate ``paths`` and write the results to ``out``: the JSON of ``jsonout.dumps``, streamed.

    Workers load, evaluate and render their chunk of files, so that neither result objects (slow to
    pickle) nor the whole output (hundreds of MB) are ever held by the parent. The array holds the
    same objects as ``jsonout.dumps``, one commune per line instead of indented. Returns the number
    of results written and the diagnostics of the files that could not be read.
    """
    diagnostics: list[Diagnostic] = []
    written = 0
    for items, bad in stream_files(criteria_set, paths, _Lines(lang), workers):
        for item in items:
            out.write(",\n" if written else "[\n")
            out.write(item)
            written += 1
        diagnostics.extend(bad)
    out.write("\n]" if written else "[]")
    return written, diagnostics
