"""Load benchmark of the web application, on loopback only and bounded.

Starts ``commune-health serve`` on a free 127.0.0.1 port (a throwaway register), then sends, for each
of three kinds of request, ``--requests`` requests with ``--concurrency`` in flight, and prints the
latency percentiles and throughput of each:

- the front page (GET /);
- an upload of the sample district (communes/dien-bien/tuan-giao.xlsx, 16 communes: read, validated,
  evaluated by durable_rules in a worker process, league table and plan targets, page rendered);
- a what-if on Tỏa Tình (two facts changed, re-evaluated before and after in a worker).

Every response is checked (status 200 and the expected content); the run stops by itself. Not a
test: figures depend on the machine and on what else runs on it (the load average is printed).

    .venv/bin/python benchmarks/web_load.py                 # 200 requests, 10 at a time
    .venv/bin/python benchmarks/web_load.py --requests 50   # a quick look
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.web.support import SAMPLE_XLSX, csrf, live_server  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def measure(name: str, n: int, concurrency: int, one: Callable[[httpx.Client, str], None], base: str) -> None:
    clients = [httpx.Client(base_url=base, timeout=300) for _ in range(concurrency)]
    tokens = [csrf(c.get("/").text) for c in clients]  # a session and its CSRF token each, not timed

    def timed(k: int) -> float:
        start = time.perf_counter()
        one(clients[k % concurrency], tokens[k % concurrency])
        return time.perf_counter() - start

    t0 = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        times = list(pool.map(timed, range(n)))
    wall = time.perf_counter() - t0
    for c in clients:
        c.close()
    ms = [t * 1000 for t in times]
    print(
        f"{name:<22} n={n:<4} c={concurrency:<3} p50 {percentile(ms, 50):8.1f} ms  p90 {percentile(ms, 90):8.1f} ms  "
        f"p99 {percentile(ms, 99):8.1f} ms  max {max(ms):8.1f} ms  mean {statistics.mean(ms):8.1f} ms  "
        f"{n / wall:6.1f} req/s"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=200, help="requests per kind (default 200, at most 2000)")
    ap.add_argument("--concurrency", type=int, default=10, help="requests in flight (default 10, at most 50)")
    ap.add_argument("--workers", type=int, default=2, help="the server's evaluation processes (default 2)")
    args = ap.parse_args()
    n, conc = min(max(1, args.requests), 2000), min(max(1, args.concurrency), 50)
    xlsx = SAMPLE_XLSX.read_bytes()
    with (
        tempfile.TemporaryDirectory() as tmp,
        live_server(Path(tmp) / "register.sqlite3", "--workers", str(args.workers)) as base,
    ):
        print(f"server {base} (loopback), {args.workers} evaluation workers, {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip
        appraisal = ""

        def front(c: httpx.Client, token: str) -> None:
            r = c.get("/")
            assert r.status_code == 200 and 'id="upload-form"' in r.text

        def upload(c: httpx.Client, token: str) -> None:
            r = c.post("/appraisals", data={"csrf": token}, files={"file": ("tuan-giao.xlsx", xlsx)},
                       follow_redirects=True)  # fmt: skip
            assert r.status_code == 200 and r.text.count('class="commune-row"') == 16, r.status_code

        def whatif(c: httpx.Client, token: str) -> None:
            form = {"csrf": token, "f:services.contraceptive_prevalence_pct": "75",
                    "f:services.newborn_screening_pct": "80"}  # fmt: skip
            r = c.post(f"{appraisal}/communes/03340/whatif", data=form)
            assert r.status_code == 200 and 'id="verdict-after" data-qualified="yes"' in r.text

        measure("front page", n, conc, front, base)
        measure("upload (16 communes)", n, conc, upload, base)
        # uploaded after the upload run (the server keeps the 64 latest uploads)
        with httpx.Client(base_url=base, timeout=300) as c:
            r = c.post("/appraisals", data={"csrf": csrf(c.get("/").text)}, files={"file": ("t.xlsx", xlsx)})
            appraisal = r.headers["location"]
        measure("what-if (Tỏa Tình)", n, conc, whatif, base)
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
