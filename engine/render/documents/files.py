"""The documents as files: their names, the Word bytes, and the PDFs made from them in one batch.

Names are ASCII and stable (``score-sheet-03316-muong-khong``, ``minutes-…``, ``plan-tuan-giao-2025-2030``,
``proposal-2024``, ``decision-2024``) so that the PDFs of one batch, converted into one folder, never
collide. The set is written at once: all of its files or none (engine.files.write_set).
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document

from engine.appraisal.area import Appraisal
from engine.errors import UserError
from engine.files import MiB, check_regular, write_set
from engine.inputs.criteria import CriteriaSet
from engine.planner.targeting import TargetReport
from engine.register.dossier import YearDecisions
from engine.render.documents import commune, layout, pdf, plan, recognition
from engine.render.documents.words import Options, slug

FORMATS = {"docx": ("docx",), "pdf": ("pdf",), "both": ("docx", "pdf")}
TEMPLATE_LIMIT = 32 * MiB  # a letterhead with a logo is well under 1 MB


@dataclass(frozen=True)
class Built:
    stem: str
    data: bytes


def check_template(path: Path) -> Path:
    """A province's base document: it must be a Word (.docx) file python-docx can open."""
    if path.suffix.lower() != ".docx":
        raise UserError.single(str(path), "a template is a Word .docx file", "save the template as .docx")
    check_regular(path, TEMPLATE_LIMIT, "Word template (.docx)")  # never a FIFO or a device
    try:
        Document(str(path))
    except Exception as exc:  # anything python-docx cannot read in the user's file (zip, XML, parts)
        raise UserError.single(
            str(path), f"cannot be opened as a Word document: {exc}", "open it in Word and save it as .docx"
        ) from None
    return path


def commune_stem(kind: str, code: str, name: str, source: str | None) -> str:
    part = Path(source).stem if source and source.endswith((".yaml", ".yml")) else name
    return f"{kind}-{slug(code)}-{slug(part)}"


# kind → (file name prefix, builder) of the per-commune documents
COMMUNE_KINDS = {
    "score-sheets": ("score-sheet", commune.score_sheet),
    "minutes": ("minutes", commune.minutes),
}


def commune_documents(
    a: Appraisal, kinds: Sequence[str], opts: Options, stem: str | None = None
) -> list[Built]:
    """Score sheets and/or minutes of every commune, in the league table's order; only the document
    named ``stem`` when given (none when no document has that name)."""
    by_id = {r.commune.id: (r, f) for r, f in zip(a.results, a.facts, strict=True)}
    out: list[Built] = []
    for row in a.league:
        r, f = by_id[row.commune]
        for kind, (prefix, build) in COMMUNE_KINDS.items():
            name = commune_stem(prefix, r.commune.id, r.commune.name, r.source_file)
            if kind in kinds and stem in (None, name):
                out.append(Built(name, layout.to_bytes(build(r, f, a.criteria_set, opts))))
    return out


def plan_documents(report: TargetReport, a: Appraisal, opts: Options) -> list[Built]:
    province, district = plan.area_names(a)
    stem = f"plan-{slug(district or province)}-{report.start_year}-{report.target.by_year}"
    return [Built(stem, layout.to_bytes(plan.plan_document(report, a, opts)))]


def recognition_documents(
    yd: YearDecisions, sets: Mapping[str, CriteriaSet], kinds: Sequence[str], opts: Options
) -> list[Built]:
    out = []
    if "proposal" in kinds:
        out.append(Built(f"proposal-{yd.year}", layout.to_bytes(recognition.proposal(yd, sets, opts))))
    if "decision" in kinds:
        out.append(Built(f"decision-{yd.year}", layout.to_bytes(recognition.decision(yd, sets, opts))))
    return out


def write(out: Path, built: Sequence[Built], fmt: str) -> list[Path]:
    """Write the Word files and/or their PDFs (LibreOffice runs of up to 200 files) into ``out``, as
    one set: all of them or none (:func:`engine.files.write_set`)."""
    formats = FORMATS[fmt]
    files: dict[str, bytes] = {}
    if "docx" in formats:
        files.update((f"{b.stem}.docx", b.data) for b in built)
    if "pdf" in formats and built:
        with tempfile.TemporaryDirectory(prefix="commune-health-docs-") as tmp:
            sources = []
            for b in built:
                src = Path(tmp) / f"{b.stem}.docx"
                src.write_bytes(b.data)
                sources.append(src)
            files.update((made.name, made.read_bytes()) for made in pdf.convert(sources, Path(tmp) / "pdf"))
    return write_set(out, files) if files else []
