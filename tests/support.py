"""Shared test helpers: the project root, the tiny criteria set (one YAML file), commune records."""

from __future__ import annotations

import codecs
import contextlib
import copy
import os
import pwd
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from engine.inputs.facts import CommuneFacts

ROOT = Path(__file__).resolve().parent.parent
NATIONAL_2030 = ROOT / "criteria" / "national-2030.yaml"
# A small, fully specified criteria set exercising every operator, zones, bands and knockouts.
TINY = ROOT / "tests" / "data" / "tiny-criteria.yaml"


def commune(
    zone: int = 1,
    area: str = "rural",
    province: str = "Điện Biên",
    year: int = 2024,
    identity: dict[str, Any] | None = None,
    **sections: dict[str, Any],
) -> CommuneFacts:
    """A commune fact record with the given sections (everything else absent); ``identity``: more
    facts of ``commune:`` (region, geography, difficult_terrain, …)."""
    data: dict[str, Any] = {
        "year": year,
        "commune": {"code": "00001", "name": "Xã Thử", "province": province, "zone": zone, "area": area},
    }
    data["commune"].update(identity or {})
    data.update(copy.deepcopy(sections))
    return CommuneFacts.model_validate(data)


def tiny_set_data() -> dict[str, Any]:
    """The tiny criteria set as plain data (a fresh copy: tests may change it before validating)."""
    data: dict[str, Any] = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    return data


@contextlib.contextmanager
def without_privileges() -> Iterator[None]:
    """Run the block as an ordinary user: as root, with the effective uid and gid of ``nobody``
    (root reads and writes through any permission, so permission errors need someone else)."""
    if os.geteuid() != 0:
        yield
        return
    nobody = pwd.getpwnam("nobody")
    codecs.lookup("utf-8-sig")  # imported on first use: nobody may not read the interpreter's folder
    os.setegid(nobody.pw_gid)
    os.seteuid(nobody.pw_uid)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def open_folder(prefix: str) -> Path:
    """A new folder that ``nobody`` may traverse (pytest's tmp_path is private to the user)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o777)
    return folder
