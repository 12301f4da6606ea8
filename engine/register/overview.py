"""What the register holds at a glance: the years evaluated and the communes, for browsing it."""

from __future__ import annotations

from sqlalchemy import select

from engine.register.db import Register


def years(reg: Register) -> list[int]:
    """The years with an evaluation or a decision, latest first."""
    ev, d = reg.t["evaluations"], reg.t["decisions"]
    with reg.read() as conn:
        found = set(conn.execute(select(ev.c.year).distinct()).scalars())
        found |= set(conn.execute(select(d.c.year).distinct()).scalars())
    return sorted(found, reverse=True)


def communes(reg: Register) -> list[tuple[str, str, str | None, int]]:
    """(code, name, district, last year evaluated) of every commune, by name."""
    c = reg.t["communes"]
    with reg.read() as conn:
        rows = conn.execute(
            select(c.c.code, c.c.name, c.c.district, c.c.last_year).order_by(c.c.name, c.c.code)
        )
        return [(r.code, r.name, r.district, r.last_year) for r in rows]
