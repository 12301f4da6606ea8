"""Score sheets and appraisal minutes read back with python-docx: the Decree 30 heading, the commune,
every indicator with the evaluation's points, totals equal to the evaluation's, the warnings."""

from __future__ import annotations

import pytest
from docx import Document
from docx.shared import Length, Mm

from engine.appraisal.area import Appraisal
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.results import CommuneResult
from engine.i18n import score
from engine.inputs.facts import CommuneFacts
from engine.render.documents import commune
from engine.render.documents.words import Options
from tests.render.documents.support import number, reread, rows, sample_appraisal, text

# a commune that qualifies, one failing on a criterion floor, one failing on points
CASES = ["03301", "03319", "03316"]


@pytest.fixture(scope="module")
def sample() -> Appraisal:
    return sample_appraisal()


def pick(a: Appraisal, code: str) -> tuple[CommuneResult, CommuneFacts]:
    k = next(k for k, r in enumerate(a.results) if r.commune.id == code)
    return a.results[k], a.facts[k]


@pytest.mark.parametrize("code", CASES)
def test_score_sheet_has_every_indicator_with_the_evaluations_points(sample, code: str) -> None:
    a = sample
    r, f = pick(a, code)
    doc = reread(commune.score_sheet(r, f, a.criteria_set, Options()))
    body = text(doc)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body and "Độc lập - Tự do - Hạnh phúc" in body
    assert "PHIẾU CHẤM ĐIỂM" in body and r.commune.name in body and f"({r.commune.id})" in body
    assert "CẢNH BÁO: kết quả dựa trên 47/47 chỉ tiêu DỰ THẢO" in body and "SỐ LIỆU MINH HỌA" in body
    assert "Quyết định số 1300/QĐ-BYT ngày 09/03/2023" in body
    table = rows(doc, "TT")
    assert table[0][:3] == ["TT", "Mã", "Chỉ tiêu"]
    points = {row[1].rstrip("*"): number(row[6]) for row in table[1:] if len(row) == 8 and row[1]}
    assert points == {i.id: pytest.approx(i.points) for i in r.indicators}
    drafts = [row[1] for row in table[1:] if len(row) == 8 and row[1].endswith("*")]
    assert len(drafts) == r.criteria_set.draft_indicators
    ordinals = [row[0] for row in table[1:] if len(row) == 8 and row[1]]
    assert ordinals == [str(n) for n in range(1, len(r.indicators) + 1)]  # numbered 1–47 as the decision does
    by_id = {row[1].rstrip("*"): row for row in table[1:] if len(row) == 8 and row[1]}
    assert by_id["7.5"][0] == "35" and "ngưỡng vùng Trung du miền núi phía Bắc: ≤ 24 %" in by_id["7.5"][4]
    # an indicator over two facts: each value by its fact's label, the condition in words
    assert "Các đoàn thể tham gia công tác y tế: có" in by_id["1.2"][3] and "{" not in by_id["1.2"][3]
    assert by_id["1.2"][4].startswith("tất cả: ")
    total = table[-1]
    assert total[2] == "Tổng điểm" and total[6] == score(r.total_score, "vi")
    assert number(total[6]) == pytest.approx(sum(points.values()), abs=0.05)
    criteria = [row[0] for row in table if len(row) == 1]
    assert [c.split(".")[0] for c in criteria] == [f"Tiêu chí {c.id}" for c in r.criteria]
    verdict = "ĐẠT Bộ tiêu chí" if r.qualified else "CHƯA ĐẠT Bộ tiêu chí"
    assert f"Kết luận: {r.commune.name} {verdict}" in body
    for reason in r.reasons:
        assert reason.text("vi") in body
    assert "NGƯỜI CHẤM ĐIỂM" in body and "CHỦ TỊCH HỘI ĐỒNG" in body


def test_score_sheet_lists_every_gap_with_its_actions(sample) -> None:
    a = sample
    r, f = pick(a, "03316")
    doc = reread(commune.score_sheet(r, f, a.criteria_set, Options()))
    actions = rows(doc, "Chỉ tiêu")
    listed = [row[0] for row in actions[1:] if row[0]]
    assert listed == [item.indicator for item in r.remediation]
    costs = sum(number(row[5]) for row in actions[1:] if row[5])
    assert costs == sum(x.cost_vnd for item in r.remediation for x in item.actions)


@pytest.mark.parametrize("code", CASES)
def test_minutes_have_the_criteria_the_verdict_and_signatures(sample, code: str) -> None:
    a = sample
    r, f = pick(a, code)
    doc = reread(commune.minutes(r, f, a.criteria_set, Options()))
    body = text(doc)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body and "BIÊN BẢN" in body
    assert "Số: ……/BB-HĐTĐ" in body and "HỘI ĐỒNG THẨM ĐỊNH" in body
    assert f"Thẩm định {r.commune.name} đạt Bộ tiêu chí quốc gia về y tế xã năm {r.year}" in body
    criteria = rows(doc, "TT")
    assert [(row[0], number(row[4])) for row in criteria[1:-1]] == [
        (c.id, pytest.approx(c.score)) for c in r.criteria
    ]
    assert criteria[-1][4] == score(r.total_score, "vi")
    for i in r.indicators:
        listed = f"- Chỉ tiêu {i.id} «{i.title.vi}»" in body
        assert listed == (i.status in ("fail", "partial", "missing"))
    for item in r.remediation:
        assert f"- Chỉ tiêu {item.indicator} (" in body
    assert ("Đề nghị cấp có thẩm quyền xem xét, công nhận" in body) == r.qualified
    for role in ("TM. ỦY BAN NHÂN DÂN XÃ", "THƯ KÝ HỘI ĐỒNG", "CHỦ TỊCH HỘI ĐỒNG", "CÁC THÀNH VIÊN HỘI ĐỒNG"):
        assert role in body
    assert "CẢNH BÁO" in body and "SỐ LIỆU MINH HỌA" in body


def test_zone_check_in_the_minutes(sample) -> None:
    a = sample
    r, f = pick(a, "03301")  # a highland commune in zone 2 at 0.8 km: the zoning rule agrees
    assert r.zone_check is not None and r.zone_check.finding == "agrees"
    body = text(reread(commune.minutes(r, f, a.criteria_set, Options())))
    assert (
        "Vùng 2 (theo quyết định phân vùng của Sở Y tế); cách bệnh viện gần nhất 0,8 km. "
        + r.zone_check.reason.text("vi")
    ) in body


def test_a_zone_the_rule_does_not_give_is_pointed_out(sample) -> None:
    a = sample
    _, f = pick(a, "03301")
    declared_3 = f.model_copy(update={"commune": f.commune.model_copy(update={"zone": 3})})
    [moved] = Evaluator(a.criteria_set).evaluate([declared_3])
    assert moved.zone_check is not None and moved.zone_check.finding == "difficult_access"
    body = text(reread(commune.minutes(moved, declared_3, a.criteria_set, Options(lang="en"))))
    assert "Zone 3 (by the Department of Health's zoning decision); 0.8 km from the nearest hospital." in body
    assert "Department of Health" in moved.zone_check.reason.text("en")
    assert moved.zone_check.reason.text("en") in body


def test_english(sample) -> None:
    a = sample
    r, f = pick(a, "03319")
    body = text(reread(commune.score_sheet(r, f, a.criteria_set, Options(lang="en"))))
    assert "SOCIALIST REPUBLIC OF VIET NAM" in body and "SCORE SHEET" in body
    assert "WARNING" in body and "ILLUSTRATIVE FIGURES" in body
    assert "DOES NOT YET MEET" in body


def mm_of(length: Length | None) -> float:
    """A page dimension in millimetres; a dimension the file does not set fails the test."""
    assert length is not None, "the section does not set this dimension"
    return length / Mm(1)


def test_a4_times_new_roman_and_the_decree_margins(sample) -> None:
    a = sample
    r, f = pick(a, "03301")
    doc = reread(commune.score_sheet(r, f, a.criteria_set, Options()))
    s = doc.sections[0]
    mm = [
        round(mm_of(x))
        for x in (s.page_width, s.page_height, s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)
    ]
    assert mm == [210, 297, 20, 20, 30, 15]
    assert doc.styles["Normal"].font.name == "Times New Roman"


def test_a_provinces_template_keeps_its_letterhead_and_page(sample, tmp_path) -> None:
    base = Document()
    base.sections[0].left_margin = Mm(35)
    base.sections[0].header.paragraphs[0].text = "SỞ Y TẾ ĐIỆN BIÊN — tiêu đề thư"
    base.add_paragraph("nội dung mẫu sẽ bị thay")
    path = tmp_path / "mau.docx"
    base.save(str(path))
    a = sample
    r, f = pick(a, "03301")
    doc = reread(commune.score_sheet(r, f, a.criteria_set, Options(template=path)))
    assert doc.sections[0].header.paragraphs[0].text == "SỞ Y TẾ ĐIỆN BIÊN — tiêu đề thư"
    assert round(mm_of(doc.sections[0].left_margin)) == 35
    body = text(doc)
    assert "nội dung mẫu" not in body and "PHIẾU CHẤM ĐIỂM" in body


def test_text_word_cannot_hold_is_dropped_not_fatal(sample) -> None:
    a = sample
    r, f = pick(a, "03301")
    odd = r._replace(commune=r.commune._replace(name="Xã\x07 Thử\x00"))
    body = text(reread(commune.score_sheet(odd, f, a.criteria_set, Options())))
    assert "Xã Thử" in body
