"""Files in and out: one bounded reader and one writer for every input and output of the engine.

Reading. :func:`read_bytes` opens only regular files (a FIFO, ``/dev/zero``, a socket or a folder is
refused before anything is read: reading one would hang or never end), never reads more than the
caller's limit, and turns every way a file can be unreadable into a :class:`~engine.errors.UserError`
naming it, with a hint. :func:`read_text` adds UTF-8 decoding (NUL bytes and bad bytes reported at
their line). :func:`check_regular` is the same check for files a library opens itself (XLSX).

Writing. :func:`write_file` writes atomically (a temporary file in the same folder, flushed to disk,
then renamed over the target: readers see the old or the new content, never half of it) and
:func:`write_set` writes several files that belong together (a dossier) into a temporary folder
first, then moves them into place with Ctrl-C held back, so an interrupted run leaves either the old
set or the new one. Every OS error (the target is a folder, a parent is a file, permission denied,
read-only or full device…) becomes a UserError naming the path, with a hint; the temporary files are
removed.

This module sits beside :mod:`engine.errors` at the bottom of the layers: the inputs read through it
and the commands and renderers write through it.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from engine.errors import UserError

MiB = 1 << 20
# The most each kind of input may hold. Far above any real file (a fact file is about 3 KB, the
# national criteria set 120 KB, a national spreadsheet of 10,600 communes about 5 MB), far below
# what would exhaust memory.
YAML_LIMIT = 8 * MiB
TABLE_LIMIT = 64 * MiB


def _size(n: int) -> str:
    return f"{n / MiB:,.1f} MB" if n >= MiB else f"{n:,} bytes"


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _not_openable(path: Path, exc: OSError, what: str) -> UserError:
    p = str(path)
    if isinstance(exc, FileNotFoundError):
        if os.path.islink(path):
            return UserError.single(
                p,
                f"is a broken symbolic link (to {os.readlink(path)!r})",
                "point the link at an existing file, or remove it",
            )
        return UserError.single(p, "file not found", "check the path; run from the project folder")
    if isinstance(exc, PermissionError):
        return UserError.single(p, "cannot be read: permission denied", "check its permissions")
    if exc.errno == errno.ELOOP:
        return UserError.single(p, "is a loop of symbolic links", "point the link at a real file")
    if exc.errno == errno.ENOTDIR:
        return UserError.single(p, "file not found (a part of the path is a file)", "check the path")
    return UserError.single(p, f"cannot be read: {exc.strerror}", f"name a readable {what}")


def check_regular(path: Path, limit: int, what: str = "file") -> int:
    """The size of ``path`` if it is a regular file of at most ``limit`` bytes; else a UserError."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _not_openable(path, exc, what) from None
    kind = _kind(st.st_mode)
    if kind == "a folder":
        raise UserError.single(str(path), "is a folder, not a file", f"name a {what} inside it")
    if kind is not None:
        raise UserError.single(
            str(path),
            f"is {kind}, not a regular file: it is not read",
            f"save the data as a {what} and name that file",
        )
    if st.st_size > limit:
        raise _too_big(path, st.st_size, limit, what)
    return st.st_size


def _too_big(path: Path, size: int, limit: int, what: str) -> UserError:
    return UserError.single(
        str(path),
        f"is {_size(size)}: larger than the {_size(limit)} a {what} may be",
        f"split it, or check that it is the {what} you meant",
    )


def read_bytes(path: Path, limit: int, what: str = "file") -> bytes:
    """The content of the regular file ``path`` (at most ``limit`` bytes), or a UserError."""
    check_regular(path, limit, what)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _not_openable(path, exc, what) from None
    try:
        kind = _kind(os.fstat(fd).st_mode)  # replaced since the check above: check again
        if kind is not None:
            raise UserError.single(str(path), f"is {kind}, not a regular file", f"name a {what}")
        chunks: list[bytes] = []
        got = 0
        while got <= limit:
            chunk = os.read(fd, min(MiB, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except OSError as exc:
        raise UserError.single(str(path), f"cannot be read: {exc.strerror}", "check the file") from None
    finally:
        os.close(fd)
    if got > limit:
        raise _too_big(path, got, limit, what)
    return b"".join(chunks)


def read_text(path: Path, limit: int, what: str = "YAML file") -> str:
    """A UTF-8 text file (a BOM is allowed), every problem a UserError at its line."""
    raw = read_bytes(path, limit, what)
    p = str(path)
    nul = raw.find(b"\x00", 0, 8192)
    if nul >= 0:
        raise UserError.single(
            p,
            f"is a binary file, not text (NUL byte): not a {what}",
            f"give a UTF-8 text file (an .xlsx or .docx is not a {what})",
            line=raw[:nul].count(b"\n") + 1,
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError.single(
            p,
            f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            "save the file as UTF-8 (in Excel or Notepad: 'Save as… UTF-8')",
            line=raw[: exc.start].count(b"\n") + 1,
        ) from None


# --- writing -------------------------------------------------------------------------------------

_HINTS = {
    errno.ENOSPC: "the device is full: free some space, or write somewhere else",
    errno.EDQUOT: "your disk quota is used up: free some space, or write somewhere else",
    errno.EROFS: "that file system is read-only: write somewhere else",
    errno.EACCES: "you may not write there: check the folder's permissions, or write somewhere else",
    errno.EPERM: "you may not write there: check the folder's permissions, or write somewhere else",
    errno.EISDIR: "that is a folder: name a file (or another path)",
    errno.ENOTDIR: "a part of that path is a file, not a folder: choose another path",
    errno.EEXIST: "a file of that name is in the way: choose another path",
    errno.ENAMETOOLONG: "shorten the path",
}


def write_error(path: Path, exc: OSError) -> UserError:
    """An OS error while writing ``path`` as a UserError naming it, with what to do."""
    where = exc.filename if isinstance(exc.filename, str) and exc.filename != str(path) else None
    reason = exc.strerror or str(exc)
    if where and not os.path.basename(where).startswith("."):
        reason += f" ({where})"
    return UserError.single(
        str(path),
        f"cannot be written: {reason}",
        _HINTS.get(exc.errno or 0, "check the path and that you may write there"),
    )


def _make_folder(folder: Path, target: Path) -> None:
    """Create ``folder`` and its parents, naming ``target`` in the error (a parent that is a file…)."""
    if folder.is_dir():
        return
    for parent in (folder, *folder.parents):
        if parent.exists() and not parent.is_dir():
            raise UserError.single(
                str(target),
                f"cannot be written: {parent} is a file, not a folder",
                _HINTS[errno.ENOTDIR],
            )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(target, exc) from None


def _fsync_dir(folder: Path) -> None:
    with suppress(OSError):  # not every file system lets a folder be opened and synced
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_temp(folder: Path, name: str, data: bytes) -> str:
    """``data`` in a new temporary file of ``folder``, flushed to disk; its path."""
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        umask = os.umask(0)  # mkstemp creates 0600: give the mode a plain open() would
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with suppress(OSError):
            os.unlink(tmp)
        raise
    os.close(fd)
    return tmp


def _payload(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def write_file(path: Path, data: bytes | str) -> None:
    """Write ``path`` atomically; every OS error is a UserError naming it."""
    path = Path(path)
    if path.is_dir():
        raise UserError.single(str(path), "cannot be written: it is a folder", _HINTS[errno.EISDIR])
    _make_folder(path.parent, path)
    tmp = None
    try:
        tmp = _write_temp(path.parent, path.name, _payload(data))
        os.replace(tmp, path)
        tmp = None
        _fsync_dir(path.parent)
    except OSError as exc:
        raise write_error(path, exc) from None
    finally:
        if tmp is not None:
            with suppress(OSError):
                os.unlink(tmp)


@contextmanager
def writing(path: Path) -> Iterator[BinaryIO]:
    """A binary file to stream a large output into, which becomes ``path`` atomically when the block
    ends without an exception (like :func:`write_file`); on any exception, Ctrl-C included, ``path``
    keeps what it held and the temporary file is removed. Every OS error is a UserError naming it."""
    path = Path(path)
    if path.is_dir():
        raise UserError.single(str(path), "cannot be written: it is a folder", _HINTS[errno.EISDIR])
    _make_folder(path.parent, path)
    try:
        tmp = _write_temp(path.parent, path.name, b"")
    except OSError as exc:
        raise write_error(path, exc) from None
    try:
        with open(tmp, "wb", buffering=1 << 20) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = ""
        _fsync_dir(path.parent)
    except OSError as exc:
        raise write_error(path, exc) from None
    finally:
        if tmp:
            with suppress(OSError):
                os.unlink(tmp)


@contextmanager
def ctrl_c_held() -> Iterator[None]:
    """Hold SIGINT back (it is delivered when the block ends): the block is never cut in half."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


# A file's content, or a function that streams it into the open binary file it is given (a large
# output never held whole in memory).
Content = bytes | str | Callable[[BinaryIO], object]


def _write_content(folder: Path, name: str, data: Content) -> str:
    if not callable(data):
        return _write_temp(folder, name, _payload(data))
    tmp = _write_temp(folder, name, b"")
    try:
        with open(tmp, "wb", buffering=1 << 20) as fh:
            data(fh)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def write_set(folder: Path, files: Mapping[str, Content]) -> list[Path]:
    """Write files that belong together into ``folder``: all of them, or none. A file's content may
    be a function that writes it into the binary file it is given (streamed, one file at a time).

    They are written into a temporary folder inside ``folder`` first; only when every one is on
    disk are they moved into place, with Ctrl-C held back while they move. Interrupted or failed at
    any point before, ``folder`` holds what it held before and no temporary file.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UserError.single(
            str(folder), "cannot be written into: it is a file, not a folder", _HINTS[errno.ENOTDIR]
        )
    _make_folder(folder, folder)
    for name in files:
        if (folder / name).is_dir():
            raise UserError.single(
                str(folder / name), "cannot be written: it is a folder", _HINTS[errno.EISDIR]
            )
    staging: Path | None = None
    current = folder
    try:
        staging = Path(tempfile.mkdtemp(prefix=".writing-", dir=folder))
        for name, data in files.items():
            current = folder / name
            os.replace(_write_content(staging, name, data), staging / name)
        current = folder
        with ctrl_c_held():
            for name in files:
                os.replace(staging / name, folder / name)
        _fsync_dir(folder)
    except OSError as exc:
        raise write_error(current, exc) from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return [folder / name for name in files]
