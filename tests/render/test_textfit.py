"""Text widths and wrapped lines against the real font (Liberation Serif, the metrics of Times New Roman)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import i18n
from engine.render import textfit
from tests.render.fonts import VIETNAMESE, font, real_lines


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
    # the appraisal's labels (headings, statuses): its messages without parameters, up to 45 letters
    labels = [
        text
        for key, text in i18n.catalogue("vi").items()
        if key.startswith("appraisal.") and "{" not in text and 0 < len(text) <= 45
    ]
    assert len(labels) >= 35
    for vi in labels:
        assert textfit.lines(vi, 200, 11) == real_lines(vi, 200, 11, False) == 1
    assert textfit.lines("a\nb\nc", 200, 11) == 3
    assert textfit.row_height(3, 11) > 3 * 11 * 1.107  # Liberation Serif's line: 1.107 em
