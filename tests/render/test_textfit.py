"""Text widths and wrapped lines against the real font (Liberation Serif, the metrics of Times New Roman)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ImageFont

from engine.render import textfit
from engine.render.appraisal_text import LABELS

FONTS = Path("/usr/share/fonts/truetype/liberation2")
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"


def font(bold: bool, size: float) -> ImageFont.FreeTypeFont:
    name = "LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf"
    return ImageFont.truetype(str(FONTS / name), size=int(size * 100))  # 100x: sub-point precision


def real_lines(text: str, width_pt: float, size: float, bold: bool) -> int:
    """Greedy word wrap measured with the font file itself."""
    f = font(bold, size)

    def w(s: str) -> float:
        return f.getlength(s) / 100

    room = width_pt - textfit.CELL_MARGIN_PT
    total = 0
    for paragraph in text.split("\n"):
        line, count = "", 1
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and w(candidate) > room:
                count, line = count + 1, word
            else:
                line = candidate
            while w(line) > room:  # a word longer than the line is cut
                cut = len(line)
                while cut > 1 and w(line[:cut]) > room:
                    cut -= 1
                count, line = count + 1, line[cut:]
        total += count
    return total


@pytest.mark.parametrize("bold", [False, True])
def test_widths_are_the_fonts(bold: bool) -> None:
    f = font(bold, 10)
    for text in [
        "Xã Mường Khong",
        "Chỉ tiêu 2.1: Trạm y tế xã có bác sĩ làm việc",
        VIETNAMESE,
        VIETNAMESE.upper(),
    ]:
        real = f.getlength(text) / 100
        assert textfit.text_width(text, 10, bold) == pytest.approx(real, rel=0.03), text


@settings(max_examples=120, deadline=None)
@given(
    words=st.lists(st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + "0123456789,.%()-", min_size=1, max_size=14),
                   min_size=1, max_size=40),
    width=st.floats(min_value=40, max_value=400),
    bold=st.booleans(),
)  # fmt: skip
def test_never_fewer_lines_than_the_font_needs(words: list[str], width: float, bold: bool) -> None:
    text = " ".join(words)
    assert textfit.lines(text, width, 11, bold) >= real_lines(text, width, 11, bold)


def test_labels_and_newlines() -> None:
    for vi, _ in LABELS.values():
        assert textfit.lines(vi, 200, 11) == real_lines(vi, 200, 11, False) == 1
    assert textfit.lines("a\nb\nc", 200, 11) == 3
    assert textfit.row_height(3, 11) > 3 * 11 * 1.107  # Liberation Serif's line: 1.107 em
