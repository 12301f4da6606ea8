"""Ruled tables of the documents, written as one piece of WordprocessingML each.

python-docx adds cells, paragraphs and runs one element at a time, each insertion searching the
schema's order of children: about ten times slower for a 47-indicator score sheet than writing the
table's XML at once (~0.13 s instead of ~0.6 s). The header row repeats on every page and rows never
split across pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from engine.render.documents.layout import WARN_RED, clean, paragraph_style, spacer

TABLE_PT = 11
SHADE = "E7E6E6"
TWIPS_PER_CM = 567


@dataclass
class Column:
    title: str
    width_cm: float
    align: str = "left"  # left | center | right


@dataclass
class Row:
    cells: Sequence[str]
    bold: bool = False
    shaded: bool = False
    merge: bool = False  # one cell spanning the whole row
    red: set[int] = field(default_factory=set)  # cells printed in red (a verdict that fails)


def _run_xml(text: str, bold: bool, red: bool) -> str:
    props = ("<w:b/>" if bold else "") + (f'<w:color w:val="{WARN_RED}"/>' if red else "")
    texts = "<w:br/>".join(
        f'<w:t xml:space="preserve">{escape(clean(part))}</w:t>' for part in text.split("\n")
    )
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{texts}</w:r>"


def _cell_xml(
    text: str, twips: int, style: str, *, bold: bool, shaded: bool, red: bool, span: int = 1
) -> str:
    props = f'<w:tcW w:w="{twips}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if shaded:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{SHADE}"/>'
    return (
        f'<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        f"{_run_xml(text, bold, red)}</w:p></w:tc>"
    )


def data_table(
    doc: DocxDocument, columns: Sequence[Column], rows: Iterable[Row], size: float = TABLE_PT
) -> None:
    """A ruled table; the header row repeats on every page, rows never split across pages.

    Written as one piece of WordprocessingML (python-docx adds cells and runs one element at a time,
    about ten times slower for a 47-indicator score sheet)."""
    twips = [round(c.width_cm * TWIPS_PER_CM) for c in columns]
    styles = {a: paragraph_style(doc, size, a, 0, 0, False) for a in ("left", "center", "right")}
    head = "".join(
        _cell_xml(c.title, w, styles["center"], bold=True, shaded=True, red=False)
        for c, w in zip(columns, twips, strict=True)
    )
    parts = [f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{head}</w:tr>"]
    for row in rows:
        if row.merge:
            cells = _cell_xml(
                row.cells[0], sum(twips), styles["left"], bold=row.bold, shaded=row.shaded, red=0 in row.red,
                span=len(twips),
            )  # fmt: skip
        else:
            cells = "".join(
                _cell_xml(text, w, styles[c.align], bold=row.bold, shaded=row.shaded, red=k in row.red)
                for k, (text, w, c) in enumerate(zip(row.cells, twips, columns, strict=True))
            )
        parts.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>")
    borders = "".join(
        f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
    xml = (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="70" w:type="dxa"/><w:right w:w="70" w:type="dxa"/></w:tblCellMar>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(parts)}</w:tbl>"
    )
    body = doc.element.body
    body.sectPr.addprevious(parse_xml(xml)) if body.sectPr is not None else body.append(parse_xml(xml))
    spacer(doc)
