"""The table of regions and provinces: complete before and after the 2025 merger, names matched the
way people write them, and every problem in a fact file's province or region reported with a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import UserError
from engine.inputs.loader import REGIONS_FILE, load_facts, load_regions, places


def test_63_provinces_before_the_merger_and_34_after():
    table = load_regions()
    before = [p for p in table.provinces if p.from_year is None]
    after = [p for p in table.provinces if p.until_year is None]
    assert len(before) == 63 and len(after) == 34
    assert len(table.regions) == 7
    by_region: dict[str | None, list[str]] = {}
    for p in before:
        by_region.setdefault(p.region, []).append(p.name)
    assert {r: len(n) for r, n in by_region.items()} == {
        "northern-midlands-mountains": 14,
        "red-river-delta": 11,
        "north-central": 6,
        "south-central-coast": 8,
        "central-highlands": 5,
        "southeast": 6,
        "mekong-delta": 13,
    }
    assert all(p.source in table.sources for p in table.provinces)


def test_provinces_merged_across_regions_have_several():
    spanning = {
        p.name: places().candidates(p.name, 2025)
        for p in load_regions().provinces
        if p.from_year == 2025 and len(places().candidates(p.name, 2025) or ()) > 1
    }
    assert set(spanning) == {
        "Phú Thọ",
        "Bắc Ninh",
        "Quảng Ngãi",
        "Gia Lai",
        "Lâm Đồng",
        "Đắk Lắk",
        "Tây Ninh",
    }
    assert places().region_of("Gia Lai", 2025, None) is None  # the commune must say
    assert places().region_of("Gia Lai", 2025, "south-central-coast") == "south-central-coast"
    assert places().region_of("Gia Lai", 2024, None) == "central-highlands"  # before the merger


@pytest.mark.parametrize(
    ("written", "region"),
    [
        ("Điện Biên", "northern-midlands-mountains"),
        ("Tỉnh Điện Biên", "northern-midlands-mountains"),
        ("Dien Bien", "northern-midlands-mountains"),
        ("Hoà Bình", "northern-midlands-mountains"),  # old tone placement
        ("TP. Hồ Chí Minh", "southeast"),
        ("Thành phố Hồ Chí Minh", "southeast"),
        ("Bà Rịa–Vũng Tàu", "southeast"),
        ("Thừa Thiên - Huế", "north-central"),
        ("Huế", "north-central"),  # the name since 2025, in a 2024 file
        ("Hà Giang", "northern-midlands-mountains"),  # a name gone since 2025, in a 2025 file
    ],
)
def test_names_as_people_write_them(written, region):
    year = 2025 if written == "Hà Giang" else 2024
    assert places().region_of(written, year, None) == region


def _fact_file(tmp_path: Path, commune: str) -> Path:
    f = tmp_path / "x.yaml"
    f.write_text(
        f"year: 2025\ncommune: {{code: '1', name: X, zone: 1, area: rural, {commune}}}\n", encoding="utf-8"
    )
    return f


@pytest.mark.parametrize(
    ("commune", "message", "hint"),
    [
        ("province: Lai Chau", None, None),  # accepted: written without diacritics
        ("province: Tỉnh Thử", "unknown province 'Tỉnh Thử'", "criteria/regions/regions.yaml"),
        (
            "province: Lai Châu, region: red-river-delta",
            "does not match the province",
            "remove commune.region",
        ),
        ("province: Gia Lai, region: southeast", "does not match the province", "remove commune.region"),
        ("province: Gia Lai, region: mars", "unknown region 'mars'", "central-highlands"),
    ],
)
def test_a_fact_files_province_and_region_are_checked(tmp_path, commune, message, hint):
    f = _fact_file(tmp_path, commune)
    if message is None:
        assert load_facts(f).commune.province == "Lai Chau"
        return
    with pytest.raises(UserError) as exc:
        load_facts(f)
    [d] = exc.value.diagnostics
    assert d.line == 2 and message in d.message and hint in d.hint, d.format()


def test_a_broken_table_is_reported_at_its_lines(tmp_path):
    text = REGIONS_FILE.read_text(encoding="utf-8")
    broken = tmp_path / "regions.yaml"
    broken.write_text(
        text.replace(
            "{name: Cao Bằng, region: northern-midlands-mountains, source: gso-63}",
            "{name: Cao Bằng, region: highlands, source: gso}",
        ),
        encoding="utf-8",
    )
    with pytest.raises(UserError) as exc:
        load_regions(broken)
    messages = [d.format() for d in exc.value.diagnostics]
    assert any("province Cao Bằng › source: unknown source 'gso'" in m for m in messages), messages
    assert any("province Cao Bằng › region: unknown region 'highlands'" in m for m in messages), messages
    assert all(d.line for d in exc.value.diagnostics)
