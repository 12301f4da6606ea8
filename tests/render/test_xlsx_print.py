"""The XLSX dossier printed as a person would print it: converted to PDF by LibreOffice and checked.
Rows are at least as high as their wrapped text needs (measured with the font file), no text is
printed over other text, and each commune's score sheet takes at most two A4 pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from engine.appraisal.area import Appraisal, appraise
from engine.render import textfit, xlsx
from engine.render.documents import pdf
from tests.render import pdfcheck
from tests.render.fonts import LINE_PITCH, real_lines
from tests.support import ROOT

SAMPLE = ROOT / "communes" / "dien-bien" / "tuan-giao"
DEFAULT_ROW_PT = 15.0


@pytest.fixture(scope="module")
def appraisal() -> Appraisal:
    return appraise(SAMPLE, plan_refs=["tuan-giao-2021", "dien-bien-2021"])


@pytest.fixture(scope="module")
def printed(appraisal: Appraisal, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("xlsx")
    book = folder / "dossier.xlsx"
    book.write_bytes(xlsx.workbook_bytes(appraisal, "vi"))
    (made,) = pdf.convert([book], folder / "pdf")
    return book, made


def test_rows_are_as_high_as_their_wrapped_text(printed: tuple[Path, Path]) -> None:
    wb = load_workbook(printed[0])
    short = []
    for ws in wb.worksheets:
        points = [
            textfit.column_points(ws.column_dimensions[get_column_letter(k)].width) for k in range(1, 12)
        ]
        merged = {
            (r.min_row, r.min_col): sum(points[r.min_col - 1 : r.max_col]) for r in ws.merged_cells.ranges
        }
        for row in ws.iter_rows():
            height = ws.row_dimensions[row[0].row].height or DEFAULT_ROW_PT
            for cell in row:
                if not isinstance(cell.value, str) or cell.column > len(points):
                    continue
                width = merged.get((cell.row, cell.column), points[cell.column - 1])
                size = float(cell.font.sz or 11)
                need = real_lines(cell.value, width, size, bool(cell.font.b)) * size * LINE_PITCH
                if height < need:
                    short.append((ws.title, cell.coordinate, height, round(need, 1), cell.value[:40]))
    assert short == []


def test_no_text_is_printed_over_other_text(printed: tuple[Path, Path]) -> None:
    found = pdfcheck.words(printed[1])
    assert len(found) > 5000
    assert pdfcheck.overlaps(found) == []


def test_every_score_sheet_on_at_most_two_pages(
    printed: tuple[Path, Path], appraisal: Appraisal, tmp_path: Path
) -> None:
    path = printed[1]
    sheet_of_page: list[str] = []
    for page in range(1, pdfcheck.pages(path) + 1):
        first = pdfcheck.page_text(path, page).strip().split("\n")[0]
        if first.startswith("PHIẾU CHẤM ĐIỂM"):
            sheet_of_page.append(first.split(" — ")[1].strip())
        else:
            sheet_of_page.append(sheet_of_page[-1] if sheet_of_page else "summary")
    names = [f"{r.name} ({r.commune})" for r in appraisal.league]
    counts = {name: sheet_of_page.count(name) for name in names}
    assert all(1 <= n <= 2 for n in counts.values()), counts
    assert sheet_of_page.count("summary") <= 6
    pngs = pdfcheck.images(path, tmp_path, dpi=20)
    assert len(pngs) == len(sheet_of_page) and all(pdfcheck.ink(p) > 0.001 for p in pngs)
