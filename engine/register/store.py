"""Writing evaluations into the register, idempotently, in transactions.

An evaluation is identified by its commune, its year and a key: the SHA-256 of the facts as
validated (canonical JSON), the criteria set's hash and the waived indicators. Importing the same
facts again against the same set with the same waivers finds the key and writes nothing. New facts
for a commune and year add an evaluation that replaces the earlier one for decisions (the latest
import of the year counts; the earlier ones stay in the history).

Communes are written in batches, each batch in one transaction, so a process killed mid-import
leaves every batch either fully written or absent; running the import again writes what is missing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from engine.evaluation.results import CommuneResult
from engine.inputs.facts import CommuneFacts
from engine.register.db import Register


@dataclass(frozen=True)
class Submission:
    """One commune's facts as submitted, and their evaluation."""

    facts: CommuneFacts
    result: CommuneResult
    submitted_text: str
    source: str | None
    validity_years: int


@dataclass
class ImportSummary:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def facts_json(facts: CommuneFacts) -> str:
    return canonical_json(facts.model_dump(mode="json", exclude_none=True))


def evaluation_key(facts: CommuneFacts, set_id: str, set_hash: str, waived: Iterable[str]) -> tuple[str, str]:
    """(facts digest, evaluation key): what identifies an evaluation, known before evaluating."""
    facts_sha = hashlib.sha256(facts_json(facts).encode()).hexdigest()
    key = canonical_json([facts_sha, set_id, set_hash, sorted(waived)])
    return facts_sha, hashlib.sha256(key.encode()).hexdigest()


INDICATOR_COLUMNS = (
    "indicator_id",
    "criterion_id",
    "fact",
    "status",
    "points",
    "max_points",
    "knockout",
    "waived",
    "provenance",
    "observed_json",
)


@dataclass(frozen=True)
class Row:
    """What one submission writes, ready for the database (built in a worker: small to pickle)."""

    code: str
    year: int
    key: str
    commune: dict[str, Any]  # name, province, district, zone, area
    successor_of: tuple[str, ...]
    evaluation: dict[str, Any]  # the evaluations row but for appraiser and imported_at
    indicators: list[tuple[Any, ...]]  # the evaluation_indicators rows (INDICATOR_COLUMNS)


def row_of(sub: Submission) -> Row:
    facts, r = sub.facts, sub.result
    waived = [i.id for i in r.indicators if i.waived]
    facts_sha, key = evaluation_key(facts, r.criteria_set.id, r.criteria_set.hash, waived)
    c = facts.commune
    return Row(
        code=c.code,
        year=facts.year,
        key=key,
        commune={
            "name": c.name,
            "province": c.province,
            "district": c.district,
            "zone": c.zone,
            "area": c.area,
        },
        successor_of=tuple(c.successor_of),
        evaluation={
            "commune_code": c.code,
            "year": facts.year,
            "key_sha256": key,
            "commune_name": c.name,
            "facts_sha256": facts_sha,
            "facts_json": facts_json(facts),
            "facts_submitted": sub.submitted_text,
            "source_file": sub.source,
            "illustrative": facts.illustrative,
            "criteria_set_id": r.criteria_set.id,
            "criteria_set_hash": r.criteria_set.hash,
            "criteria_decision": r.criteria_set.decision,
            "draft_indicators": r.criteria_set.draft_indicators,
            "total_indicators": r.criteria_set.total_indicators,
            "validity_years": sub.validity_years,
            "total_score": r.total_score,
            "max_score": r.max_score,
            "qualified": r.qualified,
            "reasons_json": canonical_json(
                [x.texts() for x in r.reasons]
            ),  # in both languages, as shown then
            "criteria_json": canonical_json([c.as_json() for c in r.criteria]),
            "waived_json": canonical_json(sorted(waived)),
        },
        indicators=[
            (
                i.id,
                i.criterion,
                i.fact,
                i.status,
                i.points,
                i.max_points,
                i.knockout,
                i.waived,
                i.provenance,
                canonical_json(i.observed),
            )
            for i in r.indicators
        ],
    )


def _successions(reg: Register, conn: Connection, row: Row) -> None:
    s = reg.t["commune_successions"]
    for old in row.successor_of:
        exists = conn.execute(
            select(s.c.since_year).where(s.c.successor_code == row.code, s.c.predecessor_code == old)
        ).first()
        if exists is None:
            conn.execute(
                s.insert().values(successor_code=row.code, predecessor_code=old, since_year=row.year)
            )
        elif row.year < exists[0]:
            conn.execute(
                update(s)
                .where(s.c.successor_code == row.code, s.c.predecessor_code == old)
                .values(since_year=row.year)
            )


def _write_batch(
    reg: Register, conn: Connection, rows: Sequence[Row], appraiser: str, now: dt.datetime
) -> list[str]:
    """Write ``rows`` in a few statements; per row 'added', 'replaced' or 'unchanged', in order.

    What the register holds of these communes (their evaluations' keys, their identity) is read in
    one query each; rows are then decided one after the other (a commune twice in the batch sees
    its first row), and written with one statement per table."""
    ev, t = reg.t["evaluations"], reg.t["communes"]
    codes = sorted({r.code for r in rows})
    keys: dict[tuple[str, int], set[str]] = {}
    communes: dict[str, list[Any]] = {}
    for part in range(0, len(codes), 500):  # bounded IN lists
        some = codes[part : part + 500]
        for code, year, key in conn.execute(
            select(ev.c.commune_code, ev.c.year, ev.c.key_sha256).where(ev.c.commune_code.in_(some))
        ):
            keys.setdefault((code, year), set()).add(key)
        for code, first, last in conn.execute(
            select(t.c.code, t.c.first_year, t.c.last_year).where(t.c.code.in_(some))
        ):
            communes[code] = [first, last, None]
    outcomes: list[str] = []
    new: list[Row] = []
    inserted: dict[str, dict[str, Any]] = {}
    for row in rows:
        seen = keys.setdefault((row.code, row.year), set())
        if row.key in seen:
            outcomes.append("unchanged")
            continue
        outcomes.append("replaced" if seen else "added")
        seen.add(row.key)
        new.append(row)
        known = communes.get(row.code)
        if known is None:
            inserted[row.code] = {
                "code": row.code,
                "first_year": row.year,
                "last_year": row.year,
                **row.commune,
            }
            communes[row.code] = [row.year, row.year, None]
            continue
        if row.code in inserted:
            target = inserted[row.code]
        else:
            known[2] = known[2] or {}
            target = known[2]
        if row.year >= known[1]:  # the identity of the latest year is the commune's current identity
            known[1] = row.year
            target.update(last_year=row.year, **row.commune)
        if row.year < known[0]:
            known[0] = row.year
            target.update(first_year=row.year)
    if inserted:
        conn.execute(t.insert(), list(inserted.values()))
    for code, (_, _, changes) in communes.items():
        if changes:
            conn.execute(t.update().where(t.c.code == code).values(**changes))
    for row in new:
        if row.successor_of:
            _successions(reg, conn, row)
    if not new:
        return outcomes
    ids = (
        conn.execute(
            ev.insert().returning(ev.c.id, sort_by_parameter_order=True),
            [{**r.evaluation, "appraiser": appraiser, "imported_at": now} for r in new],
        )
        .scalars()
        .all()
    )
    # Tens of thousands of rows: straight to the driver's executemany (SQLAlchemy's per-row parameter
    # processing took 10 µs a row, most of the import's writing time); the values are plain.
    columns = ("evaluation_id", *INDICATOR_COLUMNS)
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    conn.exec_driver_sql(
        f"INSERT INTO evaluation_indicators ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})",
        [(new_id, *i) for new_id, r in zip(ids, new, strict=True) for i in r.indicators],
    )
    return outcomes


def import_submissions(
    reg: Register,
    subs: Sequence[Submission],
    appraiser: str,
    batch_size: int = 50,
    on_written: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Store ``subs`` in transactions of ``batch_size`` communes. ``on_written(n)`` is called inside
    the open transaction after each commune is written (n = communes written so far)."""
    return write_rows(reg, [row_of(s) for s in subs], appraiser, batch_size, on_written)


def write_rows(
    reg: Register,
    rows: Iterable[Row],
    appraiser: str,
    batch_size: int = 50,
    on_written: Callable[[int], None] | None = None,
) -> ImportSummary:
    """:func:`import_submissions` of rows built already (by :func:`row_of`, in the workers), taken
    from ``rows`` as they come: ``batch_size`` at a time, each batch in one transaction."""
    summary = ImportSummary()
    now = dt.datetime.now(dt.timezone.utc)
    written = 0
    size = max(1, batch_size)
    todo = iter(rows)
    while batch := list(islice(todo, size)):
        for attempt in (1, 2):
            try:
                with reg.write() as conn:
                    outcomes = _write_batch(reg, conn, batch, appraiser, now)
                    if on_written:
                        for k in range(len(batch)):
                            on_written(written + k + 1)
                break
            except IntegrityError:
                # PostgreSQL: another run inserted the same evaluation between our check and our
                # insert. The batch was rolled back; once more, and the check will see it.
                if attempt == 2:
                    raise
        written += len(batch)
        for outcome, row in zip(outcomes, batch, strict=True):
            getattr(summary, outcome).append(row.code)
    return summary
