"""The zone check: which terrain (and condition) explains a zone, from the distance to the hospital."""

from __future__ import annotations

import pytest

from engine.appraisal.zones import zone_check
from tests.support import commune


def explained(zone: int, km: float | None) -> list[tuple[str | None, str]]:
    facts = commune(zone=zone, facilities={} if km is None else {"distance_to_hospital_km": km})
    return [(e.terrain, e.condition) for e in zone_check(facts).explanations]


@pytest.mark.parametrize(
    ("zone", "km", "expected"),
    [
        (3, 27.0, [("mountain", "distance"), ("plains", "distance")]),
        (3, 14.0, [("mountain", "distance")]),  # plains from 15 km
        (3, 5.0, [("mountain", "distance")]),
        (3, 4.0, [("mountain", "difficult_terrain")]),  # 3 to < 5 km: especially difficult terrain
        (3, 1.0, [(None, "hard_access")]),  # only especially hard access explains it
        (2, 4.0, [("mountain", "distance"), ("plains", "distance")]),
        (2, 0.8, [("mountain", "distance")]),
        (2, 9.0, [("plains", "distance")]),
        (2, 15.0, []),  # either terrain would make it zone 3
        (1, 2.9, [("plains", "distance")]),
        (1, 3.0, []),
    ],
)
def test_zoning_rule(zone: int, km: float, expected: list[tuple[str | None, str]]) -> None:
    assert explained(zone, km) == expected


def test_no_distance_is_not_checked() -> None:
    check = zone_check(commune(zone=2))
    assert not check.known and not check.consistent and check.distance_km is None
