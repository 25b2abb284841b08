"""OCR of scanned reports (issues 8, 14): generated reports printed, rasterised, degraded, read back.

Two sets of scans, computed against the fixtures' truth cell by cell:
- reportlab-drawn reports (both templates, 150–300 dpi, skew up to 1.5°, noise): at least 99% of cells right,
  every wrong cell caught — flagged `review` or part of a failed identity check; a coarser scan shows the net
  catching real misreads;
- scans made as real ones are (`synth.template_scans`): the real blank 2021 Word template (and the 2019
  rendering) filled in, printed by LibreOffice, scanned at 150–200 dpi with skew, blur, a grey paper tone,
  noise and JPEG at quality 60, holding rows of zeros, a row of blanks, table 四's 15 numbers and wide
  numbers: no number wrong at all (flagged or not), table 四 and the body found, ≥ 97% of cells right, and
  every cell not read right flagged `review`.
"""

from __future__ import annotations

import sys
import unicodedata
from dataclasses import replace

import pytest

from nianbao.synth.compare import cell_differences
from nianbao.synth.pdf_reportlab import FONT_PATH
from nianbao.synth.scans import Scan, scan_pages, scan_pdf, scan_png
from nianbao.synth.template_scans import (
    TemplateScan,
    hard_truth,
    printed_pdf,
    save_pdf,
    scan_printed,
)
from nianbao.synth.truth import expected_cells, make_truth
from nianbao.model.document import OcrWhere, Table, TextBlock, Where
from nianbao.model.record import CellValue, Check, Record
from nianbao.extract import extract_document, extract_path
from nianbao.model.words import Outcome
from nianbao.read import read_document
from nianbao.checks.review import REVIEW, review_flags

if not FONT_PATH.exists():
    pytest.fail(f"the fixture font {FONT_PATH} is missing: run scripts/install-system-deps.sh", pytrace=False)

# (template, seed, scan, file type): both templates, 150–300 dpi, skew 0–1.5°, noise 0–15 grey levels.
SCANS = [
    ("2021", 1, Scan(dpi=200, skew=1.0, noise=10, seed=1), "pdf"),
    ("2019", 2, Scan(dpi=150, skew=1.5, noise=15, seed=2), "pdf"),
    ("2021", 3, Scan(dpi=300, skew=0.5, noise=5, seed=3), "pdf"),
    ("2019", 4, Scan(dpi=200, skew=0.0, noise=0, seed=4), "pdf"),
    ("2021", 5, Scan(dpi=150, skew=1.2, noise=8, seed=5, layout="split-open"), "pdf"),
    ("2019", 6, Scan(dpi=200, skew=0.8, noise=12, seed=6), "png"),
]


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """(truth, document read by OCR) for every scan of SCANS."""
    folder = tmp_path_factory.mktemp("scans")
    out = []
    for template, seed, scan, kind in SCANS:
        truth = make_truth(template, seed=seed, blanks=0.1)
        path = folder / f"{template}-{seed}.{kind}"
        (scan_pdf if kind == "pdf" else scan_png)(truth, path, scan)
        out.append((truth, read_document(path)))
    return out


@pytest.fixture(scope="module")
def results(documents):
    """(truth, record) for every scan of SCANS."""
    return [(truth, extract_document(document, document.source, "sha")) for truth, document in documents]


def wrong_cells(truth, record) -> list[str]:
    return [line.split(":")[0] for line in cell_differences(record, expected_cells(truth))]


def caught(record, cid: str) -> bool:
    failed = {c for check in record.checks if check.ok is False and check.severity == "hard" for c in check.cells}
    return REVIEW in record.cells[cid].flags or cid in failed


def test_scans_are_read_as_reports(results):
    for truth, record in results:
        assert record.status == "ok", (record.source, record.reason)
        assert record.reader == "ocr"
        assert (record.template, record.year) == (truth.template, truth.year), record.source
        assert record.agency.name == truth.agency_name, record.source
        assert set(record.cells) == set(truth.cells), record.source


def test_at_least_99_percent_of_cells_right(results):
    total = sum(len(truth.cells) for truth, _ in results)
    wrong = {record.source: wrong_cells(truth, record) for truth, record in results}
    n_wrong = sum(map(len, wrong.values()))
    assert 1 - n_wrong / total >= 0.99, wrong


def test_every_wrong_cell_is_caught(results):
    missed = [(record.source, cid, record.cells[cid]) for truth, record in results
              for cid in wrong_cells(truth, record) if not caught(record, cid)]
    assert missed == []


def test_on_a_scan_too_coarse_to_read_well_every_wrong_cell_is_still_caught(tmp_path):
    """120 dpi with heavy noise: below what the reader is made for, some cells come out wrong, and each of them
    is flagged `review` or in a failed identity."""
    truth = make_truth("2019", seed=22, blanks=0.1)
    path = scan_pdf(truth, tmp_path / "coarse.pdf", Scan(dpi=120, skew=1.5, noise=20, seed=22))
    record = extract_path(path)
    wrong = wrong_cells(truth, record)
    assert wrong, "this scan was meant to be misread somewhere"
    assert [cid for cid in wrong if not caught(record, cid)] == []


def test_cells_carry_confidence_and_pixel_box(results):
    _, record = results[0]
    cell = record.cells["requests.total.total"]
    assert isinstance(cell.where, OcrWhere) and cell.where.confidence is not None
    assert 0.9 <= cell.where.confidence <= 1
    x0, y0, x1, y1 = cell.where.bbox
    assert cell.where.page >= 1 and 0 <= x0 < x1 <= 8.27 * 200 and 0 <= y0 < y1 <= 11.7 * 200  # A4 at 200 dpi


def test_a_scanned_page_among_printed_ones_is_read_and_joined(tmp_path):
    """A text PDF whose request-table page is a scan: that page is read by OCR, its table joined to the rest
    of the table on the next (printed) page."""
    import pypdfium2 as pdfium

    from nianbao.synth.pdf_reportlab import render_pdf
    truth = make_truth("2021", seed=7, blanks=0.1)
    printed = pdfium.PdfDocument(str(render_pdf(truth, tmp_path / "text.pdf")))
    scanned = pdfium.PdfDocument(str(scan_pdf(truth, tmp_path / "scan.pdf", Scan(dpi=200, skew=0.7, noise=8))))
    mixed = pdfium.PdfDocument.new()
    for source, index in ((printed, 0), (scanned, 1), (printed, 2)):
        mixed.import_pages(source, [index])
    mixed.save(tmp_path / "mixed.pdf")
    record = extract_path(tmp_path / "mixed.pdf")
    assert "pages read by OCR at 200 dpi: 2" in record.notes and "table continued across pages 2-3" in record.notes
    assert cell_differences(record, expected_cells(truth)) == []
    assert "confidence" in record.cells["requests.total.total"].to_json()["where"]         # read on the scanned page
    assert "confidence" not in record.cells["disclosure.rules.issued"].to_json()["where"]  # printed page 1


def test_a_misread_digit_breaks_an_identity_and_is_flagged(documents):
    """A digit read wrongly with full confidence: the report's own sums catch it."""
    truth, document = documents[0]
    target = str(truth.cells["requests.new.natural_person"])            # a cell that two identities use
    misread = str(int(target) + 50)
    document = replace(document, blocks=tuple(_misread(b, target, misread) for b in document.blocks))
    record = extract_document(document, document.source, "sha")
    cell = record.cells["requests.new.natural_person"]
    assert cell.value == int(misread) and (cell.where.confidence or 0) >= 0.9
    assert any(c.ok is False and "requests.new.natural_person" in c.cells for c in record.checks)
    assert REVIEW in cell.flags


def _misread(block, target: str, misread: str):
    if not isinstance(block, Table):
        return block
    cells, done = [], False
    for cell in block.cells:
        # the first cell of the 本年新收 row holding the number: natural persons
        if not done and cell.text == target and cell.where.row is not None and any(
                "本年新收" in c.text for c in block.cells if c.row == cell.row):
            cell, done = replace(cell, text=misread), True
        cells.append(cell)
    return replace(block, cells=tuple(cells))


def test_low_confidence_flags_review_and_other_readers_are_untouched():
    sure = CellValue(5, "value", "5", where=OcrWhere(page=1, confidence=0.99))
    unsure = CellValue(8, "value", "8", where=OcrWhere(page=1, confidence=0.42))
    in_failed_sum = CellValue(3, "value", "3", where=OcrWhere(page=1, confidence=0.99))
    record = Record(source="s", sha256="x", status="ok", cells={"a": sure, "b": unsure, "c": in_failed_sum},
                    checks=(Check("H1", "c", Outcome.FAILED, "3 = 4", cells=("c",)),))
    flagged = review_flags(record)
    assert [flagged.cells[k].flags for k in "abc"] == [(), ("review",), ("review",)]
    assert flagged.cells["b"].status == "value" and flagged.cells["b"].value == 8
    text_pdf = replace(record, cells={k: replace(v, where=Where(page=1)) for k, v in record.cells.items()})
    assert review_flags(text_pdf) == text_pdf


def test_skew_is_found_and_undone():
    import numpy as np

    from nianbao.read.scan import image
    page = np.asarray(scan_pages(make_truth("2021", seed=1), Scan(dpi=150, skew=0))[1])
    turned = image.rotate(page, 1.3, 255)
    assert abs(image.skew_angle(image.ink_of(turned)) + 1.3) <= 0.1


@pytest.mark.parametrize("suffix", [".pdf", ".png"])
def test_without_rapidocr_a_scan_is_rejected_naming_the_extra(tmp_path, monkeypatch, suffix):
    truth = make_truth("2021", seed=1)
    path = (scan_pdf if suffix == ".pdf" else scan_png)(truth, tmp_path / f"scan{suffix}", Scan(dpi=150))
    monkeypatch.setitem(sys.modules, "rapidocr", None)       # `import rapidocr` now raises ImportError
    record = extract_path(path)
    assert record.status == "rejected"
    assert record.reason_code == "ocr-not-installed"
    assert "pip install 'nianbao[ocr]'" in record.reason
    assert record.reason.count(".") == 1 and record.reason.endswith(".")     # one sentence


def test_a_page_image_without_text_is_rejected(tmp_path):
    from PIL import Image
    path = tmp_path / "white.png"
    Image.new("L", (600, 800), 255).save(path)
    record = extract_path(path)
    assert (record.status, record.reason_code) == ("rejected", "no-text-found")


# --- scans made as real ones are ------------------------------------------------------------------------

# (template, seed, body, scan): 150–200 dpi, skew ≤ 1°, blur, grey paper, noise, JPEG 60; the title on one line
# (wrapped by the page) or the body's name above it; the scanner lid's shadow along an edge and a seal; a light
# print (toner low: its black is grey 130).
TEMPLATE_SCANS = [
    ("2021", 11, "武汉经济技术开发区（汉南区）卫生健康局",
     TemplateScan(dpi=150, skew=0.8, blur=0.8, paper=215, noise=8, jpeg=60, edge=4, seal=True, seed=11)),
    ("2021", 12, "上海市长宁区卫生健康委员会",
     TemplateScan(dpi=200, skew=1.0, blur=0.6, paper=225, noise=6, jpeg=60, ink=130, seed=12, title="two-line")),
    ("2019", 13, "上海市普陀区卫生健康局",
     TemplateScan(dpi=150, skew=0.6, blur=0.7, paper=220, noise=6, jpeg=60, seed=13)),
]


@pytest.fixture(scope="module")
def template_results(tmp_path_factory):
    """(truth, record of the scan, record of the printed PDF it was scanned from, document of the scan)."""
    out = []
    for template, seed, body, scan in TEMPLATE_SCANS:
        folder = tmp_path_factory.mktemp(f"template-{seed}")
        truth = hard_truth(template, seed, agency_name=body)
        printed = printed_pdf(truth, folder, scan.title)
        path = save_pdf(scan_printed(printed, scan), folder / "scan.pdf", scan)
        document = read_document(path)
        out.append((truth, extract_document(document, str(path), "sha"), extract_path(printed), document))
    return out


def test_template_scans_hold_the_hard_cases(template_results):
    for truth, *_ in template_results:
        rows = {}
        for cid, value in truth.cells.items():
            rows.setdefault(cid.rsplit(".", 1)[0], []).append(value)
        assert any(all(v == 0 for v in values) for values in rows.values()), "a row of zeros"
        assert any(sum(v is None for v in values) >= 3 for values in rows.values()), "a row of blanks"
        assert all(truth.cells[f"appeals.{g}.total"] is not None for g in ("review", "litigation_direct"))
        assert max(v for v in truth.cells.values() if v is not None) >= 10000, "a wide number"


def test_template_scans_never_give_a_wrong_number(template_results):
    wrong = [(record.source, line) for truth, record, _, _ in template_results
             for line in cell_differences(record, expected_cells(truth))
             if record.cells[line.split(":")[0]].status not in ("unreadable", "missing")]
    assert wrong == []


def test_template_scans_every_cell_not_read_right_is_flagged(template_results):
    unflagged = [(record.source, cid) for truth, record, _, _ in template_results
                 for cid in (line.split(":")[0] for line in cell_differences(record, expected_cells(truth)))
                 if REVIEW not in record.cells[cid].flags]
    assert unflagged == []


def test_template_scans_read_at_least_97_percent_of_cells(template_results):
    total = sum(len(truth.cells) for truth, *_ in template_results)
    not_right = sum(len(cell_differences(record, expected_cells(truth))) for truth, record, _, _ in template_results)
    assert 1 - not_right / total >= 0.97, not_right


def test_template_scans_find_table_four_and_the_body(template_results):
    for truth, record, printed, _ in template_results:
        assert record.status == "ok" and record.reader == "ocr", (record.source, record.reason)
        assert (record.template, record.year) == (truth.template, truth.year), record.source
        appeals = [cid for cid in truth.cells if cid.startswith("appeals.")]
        assert all(record.cells[cid].status != "missing" for cid in appeals), record.source
        assert printed.agency.id is not None
        assert record.agency.id == printed.agency.id, (record.source, record.agency, printed.agency)


def test_template_scans_keep_the_title_whole_as_text(template_results):
    """The body's name, parentheses and all, comes out on one text line before the first table."""
    for truth, _, _, document in template_results:
        first = next(i for i, b in enumerate(document.blocks) if isinstance(b, Table))
        lines = [b.text for b in document.blocks[:first] if isinstance(b, TextBlock)]
        name = unicodedata.normalize("NFKC", truth.agency_name)
        assert any(name in line.replace(" ", "") for line in lines), lines[:3]


def test_a_cell_not_read_as_a_number_is_unreadable_in_its_own_column():
    """What stands in a cell that is no reading of a number: text that does not parse, a number read with
    little confidence, ink read as nothing. The cell stays in its column, unreadable, and says why."""
    from nianbao.read.pdf import geometry as pdf
    from nianbao.read.scan.doubt import UNREAD, Reading, mark_unparsed_cells

    def cell(col: int, text: str) -> pdf.Cell:
        return pdf.Cell(row=0, col=col, rowspan=1, colspan=1, text=text, page=1, bbox=(10.0 * col, 0, 10.0 * col + 10, 10))

    texts = ["1.属于国家秘密", "0E", "7", "", "", "2.", "38"]
    readings = [Reading(1, (10 * k + 2, 2, 10 * k + 8, 8), t, 0.99) for k, t in enumerate(texts) if t]
    readings[2] = readings[2]._replace(confidence=0.4)             # "7", barely believed
    readings.append(Reading(1, (32, 2, 38, 8), "", 0.2))           # ink in cell 3, read as nothing
    table = pdf.PageTable(page=1, bbox=(0, 0, 70, 10), xs=tuple(10.0 * k for k in range(8)),
                          cells=[cell(k, t) for k, t in enumerate(texts)], n_rows=1)
    marks = mark_unparsed_cells([table], readings, 1)
    assert [c.text for c in table.cells] == ["1.属于国家秘密", UNREAD, UNREAD, UNREAD, "", "2.", "38"]
    assert [m.doubt for m in marks] == ["read as '0E': not a number", "read as '7' with confidence 0.40",
                                        "ink read as nothing"]


def test_two_numbers_parted_by_a_rule_no_other_row_has_are_not_taken():
    """A digit's stroke taken for a rule cuts "31" in two: a split of two numbers that the rows above and below
    do not have is no proof of two columns."""
    from nianbao.read.pdf import geometry as pdf
    from nianbao.read.scan.doubt import UNREAD, mark_unproven_splits

    def cell(row: int, col: int, text: str, colspan: int = 1) -> pdf.Cell:
        return pdf.Cell(row=row, col=col, rowspan=1, colspan=colspan, text=text, page=1,
                        bbox=(10.0 * col, 10.0 * row, 10.0 * (col + colspan), 10.0 * row + 10))

    cells = [cell(0, 0, "信息内容"), cell(0, 1, "采购项目数量", 2), cell(0, 3, "采购总金额"),
             cell(1, 0, "政府集中采购"), cell(1, 1, "3"), cell(1, 2, "1"), cell(1, 3, "40476.7")]
    table = pdf.PageTable(page=1, bbox=(0, 0, 40, 20), xs=(0, 10, 20, 30, 40), cells=cells, n_rows=2)
    mark_unproven_splits([table], 1)
    assert [c.text for c in table.cells[3:]] == ["政府集中采购", UNREAD, UNREAD, "40476.7"]
