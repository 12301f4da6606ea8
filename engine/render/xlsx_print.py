"""The XLSX dossier's print layout: rows as high as their wrapped text, A4 page setup, print areas.

Spreadsheet applications keep a row's height unless the file sets it, so without this, wrapped text
overflows into the rows below on paper. Heights come from :mod:`engine.render.textfit`. The dossier
is written row by row (openpyxl's write-only mode), so a row's height is worked out before the row is
written (:func:`height`) from the column widths set when the sheet is created (:func:`set_widths`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from engine.render import textfit

SIZE = 11  # the cells' font size (engine.render.xlsx)
LARGEST = 14  # the largest font size used (titles)

# (text, width in points, font size, bold) -> lines: the same texts recur from commune to commune.
FitCache = dict[tuple[str, float, float, bool], int]


def height(cells: Iterable[tuple[Any, float, float, bool]], cache: FitCache) -> float | None:
    """The height a row needs for its wrapped text: ``cells`` are (value, width in points — of the
    whole merged range for a merged cell —, font size, bold); None when every cell fits on one line
    (the row keeps its height: the default, or a banner's)."""
    out = 0.0
    for text, width, size, bold in cells:
        if not isinstance(text, str):
            continue  # numbers and dates stay on one line
        if "\n" not in text and len(text) * LARGEST <= width - textfit.CELL_MARGIN_PT:
            continue  # one line whatever its letters and font (no letter is wider than 1 em)
        key = (text, width, size, bold)
        n = cache.get(key)
        if n is None:
            n = cache[key] = textfit.lines(text, width, size, bold)
        if n > 1:
            out = max(out, textfit.row_height(n, size))
    return out or None


def set_widths(ws: Any, widths: Sequence[float]) -> list[float]:
    """Set the columns' widths (in characters; before any row of a write-only sheet); their points."""
    for k, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(k)].width = w
    return [textfit.column_points(w) for w in widths]


def print_setup(ws: Any, landscape: bool, max_pages: int = 0) -> None:
    """A4, fit to the page width (and at most ``max_pages`` pages tall when given), pages numbered.
    Before any row of a write-only sheet: the sheet's properties (fit to page) come first in its file."""
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
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


def print_area(ws: Any, columns: int, rows: int, header_row: int | None) -> None:
    """The print area (``columns`` × ``rows``) and the header row repeated on every page."""
    ws.print_area = f"A1:{get_column_letter(columns)}{rows}"
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"
