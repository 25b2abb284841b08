"""`nianbao review` (issue 16): the work list a publisher fills — every unread or doubtful cell, every cell of a
failed identity, every report that needs review with its candidates — each with a picture of its place in the
source, as an XLSX form; cells settled in corrections.csv left out; the same inputs give the same bytes."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from PIL import Image

from nianbao.cli import main
from nianbao.files import FIXED_DOC_TIME, FIXED_ZIP_TIME
from nianbao.model.document import Document, GridCell, Table, TextBlock, Where
from nianbao.model.record import Agency, CellValue, Check, Record
from nianbao.model.words import Flag, Outcome
from nianbao.package.manifest import ManifestRow
from nianbao.package.resolve import Entry
from nianbao.review.form import GUIDE, column_of
from nianbao.review.pictures import PAD, RENDER_SCALE, crop, pdf_page, source_lines
from nianbao.review.rows import cell_rows, check_words, work_rows
from nianbao.review.worklist import write_work_list
from nianbao.settle import CORRECTION_COLUMNS, FORM_COLUMNS, FORM_SHEET, WORK_KIND_WORDS, WorkKind

from conftest import SEEDS

CHANGNING = "000_71ab3c7f20f67078.txt"      # 长宁 2020: 采购总金额 31774000 printed without a unit
PUTUO = "002_cee7aa51eca5b7c3.txt"          # 普陀 2021: 行政规范性文件 printed as two cells for three columns
HONGZE_2023 = "hongze-gov-2023.pdf"         # 表四 printed with 总计 0 for 行政复议 (10 + 1) and 复议后起诉 (5)
TITLES = {title: code for code, title in FORM_COLUMNS.items()}


def reports_copy(folder: Path) -> Path:
    target = folder / "reports"
    shutil.copytree(SEEDS, target)
    return target


def form_rows(xlsx: Path) -> list[dict[str, str]]:
    """The work list's rows by column code (the headers are the Chinese titles)."""
    sheet = load_workbook(xlsx)[FORM_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    codes = [TITLES[title] for title in rows[0]]
    return [{code: "" if v is None else str(v) for code, v in zip(codes, row)} for row in rows[1:]]


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    """A build cache the tests share: the bundled reports are read once (the cache is keyed by file bytes)."""
    folder = tmp_path_factory.mktemp("cache")
    return folder


@pytest.fixture(scope="module")
def bundled(tmp_path_factory, cache) -> tuple[Path, Path]:
    """The work list of a copy of the bundled reports folder: (reports folder, xlsx)."""
    folder = tmp_path_factory.mktemp("review")
    reports = reports_copy(folder)
    out = folder / "review.xlsx"
    write_work_list(reports, out, cache)
    return reports, out


def test_the_seed_cells_left_unread_are_listed_with_their_source_lines(bundled):
    rows = form_rows(bundled[1])
    amount = [r for r in rows if r["file"] == CHANGNING and r["cell_id"] == "disclosure.procurement.amount"]
    assert len(amount) == 1
    row = amount[0]
    assert row["kind"] == WORK_KIND_WORDS[WorkKind.UNREAD] and row["printed"] == "31774000"
    assert row["label"] == "表二 政府集中采购 采购总金额（万元）" and row["year"] == "2020"
    assert "原文未注明金额单位" in row["flags"] and row["where"] == "原文第175行"   # as the site words a place (site.tables.provenance)
    marked = [line for line in row["picture"].splitlines() if line.startswith("▶")]
    assert marked == ["▶  175│ 政府集中采购 24 31774000"]
    assert "采购项目数量 采购总金额" in row["picture"]          # the header line above it is shown too
    normative = [r for r in rows if r["file"] == PUTUO and r["cell_id"].startswith("disclosure.normative.")]
    assert {r["cell_id"].rsplit(".", 1)[1] for r in normative} == {"issued", "repealed", "in_force"}
    assert all(r["printed"] == "0 0" and "行政规范性文件" in r["picture"] for r in normative)


def test_values_only_placed_by_order_are_not_listed(bundled):
    """003's 112 values are flagged only for the row's extra cells left out: read, nothing to settle."""
    assert not [r for r in form_rows(bundled[1]) if r["file"] == "003_e5463740bc1ab3aa.txt"]


def test_a_failed_identity_is_listed_with_each_of_its_cells_and_a_crop_of_the_page(bundled):
    rows = form_rows(bundled[1])
    review = [r for r in rows if r["file"] == HONGZE_2023 and r["cell_id"].startswith("appeals.review.")]
    assert sorted(r["cell_id"].rsplit(".", 1)[1] for r in review) == ["corrected", "other", "pending", "total",
                                                                     "upheld"]
    for r in review:
        assert r["kind"] == WORK_KIND_WORDS[WorkKind.FAILED_CHECK]
        assert "H4" in r["flags"] and "0 ≠ 10 + 1 + 0 + 0" in r["flags"] and "行政复议" in r["flags"]
        assert r["where"].startswith("原文第4页")
    sheet = load_workbook(bundled[1])[FORM_SHEET]
    anchored = {(image.anchor._from.row + 1, image.anchor._from.col + 1) for image in sheet._images}
    picture_col = list(FORM_COLUMNS).index("picture") + 1
    pdf_rows = {n for n, r in enumerate(rows, start=2) if r["file"].endswith(".pdf")}
    assert pdf_rows and anchored == {(n, picture_col) for n in pdf_rows}
    for n in pdf_rows:    # tall enough to show the crop
        assert sheet.row_dimensions[n].height and sheet.row_dimensions[n].height > 60
    for image in sheet._images:          # each crop's red box holds the digits printed there
        pixels = np.asarray(Image.open(io.BytesIO(image._data())).convert("RGB")).astype(int)
        assert ink_inside_the_red_box(pixels) > 10        # a "1" at 144 dpi is ~20 dark pixels


def ink_inside_the_red_box(pixels: np.ndarray) -> int:
    """How many dark pixels lie inside the red box drawn round the cell (its border and a margin aside)."""
    red = (pixels[..., 0] > 180) & (pixels[..., 1] < 60) & (pixels[..., 2] < 60)
    ys, xs = np.nonzero(red)
    assert len(ys), "no red box in the crop"
    inside = pixels[ys.min() + 8:ys.max() - 7, xs.min() + 8:xs.max() - 7]
    return int((inside.max(axis=2) < 100).sum())


def test_the_crop_of_a_pdf_shows_the_printed_number_boxed(tmp_path):
    """A generated page with one number at a known place: the crop is the page's width and the row's height
    plus padding, dark where the number is printed, and boxed in red around it."""
    from reportlab.pdfgen import canvas
    path, top, size = tmp_path / "one.pdf", 300.0, 12.0
    page = canvas.Canvas(str(path), pagesize=(595, 842))
    page.setFont("Helvetica", size)
    page.drawString(400, 842 - top - size * 0.8, "31774000")
    page.save()
    width = page.stringWidth("31774000", "Helvetica", size)
    bbox = (400.0, top, 400.0 + width, top + size)
    image = Image.open(io.BytesIO(crop(pdf_page(path, 1), bbox, None)))
    pixels = np.asarray(image.convert("RGB")).astype(int)
    assert image.width == round(595 * RENDER_SCALE)
    assert abs(image.height - (size + 2 * PAD) * RENDER_SCALE) <= 2
    pad = round(PAD * RENDER_SCALE)
    x0, x1 = round(400 * RENDER_SCALE), round((400 + width) * RENDER_SCALE)
    inside = pixels[pad + 2:pad + round(size * RENDER_SCALE) - 2, x0 + 2:x1 - 2]
    assert (inside.max(axis=2) < 100).sum() > 50                  # black digits where the number is printed
    left = pixels[:, :x0 - 10]
    assert (left.max(axis=2) < 200).sum() == 0                    # nothing printed elsewhere on the row
    red = (pixels[..., 0] > 180) & (pixels[..., 1] < 60) & (pixels[..., 2] < 60)
    assert red[:, x0 - 6:x0].any() and red[:, x1:x1 + 6].any()   # the box round it


def test_a_report_that_needs_review_is_listed_with_its_candidates(tmp_path, bundled, cache):
    """Without the manifest's agency_id, 普陀区 fits Shanghai and Zhoushan: the list shows both and says which
    manifest column settles it, and its cells wait for that (a report not published has no cell rows)."""
    reports = reports_copy(tmp_path)
    manifest = reports / "manifest.csv"
    with manifest.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["file"] == PUTUO:
            row["agency_id"] = ""
    with manifest.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    write_work_list(reports, tmp_path / "review.xlsx", cache)
    listed = [r for r in form_rows(tmp_path / "review.xlsx") if r["file"] == PUTUO]
    assert len(listed) == 1
    row = listed[0]
    assert row["kind"] == WORK_KIND_WORDS[WorkKind.DOCUMENT] and row["cell_id"] == ""
    assert {line.split()[0] for line in row["candidates"].splitlines()} == {"310107-health", "330903-health"}
    assert "agency_id" in row["where"] and row["status"] == "待核查"
    assert "普陀区" in row["picture"].splitlines()[0]          # its opening lines: the title names the body


def test_a_cell_settled_in_corrections_csv_is_left_out(tmp_path, bundled, cache):
    """Same file (sha256) and cell id: left out. The same cell id for other bytes (a changed file) is not."""
    reports = reports_copy(tmp_path)
    sha = hashlib.sha256((reports / CHANGNING).read_bytes()).hexdigest()
    with (reports / "corrections.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CORRECTION_COLUMNS)
        writer.writerow([sha, CHANGNING, "disclosure.procurement.amount", "3177.4", "原文第4页采购总金额单位为元",
                         "张三", "2026-12-06"])
        writer.writerow(["0" * 64, PUTUO, "disclosure.normative.issued", "0", "旧文件的更正", "张三", "2026-12-06"])
    write_work_list(reports, tmp_path / "review.xlsx", cache)
    cells = {(r["file"], r["cell_id"]) for r in form_rows(tmp_path / "review.xlsx")}
    assert (CHANGNING, "disclosure.procurement.amount") not in cells
    assert (PUTUO, "disclosure.normative.issued") in cells


def test_the_same_inputs_give_the_same_bytes_without_a_clock(bundled, tmp_path):
    """Read afresh (no cache) and written again: the same bytes; no clock in the zip or the document."""
    reports, first = bundled
    again = tmp_path / "again.xlsx"
    write_work_list(reports, again)
    assert again.read_bytes() == first.read_bytes()
    with zipfile.ZipFile(first) as zf:
        assert {info.date_time for info in zf.infolist()} == {FIXED_ZIP_TIME}
        core = zf.read("docProps/core.xml").decode()
    assert FIXED_DOC_TIME in core and "2026" not in core


def test_the_form_is_ready_to_fill(bundled):
    """Chinese headers, the header row frozen, the three columns to fill marked, a number asked for in 核定数值,
    the fingerprint column hidden, and the guide sheet in Chinese."""
    book = load_workbook(bundled[1])
    sheet = book[FORM_SHEET]
    assert [c.value for c in sheet[1]] == list(FORM_COLUMNS.values())
    assert sheet.freeze_panes == "B2"
    fill = {code: sheet[f"{column_of(code)}1"].fill.fgColor.rgb for code in FORM_COLUMNS}
    assert len({fill["value"], fill["note"], fill["by"]}) == 1 and fill["value"] != fill["kind"]
    assert sheet.column_dimensions[column_of("sha256")].hidden
    value_col = column_of("value")
    numbers = [v for v in sheet.data_validations.dataValidation if v.type == "decimal"]
    assert len(numbers) == 1 and f"{value_col}2" in numbers[0].sqref
    guide = "\n".join(str(c.value) for row in book[GUIDE].iter_rows() for c in row if c.value)
    for words in ("万元", "原文第4页采购总金额单位为元", "原文本身的错误永远不改", "nianbao review --apply"):
        assert words in guide


def test_which_cells_a_person_must_settle():
    """Unreadable, or missing inside the printed part of a table: unread. A value flagged with a doubt (a scan's
    `review`): doubtful. Missing from a table not printed, or after the last cell the text printed (a cut web
    page), or a value only placed by order: not listed."""
    where = Where(line=3)
    cells = {
        "disclosure.procurement.amount": CellValue(None, "unreadable", "31774000", None, where, (Flag.UNIT_UNKNOWN,)),
        "disclosure.procurement.items": CellValue(24, "value", "24", None, where, (Flag.REVIEW,)),
        "disclosure.rules.made": CellValue(None, "missing"),
        "disclosure.rules.published": CellValue(3, "value", "3", None, where, (Flag.PAIRED_BY_ORDER,)),
        "requests.new.natural_person": CellValue(None, "missing"),
        "appeals.review.total": CellValue(0, "value", "0", None, where),
        "appeals.review.upheld": CellValue(10, "value", "10", None, where),
        "appeals.litigation_after_review.total": CellValue(None, "missing"),    # after the last cell printed
    }
    failed = Check("H4", "appeals.review", Outcome.FAILED, "0 ≠ 10", cells=("appeals.review.total",
                                                                            "appeals.review.upheld"))
    record = Record(source="r.txt", sha256="ab", status="ok", year=2020, cells=cells, checks=(failed,),
                    tables={"disclosure": "disclosure-2019", "appeals": "appeals"})
    entry = Entry(file="r.txt", record=record, manifest=ManifestRow(file="r.txt"), year=2020,
                  agency=Agency(id="310105-health"))
    kinds = {row.cell_id: row.kind for row in work_rows([entry], set())}
    assert kinds == {"disclosure.procurement.amount": WorkKind.UNREAD, "disclosure.procurement.items":
                     WorkKind.DOUBTFUL, "disclosure.rules.made": WorkKind.UNREAD,
                     "appeals.review.total": WorkKind.FAILED_CHECK, "appeals.review.upheld": WorkKind.FAILED_CHECK}
    assert not cell_rows(entry, record, {("ab", cid) for cid in cells}, check_words())


def test_the_command_says_how_many_rows_of_each_kind(tmp_path, monkeypatch):
    reports = reports_copy(tmp_path)
    monkeypatch.chdir(tmp_path)          # no build cache here: every report is read
    result = CliRunner().invoke(main, ["review", "--reports", str(reports), "--out", str(tmp_path / "w.xlsx")])
    assert result.exit_code == 0, result.output
    assert "4 unread, 0 doubtful, 10 failed-check, 0 document" in result.output
    assert (tmp_path / "w.xlsx").is_file()
    missing = CliRunner().invoke(main, ["review", "--reports", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "no reports folder" in missing.output
    (reports / "corrections.csv").write_bytes(b"sha256,cell_id\n\xff\xfe\x00bad\n")
    broken = CliRunner().invoke(main, ["review", "--reports", str(reports), "--out", str(tmp_path / "w.xlsx")])
    assert broken.exit_code == 2 and "corrections.csv cannot be read as a UTF-8 CSV file" in broken.output


def test_a_doubtful_cell_of_a_scan_has_a_crop_of_the_page_the_reader_read(tmp_path):
    """A generated scan (the OCR reader flags its 表三 总计 `review`): listed as doubtful, with a crop of the
    page image whose red box (the cell's bbox, pixels of that image) holds the printed digits."""
    from nianbao.synth.scans import Scan, scan_pdf
    from nianbao.synth.truth import make_truth
    reports = tmp_path / "reports"
    reports.mkdir()
    scan_pdf(make_truth("2021", seed=1), reports / "scan.pdf", Scan(dpi=200, skew=1.0, noise=10, seed=1))
    write_work_list(reports, tmp_path / "review.xlsx")
    rows = form_rows(tmp_path / "review.xlsx")
    doubtful = [r for r in rows if r["kind"] == WORK_KIND_WORDS[WorkKind.DOUBTFUL]]
    assert [r["cell_id"] for r in doubtful] == ["requests.new.total"]
    assert "扫描件文字识别把握不大" in doubtful[0]["flags"] and doubtful[0]["where"].startswith("原文第")
    with zipfile.ZipFile(tmp_path / "review.xlsx") as zf:
        pngs = [n for n in zf.namelist() if n.startswith("xl/media/")]
        assert len(pngs) == 1
        pixels = np.asarray(Image.open(io.BytesIO(zf.read(pngs[0]))).convert("RGB")).astype(int)
    assert ink_inside_the_red_box(pixels) > 30     # the digits inside the box


def test_a_failed_cross_year_identity_lists_each_years_cell_under_its_own_report():
    """X1: 2024's 上年结转 must be 2023's 结转下年度继续办理. Each report's row is its own year's cell."""
    def entry(year: int, cells: dict[str, CellValue]) -> Entry:
        record = Record(source=f"{year}.txt", sha256=str(year), status="ok", year=year, cells=cells,
                        tables={"requests": "requests-2021"}, agency=Agency(id="320813-gov", name="洪泽区人民政府"))
        return Entry(file=f"{year}.txt", record=record, manifest=ManifestRow(file=f"{year}.txt"),
                     agency=record.agency, year=year)

    where = Where(line=1)
    zero = CellValue(0, "value", "0", None, where)
    before = entry(2023, {"requests.carried_over.total": zero,
                          "requests.carried_forward.total": CellValue(3, "value", "3", None, where)})
    after = entry(2024, {"requests.carried_over.total": zero, "requests.carried_forward.total": zero})
    rows = work_rows([before, after], set())
    assert [(r.file, r.cell_id, r.kind) for r in rows] == [
        ("2023.txt", "requests.carried_forward.total", WorkKind.FAILED_CHECK),
        ("2024.txt", "requests.carried_over.total", WorkKind.FAILED_CHECK)]
    assert all("X1" in r.form_values()["flags"] and "2023→2024" in r.form_values()["flags"] for r in rows)


def test_a_cell_of_a_word_or_web_table_shows_its_header_and_the_rows_around_it():
    """A grid table (Word, web page): the header row and the rows next to the cell's, the cell's row marked."""
    def cell(row: int, col: int, text: str) -> GridCell:
        return GridCell(row, col, text, Where(table=0, row=row, col=col))
    labels = ["信息内容", "规章", "行政规范性文件", "行政许可", "行政处罚"]
    table = Table(tuple(cell(r, c, text) for r, label in enumerate(labels)
                        for c, text in enumerate((label, str(r), "x" if r else "本年制发件数"))), "grid")
    document = Document("r.docx", (TextBlock("标题", Where(line=1)), table), "docx")
    shown = source_lines(document, Where(table=0, row=3, col=1))
    assert shown.splitlines() == ["    1│ 信息内容 │ 0 │ 本年制发件数", "    3│ 行政规范性文件 │ 2 │ x",
                                  "▶   4│ 行政许可 │ 3 │ x", "    5│ 行政处罚 │ 4 │ x"]


def test_an_unread_row_of_a_generated_pdf_has_a_crop_with_its_header(tmp_path, monkeypatch):
    """A generated PDF whose 表三 本年新收 row prints words in a number's place (待统计): the row's cells are
    unread; each has a crop of page 2 from above the table's first row read (its header) to below the row,
    with ink inside the red box."""
    import random

    from nianbao.synth import pdf_reportlab
    from nianbao.synth.grids import Options
    from nianbao.synth.truth import make_truth

    def words_in_place(cid, value, text):
        return "待统计" if cid == "requests.new.natural_person" else text
    monkeypatch.setattr(pdf_reportlab, "options_for",
                        lambda truth, style: Options(decorate=words_in_place, rng=random.Random(0)))
    reports = tmp_path / "reports"
    reports.mkdir()
    pdf_reportlab.render_pdf(make_truth("2021", seed=3), reports / "generated.pdf")
    write_work_list(reports, tmp_path / "review.xlsx")
    rows = form_rows(tmp_path / "review.xlsx")
    assert {r["cell_id"] for r in rows} >= {"requests.new.natural_person", "requests.new.total"}
    unread = [n for n, r in enumerate(rows, start=2) if r["cell_id"].startswith("requests.new.")]
    assert all(rows[n - 2]["kind"] == WORK_KIND_WORDS[WorkKind.UNREAD] for n in unread)
    assert all(rows[n - 2]["where"].startswith("原文第2页") for n in unread)
    sheet = load_workbook(tmp_path / "review.xlsx")[FORM_SHEET]
    crops = {image.anchor._from.row + 1: image for image in sheet._images}
    assert set(unread) <= set(crops)
    for n in unread:
        pixels = np.asarray(Image.open(io.BytesIO(crops[n]._data())).convert("RGB")).astype(int)
        assert ink_inside_the_red_box(pixels) > 10
        red_rows = np.nonzero(((pixels[..., 0] > 180) & (pixels[..., 1] < 60) & (pixels[..., 2] < 60)).any(axis=1))[0]
        assert red_rows.min() > 60 * RENDER_SCALE       # the header shown above the row (HEADER pt, when room)
