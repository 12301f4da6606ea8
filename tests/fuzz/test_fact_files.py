"""Fuzz: folders of hostile fact files through ``evaluate`` and ``appraise``.

Each example is a folder of one to four files, each a valid commune record mutated at random:
a value replaced by something hostile (infinities, NaN, huge or tiny numbers, 5,000-digit integers,
long or odd strings, lists and mappings where a number goes), keys added or dropped, or the text
itself broken (cut short, bytes inserted, CR line endings, a BOM, NUL bytes, alias bombs, deep
nesting, duplicate keys). Asserted of every run: exit 0, 1 or 2 only, no traceback, bounded time
and memory, and every file accounted for — evaluated (its path in the JSON) or named in the errors;
and ``appraise``'s counts add up: read = evaluated + rejected + other years.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.appraisal.area import appraise
from engine.errors import UserError
from tests.fuzz.support import bounded, run, tally
from tests.support import TINY

HOSTILE_VALUES = st.one_of(
    st.sampled_from(
        [
            float("inf"),
            float("-inf"),
            float("nan"),
            10**30,
            -(10**30),
            2**63,
            -1,
            0,
            1e-320,
            1e-05,
            1e308,
            5e-324,
            99.99999999999999,
            100.00000000000001,
            "",
            " ",
            "95",
            "0x10",
            ".inf",
            "١٢",
            "\u202e",
            "x" * 5000,
            True,
            False,
            None,
            [],
            {},
            [1, 2],
            {"a": 1},
            "2024-02-30",
            "~",
            "yes",
            "null",
        ]
    ),
    st.integers(),
    st.floats(),
    st.text(max_size=30),
)
SECTIONS = {
    "staffing": ["doctors", "traditional_medicine_workers", "villages_with_health_worker_pct"],
    "services": ["full_immunisation_under1_pct", "stunting_under5_pct", "food_poisoning_outbreaks", "year"],
    "management": ["steering_committee_active"],
    "facilities": ["station_condition", "distance_to_hospital_km"],
    "medicinal_garden": ["species", "area_m2"],
    "commune": ["code", "name", "province", "zone", "area", "population"],
}
BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 10)}]\n" for a, b in zip("abcdefg", "bcdefgh", strict=True)
)


def base(k: int) -> dict[str, Any]:
    return {
        "year": 2024,
        "commune": {
            "code": f"{k:05d}",
            "name": f"Xã {k}",
            "province": "Lai Châu",
            "zone": 1 + k % 3,
            "area": "rural",
        },
        "staffing": {"doctors": k % 3, "traditional_medicine_workers": 1},
        "services": {
            "full_immunisation_under1_pct": 90.0 + k,
            "stunting_under5_pct": 12.5,
            "food_poisoning_outbreaks": 0,
        },
        "management": {"steering_committee_active": True},
        "facilities": {"station_condition": "good"},
        "medicinal_garden": {"species": 40},
    }


@st.composite
def fact_file(draw: st.DrawFn, k: int) -> tuple[str, bytes]:
    """(what was done, the file's bytes)."""
    data = base(k)
    how = draw(st.sampled_from(["valid", "value", "value", "key", "drop", "text", "bytes", "special"]))
    if how == "value":
        section = draw(st.sampled_from(sorted(SECTIONS)))
        field = draw(st.sampled_from(SECTIONS[section]))
        data[section][field] = draw(HOSTILE_VALUES)
    elif how == "key":
        where = draw(st.sampled_from([None, *sorted(SECTIONS)]))
        target = data if where is None else data[where]
        target[draw(st.text(min_size=1, max_size=12))] = draw(HOSTILE_VALUES)
    elif how == "drop":
        section = draw(st.sampled_from(["year", "commune", *sorted(SECTIONS)]))
        data.pop(section, None)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    if how == "text":
        cut = draw(st.integers(0, len(text)))
        junk = draw(st.text(max_size=20))
        text = draw(st.sampled_from([text[:cut], text[:cut] + junk + text[cut:], text.replace("\n", "\r"),
                                     "\ufeff" + text, text + text.splitlines()[1] + "\n", "\t" + text]))  # fmt: skip
    raw = text.encode("utf-8")
    if how == "bytes":
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=16)) + raw[at:]
    if how == "special":
        raw = draw(st.sampled_from([BOMB, "a: &a [1, *a]\n", "[" * 2000, "? [a]\n: 1\n", "", "~\n",
                                    "year: " + "9" * 5000 + "\n", "- 1\n- 2\n"])).encode()  # fmt: skip
    return how, raw


@st.composite
def folder(draw: st.DrawFn) -> list[tuple[str, bytes]]:
    n = draw(st.integers(1, 4))
    return [draw(fact_file(k)) for k in range(1, n + 1)]


def write(d: Path, files: list[tuple[str, bytes]]) -> list[str]:
    names = []
    for k, (_, raw) in enumerate(files):
        name = f"f{k}.yaml"
        (d / name).write_bytes(raw)
        names.append(name)
    return names


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=folder())
def test_evaluate_hostile_fact_files(files: list[tuple[str, bytes]], outcomes: Counter[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        names = write(d, files)
        special = any(how == "special" for how, _ in files)  # the bombs: their memory traced
        r = run(
            ["evaluate", str(d), "--criteria", str(TINY), "--format", "json", "--lang", "en"], memory=special
        )
        evaluated = {Path(x["source_file"]).name for x in json.loads(r.out)} if r.out.strip() else set()
        for name, (how, _) in zip(names, files, strict=True):
            named = str(d / name) in r.err
            assert name in evaluated or named, f"{name} ({how}) is neither evaluated nor named:\n{r.err}"
            assert not (name in evaluated and named and r.code != 2), name
            tally(outcomes, "fact file", "evaluated" if name in evaluated else "rejected with its path")
        assert (r.code == 2) == any(name not in evaluated for name in names)
        tally(outcomes, "evaluate run", f"exit {r.code}")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=folder())
def test_appraise_counts_add_up(files: list[tuple[str, bytes]], outcomes: Counter[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        write(d, files)
        try:
            with bounded(memory=any(how == "special" for how, _ in files)):
                a = appraise(d, criteria=str(TINY), year=2024)
        except UserError as exc:
            assert exc.diagnostics and all(x.hint or x.line for x in exc.diagnostics)
            tally(outcomes, "appraise run", "nothing readable: exit 2")
            return
        assert a.rows == len(files) == len(a.results) + a.rejected + a.other_years
        assert len({d.path for d in a.diagnostics if d.is_error}) == a.rejected
        tally(outcomes, "appraise run", f"{len(a.results)} evaluated, {a.rejected} rejected")
