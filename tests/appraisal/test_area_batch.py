"""Large batches: spreadsheet rows evaluated on worker processes give the single-process results."""

from __future__ import annotations

from engine.evaluation.batch import PARALLEL_THRESHOLD, evaluate_facts
from engine.inputs.criteria import CriteriaSet
from engine.inputs.facts import CommuneFacts


def _facts(k: int) -> CommuneFacts:
    return CommuneFacts.model_validate(
        {
            "year": 2024,
            "commune": {"code": f"{k:05d}", "name": f"Xã {k}", "province": "Điện Biên", "zone": 1 + k % 3,
                        "area": "rural" if k % 4 else "urban"},
            "staffing": {"doctors": 2 + k % 2 if k % 5 else 0, "traditional_medicine_workers": k % 2},
            "services": {"full_immunisation_under1_pct": float(70 + k % 30), "stunting_under5_pct": float(k % 30),
                         "food_poisoning_outbreaks": int(k % 7 == 0)},
            "management": {"steering_committee_active": bool(k % 5)},
            "medicinal_garden": {"species": 30 + k % 15},
            "facilities": {"station_condition": "good" if k % 6 else "degraded"},
        }
    )  # fmt: skip


def test_parallel_batch_equals_single_process(tiny: CriteriaSet) -> None:
    facts = [_facts(k) for k in range(PARALLEL_THRESHOLD + 60)]
    sources = [f"rows.csv:{k + 2}" for k in range(len(facts))]
    ticks: list[int] = []
    parallel = evaluate_facts(tiny, facts, sources, workers=2, progress=ticks.append)
    single = evaluate_facts(tiny, facts, sources, workers=1)
    assert sum(ticks) == len(facts) and len(ticks) >= 2  # the progress bar advances per chunk
    assert parallel == single
    assert [r.source_file for r in parallel] == sources
    assert 0 < sum(r.qualified for r in single) < len(facts)
