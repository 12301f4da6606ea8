"""The one reader and the one writer (engine/files.py): bounded, regular files only, every OS error a
user error naming the path, atomic writes, and a dossier set that is never half old, half new."""

from __future__ import annotations

import errno
import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine import files
from engine.errors import UserError
from engine.files import read_bytes, read_text, write_file, write_set
from tests.support import without_privileges


def refused(call, *fragments: str) -> str:
    with pytest.raises(UserError) as info:
        call()
    text = info.value.format()
    for fragment in fragments:
        assert fragment in text, text
    assert "hint:" in text, text
    return text


# --- reading -------------------------------------------------------------------------------------


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "facts.yaml"
    os.mkfifo(fifo)
    refused(lambda: read_bytes(fifo, 100), str(fifo), "FIFO (named pipe), not a regular file")


def test_devices_sockets_and_folders_are_refused(tmp_path: Path) -> None:
    refused(lambda: read_bytes(Path("/dev/zero"), 100), "/dev/zero", "character device")
    refused(lambda: read_bytes(tmp_path, 100), "is a folder")
    sock_path = tmp_path / "s.yaml"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        refused(lambda: read_bytes(sock_path, 100), "socket")


def test_size_limit_missing_files_and_links(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x" * 101)
    assert read_bytes(big, 101) == b"x" * 101
    refused(lambda: read_bytes(big, 100), "101 bytes: larger than the 100 bytes")
    refused(lambda: read_bytes(tmp_path / "nope.yaml", 100), "file not found")
    link = tmp_path / "link.yaml"
    link.symlink_to(tmp_path / "gone.yaml")
    refused(lambda: read_bytes(link, 100), "broken symbolic link")
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    refused(lambda: read_bytes(loop, 100), "loop of symbolic links")
    refused(lambda: read_bytes(big / "child.yaml", 100), "a part of the path is a file")


def test_text_problems_at_their_line(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_bytes(b"a\nb\n\xff\n")
    text = refused(lambda: read_text(p, 100, "CSV file"), f"{p}:3", "not valid UTF-8")
    p.write_bytes(b"a\n\x00")
    text = refused(lambda: read_text(p, 100, "CSV file"), f"{p}:2", "binary file")
    assert "CSV file" in text
    p.write_bytes("\ufeffxã".encode())
    assert read_text(p, 100) == "xã"


def test_unreadable_file(open_tmp: Path) -> None:
    p = open_tmp / "secret.yaml"
    p.write_text("a: 1\n", encoding="utf-8")
    p.chmod(0o000)
    with without_privileges():
        refused(lambda: read_bytes(p, 100), "permission denied")


# --- writing -------------------------------------------------------------------------------------


def test_write_file_is_atomic_and_keeps_the_usual_mode(tmp_path: Path) -> None:
    target = tmp_path / "out" / "dossier.html"
    write_file(target, "<p>xin chào</p>")
    umask = os.umask(0)
    os.umask(umask)
    assert target.read_text(encoding="utf-8") == "<p>xin chào</p>"
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in target.parent.iterdir()] == ["dossier.html"]


def test_every_os_error_names_the_path_with_a_hint(tmp_path: Path, open_tmp: Path) -> None:
    a_file = tmp_path / "report.txt"
    a_file.write_text("old", encoding="utf-8")
    refused(lambda: write_file(tmp_path, "x"), str(tmp_path), "it is a folder")
    refused(lambda: write_file(a_file / "child.html", "x"), "child.html", "is a file, not a folder")
    refused(lambda: write_file(a_file / "deeper" / "child.html", "x"), "is a file, not a folder")
    refused(lambda: write_set(a_file, {"a.csv": "x"}), "it is a file, not a folder")
    read_only = open_tmp / "read-only"
    read_only.mkdir()
    read_only.chmod(0o555)
    with without_privileges():
        refused(lambda: write_file(read_only / "a.csv", "x"), "a.csv", "Permission denied", "permissions")
        refused(lambda: write_set(read_only, {"a.csv": "x"}), "Permission denied")
        refused(lambda: write_file(read_only / "new" / "a.csv", "x"), "Permission denied")
    assert a_file.read_text(encoding="utf-8") == "old" and list(read_only.iterdir()) == []


@pytest.fixture()
def full_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on a full device: a real 64 KB tmpfs when this process may mount one (root), else
    one where every write fails with ENOSPC as a full device's would."""
    folder = tmp_path / "full"
    folder.mkdir()
    mounted = (
        os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True, check=False
        ).returncode
        == 0
    )
    if not mounted:
        real_write = os.write

        def full(fd: int, data: bytes) -> int:
            if os.fstat(fd).st_size + len(data) > 64 * 1024:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real_write(fd, data)

        monkeypatch.setattr(files.os, "write", full)
    try:
        yield folder
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=True)


def test_a_full_device_leaves_the_old_file_and_no_temporary_one(full_folder: Path) -> None:
    target = full_folder / "appraisal.xlsx"
    write_file(target, b"old")
    refused(
        lambda: write_file(target, b"x" * 200_000), str(target), "No space left on device", "device is full"
    )
    assert target.read_bytes() == b"old"
    refused(
        lambda: write_set(full_folder, {"a.json": b"1", "b.html": b"x" * 200_000}), "b.html", "device is full"
    )
    assert sorted(p.name for p in full_folder.iterdir()) == ["appraisal.xlsx"]


def test_a_set_interrupted_while_written_leaves_the_old_set(tmp_path: Path, monkeypatch) -> None:
    write_set(tmp_path, {"a.json": "old a", "b.html": "old b", "c.csv": "old c"})
    real = files._write_temp
    calls = []

    def interrupted(folder: Path, name: str, data: bytes) -> str:
        calls.append(name)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(folder, name, data)

    monkeypatch.setattr(files, "_write_temp", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_set(tmp_path, {"a.json": "new a", "b.html": "new b", "c.csv": "new c"})
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == {
        "a.json": "old a",
        "b.html": "old b",
        "c.csv": "old c",
    }
    monkeypatch.undo()
    assert write_set(tmp_path, {"a.json": "new a", "b.html": "new b"}) == [
        tmp_path / "a.json",
        tmp_path / "b.html",
    ]
    assert (tmp_path / "a.json").read_text() == "new a" and (tmp_path / "c.csv").read_text() == "old c"
