"""The data-collection template as XLSX: a data sheet (one row per commune) and a guide sheet."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from engine.i18n import msg, t
from engine.inputs.criteria import CriteriaSet
from engine.inputs.facts import CommuneFacts
from engine.render.template import guide_rows, rows_for, template_columns
from engine.render.xlsx import text_only

HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


def template_bytes(
    cs: CriteriaSet, records: Sequence[CommuneFacts], lang: str, note: str | None = None
) -> bytes:
    cols = template_columns(cs)
    wb = Workbook()
    ws = wb.active
    ws.title = msg("template.data_sheet", lang)
    rows = rows_for(cols, records, lang)
    start = 1
    if note:
        ws.append([note])
        ws.cell(1, 1).font = Font(bold=True, italic=True, color="9C0006")
        start = 2
    for k, row in enumerate(rows):
        ws.append(row)
        text_only(ws, start + k, len(row))
    for k, col in enumerate(cols, start=1):
        cell = ws.cell(start, k)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(k)].width = 16 if col.kind != "text" else 22
        letter = get_column_letter(k)
        area = f"{letter}{start + 1}:{letter}{start + max(500, len(records) + 100)}"
        if col.kind == "boolean":
            dv = DataValidation(type="list", formula1=f'"{t("yes", lang)},{t("no", lang)}"', allow_blank=True)
        elif col.kind in ("percent", "number", "count") and col.minimum is not None:
            kind = "whole" if col.kind == "count" else "decimal"
            if col.maximum is not None:
                dv = DataValidation(
                    type=kind, operator="between", formula1=str(col.minimum), formula2=str(col.maximum)
                )
            else:
                dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=str(col.minimum))
        else:
            continue
        dv.error = msg("template.not_allowed", lang)
        ws.add_data_validation(dv)
        dv.add(area)
    ws.row_dimensions[start].height = 60
    ws.freeze_panes = ws.cell(start + 1, 3)
    guide = wb.create_sheet(msg("template.guide_sheet", lang))
    for row in guide_rows(cs, lang):
        guide.append(row)
    for k, w in enumerate((44, 36, 14, 22, 28, 9), start=1):
        guide.column_dimensions[get_column_letter(k)].width = w
        guide.cell(1, k).font = Font(bold=True)
        guide.cell(1, k).fill = HEAD_FILL
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
