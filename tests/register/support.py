"""Helpers shared by the register's tests: tiny fact records, submissions, row counts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from engine.evaluation.evaluator import Evaluator
from engine.inputs.criteria import CriteriaSet
from engine.inputs.facts import CommuneFacts
from engine.register.store import Submission
from tests.register.backends import Backend
from tests.support import ROOT, TINY, tiny_set_data

__all__ = [
    "ROOT",
    "TINY",
    "TINY_INDICATORS",
    "counts",
    "submissions",
    "tiny_facts",
    "tiny_set",
    "url",
    "write_facts",
]

TINY_INDICATORS = 8


def tiny_facts(code: str, year: int, qualified: bool = True, **identity: Any) -> dict[str, Any]:
    """A fact record for the tiny criteria set (tests/conftest.py): qualifying or failing a knockout."""
    return {
        "year": year,
        "illustrative": True,
        "commune": {
            "code": code,
            "name": identity.pop("name", f"Xã {code}"),
            "province": identity.pop("province", "Điện Biên"),
            "zone": 1,
            "area": identity.pop("area", "rural"),
            **identity,
        },
        "staffing": {"doctors": 2 if qualified else 0, "traditional_medicine_workers": 1},
        "services": {
            "full_immunisation_under1_pct": 96.0,
            "stunting_under5_pct": 10.0,
            "food_poisoning_outbreaks": 0,
        },
        "management": {"steering_committee_active": True},
        "facilities": {"station_condition": "good"},
        "medicinal_garden": {"species": 45},
    }


def tiny_set() -> CriteriaSet:
    return CriteriaSet.model_validate(tiny_set_data())


def submissions(
    records: list[dict[str, Any]], waived: list[frozenset[str]] | None = None
) -> list[Submission]:
    cs = tiny_set()
    facts = [CommuneFacts.model_validate(r) for r in records]
    results = Evaluator(cs).evaluate(facts, waived=waived)
    return [
        Submission(f, r, yaml.safe_dump(rec, allow_unicode=True), None, cs.recognition.validity_years)
        for f, r, rec in zip(facts, results, records, strict=True)
    ]


def write_facts(folder: Path, records: list[dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for r in records:
        (folder / f"{r['commune']['code']}.yaml").write_text(yaml.safe_dump(r, allow_unicode=True), "utf-8")
    return folder


def counts(db: Path) -> dict[str, int]:
    """Rows per table of the SQLite register ``db`` (tests/register/backends.py for any database)."""
    return Backend("sqlite", url(db), db).counts()


def url(db: Path) -> str:
    return f"sqlite:///{db}"
