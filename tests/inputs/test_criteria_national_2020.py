"""criteria/national-2020.yaml: Decision 4667/QĐ-BYT as a draft set, in force for 2015–2022."""

from __future__ import annotations

from cli import main
from engine.inputs.loader import CRITERIA_DIR, load_criteria, resolve_set

PATH = CRITERIA_DIR / "national-2020.yaml"


def test_it_lints(capsys):
    assert main(["criteria", "lint", str(PATH)]) == 0
    assert "national-2020" in capsys.readouterr().out


def test_confirmed_structure_and_recognition_rule():
    cs = load_criteria(PATH)
    assert cs.decision.number == "4667/QĐ-BYT" and str(cs.decision.date) == "2014-11-07"
    assert len(cs.criteria) == 10 and cs.max_points == 100
    rule = cs.recognition
    assert (rule.min_total, rule.min_criterion_share, rule.knockouts_must_pass, rule.validity_years) == (
        80,
        0.5,
        True,
        3,
    )
    assert rule.provenance.status == "confirmed"


def test_every_indicator_and_criterion_is_a_draft():
    cs = load_criteria(PATH)
    assert cs.draft_count == len(cs.indicators())
    assert all(c.provenance.status == "draft" for c in cs.criteria)
    assert cs.notes is not None and "DRAFT" in cs.notes.en and "DỰ THẢO" in cs.notes.vi


def test_the_medicinal_garden_is_scored_but_not_a_knockout():
    cs = load_criteria(PATH)
    garden = [i for _, i in cs.indicators() if any(f.startswith("medicinal_garden.") for f in i.reads)]
    assert garden and all(i.points > 0 and not i.knockout for i in garden)
    model = cs.indicator(
        "4.4"
    )  # a garden (beds or pots), then 40 species: sub-items, drafts citing their source
    assert [(i.id, i.points) for i in model.items] == [("garden", 1), ("species-40", 1)]
    assert "ksbthoabinh.vn" in model.provenance.draft_sources["items.species-40"]
    assert model.provenance.confirmed_parts == ["knockout"]


def test_the_set_in_force_is_chosen_by_year():
    assert [resolve_set(None, y).id for y in (2015, 2019, 2022, 2023, 2024)] == [
        "national-2020",
        "national-2020",
        "national-2020",
        "national-2030",
        "national-2030",
    ]
