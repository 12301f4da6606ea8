"""Folder input: every file is read or named with the reason it was not; a commune is never counted twice."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from cli import main
from engine.appraisal.area import appraise
from engine.inputs.discovery import discover
from engine.inputs.loader import load_counted, load_fact_files
from tests.support import TINY, without_privileges


def facts(code: str, year: int = 2024) -> str:
    return yaml.safe_dump(
        {
            "year": year,
            "commune": {
                "code": code,
                "name": f"Xã {code}",
                "province": "Lai Châu",
                "zone": 1,
                "area": "rural",
            },
            "staffing": {"doctors": 2},
        },
        allow_unicode=True,
    )


def hostile_folder(root: Path) -> Path:
    """A folder with every kind of entry a fact folder can hold."""
    area = root / "area"
    (area / "sub").mkdir(parents=True)
    (area / "a.yaml").write_text(facts("00001"))
    (area / "B.YAML").write_text(facts("00002"))  # upper-case suffix
    (area / "c.yml").write_text(facts("00003"))
    (area / "README.md").write_text("notes\n")
    (area / ".hidden.yaml").write_text(facts("00009"))
    other = root / "elsewhere"
    other.mkdir()
    (other / "d.yaml").write_text(facts("00004"))
    (area / "linked").symlink_to(other)  # a symbolic link to a folder: followed
    (area / "sub" / "loop").symlink_to(area)  # a loop of links: read once
    (area / "broken.yaml").symlink_to(root / "gone.yaml")
    os.mkfifo(area / "pipe.yaml")
    (area / "zz-again.yaml").write_text(facts("00001"))  # the same commune as a.yaml
    secret = area / "secret"
    secret.mkdir()
    (secret / "e.yaml").write_text(facts("00005"))
    secret.chmod(0o000)
    return area


def test_every_entry_is_read_or_named(open_tmp: Path) -> None:
    area = hostile_folder(open_tmp)
    with without_privileges():
        files, unread = discover([area])
        loaded, problems, rejected = load_counted([area])
    assert [p.name for p in files] == ["B.YAML", "a.yaml", "c.yml", "d.yaml", "zz-again.yaml"]
    said = {Path(d.path).name: d for d in unread}
    assert said["README.md"].level == "note" and "not a fact file" in said["README.md"].message
    assert said[".hidden.yaml"].level == "note"
    assert said["broken.yaml"].is_error and "broken symbolic link" in said["broken.yaml"].message
    assert said["pipe.yaml"].is_error and "FIFO" in said["pipe.yaml"].message
    assert said["secret"].is_error and "Permission denied" in said["secret"].message
    assert said["loop"].level == "note" and f"the same folder as {area}" in said["loop"].message
    assert sorted(f.commune.code for _, f in loaded) == ["00001", "00002", "00003", "00004"]
    dup = [d for d in problems if "is also in" in d.message]
    assert len(dup) == 1 and dup[0].path.endswith("zz-again.yaml") and str(area / "a.yaml") in dup[0].message
    assert rejected == 2  # the broken link and the FIFO; the duplicate is no commune of its own
    (area / "secret").chmod(0o755)


def test_appraisal_counts_add_up(open_tmp: Path, capsys) -> None:
    area = hostile_folder(open_tmp)
    (area / "secret").chmod(0o755)
    a = appraise(area, criteria=str(TINY))
    # 6 fact files (a, B, c, d, e, zz-again) + the broken link and the FIFO
    assert (a.rows, a.rejected, len(a.results)) == (8, 3, 5)
    assert a.rows == len(a.results) + a.rejected + a.other_years
    assert [r.commune for r in a.league].count("00001") == 1
    code = main(["appraise", str(area), "--criteria", str(TINY), "--lang", "en", "--format", "json"])
    err = capsys.readouterr().err
    assert code == 2 and "README.md: note: not read" in err and "is also in" in err and "Traceback" not in err


def test_plan_and_evaluate_keep_the_good_files(tmp_path: Path, capsys) -> None:
    (tmp_path / "a.yaml").write_text(facts("00001"))
    (tmp_path / "b.yaml").write_text("year: 2024\ncommune: [oops]\n")
    loaded, problems = load_fact_files([tmp_path])
    assert [f.commune.code for _, f in loaded] == ["00001"] and any(
        "b.yaml:2" in d.format() for d in problems
    )
    assert main(["plan", str(tmp_path), "--criteria", str(TINY), "--format", "json"]) == 2
    out, err = capsys.readouterr()
    assert '"commune": "00001"' in out or "00001" in out
    assert "b.yaml:2" in err


def test_a_readme_beside_the_fact_files_is_a_note_not_an_error(tmp_path: Path, capsys) -> None:
    (tmp_path / "a.yaml").write_text(facts("00001"))
    (tmp_path / "README.md").write_text("notes\n")
    assert main(["evaluate", str(tmp_path), "--criteria", str(TINY), "--lang", "en"]) in (0, 1)
    assert "README.md: note: not read: not a fact file (.yaml or .yml)" in capsys.readouterr().err
