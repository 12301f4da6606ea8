"""The XLSX dossier's print layout: rows as high as their wrapped text, A4 page setup, print areas.

Spreadsheet applications keep a row's height unless the file sets it, so without this, wrapped text
overflows into the rows below on paper. Heights come from :mod:`engine.render.textfit`.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from engine.render import textfit

SIZE = 11  # the cells' font size (engine.render.xlsx)
LARGEST = 14  # the largest font size used (titles)


def fit_rows(ws: Worksheet, cache: dict[tuple[str, float, float, bool], int]) -> None:
    """Every row as high as the wrapped text of its fullest cell needs (merged cells: their full width)."""
    points = [
        textfit.column_points(ws.column_dimensions[get_column_letter(k)].width or 8.43)
        for k in range(1, ws.max_column + 1)
    ]
    spans = {(r.min_row, r.min_col): sum(points[r.min_col - 1 : r.max_col]) for r in ws.merged_cells.ranges}
    for row in ws.iter_rows():
        height = 0.0
        for cell in row:
            text = cell.value
            if not isinstance(text, str) or cell.column > len(points):
                continue  # numbers and dates stay on one line
            width = spans.get((cell.row, cell.column), points[cell.column - 1])
            if "\n" not in text and len(text) * LARGEST <= width - textfit.CELL_MARGIN_PT:
                continue  # one line whatever its letters and font (no letter is wider than 1 em)
            size, bold = float(cell.font.sz or SIZE), bool(cell.font.b)
            key = (text, width, size, bold)
            if key not in cache:
                cache[key] = textfit.lines(text, width, size, bold)
            if cache[key] > 1:
                height = max(height, textfit.row_height(cache[key], size))
        if height:  # rows of one line keep their height (the default, or the banner's)
            ws.row_dimensions[row[0].row].height = height


def print_setup(
    ws: Worksheet,
    widths: Sequence[float],
    landscape: bool,
    header_row: int | None,
    max_pages: int = 0,
) -> None:
    """A4, fit to the page width (and at most ``max_pages`` pages tall when given), the header row
    repeated on every page, rows as high as their text, the print area set, pages numbered."""
    for k, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(k)].width = w
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = max_pages
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.page_margins.header = ws.page_margins.footer = 0.25
    ws.oddFooter.center.text = "&A — &P/&N"
    ws.oddFooter.center.size = 9
    ws.print_area = f"A1:{get_column_letter(len(widths))}{ws.max_row}"
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"
