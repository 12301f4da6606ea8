"""`register import`: evaluate commune fact files against the set in force and store them.

Communes whose evaluation is already in the register (same facts, same criteria set, same waivers:
the same key) are not evaluated again. The others are read, evaluated (the Evaluator: durable_rules
decides every verdict) and turned into the rows to store by worker processes, on all cores
(:func:`engine.evaluation.batch.stream`); the parent writes the rows as they come, in transactions of
``batch_size`` communes, a few statements each, so memory stays flat however many communes a
province imports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from sqlalchemy import select

from engine.errors import Diagnostic
from engine.evaluation.batch import Done, SetChoice, stream
from engine.evaluation.evaluator import set_reference
from engine.evaluation.results import CommuneResult, SetRef
from engine.inputs.criteria import CriteriaSet
from engine.inputs.facts import CommuneFacts
from engine.inputs.yamlio import read_text
from engine.register.db import Register
from engine.register.store import ImportSummary, Row, Submission, evaluation_key, row_of, write_rows
from engine.register.waiver_store import list_waivers
from engine.register.waivers import Waiver, waived_ids


@dataclass
class ImportOutcome:
    summary: ImportSummary
    waived: dict[str, list[str]] = field(default_factory=dict)  # commune code -> waived indicators
    diagnostics: list[Diagnostic] = field(default_factory=list)  # inputs not imported, and why
    names: dict[str, str] = field(default_factory=dict)  # commune code -> name, of those waived


def known_keys(reg: Register, year: int) -> set[tuple[str, str]]:
    ev = reg.t["evaluations"]
    with reg.read() as conn:
        rows = conn.execute(select(ev.c.commune_code, ev.c.key_sha256).where(ev.c.year == year))
        return {(code, key) for code, key in rows}


@dataclass(frozen=True)
class Known:
    """What the register holds before an import: keys of the year's evaluations, and waivers."""

    keys: frozenset[tuple[str, str]] = frozenset()
    waivers: tuple[Waiver, ...] = ()

    @classmethod
    def of(cls, reg: Register | None, year: int) -> Known:
        if reg is None:
            return cls()
        return cls(frozenset(known_keys(reg, year)), tuple(list_waivers(reg)))


# What a worker sends back per input: why it is not imported (a Diagnostic), 'unchanged', or its rows.
Prepared = tuple[str, str, str, tuple[str, ...], Row | Diagnostic | None]


class _Prepare:
    """Per input, in the worker: skipped when of another year or already stored, else its rows."""

    def __init__(self, ref: SetRef, year: int, known: Known, validity_years: int) -> None:
        self.ref = ref
        self.year = year
        self.known = known
        self.validity_years = validity_years

    def waived(self, facts: CommuneFacts) -> frozenset[str]:
        return (
            waived_ids(self.known.waivers, facts.commune.code, self.year)
            if self.known.waivers
            else frozenset()
        )

    def before(self, facts: CommuneFacts, source: str) -> Prepared | None:
        c = facts.commune
        if facts.year != self.year:
            why = Diagnostic(
                source,
                f"the file is for year {facts.year}, not --year {self.year}: not imported",
                "import each year separately",
            )
            return ("skip", c.code, c.name, (), why)
        waived = self.waived(facts)
        _, key = evaluation_key(facts, self.ref.id, self.ref.hash, waived)
        if (c.code, key) in self.known.keys:
            return ("unchanged", c.code, c.name, tuple(sorted(waived)), None)
        return None

    def __call__(self, result: CommuneResult, facts: CommuneFacts) -> Prepared:
        source = result.source_file or ""
        text = read_text(Path(source)) if source and not source.startswith("<") else ""
        return self._row(result, facts, text)

    def _row(self, result: CommuneResult, facts: CommuneFacts, text: str) -> Prepared:
        sub = Submission(facts, result, text, result.source_file, self.validity_years)
        waived = tuple(sorted(i.id for i in result.indicators if i.waived))
        return ("new", facts.commune.code, facts.commune.name, waived, row_of(sub))


class _PrepareText(_Prepare):
    """:class:`_Prepare` for facts already read, each with its submitted text (``texts`` by source)."""

    def __init__(self, ref: SetRef, year: int, known: Known, validity: int, texts: dict[str, str]) -> None:
        super().__init__(ref, year, known, validity)
        self.texts = texts

    def __call__(self, result: CommuneResult, facts: CommuneFacts) -> Prepared:
        return self._row(result, facts, self.texts[result.source_file or ""])


def import_paths(
    open_register: Callable[[bool], Register | None],
    cs: CriteriaSet,
    paths: Sequence[Path],
    year: int,
    appraiser: str,
    batch_size: int = 50,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportOutcome:
    """Import fact files (each stored with its text as submitted) of ``year``.

    ``open_register(create)`` opens the register: first to read what it holds (``create`` False: None
    when there is none yet), then, only when there is something to write, to write (``create`` True),
    so that a run that imports nothing creates no register."""
    existing = open_register(False)
    known = Known.of(existing, year)
    if existing is not None:
        existing.close()
    prepare = _Prepare(set_reference(cs), year, known, cs.recognition.validity_years)
    return _store(
        open_register, stream(paths, SetChoice(fixed=cs), prepare, workers, progress), appraiser, batch_size
    )


def import_facts(
    reg: Register,
    cs: CriteriaSet,
    items: Sequence[tuple[str, CommuneFacts, Callable[[], str]]],
    year: int,
    appraiser: str,
    batch_size: int = 50,
) -> ImportOutcome:
    """Import facts already read: ``(source, facts, submitted text)`` per commune, in this process."""
    prepare = _PrepareText(
        set_reference(cs), year, Known.of(reg, year), cs.recognition.validity_years,
        {src: text() for src, _, text in items},
    )  # fmt: skip
    pairs = [(f, src) for src, f, _ in items]
    done = stream(pairs, SetChoice(fixed=cs), prepare, workers=1, dedupe=False)
    return _store(lambda _: reg, done, appraiser, batch_size)


def _store(
    open_register: Callable[[bool], Register | None],
    done: Iterator[Done[Prepared]],
    appraiser: str,
    batch_size: int,
) -> ImportOutcome:
    out = ImportOutcome(ImportSummary())

    def rows() -> Iterator[Row]:
        for d in done:
            out.diagnostics.extend(d.diagnostics)
            if d.item is None:
                continue
            what, code, name, waived, payload = d.item
            if waived:
                out.waived[code] = list(waived)
                out.names[code] = name
            if what == "skip":
                assert isinstance(payload, Diagnostic)
                out.diagnostics.append(payload)
            elif what == "unchanged":
                out.summary.unchanged.append(code)
            else:
                assert isinstance(payload, Row)
                yield payload

    todo = rows()
    first = next(todo, None)
    if first is None:
        return out
    reg = open_register(True)
    assert reg is not None
    written = write_rows(reg, chain([first], todo), appraiser, batch_size)
    out.summary.added += written.added
    out.summary.replaced += written.replaced
    out.summary.unchanged += written.unchanged
    return out
