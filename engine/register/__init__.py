"""The recognition register: communes and their code history, evaluations, decisions, audit, waivers.

SQLite by default (one file), any SQLAlchemy URL (PostgreSQL) with the same code. Modules:
:mod:`.db` (opening, SQLite safety settings), :mod:`.migrations` (versioned schema),
:mod:`.store` (idempotent imports in transactions), :mod:`.rules` (the yearly decision rules, pure),
:mod:`.decisions` (proposing and recording decisions, audit trail), :mod:`.history`,
:mod:`.review` (the annual review), :mod:`.waiver_store`.
"""
