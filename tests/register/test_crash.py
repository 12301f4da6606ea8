"""Nothing lost: a process killed mid-import, and two processes importing at once.

The kill is ``SIGKILL`` (kill -9): no Python cleanup, no rollback by the dying process. What must
hold afterwards: SQLite's ``PRAGMA integrity_check`` is ``ok``, no foreign key dangles, every
evaluation has all its indicator rows, only whole batches (transactions) are present, and running
the same import again completes the register; once more, and nothing changes. Every test runs on
SQLite and on a real PostgreSQL server (tests/register/backends.py).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from sqlalchemy.exc import SQLAlchemyError

from engine.register.db import Register
from engine.register.migrations import LATEST
from engine.register.store import import_submissions
from tests.register.backends import Backend
from tests.register.support import ROOT, TINY, TINY_INDICATORS, submissions, tiny_facts, write_facts

N = 60
BATCH = 10

# Imports N communes in batches of BATCH; inside the second transaction, after half of its
# communes are written, it signals the test and waits to be killed.
CHILD = """
import sys, time
from pathlib import Path
from engine.register.db import Register
from engine.register.store import import_submissions
from tests.register.support import submissions, tiny_facts
url, marker, n, batch = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
subs = submissions([tiny_facts(f"{k:05d}", 2024, qualified=k % 4 != 0) for k in range(1, n + 1)])
def hook(written):
    if written == batch + batch // 2:
        tmp = marker.with_suffix(".tmp")
        tmp.write_text(str(written))
        tmp.replace(marker)  # atomically: the test never sees it half-written
        time.sleep(600)
import_submissions(Register(url, create=True), subs, "crash test", batch_size=batch, on_written=hook)
"""

CLI = [sys.executable, str(ROOT / "cli.py")]


def wait_for(predicate, proc: subprocess.Popen, limit_s: float = 120.0) -> None:
    """Wait until ``predicate()`` or the process ends (a generous limit only guards against hanging)."""
    deadline = time.monotonic() + limit_s
    while not predicate() and proc.poll() is None:
        assert time.monotonic() < deadline, "the child process neither progressed nor ended"
        time.sleep(0.02)


def test_a_process_killed_inside_a_transaction_leaves_the_register_consistent(backend: Backend, tmp_path):
    marker = tmp_path / "in-transaction"
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, backend.url, str(marker), str(N), str(BATCH)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(marker.exists, proc)
        assert proc.poll() is None, proc.communicate()[1].decode()
        assert marker.read_text() == str(BATCH + BATCH // 2)  # killed with half a batch written
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    after_kill = backend.consistent()
    # Exactly the first transaction survived; the half-written second one left no trace.
    assert after_kill["evaluations"] == after_kill["communes"] == BATCH
    assert after_kill["evaluation_indicators"] == BATCH * TINY_INDICATORS
    records = [tiny_facts(f"{k:05d}", 2024, qualified=k % 4 != 0) for k in range(1, N + 1)]
    with Register(backend.url) as reg:  # reopen and simply run the import again
        rerun = import_submissions(reg, submissions(records), "crash test", batch_size=BATCH)
    assert (len(rerun.added), len(rerun.unchanged)) == (N - BATCH, BATCH)
    final = backend.consistent()
    assert final["evaluations"] == final["communes"] == N
    assert final["evaluation_indicators"] == N * TINY_INDICATORS
    with Register(backend.url) as reg:
        assert len(import_submissions(reg, submissions(records), "x", batch_size=BATCH).unchanged) == N
    assert backend.consistent() == final


def test_the_command_killed_at_any_moment_can_simply_be_run_again(backend: Backend, tmp_path):
    n, batch = 300, 7
    folder = write_facts(tmp_path / "facts", [tiny_facts(f"{k:05d}", 2024) for k in range(1, n + 1)])
    args = [*CLI, "register", "import", str(folder), "--year", "2024", "--appraiser", "A",
            "--criteria", str(TINY), "--batch-size", str(batch), *backend.args]  # fmt: skip

    def some_written() -> bool:
        if backend.file is not None and not backend.file.exists():
            return False
        try:
            return backend.query("SELECT COUNT(*) FROM evaluations")[0][0] >= batch
        except SQLAlchemyError:  # tables not created yet
            return False

    proc = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(some_written, proc)
        os.kill(proc.pid, signal.SIGKILL)
    except ProcessLookupError:  # it had already finished: the checks below still hold
        pass
    finally:
        proc.kill()
        proc.wait()
    got = backend.consistent()
    assert got["evaluations"] % batch == 0 or got["evaluations"] == n  # whole transactions only
    assert got["evaluation_indicators"] == got["evaluations"] * TINY_INDICATORS
    done = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert backend.consistent()["evaluations"] == n
    again = subprocess.run([*args, "--lang", "en"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert (
        again.returncode == 0
        and f"0 new evaluation(s), 0 replacing an earlier one, {n} unchanged" in again.stdout
    )


def test_two_processes_importing_at_once_do_not_corrupt_the_register(backend: Backend, tmp_path):
    records = [tiny_facts(f"{k:05d}", 2024, qualified=k % 5 != 0) for k in range(1, 121)]
    a = write_facts(tmp_path / "a", records[:80])
    b = write_facts(tmp_path / "b", records[40:])  # 40 communes in both: the same facts twice
    # The register is empty: both processes also create and migrate it at the same time.
    common = [
        "--year",
        "2024",
        "--appraiser",
        "A",
        "--criteria",
        str(TINY),
        "--batch-size",
        "5",
        *backend.args,
    ]
    procs = [
        subprocess.Popen(
            [*CLI, "register", "import", str(folder), *common],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in (a, b)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1] for o in outs]
    got = backend.consistent()
    assert got["evaluations"] == got["communes"] == 120
    assert backend.query("SELECT COUNT(*) FROM schema_migrations") == [(LATEST,)]
