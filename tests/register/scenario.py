"""A small register covering every decision type, for the tests of what is drawn from it.

2019: A, B, C qualify and are recognised (decision 12/QĐ-UBND of 15/12/2019), D does not qualify;
2020 (evaluated, not recorded): A maintained, B withdrawn, D new; C holds its title, not evaluated.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from engine.register import decisions
from engine.register.db import Register
from engine.register.store import import_submissions
from tests.register.support import submissions, tiny_facts, url

A, B, C, D = "00001", "00002", "00003", "00004"


def import_year(reg: Register, year: int, qualified: dict[str, bool]) -> None:
    records = [tiny_facts(code, year, ok, district="Huyện Thử") for code, ok in qualified.items()]
    import_submissions(reg, submissions(records), "Hội đồng thử")


def sample_register(db: Path) -> Register:
    reg = Register(url(db), create=True)
    import_year(reg, 2019, {A: True, B: True, C: True, D: False})
    decisions.apply(reg, 2019, "12/QĐ-UBND", dt.date(2019, 12, 15), "test")
    import_year(reg, 2020, {A: True, B: False, D: True})
    return reg
