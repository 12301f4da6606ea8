"""The shipped sets carry their official numbers; indicator 35 sits first in criterion 7."""

from __future__ import annotations

from engine.inputs.loader import load_criteria
from tests.support import ROOT


def test_every_shipped_indicator_has_its_official_number():
    for name, count in (("national-2030", 47), ("national-2020", 43)):
        cs = load_criteria(ROOT / "criteria" / f"{name}.yaml")
        assert [i.no for _, i in cs.indicators()] == list(range(1, count + 1))
    cs = load_criteria(ROOT / "criteria" / "national-2030.yaml")
    assert cs.indicator("7.5").no == 35 and cs.criteria[6].indicators[0].id == "7.5"


def test_provenance_counts_of_the_shipped_sets():
    """What is confirmed, part-confirmed and draft, indicator by indicator (the report's figures)."""
    national = load_criteria(ROOT / "criteria" / "national-2030.yaml")
    assert national.provenance_counts() == {"confirmed": 0, "part-confirmed": 3, "draft": 44}
    parts = {
        i.id: i.provenance.confirmed_parts for _, i in national.indicators() if i.provenance.confirmed_parts
    }
    assert set(parts) == {"1.1", "1.2", "7.5"}
    assert {p for p in parts["7.5"] if p.startswith("threshold.")} == {
        "threshold.northern-midlands-mountains",
        "threshold.red-river-delta",
        "threshold.north-central",
    }
    older = load_criteria(ROOT / "criteria" / "national-2020.yaml")
    assert older.provenance_counts() == {"confirmed": 0, "part-confirmed": 1, "draft": 42}
    assert all(c.provenance.confirmed_parts == ["name"] for c in older.criteria)
