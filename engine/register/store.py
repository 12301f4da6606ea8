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
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from engine.evaluation.results import CommuneResult
from engine.inputs.facts import CommuneFacts
from engine.register.db import Register, inserted_id


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


def _upsert_commune(reg: Register, conn: Connection, facts: CommuneFacts) -> None:
    t = reg.t["communes"]
    c = facts.commune
    row = conn.execute(select(t.c.first_year, t.c.last_year).where(t.c.code == c.code)).first()
    values = {
        "name": c.name,
        "province": c.province,
        "district": c.district,
        "zone": c.zone,
        "area": c.area,
    }
    if row is None:
        conn.execute(t.insert().values(code=c.code, first_year=facts.year, last_year=facts.year, **values))
    else:
        first, last = row
        if facts.year >= last:  # the identity of the latest year is the commune's current identity
            conn.execute(t.update().where(t.c.code == c.code).values(last_year=facts.year, **values))
        if facts.year < first:
            conn.execute(t.update().where(t.c.code == c.code).values(first_year=facts.year))
    s = reg.t["commune_successions"]
    for old in c.successor_of:
        exists = conn.execute(
            select(s.c.since_year).where(s.c.successor_code == c.code, s.c.predecessor_code == old)
        ).first()
        if exists is None:
            conn.execute(
                s.insert().values(successor_code=c.code, predecessor_code=old, since_year=facts.year)
            )
        elif facts.year < exists[0]:
            conn.execute(
                update(s)
                .where(s.c.successor_code == c.code, s.c.predecessor_code == old)
                .values(since_year=facts.year)
            )


def _write_one(reg: Register, conn: Connection, sub: Submission, appraiser: str, now: dt.datetime) -> str:
    """Write one submission; return 'added', 'replaced' or 'unchanged'."""
    ev = reg.t["evaluations"]
    facts, r = sub.facts, sub.result
    waived = [i.id for i in r.indicators if i.waived]
    facts_sha, key = evaluation_key(facts, r.criteria_set.id, r.criteria_set.hash, waived)
    code = facts.commune.code
    same = conn.execute(
        select(ev.c.id).where(ev.c.commune_code == code, ev.c.year == facts.year, ev.c.key_sha256 == key)
    ).first()
    if same is not None:
        return "unchanged"
    earlier = conn.execute(select(ev.c.id).where(ev.c.commune_code == code, ev.c.year == facts.year)).first()
    _upsert_commune(reg, conn, facts)
    new_id = inserted_id(
        conn,
        ev.insert().values(
            commune_code=code,
            year=facts.year,
            key_sha256=key,
            commune_name=facts.commune.name,
            facts_sha256=facts_sha,
            facts_json=facts_json(facts),
            facts_submitted=sub.submitted_text,
            source_file=sub.source,
            illustrative=facts.illustrative,
            criteria_set_id=r.criteria_set.id,
            criteria_set_hash=r.criteria_set.hash,
            criteria_decision=r.criteria_set.decision,
            draft_indicators=r.criteria_set.draft_indicators,
            total_indicators=r.criteria_set.total_indicators,
            validity_years=sub.validity_years,
            total_score=r.total_score,
            max_score=r.max_score,
            qualified=r.qualified,
            reasons_json=canonical_json([x.texts() for x in r.reasons]),  # in both languages, as shown then
            criteria_json=canonical_json([c.model_dump(mode="json") for c in r.criteria]),
            waived_json=canonical_json(sorted(i.id for i in r.indicators if i.waived)),
            appraiser=appraiser,
            imported_at=now,
        ),
    )
    conn.execute(
        reg.t["evaluation_indicators"].insert(),
        [
            {
                "evaluation_id": new_id,
                "indicator_id": i.id,
                "criterion_id": i.criterion,
                "fact": i.fact,
                "status": i.status,
                "points": i.points,
                "max_points": i.max_points,
                "knockout": i.knockout,
                "waived": i.waived,
                "provenance": i.provenance,
                "observed_json": canonical_json(i.observed),
            }
            for i in r.indicators
        ],
    )
    return "replaced" if earlier is not None else "added"


def import_submissions(
    reg: Register,
    subs: Sequence[Submission],
    appraiser: str,
    batch_size: int = 50,
    on_written: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Store ``subs`` in transactions of ``batch_size`` communes. ``on_written(n)`` is called inside
    the open transaction after each commune is written (n = communes written so far)."""
    summary = ImportSummary()
    now = dt.datetime.now(dt.timezone.utc)
    written = 0
    for start in range(0, len(subs), max(1, batch_size)):
        batch = subs[start : start + max(1, batch_size)]
        for attempt in (1, 2):
            outcomes: list[tuple[str, str]] = []
            try:
                with reg.write() as conn:
                    for k, sub in enumerate(batch):
                        outcomes.append((_write_one(reg, conn, sub, appraiser, now), sub.facts.commune.code))
                        if on_written:
                            on_written(written + k + 1)
                break
            except IntegrityError:
                # PostgreSQL: another run inserted the same evaluation between our check and our
                # insert. The batch was rolled back; once more, and the check will see it.
                if attempt == 2:
                    raise
        written += len(batch)
        for outcome, code in outcomes:
            getattr(summary, outcome).append(code)
    return summary
