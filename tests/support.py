"""Shared test helpers: the project root, the tiny criteria set (one YAML file), commune records."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from engine.inputs.facts import CommuneFacts

ROOT = Path(__file__).resolve().parent.parent
NATIONAL_2030 = ROOT / "criteria" / "national-2030.yaml"
# A small, fully specified criteria set exercising every operator, zones, bands and knockouts.
TINY = ROOT / "tests" / "data" / "tiny-criteria.yaml"


def commune(zone: int = 1, area: str = "rural", **sections: dict[str, Any]) -> CommuneFacts:
    """A commune fact record with the given sections (everything else absent)."""
    data: dict[str, Any] = {
        "year": 2024,
        "commune": {"code": "00001", "name": "Xã Thử", "province": "Tỉnh Thử", "zone": zone, "area": area},
    }
    data.update(copy.deepcopy(sections))
    return CommuneFacts.model_validate(data)


def tiny_set_data() -> dict[str, Any]:
    """The tiny criteria set as plain data (a fresh copy: tests may change it before validating)."""
    data: dict[str, Any] = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    return data
