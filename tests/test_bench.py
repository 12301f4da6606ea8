"""The performance design: batches never refused, shared facts, and the benchmark runs (tiny data).

The benchmark itself (benchmarks/bench.py) is not a test: nothing here asserts a time.
"""

from __future__ import annotations

from engine import synth
from engine.compiler import compile_set, fields_read_by_indicator
from engine.evaluate import Evaluator
from engine.inference import COLLISION_FREE_IDS
from tests import reference


def fnv1a_32(text: str) -> int:
    """durable_rules' hash of a fact id (rules/src/rules/state.c, fnv1Hash32; signed char)."""
    h = 2166136261
    for b in text.encode("utf-8"):
        h ^= b if b < 128 else (b - 256) & 0xFFFFFFFF
        h = (h * 16777619) & 0xFFFFFFFF
    return h


def test_positional_fact_ids_never_clash_in_durable_rules_index():
    hashes = {fnv1a_32(str(j)) for j in range(COLLISION_FREE_IDS)}
    assert len(hashes) == COLLISION_FREE_IDS
    assert fnv1a_32(str(COLLISION_FREE_IDS)) in hashes  # the bound is tight: the next id clashes


def test_ids_of_the_old_shape_did_clash():
    # Why the ids changed: 'commune:indicator' ids clash within one batch of a national run.
    assert fnv1a_32("1472:7.5") == fnv1a_32("1521:5.2")


def test_a_national_sized_batch_agrees_with_the_reference(national):
    communes = synth.generate(3000, seed=7)  # one call, far beyond the batch that used to be refused
    got = Evaluator(national).verdicts(communes)
    for facts, verdicts in zip(communes, got, strict=True):
        ref = reference.verdicts(national, facts)
        assert {k: (s, b) for k, (s, b) in verdicts.items()} == ref


def test_only_distinct_facts_are_asserted(national):
    ev = Evaluator(national)
    communes = synth.generate(400, seed=3)
    facts, columns = ev._distinct_facts(communes)
    assert len(columns) == len(national.indicators())
    assert all(len(c) == len(communes) for c in columns)
    assert len(facts) < len(communes) * len(columns) // 2  # yes/no facts share a handful of facts
    assert len({repr(sorted(f.items())) for f in facts}) == len(facts)


def test_fields_read_come_from_the_rules(tiny):
    fields = fields_read_by_indicator(compile_set(tiny))
    assert fields["1.1"] == ("z", "v")  # thresholds differ by zone
    assert fields["1.3"] == ("v",)
    assert fields["2.4"] == ("a", "v")  # rural only
    assert fields["2.5"] == ("z", "v")  # zones 2 and 3 only


def test_write_json_streams_the_objects_of_jsonout(tmp_path, national, monkeypatch):
    import io
    import json

    from engine import batch
    from engine.render import jsonout

    paths = synth.write(list(synth.generate_data(14, seed=4)), tmp_path / "c")
    (tmp_path / "c" / "broken.yaml").write_text("year: [", encoding="utf-8")
    paths = [*paths[:7], tmp_path / "c" / "broken.yaml", *paths[7:]]
    expected = json.loads(jsonout.dumps(batch.evaluate_files(national, paths, workers=1).results, "en"))
    monkeypatch.setattr(batch, "PARALLEL_THRESHOLD", 4)
    monkeypatch.setattr(batch, "CHUNK", 3)
    for workers in (1, 2):
        out = io.StringIO()
        written, problems = batch.write_json(national, paths, out, "en", workers)
        assert written == 14 and len(problems) == 1 and "broken.yaml" in problems[0].path
        assert json.loads(out.getvalue()) == expected
    empty = io.StringIO()
    assert batch.write_json(national, [], empty, "vi") == (0, []) and json.loads(empty.getvalue()) == []


def test_every_contender_gives_the_products_verdicts(tiny):
    from benchmarks import contenders

    communes = []
    for k, facts in enumerate(synth.generate(60, seed=9)):
        data = facts.model_dump()
        data["services"]["food_poisoning_outbreaks"] = k % 3  # around the 'lt 1' threshold
        data["staffing"]["traditional_medicine_workers"] = k % 2 if k % 5 else None
        communes.append(type(facts).model_validate(data))
    expected = Evaluator(tiny).verdicts(communes)
    statuses = {v[0] for got in expected for v in got.values()}
    assert statuses == {"pass", "partial", "fail", "missing", "not_applicable"}
    for contender in (
        contenders.Floor(tiny),
        contenders.Zen(tiny),
        contenders.Zen(tiny, batch=True),
        contenders.Naive(tiny),
    ):
        assert contender.verdicts(communes) == expected, type(contender).__name__


def test_the_benchmark_runs_on_a_tiny_data_set(capsys):
    from benchmarks import bench

    assert bench.main(["--count", "30", "--repeats", "1", "--no-planner", "--workers", "2"]) == 0
    out = capsys.readouterr().out
    for line in (
        "(a)  product",
        "(b)  plain Python",
        "(c)  zen-engine",
        "(d)  durable_rules",
        "a/b",
        "a/c",
        "a/d",
    ):
        assert line in out
    assert "run 1:" in out and "30 results" in out and "FAILED" not in out
