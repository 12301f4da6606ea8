"""Finding the fact files of a folder, and saying what was not read and why.

Nothing below a folder is skipped without a word: fact files (``.yaml``/``.yml``, in any case) are
read; every other entry is named with the reason it was not read — an error for what looks like a
fact file but cannot be read (a broken link, a FIFO, an unreadable folder), a note for the rest (a
README, a hidden folder). A second file for the same commune and year is an error naming both.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from engine.errors import Diagnostic
from engine.inputs.facts import CommuneFacts

FACT_SUFFIXES = (".yaml", ".yml")


def _is_fact_name(name: str) -> bool:
    return name.lower().endswith(FACT_SUFFIXES)


def _entry_problem(entry: os.DirEntry[str]) -> Diagnostic | None:
    """Why a folder entry that is not a folder cannot be a fact file (error or note), or None."""
    path, fact = entry.path, _is_fact_name(entry.name)
    try:
        mode = entry.stat().st_mode
    except OSError as exc:
        reason = (
            f"a broken symbolic link (to {os.readlink(path)!r})"
            if entry.is_symlink() and isinstance(exc, FileNotFoundError)
            else f"unreadable ({exc.strerror})"
        )
        if fact:
            return Diagnostic(path, f"is {reason}: not read", "point the link at the fact file, or remove it")
        return Diagnostic(path, f"not read: {reason}", "", level="note")
    if stat.S_ISREG(mode):
        if fact:
            return None
        return Diagnostic(path, "not read: not a fact file (.yaml or .yml)", "", level="note")
    kind = "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "not a regular file (a device or socket)"
    if fact:
        return Diagnostic(path, f"is {kind}: not read", "save the commune's facts as a regular file")
    return Diagnostic(path, f"not read: {kind}", "", level="note")


def _walk(root: Path, files: list[Path], problems: list[Diagnostic]) -> None:
    """Every fact file below ``root`` into ``files``; every entry not read, and why, into ``problems``.

    Symbolic links to folders are followed once (a folder reached twice, or a loop of links, is
    read once and the second way is named); hidden entries (``.git``…) are named and not read.
    """
    seen: dict[tuple[int, int], str] = {}
    todo = [root]
    while todo:
        folder = todo.pop()
        try:
            st = os.stat(folder)
            key = (st.st_dev, st.st_ino)
            if key in seen:
                problems.append(
                    Diagnostic(
                        str(folder), f"not read again: the same folder as {seen[key]}", "", level="note"
                    )
                )
                continue
            seen[key] = str(folder)
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            problems.append(
                Diagnostic(
                    str(folder),
                    f"folder cannot be read ({exc.strerror}): the fact files in it are not read",
                    "check its permissions",
                )
            )
            continue
        for entry in entries:
            if entry.name.startswith("."):
                problems.append(Diagnostic(entry.path, "not read: a hidden file or folder", "", level="note"))
                continue
            try:
                is_dir = entry.is_dir()  # follows symbolic links
            except OSError:
                is_dir = False
            if is_dir:
                todo.append(Path(entry.path))
                continue
            problem = _entry_problem(entry)
            if problem is None:
                files.append(Path(entry.path))
            else:
                problems.append(problem)


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """Folders expanded into the fact files below them (suffix .yaml/.yml in any case, sorted),
    named files kept as given; and, for every other entry of those folders, why it was not read
    (errors for would-be fact files that cannot be read and unreadable folders, notes for the rest)."""
    out: list[Path] = []
    problems: list[Diagnostic] = []
    for p in paths:
        if p.is_dir():
            found: list[Path] = []
            _walk(p, found, problems)
            out.extend(sorted(found))
        else:
            out.append(p)
    return out, problems


def duplicates(items: Sequence[tuple[str, CommuneFacts]]) -> tuple[list[int], list[Diagnostic]]:
    """The positions to keep, and an error for every later record of a commune and year already seen."""
    first: dict[tuple[str, int], str] = {}
    keep: list[int] = []
    problems: list[Diagnostic] = []
    for k, (source, f) in enumerate(items):
        key = (f.commune.code, f.year)
        if key in first:
            problems.append(
                Diagnostic(
                    source,
                    f"commune {f.commune.code} ({f.year}) is also in {first[key]}: this file is not read",
                    "keep one fact file per commune and year",
                )
            )
        else:
            first[key] = source
            keep.append(k)
    return keep, problems
