"""Reading Word documents back: all their text, their tables as rows of cell texts, numbers as printed."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn

from engine.appraisal.area import Appraisal, appraise
from engine.render.documents import layout
from tests.support import ROOT

SAMPLE = ROOT / "communes" / "dien-bien" / "tuan-giao"


def sample_appraisal(path: Path = SAMPLE) -> Appraisal:
    return appraise(path)


def reread(doc: DocxDocument) -> DocxDocument:
    """The document as Word would open it: saved to bytes and read back."""
    return Document(io.BytesIO(layout.to_bytes(doc)))


def text(doc: DocxDocument) -> str:
    """Every paragraph of the body, tables included, one per line."""
    paragraphs = doc.element.body.iter(qn("w:p"))
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in paragraphs)


def rows(doc: DocxDocument, first_header: str) -> list[list[str]]:
    """The rows (cell texts, a merged row as one cell) of the first table whose header starts so."""
    for table in doc.tables:
        cells = [[c.text for c in _unique(r.cells)] for r in table.rows]
        if cells and cells[0][0] == first_header:
            return cells
    raise AssertionError(f"no table starting with {first_header!r}")


def table_after(doc: DocxDocument, heading: str, first_header: str) -> list[list[str]]:
    """The rows of the first table starting with ``first_header`` after the paragraph ``heading``."""
    seen = False
    for child in doc.element.body:
        if child.tag == qn("w:p") and heading in "".join(t.text or "" for t in child.iter(qn("w:t"))):
            seen = True
        elif seen and child.tag == qn("w:tbl"):
            table = next(t for t in doc.tables if t._tbl is child)
            cells = [[c.text for c in _unique(r.cells)] for r in table.rows]
            if cells[0][0] == first_header:
                return cells
    raise AssertionError(f"no table starting with {first_header!r} after {heading!r}")


def _unique(cells: list[Any]) -> list[Any]:
    out: list[Any] = []
    for c in cells:
        if not out or c._tc is not out[-1]._tc:
            out.append(c)
    return out


def number(printed: str) -> float:
    """'1.234.567' → 1234567, '78,3' → 78.3 (Vietnamese); '1,234,567' and '78.3' in English."""
    s = printed.strip()
    if "," in s and "." in s:
        s = s.replace(".", "").replace(",", ".") if s.rfind(",") > s.rfind(".") else s.replace(",", "")
    elif s.count(".") > 1 or (s.count(".") == 1 and len(s.split(".")[1]) == 3 and "," not in s):
        s = s.replace(".", "")
    else:
        s = s.replace(",", ".")
    return float(s)
