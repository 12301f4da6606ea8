"""The presentation of Decree 30/2020/NĐ-CP (Annex I) in python-docx: the building blocks of every document.

- A4 portrait, margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm; Times New Roman (Unicode),
  body 13 pt, justified, first line indented 1.27 cm, at least 6 pt between paragraphs.
- The heading block: on the left the superior body (not bold) over the issuing body (bold, capitals,
  a short rule under it) and the number ("Số: …/KH-UBND"); on the right the national motto
  ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold capitals) over the slogan ("Độc lập - Tự do - Hạnh
  phúc", bold, a rule under it) and the place and date (italic).
- The document type and summary centred in bold, the body, then "Nơi nhận" (bold italic 12 pt, the
  list in 11 pt) beside the signature block (authority in bold capitals).

A province's own ``.docx`` (``--template``) replaces the blank document: its page setup, styles,
headers and footers (letterhead, logo) are kept and only its body is replaced.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
BODY_PT = 13
WARN_RED = RGBColor(0x9C, 0x00, 0x06)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Heading:
    """The heading block of Decree 30: who issues, the number, the place and date."""

    superior: str | None
    issuer: str
    number: str | None
    place_date: str
    motto: str
    slogan: str


@dataclass(frozen=True)
class Signer:
    """A signature block: authority lines (bold capitals), a note, room to sign, the name line."""

    lines: Sequence[str]
    note: str = ""
    name: str = "……………………………"


def new_document(template: Path | None = None, landscape: bool = False) -> DocxDocument:
    """A blank document in the Decree 30 presentation, or a province's template with its body emptied."""
    if template is not None:
        doc = Document(str(template))
        body = doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        return doc
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.15
    doc.core_properties.author = "commune-health"
    return doc


def text_width_cm(doc: DocxDocument) -> float:
    s = doc.sections[-1]
    return ((s.page_width or 0) - (s.left_margin or 0) - (s.right_margin or 0)) / Cm(1)


def _rule(container: DocxDocument | _Cell, container_cm: float, length_cm: float) -> None:
    """A short centred rule on a line of its own (under the issuing body, the slogan, the title)."""
    p = _line(container, "", size=3)
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = Cm(
        max(0.0, (container_cm - length_cm) / 2)
    )
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")  # (LibreOffice draws a top border over the line above)
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    borders.append(bottom)
    p._p.get_or_add_pPr().insert_element_before(
        borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr"
    )


_ALIGN = {
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def paragraph_style(
    doc: DocxDocument, size: float, align: str, after: float, before: float, indent: bool
) -> str:
    """A paragraph style per combination of size, alignment, spacing and indent, made once per document:
    setting one style name is far cheaper than formatting every paragraph and run directly."""
    name = f"ch-{size:g}pt-{align}-{after:g}-{before:g}{'-indent' if indent else ''}".replace(".", "_")
    if doc.styles.element.get_by_id(name) is None:  # (name lookups walk every style: slow)
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.font.size = Pt(size)
        fmt = style.paragraph_format
        fmt.alignment = _ALIGN[align]
        fmt.space_after, fmt.space_before = Pt(after), Pt(before)
        fmt.first_line_indent = Cm(1.27 if indent else 0)
        fmt.line_spacing = 1.15 if indent else 1.0
        fmt.widow_control = True
    return name


def _line(
    container: DocxDocument | _Cell,
    text: str,
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align: str = "center",
    after: float = 0,
    before: float = 0,
    indent: bool = False,
    color: RGBColor | None = None,
) -> Paragraph:
    doc = container if isinstance(container, DocxDocument) else container.part.document  # type: ignore[attr-defined]
    p = container.add_paragraph()
    p._p.style = paragraph_style(doc, size, align, after, before, indent)  # the id: no lookup by name
    for k, part in enumerate(text.split("\n")):
        if k:
            p.add_run().add_break()
        run = p.add_run(clean(part))
        if bold:
            run.bold = True
        if italic:
            run.italic = True
        if color is not None:
            run.font.color.rgb = color
    return p


# The children of w:tblPr in the order the schema requires (LibreOffice ignores those out of order).
_TBLPR_ORDER = [
    qn(f"w:{t}")
    for t in ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
              "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook")
]  # fmt: skip


def _borders(table: Table, ruled: bool) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        attrs = (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000"))
        for k, v in attrs if ruled else (("w:val", "nil"),):
            e.set(qn(k), v)
        borders.append(e)
    tblpr = table._tbl.tblPr
    tblpr.append(borders)
    for child in sorted(tblpr, key=lambda c: _TBLPR_ORDER.index(c.tag) if c.tag in _TBLPR_ORDER else 99):
        tblpr.append(child)  # re-appending in order sorts them


def _first_paragraph(cell: _Cell) -> None:
    """Cells start with one empty paragraph; remove it so content starts at the top."""
    p = cell.paragraphs[0]
    if not p.text:
        p._p.getparent().remove(p._p)


def _layout_table(doc: DocxDocument, widths: Sequence[float], borders: bool, align: str = "center") -> Table:
    table = doc.add_table(rows=1, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.RIGHT if align == "right" else WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borders(table, borders)
    table.rows[0]._tr.get_or_add_trPr().append(
        OxmlElement("w:cantSplit")
    )  # a block never splits across pages
    for column, cell, w in zip(table.columns, table.rows[0].cells, widths, strict=True):
        column.width = cell.width = Cm(w)  # rows added later take the grid's widths
    return table


def heading(doc: DocxDocument, h: Heading) -> None:
    width = text_width_cm(doc)
    left_w = round(width * 0.42, 2)
    table = _layout_table(doc, (left_w, round(width - left_w, 2)), borders=False)
    left, right = table.rows[0].cells
    _first_paragraph(left)
    _first_paragraph(right)
    if h.superior:
        _line(left, h.superior.upper(), size=12)
    _line(left, h.issuer.upper(), size=12, bold=True)
    _rule(left, left_w, 2.2)
    if h.number:
        _line(left, h.number, size=13, before=4)
    _line(right, h.motto.upper(), size=12, bold=True)
    _line(right, h.slogan, size=13, bold=True)
    _rule(right, width - left_w, 5.6)
    _line(right, h.place_date, size=13, italic=True, before=4)


def draft_mark(doc: DocxDocument, text: str) -> None:
    """'DỰ THẢO' in a box, top right."""
    table = _layout_table(doc, (3.2,), borders=True, align="right")
    cell = table.rows[0].cells[0]
    _first_paragraph(cell)
    _line(cell, text, size=13, bold=True)
    _line(doc, "", size=4)  # LibreOffice joins tables that touch


def title(doc: DocxDocument, kind: str, summary: str | None = None) -> None:
    _line(doc, kind.upper(), size=14, bold=True, before=18)
    if summary:
        _line(doc, summary, size=14, bold=True)
        _rule(doc, text_width_cm(doc), 4.0)
        _line(doc, "", size=6)


def centered(doc: DocxDocument, text: str, *, bold: bool = True, italic: bool = False) -> Paragraph:
    return _line(doc, text, bold=bold, italic=italic, after=6)


def section(doc: DocxDocument, text: str) -> Paragraph:
    p = _line(doc, text, bold=True, align="justify", after=6, before=6)
    p.paragraph_format.keep_with_next = True
    return p


def para(
    doc: DocxDocument, text: str, *, bold: bool = False, italic: bool = False, keep: bool = False
) -> Paragraph:
    """A body paragraph; ``keep``: on the same page as what follows (a heading over its table)."""
    p = _line(doc, text, bold=bold, italic=italic, align="justify", after=6, indent=True)
    if keep:
        p.paragraph_format.keep_with_next = True
    return p


def bullets(doc: DocxDocument, items: Iterable[str]) -> None:
    for item in items:
        para(doc, f"- {item}")


def warning(doc: DocxDocument, text: str) -> None:
    """A warning that must not be missed (draft indicators, illustrative figures): boxed, bold, dark red."""
    table = _layout_table(doc, (text_width_cm(doc),), borders=True)
    cell = table.rows[0].cells[0]
    _first_paragraph(cell)
    _line(cell, text, size=12, bold=True, align="justify", color=WARN_RED)
    _line(doc, "", size=6)


def clean(text: str) -> str:
    """Text as XML allows it: control characters (other than tab and newline) removed."""
    return _CONTROL.sub("", text)


def spacer(doc: DocxDocument) -> None:
    """A small empty paragraph: room after a table, and LibreOffice joins tables that touch."""
    _line(doc, "", size=6)


def signatures(doc: DocxDocument, blocks: Sequence[Signer], recipients: Sequence[str] | None = None) -> None:
    """Signature blocks side by side; with ``recipients``, 'Nơi nhận' on the left and one block right."""
    width = text_width_cm(doc)
    if recipients is not None:
        left_w = round(width * 0.45, 2)
        table = _layout_table(doc, (left_w, round(width - left_w, 2)), borders=False)
        left, right = table.rows[0].cells
        _first_paragraph(left)
        _line(left, recipients[0], size=12, bold=True, italic=True, align="left")
        for r in recipients[1:]:
            _line(left, r, size=11, align="left")
        _sign(right, blocks[0])
        return
    n = len(blocks)
    table = _layout_table(doc, [round(width / n, 2)] * n, borders=False)
    for cell, block in zip(table.rows[0].cells, blocks, strict=True):
        _sign(cell, block)


def _sign(cell: _Cell, block: Signer) -> None:
    _first_paragraph(cell)
    for line in block.lines:
        _line(cell, line.upper(), size=13, bold=True)
    if block.note:
        _line(cell, block.note, size=12, italic=True)
    for _ in range(3):
        _line(cell, "", size=13)
    _line(cell, block.name, size=13, bold=True)


def page_break(doc: DocxDocument) -> None:
    doc.add_page_break()


def to_bytes(doc: DocxDocument) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
