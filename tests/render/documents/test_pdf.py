"""The documents as PDF, made by LibreOffice from the Word files in one batch, and checked with poppler:
pages, not blank, the Vietnamese text extracted intact, fonts embedded."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import UserError
from engine.evaluation.evaluator import Evaluator
from engine.inputs.costs import costs_note
from engine.planner.targeting import default_spec, target_area
from engine.register.dossier import year_decisions
from engine.render.documents import files, pdf
from engine.render.documents.words import Options
from tests.register.scenario import sample_register
from tests.render import pdfcheck
from tests.render.documents.support import sample_appraisal

COMMUNES = {"03316", "03301"}  # Mường Khong (fails), Thị trấn Tuần Giáo (qualifies)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    a = sample_appraisal()
    keep = [k for k, r in enumerate(a.results) if r.commune.id in COMMUNES]
    small = type(a)(**{**a.__dict__, "results": [a.results[k] for k in keep], "facts": [a.facts[k] for k in keep],
                       "league": [row for row in a.league if row.commune in COMMUNES]})  # fmt: skip
    built = files.commune_documents(small, ["score-sheets", "minutes"], Options())
    spec = default_spec("Điện Biên", "Tuần Giáo", a.year + 1)
    assert spec is not None
    loaded = [(Path(r.source_file or ""), f) for r, f in zip(a.results, a.facts, strict=True)]
    ev = Evaluator(a.criteria_set)
    report = target_area(a.criteria_set, ev, loaded, spec, area=a.source, costs_note=costs_note(None, None))
    built += files.plan_documents(report, a, Options())
    tmp = tmp_path_factory.mktemp("documents")
    reg = sample_register(tmp / "register.sqlite3")
    try:
        built += files.recognition_documents(
            year_decisions(reg, 2020), {}, ["proposal", "decision"], Options()
        )
    finally:
        reg.close()
    out = tmp / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pdf, "BATCH", 5)  # two LibreOffice runs for the 7 files: batches are put together right
        paths = files.write(out, built, "both")
    assert sorted(p.name for p in paths) == sorted(
        f"{b.stem}.{ext}" for b in built for ext in ("docx", "pdf")
    )
    return {p.stem: p for p in paths if p.suffix == ".pdf"}


def test_every_page_is_printed_and_not_blank(written: dict[str, Path], tmp_path: Path) -> None:
    assert len(written) == 2 * len(COMMUNES) + 3
    for stem, path in written.items():
        n = pdfcheck.pages(path)
        assert 1 <= n <= 8, (stem, n)
        pngs = pdfcheck.images(path, tmp_path)
        assert len(pngs) == n
        assert all(pdfcheck.ink(png) > 0.001 for png in pngs), stem
    assert pdfcheck.pages(written["decision-2020"]) == 2  # the annex starts a page of its own


def test_vietnamese_text_comes_out_intact(written: dict[str, Path]) -> None:
    for stem, path in written.items():
        body = " ".join(pdfcheck.page_text(path).split())
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body and "Độc lập - Tự do - Hạnh phúc" in body, stem
    sheet = " ".join(pdfcheck.page_text(written["score-sheet-03316-muong-khong"]).split())
    assert "PHIẾU CHẤM ĐIỂM" in sheet and "Xã Mường Khong" in sheet and "Trạm y tế xã có bác sĩ" in sheet
    assert "DỰ THẢO" in pdfcheck.page_text(written["plan-tuan-giao-2025-2030"], 1)


def test_fonts_are_embedded_times_new_roman_metrics(written: dict[str, Path]) -> None:
    for path in written.values():
        found = pdfcheck.fonts(path)
        assert found and all(embedded for _, embedded in found), found
        assert all("LiberationSerif" in name for name, _ in found), found


def test_without_libreoffice_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(pdf, "PROGRAMS", ("no-such-soffice",))
    with pytest.raises(UserError) as err:
        files.write(tmp_path, [files.Built("x", b"PK")], "pdf")
    assert "LibreOffice is needed" in err.value.format() and "--format docx" in err.value.format()
    assert not list(tmp_path.glob("*.pdf"))
