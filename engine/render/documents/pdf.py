"""PDF from the Word (or XLSX) files themselves, by LibreOffice: the same content, printable.

Why LibreOffice rather than WeasyPrint from HTML: the PDF is the very ``.docx`` an official edits,
laid out by a word processor, so the two can never say different things and there is one renderer
per document, not two. LibreOffice substitutes Liberation Serif (the metrics of Times New Roman, full
Vietnamese coverage) and embeds the subset of the font it uses.

One ``soffice`` run converts a whole batch of up to 200 files (starting LibreOffice costs seconds, a
page tens of milliseconds), with a private, throwaway user profile so that a LibreOffice the user has
open does not take the job over, and a time limit that grows with the batch.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from engine.errors import EngineError, UserError

PROGRAMS = ("soffice", "libreoffice")
START_SECONDS = 120
PER_FILE_SECONDS = 20
BATCH = 200  # files per run: command lines stay short, a stuck run is noticed in time
INSTALL_HINT = (
    "install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer-nogui "
    "libreoffice-calc-nogui fonts-liberation2), or write Word files only with --format docx"
)


def soffice() -> str:
    for name in PROGRAMS:
        found = shutil.which(name)
        if found:
            return found
    raise UserError.single(
        "soffice", "LibreOffice is needed to write PDF files and was not found", INSTALL_HINT
    )


def _run(program: str, profile: str, files: Sequence[Path], outdir: Path) -> subprocess.CompletedProcess[str]:
    command = [
        program,
        f"-env:UserInstallation={Path(profile).resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        *(str(p) for p in files),
    ]
    limit = START_SECONDS + PER_FILE_SECONDS * len(files)
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=limit, check=False)
    except subprocess.TimeoutExpired:
        raise UserError.single(
            program, f"LibreOffice did not finish converting {len(files)} file(s) in {limit} s", INSTALL_HINT
        ) from None


def convert(sources: Sequence[Path], outdir: Path) -> list[Path]:
    """Convert ``sources`` (.docx, .xlsx) to PDF in ``outdir``, BATCH files per LibreOffice run (one
    profile for all); the PDFs in the order of ``sources``."""
    if not sources:
        return []
    stems = [p.stem for p in sources]
    if len(set(stems)) != len(stems):
        raise EngineError("files converted together need distinct names: their PDFs share one folder")
    program = soffice()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="commune-health-lo-") as profile:
        for start in range(0, len(sources), BATCH):
            chunk = sources[start : start + BATCH]
            done = _run(program, profile, chunk, outdir)
            made = [outdir / f"{p.stem}.pdf" for p in chunk]
            missing = [p.name for p in made if not p.is_file() or p.stat().st_size == 0]
            if done.returncode != 0 or missing:
                detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
                raise UserError.single(
                    program,
                    f"LibreOffice (exit status {done.returncode}) did not write {', '.join(missing) or 'every PDF'}"
                    + (f": {' / '.join(detail)}" if detail else ""),
                    "check that the files open in LibreOffice; " + INSTALL_HINT,
                )
    return [outdir / f"{stem}.pdf" for stem in stems]
