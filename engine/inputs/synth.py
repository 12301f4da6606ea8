"""Synthetic national data: communes in the fact format, with realistic distributions per zone.

For benchmarks, demonstrations and load tests only: every generated commune is marked
``illustrative: true`` and its note says it is synthetic. Nothing here is real data.

Deterministic: commune ``k`` of seed ``s`` is drawn from its own generator seeded with ``"s:k"``, so
the same seed always gives the same communes, on every platform and whatever the count (the first
30 communes of a 10,600-commune run are the 30 communes of a 30-commune run).

The distributions are plausible, not measured: zone 3 communes (remote, mountain, border, island)
are poorer in every respect — fewer doctors, lower coverage, more degraded stations, more missing
figures — zone 1 communes (plains, close to a hospital) richer; within a commune, figures are
correlated through one latent "capacity" draw, so a weak station tends to be weak everywhere.
"""

from __future__ import annotations

import math
import os
import random
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

from engine.inputs.facts import CommuneFacts

NATIONAL_COUNT = 10_600  # commune-level units before the July 2025 merger
SECTION_ORDER = (
    "commune",
    "staffing",
    "medicinal_garden",
    "facilities",
    "equipment",
    "services",
    "management",
)

ZONE_WEIGHTS = {1: 0.25, 2: 0.40, 3: 0.35}
URBAN_SHARE = {1: 0.55, 2: 0.15, 3: 0.03}
MISSING_RATE = {1: 0.01, 2: 0.02, 3: 0.05}  # share of figures left out of a fact file
OUT_OF_DATE_ZONING = 0.02  # communes declared one zone below what the zoning rule gives
CAPACITY_MEAN = {1: 0.8, 2: 0.3, 3: -0.6}  # latent capacity, in standard deviations

# Percentages: mean per zone (1, 2, 3) and spread.
PERCENTS: dict[str, tuple[tuple[float, float, float], float]] = {
    "staffing.villages_with_health_worker_pct": ((99, 97, 90), 5),
    "staffing.staff_trained_in_year_pct": ((85, 75, 60), 15),
    "equipment.essential_equipment_pct": ((93, 85, 72), 9),
    "equipment.essential_medicines_pct": ((92, 85, 74), 9),
    "services.full_immunisation_under1_pct": ((97, 94, 88), 4),
    "services.bhyt_coverage_pct": ((96, 93, 88), 4),
    "services.bhyt_visits_at_station_pct": ((14, 22, 27), 7),
    "services.antenatal_4visits_pct": ((92, 84, 68), 9),
    "services.facility_births_pct": ((98, 91, 76), 8),
    "services.skilled_birth_attendance_pct": ((99, 94, 82), 7),
    "services.postnatal_first_week_pct": ((90, 82, 68), 10),
    "services.underweight_under5_pct": ((8, 12, 19), 4),
    "services.stunting_under5_pct": ((14, 19, 27), 5),
    "services.hypertension_managed_pct": ((58, 48, 36), 12),
    "services.diabetes_managed_pct": ((40, 30, 18), 10),
    "services.mental_health_managed_pct": ((92, 85, 72), 10),
    "services.tb_detection_pct": ((88, 78, 64), 14),
    "services.elderly_health_records_pct": ((80, 68, 50), 15),
    "services.electronic_health_book_pct": ((80, 62, 38), 18),
    "services.annual_health_check_pct": ((60, 45, 28), 15),
    "services.yhct_treatment_pct": ((28, 26, 20), 8),
    "services.rehabilitation_managed_pct": ((60, 48, 34), 15),
    "services.contraceptive_prevalence_pct": ((68, 66, 58), 8),
    "services.prenatal_screening_pct": ((65, 48, 28), 15),
    "services.newborn_screening_pct": ((70, 50, 30), 15),
    "services.households_clean_water_pct": ((97, 90, 76), 8),
    "services.households_sanitary_latrine_pct": ((92, 80, 60), 12),
    "services.food_businesses_compliant_pct": ((90, 85, 75), 10),
}
# Percentages where a higher figure is worse: capacity pushes them down.
LOWER_IS_BETTER = frozenset({"services.underweight_under5_pct", "services.stunting_under5_pct"})

# Yes/no facts: probability of "yes" per zone (1, 2, 3).
BOOLEANS: dict[str, tuple[float, float, float]] = {
    "medicinal_garden.has_garden": (0.85, 0.80, 0.65),
    "medicinal_garden.labelled": (0.80, 0.72, 0.55),
    "facilities.has_clean_water": (0.99, 0.95, 0.82),
    "facilities.has_sanitary_latrine": (0.99, 0.95, 0.85),
    "facilities.has_electricity": (1.0, 0.99, 0.93),
    "facilities.medical_waste_managed": (0.95, 0.88, 0.72),
    "equipment.has_emergency_transport": (0.70, 0.55, 0.35),
    "equipment.has_computer_and_internet": (0.99, 0.93, 0.75),
    "services.emergency_24h": (0.99, 0.96, 0.88),
    "services.ncd_managed_at_station": (0.95, 0.88, 0.70),
    "services.outbreaks_controlled": (0.99, 0.97, 0.92),
    "services.hiv_programme_active": (0.96, 0.92, 0.82),
    "management.steering_committee_active": (0.97, 0.94, 0.88),
    "management.health_in_resolution_or_plan": (0.97, 0.94, 0.88),
    "management.annual_health_plan": (0.98, 0.95, 0.88),
    "management.commune_health_budget": (0.92, 0.85, 0.70),
    "management.mass_organisations_engaged": (0.95, 0.92, 0.86),
    "management.reports_on_time": (0.95, 0.90, 0.78),
    "management.health_information_software": (0.98, 0.92, 0.75),
    "management.electronic_medical_records": (0.60, 0.40, 0.18),
    "management.bhyt_electronic_claims": (0.98, 0.94, 0.80),
}

PROVINCES = (
    "Hà Nội", "Hải Phòng", "Đà Nẵng", "Thành phố Hồ Chí Minh", "Cần Thơ", "Hà Giang", "Cao Bằng",
    "Bắc Kạn", "Tuyên Quang", "Lào Cai", "Điện Biên", "Lai Châu", "Sơn La", "Yên Bái", "Hòa Bình",
    "Thái Nguyên", "Lạng Sơn", "Quảng Ninh", "Bắc Giang", "Phú Thọ", "Vĩnh Phúc", "Bắc Ninh",
    "Hải Dương", "Hưng Yên", "Thái Bình", "Hà Nam", "Nam Định", "Ninh Bình", "Thanh Hóa", "Nghệ An",
    "Hà Tĩnh", "Quảng Bình", "Quảng Trị", "Thừa Thiên Huế", "Quảng Nam", "Quảng Ngãi", "Bình Định",
    "Phú Yên", "Khánh Hòa", "Ninh Thuận", "Bình Thuận", "Kon Tum", "Gia Lai", "Đắk Lắk", "Đắk Nông",
    "Lâm Đồng", "Bình Phước", "Tây Ninh", "Bình Dương", "Đồng Nai", "Bà Rịa - Vũng Tàu", "Long An",
    "Tiền Giang", "Bến Tre", "Trà Vinh", "Vĩnh Long", "Đồng Tháp", "An Giang", "Kiên Giang",
    "Hậu Giang", "Sóc Trăng", "Bạc Liêu", "Cà Mau",
)  # fmt: skip
_SYLLABLES = (
    "An", "Bình", "Hòa", "Phú", "Tân", "Long", "Thạnh", "Minh", "Quang", "Hưng", "Đông", "Tây",
    "Nam", "Bắc", "Trung", "Phúc", "Thượng", "Hạ", "Mường", "Nà", "Pá", "Chiềng", "Tà", "Xuân",
)  # fmt: skip
_ASCII = str.maketrans("àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ",
                       "aaaaaaaaaaaaaaaaadeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyy")  # fmt: skip


def slug(name: str) -> str:
    """``Bà Rịa - Vũng Tàu`` → ``ba-ria-vung-tau``: an ASCII folder name."""
    out = "".join(ch if ch.isalnum() else "-" for ch in name.lower().translate(_ASCII))
    return "-".join(p for p in out.split("-") if p)


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    section, name = path.split(".")
    data.setdefault(section, {})[name] = value


def commune_data(seed: int, k: int, year: int = 2024) -> dict[str, Any]:
    """The fact-file content of synthetic commune ``k`` of ``seed`` (plain data, as in YAML)."""
    rng = random.Random(f"{seed}:{k}")
    zone = rng.choices((1, 2, 3), weights=tuple(ZONE_WEIGHTS.values()))[0]
    area = "urban" if rng.random() < URBAN_SHARE[zone] else "rural"
    capacity = rng.gauss(CAPACITY_MEAN[zone], 1.0)  # latent: a weak station is weak everywhere
    z = zone - 1
    province = PROVINCES[k % len(PROVINCES)]
    name = f"{rng.choice(_SYLLABLES)} {rng.choice(_SYLLABLES)}"
    population = max(800, int(rng.lognormvariate(math.log((12_000, 8_000, 5_000)[z]), 0.45)))
    # Geography and distance as the zoning rule (criteria YAML, domain brief §8) reads them: zone 1
    # plains < 3 km; zone 2 plains 3–15 km or highland under 5 km; zone 3 highland ≥ 5 km (≥ 3 km on
    # especially difficult terrain) or plains ≥ 15 km. A few communes are declared one zone below
    # what the rule gives, as happens when a zoning decision is out of date.
    geography = "lowland" if zone == 1 or rng.random() < (0.0, 0.6, 0.3)[zone - 1] else "highland"
    difficult = zone == 3 and geography == "highland" and rng.random() < 0.3
    if zone == 1:
        distance = round(rng.uniform(0.3, 2.9), 1)
    elif zone == 2:
        distance = round(rng.uniform(3.0, 14.9) if geography == "lowland" else rng.uniform(0.5, 4.9), 1)
    else:
        low = 15.0 if geography == "lowland" else 3.0 if difficult else 5.0
        distance = round(rng.uniform(low, 60.0), 1)
    declared = zone - 1 if zone > 1 and rng.random() < OUT_OF_DATE_ZONING else zone
    data: dict[str, Any] = {
        "schema_version": 1,
        "illustrative": True,
        "note": f"Synthetic commune (commune-health synth, seed {seed}): the figures are not real.",
        "year": year,
        "commune": {
            "code": f"{k + 1:05d}",
            "name": f"{'Phường' if area == 'urban' else 'Xã'} {name}",
            "province": province,
            "zone": declared,
            "area": area,
            "geography": geography,
            "difficult_terrain": difficult,
            "population": population,
            "villages": max(1, round(population / rng.uniform(500, 1200))),
        },
    }
    missing = MISSING_RATE[zone]

    def keep() -> bool:
        return rng.random() >= missing

    def shift() -> float:  # correlated with capacity, plus noise of its own
        return 0.6 * (capacity - CAPACITY_MEAN[zone]) + 0.8 * rng.gauss(0.0, 1.0)

    staff_mean = (1.9, 1.4, 0.8)[z] * math.exp(0.25 * capacity)
    counts = {
        "staffing.doctors": staff_mean,
        "staffing.midwives_or_ob_assistants": (1.6, 1.3, 0.9)[z] * math.exp(0.2 * capacity),
        "staffing.traditional_medicine_workers": (1.0, 0.8, 0.5)[z] * math.exp(0.2 * capacity),
        "services.food_poisoning_outbreaks": (0.08, 0.06, 0.05)[z],
        "services.communication_sessions": (16.0, 13.0, 9.0)[z] * math.exp(0.15 * capacity),
        "services.loudspeaker_broadcasts_per_month": (5.0, 4.0, 2.5)[z] * math.exp(0.15 * capacity),
    }
    for path, mean in counts.items():
        if keep():
            _set(data, path, _poisson(rng, mean))
    if keep():
        others = _poisson(rng, (4.0, 3.5, 3.0)[z])
        s = data.get("staffing", {})
        listed = sum(int(s.get(f, 0)) for f in ("doctors", "midwives_or_ob_assistants"))
        _set(data, "staffing.total_staff", listed + int(s.get("traditional_medicine_workers", 0)) + others)
    for path, (means, spread) in PERCENTS.items():
        if keep():
            sign = -1.0 if path in LOWER_IS_BETTER else 1.0
            value = means[z] + sign * spread * shift()
            _set(data, path, round(min(100.0, max(0.0, value)), 1))
    for path, probs in BOOLEANS.items():
        if keep():
            p = min(0.999, max(0.001, probs[z] + 0.05 * (capacity - CAPACITY_MEAN[zone])))
            _set(data, path, rng.random() < p)
    if keep():
        weights = ((0.85, 0.12, 0.03), (0.68, 0.24, 0.08), (0.45, 0.35, 0.20))[z]
        _set(
            data,
            "facilities.station_condition",
            rng.choices(("good", "degraded", "needs_rebuild"), weights)[0],
        )
    if keep():
        _set(data, "facilities.functional_rooms", max(3, _poisson(rng, (12.0, 10.0, 8.0)[z])))
    _set(data, "facilities.distance_to_hospital_km", distance)
    garden = data.get("medicinal_garden", {})
    if garden.get("has_garden") is False:
        garden.pop("labelled", None)
        _set(data, "medicinal_garden.species", 0)
        _set(data, "medicinal_garden.area_m2", 0.0)
    elif keep():
        _set(data, "medicinal_garden.species", max(5, int(rng.gauss((45, 40, 30)[z], 10))))
        _set(data, "medicinal_garden.area_m2", round(rng.uniform(40.0, 400.0), 1))
    if keep():
        _set(data, "services.sex_ratio_at_birth", round(rng.gauss(111.0, 3.0), 1))
    _set(data, "services.year", year)
    order = ("schema_version", "illustrative", "note", "year", *SECTION_ORDER)
    return {key: data[key] for key in order if key in data}


def generate_data(count: int = NATIONAL_COUNT, seed: int = 1, year: int = 2024) -> Iterator[dict[str, Any]]:
    """The fact-file contents of ``count`` synthetic communes, in order."""
    for k in range(count):
        yield commune_data(seed, k, year)


def generate(count: int = NATIONAL_COUNT, seed: int = 1, year: int = 2024) -> list[CommuneFacts]:
    """``count`` synthetic communes as validated :class:`CommuneFacts`, in memory."""
    return [CommuneFacts.model_validate(d) for d in generate_data(count, seed, year)]


def relative_path(data: dict[str, Any]) -> str:
    """Where a commune's fact file goes inside the output folder: ``<province>/<code>.yaml``."""
    return f"{slug(data['commune']['province'])}/{data['commune']['code']}.yaml"


def to_yaml(data: dict[str, Any]) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    head = "# Synthetic commune generated by `commune-health synth`: illustrative, not real figures.\n"
    return head + yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=200)


def write(records: Sequence[dict[str, Any]], out: Path) -> list[Path]:
    """Write fact files under ``out`` (which must not exist or be empty), all or nothing.

    Files are written into a temporary sibling folder that is renamed to ``out`` at the end, so an
    interrupted run never leaves a half-written data set behind.
    """
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileExistsError(str(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        rels = [relative_path(d) for d in records]
        for folder in sorted({os.path.dirname(r) for r in rels}):
            (tmp / folder).mkdir(parents=True, exist_ok=True)
        for rel, d in zip(rels, records, strict=True):
            (tmp / rel).write_text(to_yaml(d), encoding="utf-8")
        if out.exists():
            out.rmdir()
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [out / r for r in rels]
