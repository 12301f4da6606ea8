"""The performance design: batches never refused, shared facts, and the benchmark runs (tiny data).

The benchmark itself (benchmarks/bench.py) is not a test: nothing here asserts a time.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.evaluation.compiler import compile_set, fields_read_by_indicator
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.inference import COLLISION_FREE_IDS
from engine.inputs import synth
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


def test_onlydistinct_facts_are_asserted(national):
    ev = Evaluator(national)
    communes = synth.generate(400, seed=3)
    facts, columns = ev.distinct_facts(communes)
    assert len(columns) == len(national.indicators()) + 1  # and the zoning rule's
    assert all(len(c) == len(communes) for c in columns)
    assert len(facts) < len(communes) * len(columns) // 2  # yes/no facts share a handful of facts
    assert len({repr(sorted(f.items())) for f in facts}) == len(facts)


def test_fields_read_come_from_the_rules(tiny):
    fields = fields_read_by_indicator(compile_set(tiny))
    assert fields["1.1"] == ("z", "v")  # thresholds differ by zone
    assert fields["1.3"] == ("v",)
    assert fields["2.4"] == ("a", "v")  # rural only
    assert fields["2.5"] == ("z", "v")  # zones 2 and 3 only


def test_fields_read_by_the_language_constructs(national):
    fields = fields_read_by_indicator(Evaluator(national).compiled)
    assert fields["7.5"] == ("r", "v")  # indicator 35: thresholds by region
    assert fields["1.2"] == ("v", "v1")  # a condition over two facts
    assert fields["zoning"] == ("v", "v1", "v2")  # geography, difficult terrain, distance


def _varied(n: int) -> list:
    """Synthetic communes around the tiny set's thresholds, some facts missing."""
    communes = []
    for k, facts in enumerate(synth.generate(n, seed=9)):
        data = facts.model_dump()
        data["services"]["food_poisoning_outbreaks"] = k % 3  # around the 'lt 1' threshold
        data["staffing"]["traditional_medicine_workers"] = k % 2 if k % 5 else None
        communes.append(type(facts).model_validate(data))
    return communes


def test_every_contender_gives_the_products_verdicts(tiny):
    from benchmarks import contenders

    communes = _varied(60)
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


@pytest.mark.parametrize("set_name", ["tiny", "national"])
def test_every_whole_path_contender_scores_like_the_product(set_name, request):
    from benchmarks import whole

    cs = request.getfixturevalue(set_name)
    communes = _varied(60)
    expected = whole.Product(cs).evaluate(communes)
    assert {q for _, q, _ in expected} == {True, False} or set_name == "national"
    for contender in (whole.Floor(cs), whole.Zen(cs), whole.Naive(cs)):
        assert contender.evaluate(communes) == expected, type(contender).__name__


def test_the_benchmark_runs_on_a_tiny_data_set(capsys):
    from benchmarks import bench

    assert bench.main(["--quick", "--count", "30", "--no-planner", "--workers", "2"]) == 0
    out = capsys.readouterr().out
    for line in (
        "1. whole evaluation",
        "(a)  product, Evaluator.evaluate",
        "(b)  plain Python",
        "(c)  zen-engine, graph that scores",
        "(d)  durable_rules",
        "product ÷ floor",
        "2. verdict step alone",
        "(c') zen-engine, evaluate_batch",
        "3. the commands",
        "evaluate --format jsonl, 30 files, run 1:",
        "evaluate of one file",
        "register import 30",
        "where the batch's time goes",
        "4. the goals of issue 12",
        "load average",
    ):
        assert line in out, line
    assert "FAILED" not in out


# --- the fast path of fact files: parse_simple must read exactly what PyYAML reads, or give up -------

_KEYS = ["a", "b", "code", "zone", "x_1", "Key", "yes", "on", "null", "y", "n"]
_VALUES = [
    "1", "0", "-3", "007", "0x1F", "1_000", "1e5", "1.5e3", "95.0", "-0.5", ".5", "05.5", "190:20:30",
    ".inf", ".NaN", "2024-01-01", "true", "True", "yes", "No", "off", "~", "null", "NULL", "y", "n",
    "'00058'", "00058", "'it''s'", "'bad'quote'", '"dq"', '"a\\tb"', "Xã Bắc Phú", "Điện Biên",
    "a: b", "a:b", "x #c", "x#c", "[1, 2]", "{a: 1}", "- item", "&anchor", "*ref", "!!str 5", "|",
    ">", "=", "<<", "%x", "@x", "`x", "rural", "a, b", "trailing  ", "'unterminated", "@", "a:",
]  # fmt: skip


def _strict_equal(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_strict_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_strict_equal(x, y) for x, y in zip(a, b, strict=True))
    return a == b


_SAFE = ["1", "0", "95.0", "12", "true", "false", "rural", "Xã Bắc Phú", "'00058'", ""]
_VALUE = st.one_of(
    st.sampled_from(_SAFE),
    st.sampled_from(_VALUES),
    st.text(alphabet="ab: #'\"-.019xẫ", min_size=1, max_size=6),
)


def _compare(text: str) -> bool:
    """True when parse_simple read the text (and then it must read exactly what PyYAML reads)."""
    import yaml

    from engine.inputs import yamlio

    fast = yamlio.parse_simple(text)
    try:
        slow = yaml.load(text, Loader=yamlio._Loader)
    except yaml.YAMLError:
        assert fast is None, text
        return False
    assert fast is None or _strict_equal(fast, slow), (text, fast, slow)
    return fast is not None


@pytest.mark.parametrize("value", _VALUES)
def test_parse_simple_reads_each_tricky_value_like_pyyaml(value):
    _compare(f"k: {value}\n")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from([0, 0, 0, 2, 2, 4, 1, 3]), st.sampled_from(_KEYS), _VALUE), max_size=8)
)
def test_parse_simple_reads_what_pyyaml_reads_or_gives_up(lines):
    text = "\n".join(f"{' ' * i}{k}:{' ' + v if v else ''}" for i, k, v in lines) + "\n"
    _compare(text)
    _compare(text.replace("\n", "\r\n"))


def test_the_property_above_reaches_the_fast_path():
    texts = ["a: 1\nb:\n  c: true\n  d: Xã\ne: '00058'\n", "a:\n", "a: 1\n  b: 2\n", "a: [1]\n"]
    assert [_compare(t) for t in texts] == [True, True, False, False]


def test_synthetic_fact_files_take_the_fast_path(tmp_path):
    import yaml

    from engine.inputs import yamlio

    for data in synth.generate_data(200, seed=12):
        text = synth.to_yaml(data)
        fast = yamlio.parse_simple(text)
        assert fast is not None and _strict_equal(fast, yaml.load(text, Loader=yamlio._Loader))
