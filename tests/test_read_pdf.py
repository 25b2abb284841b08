"""PDF reader: reportlab-drawn reports in every layout × both templates must give every cell of the truth;
unreadable PDFs are rejected with the right code; the real reports in ../shared match their golden files;
and the small steps of the chain (grid → cells with spans, implied rules, page joins) on hand-made input."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import CORPUS, GOLDEN
from nianbao.synth.pdf_reportlab import FONT_PATH, LAYOUTS, image_only_pdf, render_pdf
from nianbao.synth.compare import cell_differences
from nianbao.synth.truth import expected_cells, make_truth
from nianbao.model.document import Table
from nianbao.read import READERS, pdf, scan
from nianbao.read.pdf import geometry, grid, join
from nianbao.read.pdf.pdfium import display_transform, page_to_chars
from nianbao.read.errors import Unreadable

pytest.importorskip("reportlab")
needs_font = pytest.mark.skipif(not FONT_PATH.exists(),
                                reason=f"{FONT_PATH} is absent: apt-get install fonts-wqy-zenhei")
REAL = sorted((CORPUS / "real").glob("*.pdf"))


def test_pdf_reader_is_registered():
    assert READERS[".pdf"] is scan.read_pdf


def extract(path: Path):
    from nianbao.extract import extract_path
    return extract_path(path)


# --- every layout × both templates: 100 % of cells ------------------------------------------------------

CASES = [(template, layout) for template in ("2019", "2021") for layout in LAYOUTS]


@needs_font
@pytest.mark.parametrize("template,layout", CASES, ids=[f"{t}-{lay}" for t, lay in CASES])
def test_every_cell_of_a_drawn_report(tmp_path, template, layout):
    truth = make_truth(template, seed=list(LAYOUTS).index(layout), blanks=0.15)
    record = extract(render_pdf(truth, tmp_path / f"{template}-{layout}.pdf", layout))
    assert record.status == "ok", record.reason
    assert record.reader == "pdf"
    assert record.template == template
    assert record.year == truth.year
    assert cell_differences(record, expected_cells(truth)) == []
    assert set(record.cells) == set(truth.cells)


@needs_font
@pytest.mark.parametrize("seed", [11, 12, 13])
def test_more_seeds_with_many_blanks(tmp_path, seed):
    for template in ("2019", "2021"):
        truth = make_truth(template, seed=seed, blanks=0.4)
        record = extract(render_pdf(truth, tmp_path / f"{template}.pdf", "split-open"))
        assert cell_differences(record, expected_cells(truth)) == []


def _tables(document) -> list[Table]:
    return [b for b in document.blocks if isinstance(b, Table)]


def _requests_table(document) -> Table:
    return next(t for t in _tables(document) if "申请人情况" in t.text())


@needs_font
def test_layouts_print_what_they_claim(tmp_path):
    """The layouts are not vacuous: the features they name are in the PDF, and the reader joins them."""
    truth = make_truth("2021", seed=5)
    docs = {name: pdf.read(render_pdf(truth, tmp_path / f"{name}.pdf", name)) for name in LAYOUTS}
    # the request table is one table, whichever way it was cut, and starts with one header
    for name, doc in docs.items():
        table = _requests_table(doc)
        assert table.text().count("申请人情况") == 1, name
        assert table.text().count("四、结转下年度继续办理") == 1, name
        if name in ("split-open", "split-closed", "repeat-header"):
            assert len({c.where.page for c in table.cells}) == 2, name
    for name in ("split-open", "split-closed", "repeat-header", "landscape", "rotated"):
        assert any(n.startswith("table continued across pages") for n in docs[name].notes), name
    # a cut row-group label is one cell again in the open layout (no rule at the cut)
    label = next(c for c in _requests_table(docs["split-open"]).cells if "本年度办理结果" in c.text)
    assert label.text == "三、本年度办理结果" and label.rowspan > 15
    # landscape: the request table's page is wider than high; rotated: /Rotate 90, read upright
    import pypdfium2 as pdfium
    for name in ("landscape", "rotated"):
        page_no = _requests_table(docs[name]).where.page
        document = pdfium.PdfDocument(str(tmp_path / f"{name}.pdf"))
        x0, y0, x1, y1 = document[page_no - 1].get_mediabox()
        rotation = document[page_no - 1].get_rotation()
        document.close()
        assert (x1 - x0 > y1 - y0 and rotation == 0) if name == "landscape" else (x1 - x0 < y1 - y0 and rotation == 90)
    # narrow: numbers of three digits and more wrap inside their cells and come back whole
    wrapped = [c for c in _requests_table(docs["narrow"]).cells
               if c.text.isdigit() and len(c.text) >= 3 and c.where.bbox[2] - c.where.bbox[0] < 20]
    assert wrapped
    # two-line name: the title lines carry the name in two pieces
    lines = [b.text for b in docs["two-line-name"].blocks[:3]]
    assert "".join(lines[:2]) == truth.agency_name and lines[0] != truth.agency_name


@needs_font
def test_drawn_text_stays_on_its_page(tmp_path):
    """Fixture check: text drawn off the page would still be extracted and hide a broken layout."""
    import pypdfium2 as pdfium
    for name in LAYOUTS:
        path = render_pdf(make_truth("2019", seed=3, blanks=0.2), tmp_path / f"{name}.pdf", name)
        document = pdfium.PdfDocument(str(path))
        for index in range(len(document)):
            page = document[index]
            to_display, height = display_transform(page)
            width = page.get_width()
            textpage = page.get_textpage()
            for ch in page_to_chars(textpage, to_display):
                assert 0 <= ch.x0 < ch.x1 <= width and 0 <= ch.top < ch.bottom <= height, (name, index, ch)
            textpage.close()
            page.close()
        document.close()


@needs_font
def test_where_points_at_page_and_cell(tmp_path):
    truth = make_truth("2021", seed=2)
    record = extract(render_pdf(truth, tmp_path / "r.pdf", "split-open"))
    where = record.cells["requests.carried_forward.total"].to_json()["where"]
    assert set(where) == {"page", "table", "row", "col", "bbox"}
    assert where["page"] == 3 and where["table"] == 1 and where["col"] == 9
    x0, top, x1, bottom = where["bbox"]
    assert 0 < x0 < x1 < 596 and 0 < top < bottom < 842


# --- unreadable PDFs ------------------------------------------------------------------------------------

@needs_font
def test_encrypted_pdf_is_rejected(tmp_path):
    path = render_pdf(make_truth("2021", seed=1), tmp_path / "locked.pdf", encrypt="secret")
    with pytest.raises(Unreadable) as err:
        pdf.read(path)
    assert err.value.code == "encrypted-pdf"
    assert err.value.reason == "The PDF is protected by a password."
    record = extract(path)
    assert (record.status, record.reason_code) == ("rejected", "encrypted-pdf")


@needs_font
def test_owner_password_alone_does_not_stop_reading(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption
    truth = make_truth("2021", seed=1)
    path = render_pdf(truth, tmp_path / "owner.pdf", encrypt=StandardEncryption("", ownerPassword="owner"))
    assert cell_differences(extract(path), expected_cells(truth)) == []


@needs_font
@pytest.mark.parametrize("keep", [0.5, 0.9, 0.999])
def test_truncated_pdf_is_rejected(tmp_path, keep):
    whole = render_pdf(make_truth("2021", seed=1), tmp_path / "whole.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[:int(len(whole) * keep)])
    with pytest.raises(Unreadable) as err:
        pdf.read(path)
    assert err.value.code == "corrupt-pdf"
    assert err.value.reason == "The PDF is damaged and cannot be opened."


def test_garbage_is_corrupt(tmp_path):
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"%PDF-1.7\nthis is not a PDF at all\n%%EOF\n")
    with pytest.raises(Unreadable) as err:
        pdf.read(path)
    assert err.value.code == "corrupt-pdf"


def test_image_only_pdf_without_text_is_rejected_after_ocr(tmp_path):
    path = image_only_pdf(tmp_path / "scan.pdf")
    with pytest.raises(Unreadable) as err:
        scan.read_pdf(path)
    assert err.value.code == "scanned-pdf"
    assert err.value.reason == "The PDF has no text layer (a scan) and OCR found no text on it."
    assert extract(path).reason_code == "scanned-pdf"


def test_a_scanned_page_among_text_pages_is_noted(tmp_path):
    from reportlab.pdfgen.canvas import Canvas
    from nianbao.synth.pdf_reportlab import cjk_font
    if not FONT_PATH.exists():
        pytest.skip("font absent")
    path = tmp_path / "mixed.pdf"
    canvas = Canvas(str(path), invariant=1)
    canvas.setFont(cjk_font(), 12)
    canvas.drawString(72, 700, "二〇二一年政府信息公开工作年度报告")
    canvas.showPage()
    canvas.rect(72, 72, 300, 300, fill=1)
    canvas.showPage()
    canvas.save()
    document = scan.read_pdf(path)
    assert "pages without text (scans, need OCR): 2" in document.notes
    assert "pages without text (scans, need OCR): 2" in document.notes
    assert [b.text for b in document.blocks] == ["二〇二一年政府信息公开工作年度报告"]


class _Page:
    def __init__(self, rotation):
        self.rotation = rotation

    def get_cropbox(self):
        return (0.0, 0.0, 600.0, 800.0)

    def get_rotation(self):
        return self.rotation


@pytest.mark.parametrize("rotation,height,top_left", [(0, 800, (0, 800)), (90, 600, (0, 0)),
                                                      (180, 800, (600, 0)), (270, 600, (600, 800))])
def test_display_coordinates_follow_the_page_rotation(rotation, height, top_left):
    """The user-space point that a viewer shows at the top-left corner maps to (0, 0)."""
    to_display, shown_height = display_transform(_Page(rotation))
    assert shown_height == height
    assert to_display(*top_left) == (0, 0)


# --- the chain on hand-made rules -----------------------------------------------------------------------

def h(x0, y, x1):
    return geometry.edge("h", x0, y, x1, y)


def v(x, y0, y1):
    return geometry.edge("v", x, y0, x, y1)


def boxes(edges):
    groups = grid.edges_to_groups(grid.segments_to_edges(edges))
    assert len(groups) == 1
    return grid.grid_to_boxes(grid.group_to_grid(groups[0]))


def test_spans_come_from_missing_rules():
    # a label spanning two rows at the left, two value rows at the right, a header spanning both columns
    edges = [h(0, 0, 200), h(0, 20, 200), h(100, 40, 200), h(0, 60, 200),
             v(0, 0, 60), v(100, 20, 60), v(150, 20, 60), v(200, 0, 60)]
    got = {(b.row, b.col, b.rowspan, b.colspan) for b in boxes(edges)}
    assert got == {(0, 0, 1, 3), (1, 0, 2, 1), (1, 1, 1, 1), (1, 2, 1, 1), (2, 1, 1, 1), (2, 2, 1, 1)}


def test_one_cell_table_is_kept():
    got = boxes([h(0, 0, 100), h(0, 20, 100), v(0, 0, 20), v(100, 0, 20)])
    assert [(b.row, b.col, b.rowspan, b.colspan) for b in got] == [(0, 0, 1, 1)]


def test_double_rules_and_slivers_fold():
    edges = [h(0, 0, 100), h(0, 20, 100), h(0, 22.5, 100), h(0, 40, 100),   # a double rule 2.5 pt apart
             v(0, 0, 40), v(50, 0, 40), v(51.5, 0, 40), v(100, 0, 40)]        # a 1.5 pt sliver column
    got = {(b.row, b.col, b.rowspan, b.colspan) for b in boxes(edges)}
    assert got == {(0, 0, 1, 1), (0, 1, 1, 1), (1, 0, 1, 1), (1, 1, 1, 1)}


def test_table_cut_by_the_page_edge_is_closed():
    # verticals run to the page bottom (y=100) with no rule there; one left column has no top rule either
    edges = [h(50, 0, 150), h(0, 50, 150), v(0, 1, 100), v(50, 0, 100), v(150, 0.5, 100)]
    got = {(b.row, b.col, b.rowspan, b.colspan, b.top_drawn) for b in boxes(edges)}
    assert got == {(0, 0, 1, 1, False), (0, 1, 1, 1, True), (1, 0, 1, 1, True), (1, 1, 1, 1, True)}


def test_frame_around_a_table_is_not_a_table():
    frame = [h(0, 0, 500), h(0, 700, 500), v(0, 0, 700), v(500, 0, 700)]
    inner = [h(50, 100, 250), h(50, 120, 250), v(50, 100, 120), v(250, 100, 120)]
    grids = [grid.group_to_grid(g) for g in grid.edges_to_groups(grid.segments_to_edges(frame + inner))]
    chars = [geometry.Char("字", 60, 105, 70, 115), geometry.Char("外", 60, 300, 70, 310)]
    tables, outside = grid.grids_to_tables(grids, chars, page=1)
    assert len(tables) == 1 and tables[0].cells[0].text == "字"
    assert [c.text for c in outside] == ["外"]


def cell(row, col, text, rowspan=1, colspan=1, top=True, bottom=True, page=1):
    return geometry.Cell(row, col, rowspan, colspan, text, page, (0, 0, 0, 0), top, bottom)


def test_a_cut_label_joins_its_rest_where_the_rule_is_left_out():
    table = [cell(0, 0, "三、本年", rowspan=2, bottom=False), cell(0, 1, "1.甲"), cell(0, 2, "5"),
             cell(1, 1, "2.乙", bottom=False), cell(1, 2, "6", bottom=False)]
    part = [cell(0, 0, "度", rowspan=2, top=False, page=2), cell(0, 1, "3.丙", page=2), cell(0, 2, "", page=2),
            cell(1, 1, "4.丁", page=2), cell(1, 2, "7", page=2)]
    cells, n_rows = join.attach(table, 2, part, 2)
    assert n_rows == 4
    label = next(c for c in cells if c.col == 0)
    assert (label.text, label.rowspan) == ("三、本年度", 4)
    blank = next(c for c in cells if c.row == 2 and c.col == 2)
    assert blank.text == "" and blank.rowspan == 1       # an explicit blank stays a cell of its own row


def test_rules_on_both_sides_keep_two_cells():
    table = [cell(0, 0, "（四）无"), cell(0, 1, "1.甲"), cell(0, 2, "5")]
    part = [cell(0, 0, "法提供", page=2), cell(0, 1, "2.乙", page=2), cell(0, 2, "", page=2)]
    cells, _ = join.attach(table, 1, part, 1)
    assert [(c.row, c.text) for c in cells if c.col == 0] == [(0, "（四）无"), (1, "法提供")]


def test_a_row_broken_across_pages_is_one_row():
    table = [cell(0, 0, "5.要求行政机关确认或重新", bottom=False), cell(0, 1, "", bottom=False)]
    part = [cell(0, 0, "出具已获取信息", top=False, page=2), cell(0, 1, "3", top=False, page=2)]
    cells, n_rows = join.attach(table, 1, part, 1)
    assert n_rows == 2
    assert [(c.text, c.rowspan) for c in cells] == [("5.要求行政机关确认或重新出具已获取信息", 2), ("3", 2)]


def test_repeated_header_is_dropped():
    header = [cell(0, 0, "申请人情况", colspan=2), cell(1, 0, "自然人"), cell(1, 1, "总计")]
    table = header + [cell(2, 0, "1"), cell(2, 1, "1")]
    part = [cell(0, 0, "申请人 情况", colspan=2), cell(1, 0, "自然人"), cell(1, 1, "总计"),
            cell(2, 0, "2"), cell(2, 1, "2")]
    rest, rows = join.drop_repeated_header(table, part, 3)
    assert rows == 1 and [(c.row, c.text) for c in rest] == [(0, "2"), (0, "2")]


def test_wrapped_digits_and_one_char_per_line_labels_join():
    assert geometry.join_lines(["109", "2"]) == "1092"
    assert geometry.join_lines(list("本年度办理结果")) == "本年度办理结果"
    assert geometry.join_lines(["Word", "Press"]) == "Word Press"


def test_page_numbers_are_furniture():
    assert geometry.is_page_number(geometry.Line("- 3 -", (290, 800, 305, 812)), 842)
    assert geometry.is_page_number(geometry.Line("第 3 页 共 6 页", (290, 800, 305, 812)), 842)
    assert not geometry.is_page_number(geometry.Line("- 3 -", (290, 400, 305, 412)), 842)
    assert not geometry.is_page_number(geometry.Line("2023年", (290, 800, 305, 812)), 842)


# --- the real reports -----------------------------------------------------------------------------------

def _number(value):
    return Decimal(str(value)) if isinstance(value, float) else value


def compare_golden(record, golden: dict) -> list[str]:
    problems = []
    for name in ("year", "template"):
        if getattr(record, name) != golden.get(name):
            problems.append(f"{name}: {getattr(record, name)!r} != {golden.get(name)!r}")
    for cid, want in golden["cells"].items():
        got = record.cells.get(cid)
        if got is None:
            problems.append(f"{cid}: absent")
            continue
        value = got.value
        want_value = _number(want.get("value"))
        if isinstance(value, Decimal) and want_value is not None:
            want_value = Decimal(str(want_value))
        if (got.status, value) != (want["status"], want_value):
            problems.append(f"{cid}: got {got.status} {value!r} (raw {got.raw!r}), want {want['status']} {want_value!r}")
        if "unit" in want and got.unit != want["unit"]:
            problems.append(f"{cid}: unit {got.unit!r} != {want['unit']!r}")
        page = (want.get("where") or {}).get("page")
        if page is not None and got.where.page != page:
            problems.append(f"{cid}: page {got.where.page!r} != {page!r}")
    extra = set(record.cells) - set(golden["cells"])
    if extra:
        problems.append(f"cells not in the golden file: {sorted(extra)[:5]}")
    failing = {(c.id, c.scope) for c in record.checks if c.severity == "hard" and c.ok is False}
    printed = set()
    for error in golden.get("source_identity_errors", []):     # "H4 appeals.review: total 0 != …"
        match = re.match(r"\s*(\w+)\s+([\w.]+)", error) if isinstance(error, str) else None
        printed.add((match[1], match[2]) if match else (error.get("id"), error.get("scope")))
    if failing != printed:
        problems.append(f"identity errors: reported {sorted(failing)}, printed in the source {sorted(printed)}")
    return problems


@pytest.mark.parametrize("path", REAL, ids=[p.stem for p in REAL])
def test_real_pdf_matches_golden(path):
    golden_path = GOLDEN / "real" / f"{path.stem}.json"
    assert golden_path.exists(), f"{golden_path} is missing: a real PDF is committed with its golden file"
    record = extract(path)
    assert record.status == "ok", record.reason
    assert compare_golden(record, json.loads(golden_path.read_text(encoding="utf-8"))) == []


AGENCIES = {"hongze-gov-2023": ("320813-gov", "洪泽区人民政府"), "hongze-gov-2024": ("320813-gov", "淮安市洪泽区人民政府"),
            "huaian-gov-2024": ("320800-gov", "淮安市人民政府")}


@pytest.mark.parametrize("path", REAL, ids=[p.stem for p in REAL])
def test_real_pdf_body_is_identified(path):
    """The body comes from the title (洪泽 2023 prints only 洪泽区人民政府, kept as printed), not the prose."""
    record = extract(path)
    assert (record.agency.id, record.agency.name) == AGENCIES[path.stem]
    golden = json.loads((GOLDEN / "real" / f"{path.stem}.json").read_text(encoding="utf-8"))
    assert golden["agency_name"].endswith(record.agency.name)      # the full name of what the title prints


@pytest.mark.parametrize("path", REAL, ids=[p.stem for p in REAL])
def test_real_pdf_tables_are_whole(path):
    """Without golden files: the three tables are found and every cell of the template is a value."""
    record = extract(path)
    assert record.status == "ok", record.reason
    assert {c.status for c in record.cells.values()} == {"value"}
    assert any(n.startswith("table continued across pages") for n in record.notes)


def test_every_real_pdf_is_committed_with_a_golden_file():
    assert len(REAL) == 3
    assert {p.stem for p in REAL} == {g.stem for g in (GOLDEN / "real").glob("*.json")}


@pytest.mark.parametrize("content, what", [
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "it is a PNG image."),
    (b"\xff\xd8\xff\xe0" + bytes(200), "it is a JPEG image."),
    (b"PK\x03\x04" + bytes(200), "it is a zip archive or Office file."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "it is a legacy Office file."),
    (b"<html><body>\xe5\xb9\xb4\xe6\x8a\xa5</body></html>", "it has no PDF header."),
])
def test_a_file_named_pdf_that_is_something_else_says_what_it_is(tmp_path, content, what):
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    with pytest.raises(Unreadable) as err:
        READERS[".pdf"](path)
    assert err.value.code == "not-pdf"
    assert err.value.reason == f"The file is named .pdf but is not a PDF: {what}"
