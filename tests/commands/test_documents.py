"""`commune-health documents`: which documents each input allows, where they go, and every mistake
answered with a message, a hint and exit status 2 (Word files only here; PDFs: tests/render/documents)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from docx import Document

from cli import main
from tests.register.scenario import sample_register
from tests.support import ROOT

SAMPLE = ROOT / "communes" / "dien-bien" / "tuan-giao"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A register (tests/register/scenario.py) and two files that are not Word documents."""
    folder = tmp_path_factory.mktemp("inputs")
    sample_register(folder / "register.sqlite3").close()
    (folder / "letterhead.txt").write_text("not a document", encoding="utf-8")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    os.mkfifo(folder / "pipe.docx")  # opening it would wait for a writer for ever
    return folder


def written(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir())


def test_one_communes_documents_and_the_area_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = main(["documents", str(SAMPLE / "muong-khong.yaml"), "--out", str(out), "--format", "docx"])
    assert code == 0
    assert written(out) == [
        "minutes-03316-muong-khong.docx",
        "plan-tuan-giao-2025-2030.docx",
        "score-sheet-03316-muong-khong.docx",
    ]
    err = capsys.readouterr().err
    assert err.count("Đã ghi ") == 3


def test_the_sample_district_as_the_readme_shows_it(tmp_path: Path) -> None:
    """The README's command on the whole sample district: a score sheet and minutes per commune and
    the district plan, each a Word file that opens with its commune inside (PDF: tests/render/documents)."""
    out = tmp_path / "out"
    assert main(["documents", str(SAMPLE), "--out", str(out), "--format", "docx"]) == 0
    names = written(out)
    communes = sorted(p.stem for p in SAMPLE.glob("*.yaml"))
    assert len(communes) == 16 and len(names) == 2 * 16 + 1
    for kind in ("score-sheet", "minutes"):
        made = sorted(
            n.removesuffix(".docx").split("-", 3 if kind == "score-sheet" else 2)[-1]
            for n in names
            if n.startswith(kind)
        )
        assert made == communes, kind
    assert "plan-tuan-giao-2025-2030.docx" in names
    doc = Document(str(out / "score-sheet-03340-toa-tinh.docx"))
    assert any("Xã Tỏa Tình" in p.text for p in doc.paragraphs)


def test_kinds_chosen(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["documents", str(SAMPLE / "ta-ma.yaml"), "--out", str(out), "--format", "docx", "--lang", "en"]
    assert main([*args, "--kind", "score-sheets"]) == 0
    assert written(out) == ["score-sheet-03319-ta-ma.docx"]
    assert main([*args, "--kind", "plan", "--plan", "lai-chau-2030"]) == 0
    assert "plan-tuan-giao-2025-2030.docx" in written(out)


def test_register_documents(tmp_path: Path, inputs: Path) -> None:
    out = tmp_path / "out"
    args = ["documents", "--db", str(inputs / "register.sqlite3"), "--out", str(out), "--format", "docx"]
    assert main([*args, "--year", "2020"]) == 0
    assert written(out) == ["decision-2020.docx", "proposal-2020.docx"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "nothing to write: give PATH, --db, or both"),
        (["--kind", "proposal", str(SAMPLE)], "the proposal and the decision are drawn from the register"),
        (["--kind", "minutes"], "score sheets, minutes and the plan need the communes' facts"),
        (["--db", "{tmp}/nowhere.sqlite3", "--year", "2020"], "no register here"),
        (["--db", "{tmp}/register.sqlite3"], "which year's decisions?"),
        (["--db", "{tmp}/register.sqlite3", "--year", "2018"], "the register holds no evaluation for 2018"),
        ([str(SAMPLE), "--template", "{tmp}/letterhead.txt"], "a template is a Word .docx file"),
        ([str(SAMPLE), "--template", "{tmp}/broken.docx"], "cannot be opened as a Word document"),
        ([str(SAMPLE), "--template", "{tmp}/pipe.docx"], "is a FIFO (named pipe), not a regular file"),
        ([str(SAMPLE), "--plan", "no-such-plan"], "no plan with id 'no-such-plan'"),
        (["{tmp}/no-such-folder"], "not found"),
    ],
)
def test_mistakes_exit_2_with_a_hint(
    tmp_path: Path, inputs: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    out = tmp_path / "out"
    argv = [
        "documents",
        *(a.replace("{tmp}", str(inputs)) for a in args),
        "--out",
        str(out),
        "--format",
        "docx",
    ]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "hint:" in err and "Traceback" not in err
    assert not out.exists()
    assert not (inputs / "nowhere.sqlite3").exists()


def test_a_bad_file_never_hides_the_others(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    area = tmp_path / "area"
    area.mkdir()
    shutil.copy(SAMPLE / "ta-ma.yaml", area)
    (area / "broken.yaml").write_text("year: 2024\ncommune: {code: '9', name: X}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert (
        main(["documents", str(area), "--out", str(out), "--format", "docx", "--kind", "score-sheets"]) == 2
    )
    assert written(out) == ["score-sheet-03319-ta-ma.docx"]
    assert "broken.yaml" in capsys.readouterr().err
