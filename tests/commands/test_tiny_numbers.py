"""A tiny figure (0.00001 %) goes through every command that evaluates, end to end: durable_rules once
read '1e-05' as a string and the run died with exit 3; now each command judges it like any number."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli import main
from tests.support import ROOT

SAMPLE = ROOT / "communes" / "dien-bien" / "tuan-giao"
TINY = "0.00001"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two sample communes, one with a coverage of 0.00001 % (far below any threshold)."""
    out = tmp_path / "communes"
    out.mkdir()
    text = (SAMPLE / "toa-tinh.yaml").read_text(encoding="utf-8")
    assert "  bhyt_coverage_pct: " in text
    lines = [
        f"  bhyt_coverage_pct: {TINY}" if ln.startswith("  bhyt_coverage_pct: ") else ln
        for ln in text.splitlines()
    ]
    (out / "toa-tinh.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "muong-khong.yaml").write_text((SAMPLE / "muong-khong.yaml").read_text(encoding="utf-8"), "utf-8")
    return out


def coverage(indicators: list[dict]) -> dict:
    [ind] = [i for i in indicators if i.get("fact") == "services.bhyt_coverage_pct"]
    return ind


def test_evaluate_and_appraise_judge_a_tiny_figure(folder: Path, capsys) -> None:
    assert main(["evaluate", str(folder / "toa-tinh.yaml"), "--format", "json"]) == 1  # does not qualify
    ind = coverage(json.loads(capsys.readouterr().out)[0]["indicators"])
    assert (ind["observed"], ind["status"]) == (1e-05, "fail")
    assert main(["appraise", str(folder), "--format", "json"]) in (0, 1)
    dossier = json.loads(capsys.readouterr().out)
    communes = {c["commune"]["name"]: c for c in dossier["communes"]}
    assert set(communes) == {"Xã Tỏa Tình", "Xã Mường Khong"}
    assert coverage(communes["Xã Tỏa Tình"]["indicators"])["status"] == "fail"


def test_simulate_sets_a_tiny_figure(capsys) -> None:
    code = main(["simulate", str(SAMPLE / "muong-khong.yaml"), "--set", f"services.bhyt_coverage_pct={TINY}",
                 "--format", "json", "--lang", "en"])  # fmt: skip
    assert code in (0, 1)
    changed = json.loads(capsys.readouterr().out)
    [ind] = [i for i in changed["indicators"] if i["status_after"] == "fail" and i["status_before"] == "pass"]
    assert ind["observed_after"] == 1e-05


def test_register_import_stores_a_tiny_figure(folder: Path, tmp_path: Path, capsys) -> None:
    db = tmp_path / "register.sqlite3"
    assert (
        main(["register", "import", str(folder), "--year", "2024", "--appraiser", "A", "--db", str(db)]) == 0
    )
    capsys.readouterr()
    assert main(["register", "history", "03340", "--db", str(db), "--format", "json", "--lang", "en"]) == 0
    [evaluation] = json.loads(capsys.readouterr().out)["evaluations"]
    assert evaluation["year"] == 2024 and not evaluation["qualified"]
