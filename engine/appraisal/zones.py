"""The zone check of the appraisal minutes: is the zone a commune was given explained by its distance?

The provincial Department of Health assigns each commune a zone (vùng) by decision, from the distance
between the commune health station and the nearest hospital, district health centre or regional
polyclinic (domain brief §3 and §8, confirmed by two independent sources):

- zone 3 — mountain, remote, border or island communes at ≥ 5 km (≥ 3 km where the terrain is
  especially difficult); plains or midland communes at ≥ 15 km; any commune whose geography or
  transport makes access especially hard;
- zone 2 — mountain etc. communes below those distances; plains or midland communes at 3 to < 15 km;
- zone 1 — plains or midland communes at < 3 km.

Commune facts hold the distance (``facilities.distance_to_hospital_km``) but not the terrain, so the
check says under which terrain (and which extra condition) the assigned zone follows from the
distance. It reads facts only; the council decides, on the Department's zoning decision.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from engine.inputs.facts import CommuneFacts

Terrain = Literal["mountain", "plains"]
# Under which condition a terrain explains the zone: by distance alone, by especially difficult
# terrain (mountain communes at 3 to < 5 km), or only by especially hard access.
Condition = Literal["distance", "difficult_terrain", "hard_access"]

MOUNTAIN_ZONE3_KM = 5.0
MOUNTAIN_DIFFICULT_ZONE3_KM = 3.0
PLAINS_ZONE3_KM = 15.0
PLAINS_ZONE2_KM = 3.0


class Explanation(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    terrain: Terrain | None  # None: any terrain (especially hard access)
    condition: Condition


class ZoneCheck(BaseModel):
    """The assigned zone against the zoning rule; ``explanations`` empty means it does not follow."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    zone: int
    distance_km: float | None
    explanations: list[Explanation]

    @property
    def known(self) -> bool:
        return self.distance_km is not None

    @property
    def consistent(self) -> bool:
        return bool(self.explanations)


def _explanations(zone: int, d: float) -> list[Explanation]:
    out: list[Explanation] = []
    if zone == 3:
        if d >= MOUNTAIN_ZONE3_KM:
            out.append(Explanation(terrain="mountain", condition="distance"))
        elif d >= MOUNTAIN_DIFFICULT_ZONE3_KM:
            out.append(Explanation(terrain="mountain", condition="difficult_terrain"))
        if d >= PLAINS_ZONE3_KM:
            out.append(Explanation(terrain="plains", condition="distance"))
        if not out:
            out.append(Explanation(terrain=None, condition="hard_access"))
    elif zone == 2:
        if d < MOUNTAIN_ZONE3_KM:
            out.append(Explanation(terrain="mountain", condition="distance"))
        if PLAINS_ZONE2_KM <= d < PLAINS_ZONE3_KM:
            out.append(Explanation(terrain="plains", condition="distance"))
    elif zone == 1 and d < PLAINS_ZONE2_KM:
        out.append(Explanation(terrain="plains", condition="distance"))
    return out


def zone_check(facts: CommuneFacts) -> ZoneCheck:
    zone = facts.commune.zone
    d = facts.facilities.distance_to_hospital_km
    if d is None:
        return ZoneCheck(zone=zone, distance_km=None, explanations=[])
    return ZoneCheck(zone=zone, distance_km=float(d), explanations=_explanations(zone, float(d)))
