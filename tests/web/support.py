"""Helpers of the web tests: a real server in a subprocess, forms' CSRF tokens, district files."""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import httpx

from engine.inputs.facts import CommuneFacts
from engine.inputs.loader import resolve_set
from engine.inputs.synth import generate
from engine.register.db import Register, url_for
from engine.register.users import Users
from engine.render.template import rows_for, template_columns, to_csv
from tests.support import ROOT

SAMPLE_XLSX = ROOT / "communes" / "dien-bien" / "tuan-giao.xlsx"
SAMPLE_DIR = ROOT / "communes" / "dien-bien" / "tuan-giao"
PASSWORD = "mat-khau-thu-nghiem"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; `make test` installs it when missing
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


class HasUrl(Protocol):
    @property
    def url(self) -> str: ...


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def add_users(db: Path, users: Sequence[tuple[str, str]]) -> None:
    with Register(url_for(db, None), create=True) as reg:
        for name, role in users:
            Users(reg).add(name, role, PASSWORD, "test")


@contextmanager
def live_server(db: Path, *extra: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """``commune-health serve`` on a free loopback port, as a person starts it; yields its base URL.
    ``env``: variables to set for the server (e.g. TMPDIR, where it makes its private folder)."""
    port = free_port()
    cmd = [sys.executable, "-c", "import sys, cli; sys.exit(cli.main(sys.argv[1:]))",
           "serve", "--port", str(port), "--db", str(db), "--workers", "2", *extra]  # fmt: skip
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # the workers start and compile the criteria set first
            if proc.poll() is not None:
                raise AssertionError(
                    f"serve exited with {proc.returncode}: {proc.stdout.read() if proc.stdout else ''}"
                )
            try:
                if httpx.get(base + "/", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise AssertionError("the server did not answer")
        yield base
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def csrf(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no CSRF token in the page"
    return m.group(1)


def client(server: HasUrl) -> httpx.Client:
    return httpx.Client(base_url=server.url, timeout=300)


def token(c: httpx.Client) -> str:
    return csrf(c.get("/").text)


def upload(c: httpx.Client, name: str, data: bytes, **extra: str) -> httpx.Response:
    return c.post(
        "/appraisals", data={"csrf": token(c), **extra}, files={"file": (name, data)}, follow_redirects=True
    )


def sign_in(c: httpx.Client, name: str, password: str = PASSWORD) -> httpx.Response:
    page = c.get("/signin")
    return c.post("/signin", data={"csrf": csrf(page.text), "name": name, "password": password, "next": "/"})


def league_codes(html: str) -> list[tuple[str, str]]:
    """(code, score text) of every league row, in order."""
    rows = re.findall(
        r'<tr class="commune-row" data-code="([^"]+)">.*?<td class="num score">([^<]+)</td>', html, re.S
    )
    return [(code, score) for code, score in rows]


def district(k: int, count: int = 8) -> list[CommuneFacts]:
    """``count`` synthetic communes of a made-up district ``k`` (codes unique across districts)."""
    out = []
    for i, f in enumerate(generate(count, seed=100 + k)):
        commune = f.commune.model_copy(
            update={"code": f"{k + 1:02d}{i:03d}", "province": "Lai Châu", "district": f"Huyện Thử {k}"}
        )
        out.append(f.model_copy(update={"commune": commune}))
    return out


def csv_bytes(facts: Sequence[CommuneFacts]) -> bytes:
    cs = resolve_set(None, facts[0].year)
    return to_csv(rows_for(template_columns(cs), facts, "vi")).encode("utf-8")


def zip_bytes(members: Sequence[tuple[str, bytes, int | None]]) -> bytes:
    """A ZIP of (name, content, unix mode or None) members; a mode lets a member claim to be a symlink."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, content, mode in members:
            info = zipfile.ZipInfo(name)
            if mode is not None:
                info.external_attr = mode << 16
            z.writestr(info, content)
    return buf.getvalue()
