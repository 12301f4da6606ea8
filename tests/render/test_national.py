"""Large runs streamed: `evaluate --format json` byte for byte as before, and the compact `jsonl` format.

Nothing here times anything (benchmarks/bench.py measures); the parallel paths run on tiny data by
lowering the thresholds at which the batch starts workers.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.evaluation import batch
from engine.evaluation.batch import SetChoice
from engine.inputs import synth
from engine.inputs.loader import load_facts
from engine.render import jsonl, jsonout, national
from tests.support import ROOT


@pytest.fixture(scope="module")
def area(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """14 synthetic communes of 2024, a broken file among them, and one commune twice."""
    folder = tmp_path_factory.mktemp("national") / "c"
    paths = synth.write(list(synth.generate_data(14, seed=4)), folder)
    (folder / "broken.yaml").write_text("year: [", encoding="utf-8")
    twice = folder / "twice.yaml"
    twice.write_text(paths[2].read_text(encoding="utf-8"), encoding="utf-8")
    return [*paths[:7], folder / "broken.yaml", *paths[7:], twice]


@pytest.fixture()
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "PARALLEL_THRESHOLD", 4)
    monkeypatch.setattr(batch, "CHUNK", 3)


def expected_results(national, paths):
    facts = [load_facts(p) for p in paths if p.name not in ("broken.yaml", "twice.yaml")]
    sources = [str(p) for p in paths if p.name not in ("broken.yaml", "twice.yaml")]
    from engine.evaluation.evaluator import Evaluator

    return Evaluator(national).evaluate(facts, sources)


@pytest.mark.parametrize("workers", [1, 2])
def test_json_is_byte_for_byte_the_array_of_jsonout(national, area, small_chunks, workers):
    out = io.BytesIO()
    written = national_write(area, national, "json", out, workers)
    assert out.getvalue().decode("utf-8") == jsonout.dumps(expected_results(national, area), "en")
    assert written.communes == 14 and not written.all_qualified
    assert [Path(d.path).name for d in written.diagnostics] == ["broken.yaml", "twice.yaml"]
    assert "is also in" in written.diagnostics[1].message  # a commune is never written twice


def national_write(paths, cs, fmt, out, workers):
    return national.write(paths, SetChoice(fixed=cs), fmt, out, "en", workers)


def test_jsonout_dumps_is_what_json_gives(national, area):
    results = expected_results(national, area)[:3]
    objs = [jsonout.commune_object(r, "vi") for r in results]
    assert jsonout.dumps(results, "vi") == json.dumps(objs, ensure_ascii=False, indent=2)
    assert jsonout.dumps([], "vi") == "[]"
    assert jsonout.encode({"n": 2**70}) == b'{"n":1180591620717411303424}'  # beyond orjson's 64 bits


def read_jsonl(text: str) -> tuple[dict, list[dict]]:
    lines = [json.loads(x) for x in text.splitlines()]
    assert lines[0]["type"] == "criteria_set" and all(x["type"] == "commune" for x in lines[1:])
    return lines[0], lines[1:]


@pytest.mark.parametrize("workers", [1, 2])
def test_jsonl_holds_each_communes_results_by_id(national, area, small_chunks, workers):
    out = io.BytesIO()
    written = national_write(area, national, "jsonl", out, workers)
    head, communes = read_jsonl(out.getvalue().decode("utf-8"))
    results = expected_results(national, area)
    assert written.communes == len(communes) == len(results) == 14
    assert head["format"] == jsonl.FORMAT and head["id"] == "national-2030"
    assert head["hash"] == results[0].criteria_set.hash
    assert [i["id"] for i in head["indicators"]] == [i.id for i in results[0].indicators]
    assert head["columns"] == ["status", "points", "observed", "threshold", "gap"]
    for line, r in zip(communes, results, strict=True):
        assert line["commune"]["id"] == r.commune.id and line["set"] == head["id"]
        assert line["total_score"] == r.total_score and line["qualified"] == r.qualified
        assert line["reasons"] == [x.text("en") for x in r.reasons]
        assert line["criteria"] == {c.id: [c.score, c.passed] for c in r.criteria}
        for i in r.indicators:
            status, points, observed, threshold, gap = line["indicators"][i.id]
            shown = list(i.observed.values()) if isinstance(i.observed, dict) else i.observed
            assert (status, points, observed) == (i.status, i.points, shown)
            assert threshold == i.threshold and gap == (i.gap.text("en") if i.gap else None)
        assert [m[0] for m in line["remediation"]] == [m.indicator for m in r.remediation]
        for _, recovers, ids in line["remediation"]:
            assert recovers >= 0 and all(a in head["actions"] for a in ids)  # every action defined once
        # The points of the indicators add up to the criteria's scores and the total.
        by_criterion: dict[str, float] = {}
        for ind in head["indicators"]:
            by_criterion[ind["criterion"]] = (
                by_criterion.get(ind["criterion"], 0) + line["indicators"][ind["id"]][1]
            )
        assert by_criterion == pytest.approx({k: v[0] for k, v in line["criteria"].items()})


def test_jsonl_is_compact(national, area):
    out = io.BytesIO()
    national_write(area, national, "jsonl", out, 1)
    _, *lines = out.getvalue().splitlines()
    assert max(len(x) for x in lines) < 5_000  # the goal for the national format: ≤ 5 KB per commune
    assert b"Commune health station" not in b"".join(lines)  # texts of the set are in its line only


def test_jsonl_heads_each_criteria_set_before_its_first_commune(tmp_path):
    synth.write(list(synth.generate_data(2, seed=5, year=2020)), tmp_path / "2020")
    synth.write(list(synth.generate_data(2, seed=6)), tmp_path / "2024")
    p = run("evaluate", str(tmp_path / "2020"), str(tmp_path / "2024"), "--format", "jsonl", "--lang", "en")
    assert p.returncode in (0, 1), p.stderr
    lines = [json.loads(x) for x in p.stdout.splitlines()]
    heads = [x["id"] for x in lines if x["type"] == "criteria_set"]
    assert sorted(heads) == ["national-2020", "national-2030"]
    seen: set[str] = set()
    for x in lines:
        if x["type"] == "criteria_set":
            seen.add(x["id"])
        else:
            assert x["set"] in seen


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def test_out_writes_the_file_and_keeps_the_old_one_on_error(tmp_path, area):
    out = tmp_path / "national.jsonl"
    p = run("evaluate", *map(str, area), "--format", "jsonl", "--out", str(out))
    assert p.returncode == 2 and p.stdout == ""  # the broken file and the duplicate
    assert "broken.yaml" in p.stderr and "is also in" in p.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 15
    out.write_text("old", encoding="utf-8")
    p = run("evaluate", *map(str, area), "--format", "jsonl", "--out", str(out), "--criteria", "nope")
    assert p.returncode == 2 and "nope" in p.stderr
    assert out.read_text(encoding="utf-8") == "old" and [f.name for f in tmp_path.iterdir()] == [out.name]
    p = run("evaluate", str(area[0]), "--out", str(out))
    assert p.returncode == 2 and "--format json" in p.stderr


def test_json_on_stdout_across_workers(tmp_path):
    folder = tmp_path / "many"
    synth.write(list(synth.generate_data(230, seed=8)), folder)  # above the parallel threshold (200)
    one = run("evaluate", str(folder), "--format", "json", "--workers", "1")
    two = run("evaluate", str(folder), "--format", "json", "--workers", "2")
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout and len(json.loads(one.stdout)) == 230
