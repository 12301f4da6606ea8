"""Versioned schema migrations of the recognition register.

Why not Alembic: the register needs a handful of forward-only steps, each applied in its own
transaction on SQLite and PostgreSQL alike (both have transactional DDL), run automatically when
the register is opened. A numbered list of functions and a ``schema_migrations`` table does that in
one small module, with no ini file, env.py or script directory to ship, and a test can migrate an
empty database, or a database at any earlier version, in milliseconds.

The rules: a migration, once released, is never edited (its table definitions are frozen here, in
its own MetaData); a schema change is a new migration appended to ``MIGRATIONS``. The runtime
reads the tables by reflection (``engine.register.db``), so there is no second copy of the schema
to drift from this history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.engine import Connection, Engine

from engine.errors import UserError

VERSIONS_TABLE = "schema_migrations"


def _versions(md: MetaData) -> Table:
    return Table(
        VERSIONS_TABLE,
        md,
        Column("version", Integer, primary_key=True, autoincrement=False),
        Column("name", String(200), nullable=False),
        Column("applied_at", DateTime, nullable=False),
    )


def _v1_core(conn: Connection) -> None:
    """Communes and their code history, evaluations with per-indicator results, decisions, audit."""
    md = MetaData()
    Table(
        "communes",
        md,
        Column("code", String(32), primary_key=True),
        Column("name", String(200), nullable=False),
        Column("province", String(200), nullable=False),
        Column("district", String(200)),
        Column("zone", Integer, nullable=False),
        Column("area", String(16), nullable=False),
        Column("first_year", Integer, nullable=False),
        Column("last_year", Integer, nullable=False),
    )
    Table(
        "commune_successions",
        md,
        Column("successor_code", String(32), ForeignKey("communes.code"), primary_key=True),
        # Not a foreign key: a predecessor may never have been imported into this register.
        Column("predecessor_code", String(32), primary_key=True),
        Column("since_year", Integer, nullable=False),
    )
    Table(
        "evaluations",
        md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("commune_code", String(32), ForeignKey("communes.code"), nullable=False),
        Column("year", Integer, nullable=False),
        Column("key_sha256", String(64), nullable=False),
        Column("commune_name", String(200), nullable=False),
        Column("facts_sha256", String(64), nullable=False),
        Column("facts_json", Text, nullable=False),
        Column("facts_submitted", Text, nullable=False),
        Column("source_file", Text),
        Column("illustrative", Boolean, nullable=False),
        Column("criteria_set_id", String(100), nullable=False),
        Column("criteria_set_hash", String(64), nullable=False),
        Column("criteria_decision", String(100), nullable=False),
        Column("draft_indicators", Integer, nullable=False),
        Column("total_indicators", Integer, nullable=False),
        Column("validity_years", Integer, nullable=False),
        Column("total_score", Float, nullable=False),
        Column("max_score", Float, nullable=False),
        Column("qualified", Boolean, nullable=False),
        Column("reasons_json", Text, nullable=False),
        Column("criteria_json", Text, nullable=False),
        Column("waived_json", Text, nullable=False),
        Column("appraiser", String(200), nullable=False),
        Column("imported_at", DateTime, nullable=False),
        UniqueConstraint("commune_code", "year", "key_sha256", name="uq_evaluation_key"),
        Index("ix_evaluations_year", "year"),
    )
    Table(
        "evaluation_indicators",
        md,
        Column("evaluation_id", Integer, ForeignKey("evaluations.id"), primary_key=True),
        Column("indicator_id", String(16), primary_key=True),
        Column("criterion_id", String(16), nullable=False),
        Column("fact", String(200), nullable=False),
        Column("status", String(16), nullable=False),
        Column("points", Float, nullable=False),
        Column("max_points", Float, nullable=False),
        Column("knockout", Boolean, nullable=False),
        Column("waived", Boolean, nullable=False),
        Column("provenance", String(16), nullable=False),
        Column("observed_json", Text, nullable=False),
    )
    Table(
        "decisions",
        md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("commune_code", String(32), ForeignKey("communes.code"), nullable=False),
        Column("year", Integer, nullable=False),
        Column("kind", String(16), nullable=False),
        Column("evaluation_id", Integer, ForeignKey("evaluations.id")),
        Column("decision_number", String(100), nullable=False),
        Column("decision_date", Date, nullable=False),
        Column("recognised_year", Integer),
        Column("valid_until", Date),
        Column("criteria_set_id", String(100)),
        Column("recorded_by", String(200), nullable=False),
        Column("recorded_at", DateTime, nullable=False),
        UniqueConstraint("commune_code", "year", name="uq_decision_commune_year"),
    )
    Table(
        "decision_audit",
        md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("decision_id", Integer),  # kept after a decision row is deleted: no foreign key
        Column("commune_code", String(32), nullable=False),
        Column("year", Integer, nullable=False),
        Column("action", String(16), nullable=False),  # create | change | delete
        Column("old_json", Text),
        Column("new_json", Text),
        Column("actor", String(200), nullable=False),
        Column("at", DateTime, nullable=False),
        Column("reason", Text),
    )
    md.create_all(conn)


def _v2_waivers(conn: Connection) -> None:
    """Waivers: an indicator exempted for a commune, with reason, approver and expiry date."""
    md = MetaData()
    Table(
        "waivers",
        md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("commune_code", String(32), nullable=False),
        Column("indicator_id", String(16), nullable=False),
        Column("reason", Text, nullable=False),
        Column("approver", String(200), nullable=False),
        Column("granted_on", Date, nullable=False),
        Column("expires_on", Date, nullable=False),
        Column("revoked_on", Date),
        Column("recorded_by", String(200), nullable=False),
        Column("recorded_at", DateTime, nullable=False),
        UniqueConstraint("commune_code", "indicator_id", "granted_on", name="uq_waiver"),
    )
    md.create_all(conn)


def _v3_users(conn: Connection) -> None:
    """People who sign in to the web application, failed sign-ins (for the limit), and an activity
    log saying which user made each write through it (engine.register.users)."""
    md = MetaData()
    Table(
        "users",
        md,
        Column("name", String(100), primary_key=True),
        Column("role", String(16), nullable=False),  # viewer | appraiser | approver
        Column("password_hash", String(200), nullable=False),  # argon2id, with its own salt
        Column("created_at", DateTime, nullable=False),
        Column("created_by", String(200), nullable=False),
    )
    Table(
        "sign_in_failures",
        md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("name", String(100), nullable=False),
        Column("client", String(100), nullable=False),
        Column("at", DateTime, nullable=False),
        Index("ix_sign_in_failures_name", "name"),
        Index("ix_sign_in_failures_client", "client"),
    )
    Table(
        "user_activity",
        md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("at", DateTime, nullable=False),
        Column("user_name", String(100), nullable=False),
        Column("action", String(32), nullable=False),
        Column("detail_json", Text, nullable=False),
        Column("client", String(100)),
    )
    md.create_all(conn)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[Connection], None]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "communes, code history, evaluations, decisions, audit trail", _v1_core),
    Migration(2, "waivers", _v2_waivers),
    Migration(3, "web users, failed sign-ins, user activity", _v3_users),
)
LATEST = MIGRATIONS[-1].version


# The PostgreSQL advisory lock that serialises the register's writers that must not interleave
# (migrations, recording a year's decisions). SQLite needs none: every write begins IMMEDIATE.
ADVISORY_LOCK = 7_201_050


def serialize(conn: Connection) -> None:
    """Hold the register's write lock until ``conn``'s transaction ends (PostgreSQL only)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({ADVISORY_LOCK})")


def current_version(engine: Engine) -> int:
    md = MetaData()
    versions = _versions(md)
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, VERSIONS_TABLE):
            return 0
        return int(conn.execute(select(versions.c.version).order_by(versions.c.version.desc())).scalar() or 0)


def migrate(engine: Engine, target: int = LATEST, url: str = "register") -> list[int]:
    """Apply every pending migration up to ``target``, each in its own transaction; return them.

    Safe to run from two processes at once: the version check and the migration run in one write
    transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-scoped advisory lock).
    """
    md = MetaData()
    versions = _versions(md)
    with engine.begin() as conn:
        serialize(conn)
        md.create_all(conn, checkfirst=True)
    applied: list[int] = []
    for m in MIGRATIONS:
        if m.version > target:
            break
        with engine.begin() as conn:
            serialize(conn)
            done = set(conn.execute(select(versions.c.version)).scalars())
            newest = max(done, default=0)
            if newest > LATEST:
                raise UserError.single(
                    url,
                    f"the register is at schema version {newest}, newer than this program knows ({LATEST})",
                    "upgrade commune-health before using this register",
                )
            if m.version in done:
                continue
            m.apply(conn)
            conn.execute(
                versions.insert().values(
                    version=m.version, name=m.name, applied_at=dt.datetime.now(dt.timezone.utc)
                )
            )
            applied.append(m.version)
    return applied
