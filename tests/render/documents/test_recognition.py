"""The proposal and the draft decision read back: the lists equal the register's decisions for the
year, by type, with the evaluation's scores and the recorded validity; legal bases and warnings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from engine.inputs.loader import load_criteria
from engine.register import decisions
from engine.register.db import Register
from engine.register.dossier import year_decisions
from engine.render.documents import recognition
from engine.render.documents.words import Options
from tests.register.scenario import A, B, D, sample_register
from tests.render.documents.support import number, reread, rows, table_after, text
from tests.support import TINY

KIND_VI = {
    "new": "Công nhận mới",
    "maintained": "Duy trì",
    "re_recognised": "Công nhận lại",
    "withdrawn": "Rút danh hiệu",
}


@pytest.fixture(scope="module")
def reg(tmp_path_factory: pytest.TempPathFactory):
    r = sample_register(tmp_path_factory.mktemp("register") / "register.sqlite3")
    yield r
    r.close()


def annex(doc, after: str | None = None) -> dict[str, list[tuple[str, float | None, str]]]:
    """The list by decision type: (commune code, score, valid until) of each row."""
    out: dict[str, list[tuple[str, float | None, str]]] = {}
    kind = ""
    for row in (table_after(doc, after, "TT") if after else rows(doc, "TT"))[1:]:
        if len(row) == 1:
            kind = next(k for k, label in KIND_VI.items() if f". {label} (" in row[0])
            continue
        code = row[1].rsplit("(", 1)[1].rstrip(")")
        out.setdefault(kind, []).append((code, None if row[3] == "—" else number(row[3]), row[6]))
    return out


def recorded(reg: Register, year: int) -> dict[str, list[str]]:
    d = reg.t["decisions"]
    with reg.read() as conn:
        found = conn.execute(select(d.c.kind, d.c.commune_code).where(d.c.year == year)).all()
    out: dict[str, list[str]] = {}
    for kind, code in sorted(found, key=lambda x: x[1]):
        out.setdefault(kind, []).append(code)
    return out


def test_draft_decision_lists_the_proposals_before_anything_is_recorded(reg: Register) -> None:
    yd = year_decisions(reg, 2020)
    doc = reread(recognition.decision(yd, {}, Options()))
    body = text(doc)
    assert "DỰ THẢO" in body.split("\n")[0] and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body
    assert (
        "QUYẾT ĐỊNH" in body and "Về việc công nhận xã đạt Bộ tiêu chí quốc gia về y tế xã năm 2020" in body
    )
    assert "Số: ……/QĐ-UBND" in body and "ngày …… tháng …… năm ……" in body
    assert "chưa có quyết định nào của năm 2020 được ghi" in body
    assert "Căn cứ Quyết định số 0/TEST;" in body  # the set is not in criteria/: its number only
    listed = annex(doc)
    assert {k: [c for c, _, _ in v] for k, v in listed.items()} == {
        "new": [D],
        "maintained": [A],
        "withdrawn": [B],
    }
    assert listed["new"][0][2] == "3 năm kể từ ngày ký" and listed["maintained"][0][2] == "14/12/2022"
    scores = {e.commune: e.total_score for e in yd.entries}
    assert all(s == pytest.approx(scores[c]) for v in listed.values() for c, s, _ in v)
    assert "Điều 1. Ghi nhận 1 xã duy trì" not in body  # articles follow the order of the types
    assert "Điều 1. Công nhận mới 1 xã" in body and "Điều 2. Ghi nhận 1 xã duy trì" in body
    assert "Điều 3. Thu hồi danh hiệu" in body and "Điều 4. Danh hiệu công nhận mới" in body


def test_decision_and_proposal_equal_the_recorded_decisions(tmp_path: Path) -> None:
    reg = sample_register(tmp_path / "register.sqlite3")
    try:
        decisions.apply(reg, 2020, "7/QĐ-UBND", dt.date(2020, 12, 10), "test")
        yd = year_decisions(reg, 2020)
        tiny = load_criteria(TINY)
        doc = reread(recognition.decision(yd, {tiny.id: tiny}, Options()))
        body = text(doc)
        assert "Số: 7/QĐ-UBND" in body and "ngày 10 tháng 12 năm 2020" in body
        assert "Căn cứ Quyết định số 0/TEST ngày 01/01/2024 (Bộ thử);" not in body  # a set without a title
        assert "Căn cứ Quyết định số 0/TEST ngày 01/01/2024;" in body
        listed = annex(doc)
        assert {k: [c for c, _, _ in v] for k, v in listed.items()} == recorded(reg, 2020)
        assert listed["new"][0][2] == "09/12/2023"  # 3 years from the recorded date
        proposal = reread(recognition.proposal(yd, {}, Options()))
        ptext = text(proposal)
        assert "TỜ TRÌNH" in ptext and "Kính gửi: Ủy ban nhân dân tỉnh Tỉnh Thử." not in ptext
        assert "SỞ Y TẾ" in ptext and "Số: ……/TTr-SYT" in ptext
        assert {
            k: [c for c, _, _ in v] for k, v in annex(proposal, "Danh sách chi tiết").items()
        } == recorded(reg, 2020)
        results = table_after(proposal, "I. KẾT QUẢ THẨM ĐỊNH", "TT")
        assert [r[1].rsplit("(", 1)[1].rstrip(")") for r in results[1:]] == [e.commune for e in yd.evaluated]
        assert [r[4] for r in results[1:]] == ["Duy trì", "Rút danh hiệu", "Công nhận mới"]
        assert (
            "Danh sách theo quyết định đã ghi trong sổ theo dõi năm 2020: số 7/QĐ-UBND, ngày 10/12/2020"
            in ptext
        )
    finally:
        reg.close()


def test_no_decision_in_the_year(reg: Register) -> None:
    yd = year_decisions(reg, 2019).model_copy(update={"entries": []})
    body = text(reread(recognition.decision(yd, {}, Options(lang="en"))))
    assert "Article 1. In 2019 no commune is recognised" in body and "DRAFT" in body
