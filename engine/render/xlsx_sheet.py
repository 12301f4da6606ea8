"""A worksheet written row by row (openpyxl's write-only mode), styled and laid out for print.

openpyxl keeps every cell of a normal workbook in memory and works out each cell's style by hashing
it; a dossier of 3,000 communes took minutes and a gigabyte. Here a row is written when it is
appended and never kept; each combination of styles is worked out once per workbook
(:class:`Styles`) and copied to the cells that use it; a row's height is computed from its texts
before it is written (:func:`engine.render.xlsx_print.height`).
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import copy
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.cell_range import CellRange

from engine.render import xlsx_print
from engine.render.xlsx_print import SIZE

# One cell's look: (named style or None, font, fill, alignment, number format), any of them None.
Look = tuple[str | None, Font | None, PatternFill | None, Alignment | None, str | None]


class Styles:
    """The style array of each look, made once per workbook (openpyxl hashes each part of a style
    every time one is set: 25 µs a cell), and the font each look shows (for row heights)."""

    def __init__(self, wb: Workbook, fonts: dict[str, Font]) -> None:
        self.wb = wb
        self.fonts = fonts  # the font of each named style
        self.arrays: dict[Look, Any] = {}

    def array(self, ws: Any, look: Look) -> Any:
        arr = self.arrays.get(look)
        if arr is None:
            style, font, fill, alignment, number_format = look
            cell = WriteOnlyCell(ws)
            if style is not None:
                cell.style = style
            if font is not None:
                cell.font = font
            if fill is not None:
                cell.fill = fill
            if alignment is not None:
                cell.alignment = alignment
            if number_format is not None:
                cell.number_format = number_format
            arr = self.arrays[look] = cell._style  # openpyxl's StyleArray: indices into the workbook's styles
        return arr

    def font(self, look: Look) -> Font | None:
        return look[1] or (self.fonts.get(look[0]) if look[0] else None)


class _Rows(WriteOnlyWorksheet):
    """A write-only worksheet that takes rows of ready cells as they are: openpyxl's own first tries
    each item as a value, and a cell fails that with an exception whose message formats the cell
    (a third of the dossier's time)."""

    def _values_to_row(self, values: Sequence[Any], row_idx: int) -> Any:
        for col_idx, cell in enumerate(values, 1):
            if cell is not None:
                cell.column = col_idx
                cell.row = row_idx
                yield cell


class Sheet:
    """One worksheet of a write-only workbook: rows appended with their looks, heights and merges."""

    def __init__(
        self,
        wb: Workbook,
        styles: Styles,
        title: str,
        widths: Sequence[float],
        fit: xlsx_print.FitCache,
        landscape: bool = True,
        max_pages: int = 0,
    ) -> None:
        self.ws = _Rows(parent=wb, title=title)
        wb._add_sheet(self.ws)  # what Workbook.create_sheet does with its own class
        self.styles = styles
        self.points = xlsx_print.set_widths(self.ws, widths)
        xlsx_print.print_setup(self.ws, landscape, max_pages)
        self.width = len(widths)
        self.fit = fit
        self.rows = 0

    def append(
        self,
        values: Sequence[Any],
        looks: Sequence[Look | None],
        base_height: float | None = None,
        merge: int = 0,
    ) -> int:
        """Write one row (``looks[k]``: the look of cell k, None for no cell); ``merge``: its first cell
        spans that many columns. The row's number."""
        self.rows += 1
        r = self.rows
        cells: list[WriteOnlyCell | None] = []
        fit: list[tuple[Any, float, float, bool]] = []
        for k, (value, look) in enumerate(zip(values, looks, strict=True)):
            if value is None and look is None:
                cells.append(None)
                continue
            cell = WriteOnlyCell(self.ws, value)
            if cell.data_type == "f":
                cell.data_type = "s"  # text that starts with '=' stays text: data never becomes a formula
            if look is not None:
                cell._style = copy(self.styles.array(self.ws, look))
            cells.append(cell)
            if k < self.width and isinstance(value, str):
                font = self.styles.font(look) if look is not None else None
                width = sum(self.points[:merge]) if merge and k == 0 else self.points[k]
                fit.append(
                    (value, width, float(font.sz or SIZE) if font else SIZE, bool(font.b) if font else False)
                )
        if merge:
            self.ws.merged_cells.add(CellRange(min_col=1, min_row=r, max_col=merge, max_row=r))
        h = xlsx_print.height(fit, self.fit) or base_height
        if h:
            self.ws.row_dimensions[r].height = h
        self.ws.append(cells)
        return r

    def blank(self) -> None:
        self.rows += 1
        self.ws.append([])

    def close(self, header_row: int | None) -> None:
        """The print area, then the sheet is written out (nothing more can be added to it)."""
        xlsx_print.print_area(self.ws, self.width, self.rows, header_row)
        self.ws.close()
