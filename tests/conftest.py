from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from engine.evaluation.evaluator import Evaluator
from engine.inputs.criteria import CriteriaSet
from engine.inputs.facts import CommuneFacts
from engine.inputs.loader import load_criteria

ROOT = Path(__file__).resolve().parent.parent
NATIONAL_2030 = ROOT / "criteria" / "national-2030.yaml"


@pytest.fixture(scope="session")
def national() -> CriteriaSet:
    return load_criteria(NATIONAL_2030)


@pytest.fixture(scope="session")
def national_evaluator(national: CriteriaSet) -> Evaluator:
    return Evaluator(national)


def commune(zone: int = 1, area: str = "rural", **sections: dict[str, Any]) -> CommuneFacts:
    """A commune fact record with the given sections (everything else absent)."""
    data: dict[str, Any] = {
        "year": 2024,
        "commune": {"code": "00001", "name": "Xã Thử", "province": "Tỉnh Thử", "zone": zone, "area": area},
    }
    data.update(copy.deepcopy(sections))
    return CommuneFacts.model_validate(data)


def tiny_set_data() -> dict[str, Any]:
    """A small, fully specified criteria set exercising every operator, zones, bands and knockouts."""
    doc = {"what": {"vi": "a", "en": "a"}, "why": {"vi": "b", "en": "b"}, "fix": {"vi": "c", "en": "c"}}
    prov = {"status": "draft", "note": "test"}

    def ind(i: str, fact: str, op: str, points: float, threshold: Any = None, **kw: Any) -> dict[str, Any]:
        d = {
            "id": i,
            "title": {"vi": f"Chỉ tiêu {i}", "en": f"Indicator {i}"},
            "fact": fact,
            "operator": op,
            "points": points,
            "doc": doc,
            "source": "test",
            "provenance": prov,
        }
        if threshold is not None:
            d["threshold"] = threshold
        d.update(kw)
        return d

    return {
        "id": "tiny",
        "title": {"vi": "Bộ thử", "en": "Test set"},
        "decision": {"number": "0/TEST", "date": "2024-01-01"},
        "effective": {"from_year": 2000, "until_year": 2001},
        "max_points": 20,
        "provenance": prov,
        "recognition": {"min_total": 16, "min_criterion_share": 0.5, "validity_years": 3, "provenance": prov},
        "criteria": [
            {
                "id": "1",
                "name": {"vi": "Một", "en": "One"},
                "max_points": 10,
                "provenance": prov,
                "indicators": [
                    ind("1.1", "staffing.doctors", "gte", 4, {1: 2, 2: 1, 3: 1}, knockout=True),
                    ind(
                        "1.2",
                        "services.full_immunisation_under1_pct",
                        "gte",
                        4,
                        95,
                        partial=[
                            {"threshold": 90, "points": 2},
                            {"threshold": {1: 85, 2: 80, 3: 75}, "points": 1},
                        ],
                    ),
                    ind("1.3", "management.steering_committee_active", "is_true", 2),
                ],
            },
            {
                "id": "2",
                "name": {"vi": "Hai", "en": "Two"},
                "max_points": 10,
                "provenance": prov,
                "indicators": [
                    ind("2.1", "services.stunting_under5_pct", "lte", 3, {1: 15, 2: 20, 3: 25}),
                    ind("2.2", "facilities.station_condition", "in", 3, ["good"]),
                    ind("2.3", "services.food_poisoning_outbreaks", "lt", 2, 1, knockout=True),
                    ind("2.4", "medicinal_garden.species", "gt", 1, 39, applies_to={"areas": ["rural"]}),
                    ind(
                        "2.5",
                        "staffing.traditional_medicine_workers",
                        "eq",
                        1,
                        1,
                        applies_to={"zones": [2, 3]},
                    ),
                ],
            },
        ],
    }


@pytest.fixture(scope="session")
def tiny() -> CriteriaSet:
    return CriteriaSet.model_validate(tiny_set_data())


@pytest.fixture(scope="session")
def tiny_evaluator(tiny: CriteriaSet) -> Evaluator:
    return Evaluator(tiny)
