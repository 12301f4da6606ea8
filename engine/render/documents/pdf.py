"""PDF from the Word (or XLSX) files themselves, by LibreOffice: the same content, printable.

Why LibreOffice rather than WeasyPrint from HTML: the PDF is the very ``.docx`` an official edits,
laid out by a word processor, so the two can never say different things and there is one renderer
per document, not two. LibreOffice substitutes Liberation Serif (the metrics of Times New Roman, full
Vietnamese coverage) and embeds the subset of the font it uses.

One ``soffice`` run converts a whole batch (starting LibreOffice costs seconds, a page tens of
milliseconds), with a private, throwaway user profile so that a LibreOffice the user has open does
not take the job over, and a time limit that grows with the batch.
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


def convert(sources: Sequence[Path], outdir: Path) -> list[Path]:
    """Convert ``sources`` (.docx, .xlsx) to PDF in ``outdir``, in one LibreOffice run; the PDFs in order."""
    if not sources:
        return []
    stems = [p.stem for p in sources]
    if len(set(stems)) != len(stems):
        raise EngineError("files converted together need distinct names: their PDFs share one folder")
    program = soffice()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="commune-health-lo-") as profile:
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
            *(str(p) for p in sources),
        ]
        limit = START_SECONDS + PER_FILE_SECONDS * len(sources)
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=limit, check=False)
        except subprocess.TimeoutExpired:
            raise UserError.single(
                program,
                f"LibreOffice did not finish converting {len(sources)} file(s) in {limit} s",
                INSTALL_HINT,
            ) from None
    pdfs = [outdir / f"{stem}.pdf" for stem in stems]
    missing = [p.name for p in pdfs if not p.is_file() or p.stat().st_size == 0]
    if done.returncode != 0 or missing:
        detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise UserError.single(
            program,
            f"LibreOffice (exit status {done.returncode}) did not write {', '.join(missing) or 'every PDF'}"
            + (f": {' / '.join(detail)}" if detail else ""),
            "check that the files open in LibreOffice; " + INSTALL_HINT,
        )
    return pdfs
