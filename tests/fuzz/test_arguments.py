"""Fuzz: any text as the value of every numeric flag, date and ``--set`` value.

The other arguments are chosen so that a valid value fails fast on purpose (a register or input
that does not exist, an output folder already in use), so each example costs milliseconds.
Asserted: exit 0, 1 or 2 only, no traceback, bounded time and memory, and on exit 2 the message
names the flag or the path at fault.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.support import run, tally
from tests.support import ROOT, TINY

MISSING = "/nonexistent/commune-health/register.sqlite3"
NOWHERE = "/nonexistent/commune-health/area"
VALUES = st.one_of(
    st.text(max_size=25),
    st.integers().map(str),
    st.floats().map(repr),
    st.sampled_from(
        [
            "9" * 5000,
            "-0",
            "0x10",
            "1e309",
            " 2024 ",
            "２０２４",
            "2024-12-15",
            "9999-12-31",
            "0000",
            "1_000",
            "1.5e9",
            "92,11%",
            "-1",
            "0",
            "3",
            "100000000000",
            "\x00",
            "\n",
        ]
    ),
)
TEMPLATES = {  # flag: argv with {} for the value
    "--year (review)": ["review", "--year", "{}", "--db", MISSING],
    "--decision-date": ["register", "decide", "--year", "2024", "--decision-date", "{}", "--db", MISSING],
    "--year (import)": ["register", "import", NOWHERE, "--year", "{}", "--appraiser", "A"],
    "--batch-size": ["register", "import", NOWHERE, "--year", "2024", "--appraiser", "A", "--batch-size", "{}"],
    "--revoke": ["register", "waive", "--revoke", "{}", "--db", MISSING],
    "--workers": ["appraise", NOWHERE, "--workers", "{}"],
    "--year (appraise)": ["appraise", NOWHERE, "--year", "{}"],
    "--top": ["plan", NOWHERE, "--top", "{}"],
    "--budget": ["plan", NOWHERE, "--budget", "{}"],
    "--by": ["plan", NOWHERE, "--by", "{}"],
    "--start-year": ["target", NOWHERE, "--rate", "90", "--by", "2030", "--start-year", "{}"],
    "--rate": ["target", NOWHERE, "--rate", "{}", "--by", "2030"],
    "--count": ["synth", "--count", "{}", "--out", str(ROOT)],
    "--seed": ["synth", "--seed", "{}", "--out", str(ROOT)],
    "--set": ["simulate", "{facts}", "--criteria", str(TINY), "--set", "staffing.doctors={}"],
    "--set %": ["simulate", "{facts}", "--criteria", str(TINY), "--set", "services.full_immunisation_under1_pct={}"],
}  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flag=st.sampled_from(sorted(TEMPLATES)), value=VALUES)
def test_any_value_of_any_flag(flag: str, value: str, outcomes: Counter[str], tmp_path_factory) -> None:
    facts = tiny_facts_file(tmp_path_factory)
    argv = [a.replace("{facts}", str(facts)).replace("{}", value) for a in TEMPLATES[flag]]
    if "\x00" in value:
        return  # the operating system refuses NUL in arguments before any program sees them
    r = run(argv)
    name = flag.split(" ")[0]
    if r.code == 2:
        assert name in r.err or "/nonexistent" in r.err or str(ROOT) in r.err or "argument" in r.err, r.err
    tally(outcomes, "flag value", f"exit {r.code}")


def tiny_facts_file(factory) -> Path:
    folder = factory.getbasetemp() / "fuzz-args"
    path = folder / "facts.yaml"
    if not path.exists():
        folder.mkdir(exist_ok=True)
        path.write_text(
            "year: 2024\ncommune: {code: '01', name: Xã Thử, province: Lai Châu, zone: 1, area: rural}\n"
            "staffing: {doctors: 2}\nservices: {full_immunisation_under1_pct: 96.5}\n",
            encoding="utf-8",
        )
    return path
