"""Ctrl-C in a parallel appraisal: exit 130, no traceback from the workers, and the dossier in --out
is the one that was there before — never a mix of old and new files, no temporary file left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from engine.inputs import synth
from tests.support import ROOT


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def test_ctrl_c_in_a_parallel_appraisal(tmp_path: Path) -> None:
    area = tmp_path / "area"
    synth.write(list(synth.generate_data(450, 7, 2024)), area)  # above the parallel threshold (200)
    out = tmp_path / "out"
    out.mkdir()
    old = {f"appraisal-area-2024.{ext}": f"old {ext}" for ext in ("xlsx", "html", "csv", "json")}
    for name, text in old.items():
        (out / name).write_text(text, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "cli.py"), "appraise", str(area), "--out", str(out), "--format", "json"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    try:
        deadline = time.monotonic() + 60  # a hang guard only: the workers start within seconds
        while not children(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "the appraisal ended before it could be interrupted"
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the parent and every worker get it
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err and "corrupted" not in err, err
    assert {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()} == old
