"""`register import`: evaluate commune fact files against the set in force and store them.

Communes whose evaluation is already in the register (same facts, same criteria set, same waivers:
the same key) are not evaluated again. The others are evaluated by the Evaluator (durable_rules
decides every verdict) a chunk at a time and written in transactions of ``batch_size`` communes, so
memory stays bounded however many communes a province imports.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from engine.evaluation.evaluator import Evaluator
from engine.inputs.criteria import CriteriaSet
from engine.inputs.facts import CommuneFacts
from engine.inputs.yamlio import read_text
from engine.register.db import Register
from engine.register.store import ImportSummary, Submission, evaluation_key, import_submissions
from engine.register.waiver_store import list_waivers
from engine.register.waivers import waived_ids

CHUNK = 500


@dataclass
class ImportOutcome:
    summary: ImportSummary
    waived: dict[str, list[str]] = field(default_factory=dict)  # commune code -> waived indicators


def known_keys(reg: Register, year: int) -> set[tuple[str, str]]:
    ev = reg.t["evaluations"]
    with reg.read() as conn:
        rows = conn.execute(select(ev.c.commune_code, ev.c.key_sha256).where(ev.c.year == year))
        return {(code, key) for code, key in rows}


def import_files(
    reg: Register,
    cs: CriteriaSet,
    loaded: Sequence[tuple[Path, CommuneFacts]],
    year: int,
    appraiser: str,
    batch_size: int = 50,
) -> ImportOutcome:
    """Import fact files: each stored with its text as submitted."""
    items = [(str(p), f, lambda p=p: read_text(p)) for p, f in loaded]
    return import_facts(reg, cs, items, year, appraiser, batch_size)


def import_facts(
    reg: Register,
    cs: CriteriaSet,
    items: Sequence[tuple[str, CommuneFacts, Callable[[], str]]],
    year: int,
    appraiser: str,
    batch_size: int = 50,
) -> ImportOutcome:
    """Import facts already read: ``(source, facts, submitted text)`` per commune; the text (the file
    as submitted, or the row's facts for a spreadsheet) is read only for communes not yet stored."""
    evaluator = Evaluator(cs)
    ref = evaluator.set_ref
    waivers = list_waivers(reg, [f.commune.code for _, f, _ in items])
    waived = {f.commune.code: waived_ids(waivers, f.commune.code, year) for _, f, _ in items}
    known = known_keys(reg, year)
    out = ImportOutcome(ImportSummary(), {c: sorted(w) for c, w in waived.items() if w})
    todo = []
    for item in items:
        f = item[1]
        code = f.commune.code
        _, key = evaluation_key(f, ref.id, ref.hash, waived[code])
        if (code, key) in known:
            out.summary.unchanged.append(code)
        else:
            todo.append(item)
    for start in range(0, len(todo), CHUNK):
        chunk = todo[start : start + CHUNK]
        facts = [f for _, f, _ in chunk]
        results = evaluator.evaluate(
            facts, [src for src, _, _ in chunk], [waived[f.commune.code] for f in facts]
        )
        subs = [
            Submission(f, r, text(), src, cs.recognition.validity_years)
            for (src, f, text), r in zip(chunk, results, strict=True)
        ]
        done = import_submissions(reg, subs, appraiser, batch_size=batch_size)
        out.summary.added += done.added
        out.summary.replaced += done.replaced
        out.summary.unchanged += done.unchanged
    return out
