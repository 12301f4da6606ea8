"""The area plan read back: marked DỰ THẢO, the objective against the plan's target, the communes to
bring in and to keep, every action with its body, months and cost, the phasing, a total equal to the
sum of the actions."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.appraisal.area import Appraisal
from engine.evaluation.evaluator import Evaluator
from engine.inputs.costs import costs_note
from engine.planner.targeting import TargetReport, TargetSpec, default_spec, spec_from_plan, target_area
from engine.render.documents import plan
from engine.render.documents.words import Options
from tests.render.documents.support import number, reread, sample_appraisal, table_after, text


def report_for(a: Appraisal, spec: TargetSpec) -> TargetReport:
    loaded = [(Path(r.source_file or ""), f) for r, f in zip(a.results, a.facts, strict=True)]
    return target_area(
        a.criteria_set,
        Evaluator(a.criteria_set),
        loaded,
        spec,
        area=a.source,
        costs_note=costs_note(None, None),
    )


@pytest.fixture(scope="module")
def national() -> tuple[Appraisal, TargetReport]:
    a = sample_appraisal()
    spec = default_spec("Điện Biên", "Tuần Giáo", a.year + 1)
    assert spec is not None and spec.rate == 90 and spec.by_year == 2030  # Res. 262/2025/QH15
    return a, report_for(a, spec)


def test_plan_objectives_and_communes(national) -> None:
    a, report = national
    body = text(reread(plan.plan_document(report, a, Options())))
    assert "DỰ THẢO" in body.split("\n")[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body and "ỦY BAN NHÂN DÂN HUYỆN TUẦN GIÁO" in body
    assert "Số: ……/KH-UBND" in body and "KẾ HOẠCH" in body
    assert "Thực hiện Bộ tiêu chí quốc gia về y tế xã giai đoạn 2025–2030" in body
    assert "đến năm 2030, tỷ lệ xã đạt Bộ tiêu chí quốc gia về y tế xã đạt 90 % (15/16 xã)" in body
    assert "năm 2024 có 9/16 xã đạt (56,25 %)" in body
    selected = [o.name for o in report.selected]
    assert f"- Xây dựng {len(selected)} xã đạt Bộ tiêu chí: {', '.join(selected)}." in body
    keep = [row.name for row in a.league if row.qualified]
    assert f"- Duy trì {len(keep)} xã đã đạt: {', '.join(keep)}." in body
    assert "CẢNH BÁO" in body and "SỐ LIỆU MINH HỌA" in body and "tham khảo" in body
    assert "Nơi nhận:" in body and "TM. ỦY BAN NHÂN DÂN" in body


def test_plan_total_is_the_sum_of_its_actions(national) -> None:
    a, report = national
    doc = reread(plan.plan_document(report, a, Options()))
    every_action: float = 0
    for k, o in enumerate(report.selected, start=1):
        assert o.plan is not None
        table = table_after(doc, f"{k}. {o.name} ({o.commune})", "TT")
        actions = table[1:-1]
        assert [row[1] for row in actions] == [x.action.vi for x in o.plan.actions]
        assert [row[3] for row in actions] == [x.responsible.vi for x in o.plan.actions]
        assert all("–" in row[4] and row[4].endswith("/2025") for row in actions)
        costs = [number(row[5]) for row in actions]
        assert table[-1][1] == "Cộng" and number(table[-1][5]) == sum(costs) == o.plan.cost_vnd
        every_action += sum(costs)
    budget = table_after(doc, "IV. KINH PHÍ", "TT")
    assert budget[-1][1] == "Tổng cộng"
    assert number(budget[-1][3]) == every_action == report.total_cost_vnd
    assert f"Tổng kinh phí dự kiến: {report.total_cost_vnd:,} đồng".replace(",", ".") in text(doc)


def test_plan_phasing_by_year(national) -> None:
    a, report = national
    doc = reread(plan.plan_document(report, a, Options()))
    phasing = table_after(doc, "III. TIẾN ĐỘ THỰC HIỆN THEO NĂM", "Năm")
    assert [row[0] for row in phasing[1:]] == [str(y) for y in range(2025, 2031)]
    assert [row[2] for row in phasing[1:]] == [f"{p.cumulative}/16" for p in report.phases]
    assert sum(number(row[4]) for row in phasing[1:]) == report.total_cost_vnd


def test_a_provinces_target_in_its_words() -> None:
    a = sample_appraisal()
    report = report_for(a, spec_from_plan("lai-chau-2030", None))
    body = text(reread(plan.plan_document(report, a, Options())))
    assert "đạt 92,11 %" in body and "đến năm 2030" in body


def test_english_plan(national) -> None:
    a, report = national
    body = text(reread(plan.plan_document(report, a, Options(lang="en"))))
    assert "DRAFT" in body and "PLAN" in body and "by 2030, 90 % of communes meet" in body
