"""Synthetic national data: deterministic, valid fact files, plausible distributions per zone."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from cli import main
from engine.inputs import synth
from engine.inputs.facts import CommuneFacts
from engine.inputs.loader import load_facts


@pytest.fixture(scope="module")
def sample() -> list[CommuneFacts]:
    return synth.generate(1500, seed=11)


def test_same_seed_same_communes_and_prefix_stable():
    a = synth.generate(40, seed=5)
    assert a == synth.generate(40, seed=5)
    assert a[:15] == synth.generate(15, seed=5)
    assert a != synth.generate(40, seed=6)


def test_every_commune_is_valid_illustrative_and_unique(sample):
    assert all(c.illustrative for c in sample)
    assert len({c.commune.code for c in sample}) == len(sample)
    assert all(c.year == 2024 and c.services.year == 2024 for c in sample)


def test_zone_3_is_poorer_than_zone_1(sample):
    by_zone = {z: [c for c in sample if c.commune.zone == z] for z in (1, 2, 3)}
    assert all(len(v) > 150 for v in by_zone.values())

    def mean(zone: int, get) -> float:
        return statistics.fmean(x for c in by_zone[zone] if (x := get(c)) is not None)

    for get in (
        lambda c: c.staffing.doctors,
        lambda c: c.services.bhyt_coverage_pct,
        lambda c: c.services.full_immunisation_under1_pct,
        lambda c: c.services.facility_births_pct,
        lambda c: c.facilities.has_clean_water,
    ):
        assert mean(1, get) > mean(2, get) > mean(3, get)
    assert mean(3, lambda c: c.services.stunting_under5_pct) > mean(
        1, lambda c: c.services.stunting_under5_pct
    )
    missing = {
        z: sum(c.services.bhyt_coverage_pct is None for c in by_zone[z]) / len(by_zone[z]) for z in (1, 3)
    }
    assert missing[3] > missing[1]
    near = [c for c in by_zone[1] if c.facilities.distance_to_hospital_km < 3]
    assert len(near) > 0.9 * len(by_zone[1])  # the rest: zone 2 by the zoning rule, declared 1


def test_geography_and_distance_follow_the_zoning_rule_but_for_a_few(sample, national_evaluator):
    findings = [z.finding for z in national_evaluator.zone_checks(sample) if z is not None]
    assert len(findings) == len(sample)
    stricter = findings.count("stricter")
    assert findings.count("agrees") + stricter == len(sample)  # declared below the rule, never above
    assert 0 < stricter < 0.05 * len(sample)


def test_urban_communes_are_mostly_in_zone_1(sample):
    urban = [c for c in sample if c.commune.area == "urban"]
    assert urban and sum(c.commune.zone == 1 for c in urban) > len(urban) / 2
    assert all(c.commune.name.startswith("Phường") for c in urban)


def test_written_files_load_back_identically(tmp_path: Path):
    records = list(synth.generate_data(25, seed=2))
    paths = synth.write(records, tmp_path / "out")
    assert len(paths) == 25 and all(p.is_file() for p in paths)
    assert [load_facts(p) for p in paths] == synth.generate(25, seed=2)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folder left


def test_command_writes_and_refuses_a_non_empty_folder(tmp_path: Path, capsys):
    out = tmp_path / "nation"
    assert main(["synth", "--count", "12", "--seed", "3", "--out", str(out), "--lang", "en"]) == 0
    assert "Wrote 12 synthetic communes" in capsys.readouterr().out
    assert len(list(out.rglob("*.yaml"))) == 12
    assert main(["synth", "--count", "12", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert str(out) in err and "hint:" in err
    assert main(["synth", "--count", "0", "--out", str(tmp_path / "x")]) == 2
