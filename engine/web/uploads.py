"""Uploaded files: their type told by their content, stored in a private folder, ZIPs unpacked safely.

Nothing the client says is trusted: not the file name (never part of a path: the file is stored as
``upload.xlsx``, ``upload.csv`` or a folder of ``f0001.yaml`` …), not the content type. The type is
read from the bytes: an XLSX is a ZIP holding ``xl/workbook.xml``; any other ZIP must hold fact files
(YAML); a CSV is UTF-8 text without NUL bytes. A ZIP member is unpacked only when it is a regular
``.yaml``/``.yml`` file whose name is relative and has no ``..``: absolute names, ``../`` escapes,
symbolic links, devices and everything else are skipped and listed. Sizes are bounded before
anything is unpacked (declared sizes) and while unpacking (actual bytes), so a ZIP bomb stops early.
"""

from __future__ import annotations

import io
import os
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from engine.errors import UserError
from engine.inputs.columns import header_key

XLSX, CSV, FACTS_ZIP = "xlsx", "csv", "zip"
FACT_SUFFIXES = (".yaml", ".yml")


class TooLarge(Exception):
    """An upload beyond the size or row limits (HTTP 413)."""

    def __init__(self, what: str, limit: int) -> None:
        super().__init__(what)
        self.what = what
        self.limit = limit


class Unsupported(Exception):
    """An upload whose content is no spreadsheet, CSV or ZIP of fact files (HTTP 415)."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * 1024 * 1024  # the upload as sent
    max_unpacked: int = 100 * 1024 * 1024  # everything unpacked from a ZIP, or inside an XLSX
    max_rows: int = 3000  # communes: spreadsheet rows or fact files


@dataclass
class Stored:
    """An upload in its private folder: what it is, where it is, what was left out of it."""

    kind: str
    folder: Path
    path: Path  # the file (xlsx, csv) or the folder of fact files (zip)
    members: dict[str, str] = field(default_factory=dict)  # stored file name -> name in the ZIP
    skipped: list[str] = field(default_factory=list)  # ZIP members not unpacked, and why


def sniff(data: bytes) -> str:
    """The kind of an upload from its bytes (raises :class:`Unsupported`)."""
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            raise Unsupported("a damaged ZIP") from None
        return XLSX if "xl/workbook.xml" in names else FACTS_ZIP
    if b"\x00" in data:
        raise Unsupported("binary content")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise Unsupported("not UTF-8 text") from None
    if not data.strip():
        raise Unsupported("an empty file")
    return CSV


def count_rows(stored: Stored) -> int:
    """Communes in an upload, counted cheaply before anything is evaluated."""
    if stored.kind == FACTS_ZIP:
        return len(stored.members)
    if stored.kind == CSV:
        lines = stored.path.read_text(encoding="utf-8-sig").splitlines()
        return max(0, sum(1 for x in lines if x.strip() and not x.lstrip().startswith("#")) - 1)
    from openpyxl import load_workbook  # only spreadsheets need it

    try:
        wb = load_workbook(stored.path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise UserError.single(
            "upload.xlsx", f"not a readable XLSX workbook: {exc}", "save it again from Excel"
        ) from None
    try:
        preferred = [n for n in wb.sheetnames if header_key(n) in ("dữ liệu", "data", "xã", "communes")]
        ws = wb[preferred[0]] if preferred else wb.worksheets[0]
        rows = ws.max_row if ws.max_row is not None else sum(1 for _ in ws.iter_rows())
        return max(0, rows - 1)  # the header
    finally:
        wb.close()


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or (parts and ":" in parts[0]) or ".." in parts:
        return "a path outside the folder"
    kind = stat.S_IFMT(info.external_attr >> 16)  # 0 when the archiver recorded no Unix file type
    if kind == stat.S_IFLNK:
        return "a symbolic link"
    if kind and kind != stat.S_IFREG:
        return "not a regular file"
    if info.flag_bits & 0x1:
        return "encrypted"
    return None


def _unpack(data: bytes, folder: Path, limits: Limits) -> Stored:
    out = folder / "facts"
    out.mkdir(mode=0o700)
    stored = Stored(FACTS_ZIP, folder, out)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
        if sum(i.file_size for i in infos) > limits.max_unpacked:
            raise TooLarge("unpacked", limits.max_unpacked)
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            problem = _member_problem(info)
            if problem is None and not info.filename.lower().endswith(FACT_SUFFIXES):
                problem = "not a fact file (.yaml)"
            if problem:
                stored.skipped.append(f"{info.filename}: {problem}")
                continue
            if len(stored.members) >= limits.max_rows:
                raise TooLarge("rows", limits.max_rows)
            name = f"f{len(stored.members) + 1:05d}.yaml"
            with z.open(info) as src, open(out / name, "xb") as dst:
                while chunk := src.read(64 * 1024):
                    total += len(chunk)
                    if total > limits.max_unpacked:
                        raise TooLarge("unpacked", limits.max_unpacked)
                    dst.write(chunk)
            stored.members[name] = info.filename
    return stored


def store(data: bytes, root: Path, limits: Limits) -> Stored:
    """Store an upload in a new private folder under ``root`` (mode 0700), by its content's kind."""
    if len(data) > limits.max_bytes:
        raise TooLarge("bytes", limits.max_bytes)
    kind = sniff(data)
    folder = Path(tempfile.mkdtemp(prefix="u-", dir=root))
    try:
        stored = _store_in(data, kind, folder, limits)
        if count_rows(stored) > limits.max_rows:
            raise TooLarge("rows", limits.max_rows)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return stored


def _store_in(data: bytes, kind: str, folder: Path, limits: Limits) -> Stored:
    if kind == FACTS_ZIP:
        return _unpack(data, folder, limits)
    if kind == XLSX:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if sum(i.file_size for i in z.infolist()) > limits.max_unpacked:
                raise TooLarge("unpacked", limits.max_unpacked)
    path = folder / f"upload.{kind}"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return Stored(kind, folder, path)
