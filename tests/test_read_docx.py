"""Word and spreadsheet readers: DOCX from its table XML, legacy .doc/.wps/.rtf and .xls/.et through LibreOffice,
.xlsx through openpyxl, and refusals (corrupt zips, random bytes, zip bombs, DTDs) with the right code.

The official blank template must come back as the grid it is (spans at exact positions) and extract as blanks
only; reports rendered by `synth.docx_render` must extract 100% of their cells equal to the truth, directly
and after LibreOffice round trips. LibreOffice tests skip only when `soffice` is not on PATH.
"""

from __future__ import annotations

import concurrent.futures
import shutil
import struct
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from nianbao.read import READERS
from nianbao.synth.docx_render import LAYOUTS, render_docx, render_xlsx, to_legacy, to_pdf, to_spreadsheet
from nianbao.synth.compare import cell_differences
from nianbao.synth.truth import expected_cells, make_truth
from nianbao.model.document import Table, TextBlock
from nianbao.extract import extract_path
from nianbao.read import docx as docx_reader
from nianbao.read import office
from nianbao.read.errors import Unreadable

TEMPLATES = {"2019": 2020, "2021": 2022}      # template → report year used with it
HAVE_SOFFICE = shutil.which("soffice") is not None
needs_soffice = pytest.mark.skipif(not HAVE_SOFFICE, reason="LibreOffice (soffice) is not on PATH; install it with "
                                   "apt-get install -y --no-install-recommends libreoffice-writer libreoffice-calc")
OFFICE_READERS = {".docx": office.read_docx, ".doc": office.read_legacy_word, ".wps": office.read_legacy_word,
           ".rtf": office.read_legacy_word, ".xls": office.read_spreadsheet, ".et": office.read_spreadsheet,
           ".xlsx": office.read_spreadsheet}


def assert_all_cells(path: Path, truth) -> object:
    record = extract_path(path)
    assert record.status == "ok", (record.reason_code, record.reason)
    assert record.template == truth.template
    assert record.year == truth.year
    problems = cell_differences(record, expected_cells(truth))
    assert not problems, f"{len(problems)} of {len(truth.cells)} cells wrong:\n" + "\n".join(problems[:20])
    return record


def tables_of(document) -> list[Table]:
    return [b for b in document.blocks if isinstance(b, Table)]


def cell_at(table: Table, row: int, col: int):
    found = [c for c in table.cells if (c.row, c.col) == (row, col)]
    assert found, f"no cell starts at ({row}, {col})"
    return found[0]


def assert_spans(table: Table, row: int, col: int, starts: str, rowspan: int = 1, colspan: int = 1) -> None:
    cell = cell_at(table, row, col)
    assert "".join(cell.text.split()).startswith(starts), (row, col, cell.text)
    assert (cell.rowspan, cell.colspan) == (rowspan, colspan), (starts, cell.rowspan, cell.colspan)
    assert cell.where.table is not None and (cell.where.row, cell.where.col) == (row, col)


def assert_tiles(table: Table, width: int) -> None:
    """Every position of the grid is covered by exactly one cell."""
    covered: dict[tuple[int, int], int] = {}
    for cell in table.cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                covered[(r, c)] = covered.get((r, c), 0) + 1
    assert all(n == 1 for n in covered.values()), "overlapping cells"
    assert set(covered) == {(r, c) for r in range(table.n_rows) for c in range(width)}, "holes in the grid"


# --- the official blank template ------------------------------------------------------------------------

def test_blank_template_grid(shared):
    document = docx_reader.read(shared("corpus", "real", "blank-template-2021.docx"))
    assert document.reader == "docx"
    disclosure, requests, appeals = tables_of(document)
    assert [t.where.table for t in (disclosure, requests, appeals)] == [0, 1, 2]

    assert disclosure.n_rows == 14
    assert_tiles(disclosure, 4)
    assert_spans(disclosure, 0, 0, "第二十条第（一）项", colspan=4)
    assert [c.text for c in disclosure.rows()[1]] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert_spans(disclosure, 5, 1, "本年处理决定数量", colspan=3)
    assert_spans(disclosure, 12, 1, "本年收费金额（单位：万元）", colspan=3)
    assert_spans(disclosure, 13, 0, "行政事业性收费")
    assert_spans(disclosure, 13, 1, "", colspan=3)

    assert requests.n_rows == 28
    assert_tiles(requests, 10)
    assert_spans(requests, 0, 0, "（本列数据的勾稽关系为", rowspan=3, colspan=3)
    assert_spans(requests, 0, 3, "申请人情况", colspan=7)
    assert_spans(requests, 1, 3, "自然人", rowspan=2)
    assert_spans(requests, 1, 4, "法人或其他组织", colspan=5)
    assert_spans(requests, 1, 9, "总计", rowspan=2)
    assert_spans(requests, 2, 4, "商业企业")
    assert_spans(requests, 3, 0, "一、本年新收政府信息公开申请数量", colspan=3)
    assert_spans(requests, 5, 0, "三、本年度办理结果", rowspan=22)
    assert_spans(requests, 5, 1, "（一）予以公开", colspan=2)
    assert_spans(requests, 7, 1, "（三）不予公开", rowspan=8)
    assert_spans(requests, 7, 2, "1.属于国家秘密")
    assert_spans(requests, 15, 1, "（四）无法提供", rowspan=3)
    assert_spans(requests, 18, 1, "（五）不予处理", rowspan=5)
    assert_spans(requests, 23, 1, "（六）其他处理", rowspan=3)
    assert_spans(requests, 26, 1, "（七）总计", colspan=2)
    assert_spans(requests, 27, 0, "四、结转下年度继续办理", colspan=3)
    assert [c.col for c in requests.rows()[27]] == [0, 3, 4, 5, 6, 7, 8, 9]
    assert all(c.text == "" for c in requests.rows()[10][1:])     # value cells of 3.危及…: explicit blanks

    assert appeals.n_rows == 4
    assert_tiles(appeals, 15)
    assert_spans(appeals, 0, 0, "行政复议", colspan=5)
    assert_spans(appeals, 0, 5, "行政诉讼", colspan=10)
    for col, label in enumerate(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]):
        assert_spans(appeals, 1, col, label, rowspan=2)
    assert_spans(appeals, 1, 5, "未经复议直接起诉", colspan=5)
    assert_spans(appeals, 1, 10, "复议后起诉", colspan=5)
    assert [c.col for c in appeals.rows()[3]] == list(range(15))
    assert all(c.text == "" for c in appeals.rows()[3])

    lines = [b for b in document.blocks if isinstance(b, TextBlock)]
    assert lines[0].text == "政府信息公开工作年度报告格式模板"
    assert [b.where.line for b in lines] == sorted(b.where.line for b in lines)


def test_blank_template_extracts_blanks_only(shared):
    record = extract_path(shared("corpus", "real", "blank-template-2021.docx"))
    assert record.status == "ok", (record.reason_code, record.reason)
    assert record.template == "2021"
    statuses = {cell.status for cell in record.cells.values()}
    assert statuses <= {"blank", "missing"}, statuses
    assert all(cell.value is None for cell in record.cells.values())
    assert sum(cell.status == "blank" for cell in record.cells.values()) == len(record.cells) == 200


# --- generated reports ----------------------------------------------------------------------------------

@pytest.mark.parametrize("template", sorted(TEMPLATES))
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("seed,blanks", [(1, 0.0), (2, 0.15)])
def test_generated_docx(tmp_path, template, layout, seed, blanks):
    truth = make_truth(template, seed, blanks=blanks, year=TEMPLATES[template])
    path = render_docx(truth, tmp_path / "report.docx", layout)
    record = assert_all_cells(path, truth)
    assert record.reader == "docx"


def test_rendering_mirrors_the_template_merges(tmp_path):
    truth = make_truth("2021", 5, year=2022)
    _, requests, appeals = tables_of(docx_reader.read(render_docx(truth, tmp_path / "r.docx")))
    assert_tiles(requests, 10)
    assert_spans(requests, 0, 0, "（本列数据的勾稽关系为", rowspan=3, colspan=3)
    assert_spans(requests, 1, 4, "法人或其他组织", colspan=5)
    assert_spans(requests, 5, 0, "三、本年度办理结果", rowspan=22)
    assert_spans(requests, 7, 1, "（三）不予公开", rowspan=8)
    assert_spans(appeals, 1, 0, "结果维持", rowspan=2)
    assert_spans(appeals, 1, 10, "复议后起诉", colspan=5)


def test_rendering_fonts_and_landscape(tmp_path):
    import docx

    truth = make_truth("2019", 1, year=2020)
    path = render_docx(truth, tmp_path / "r.docx", "landscape")
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    for font in ("方正小标宋简体", "仿宋_GB2312", "黑体"):
        assert f'w:eastAsia="{font}"' in xml
    assert 'w:eastAsia="宋体"' in zipfile.ZipFile(path).read("word/styles.xml").decode()
    sections = docx.Document(str(path)).sections
    assert [s.page_width > s.page_height for s in sections] == [False, True, False]


def test_units_in_cells_are_printed(tmp_path):
    truth = make_truth("2019", 3, year=2020)
    document = docx_reader.read(render_docx(truth, tmp_path / "r.docx", "units-in-cells"))
    amount = truth.cells["disclosure.procurement.amount"]
    assert f"{int(amount * 10000)}元" in document.text()
    assert_all_cells(tmp_path / "r.docx", truth)


# --- the DOCX XML itself --------------------------------------------------------------------------------

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def body(xml: str, namespace: str = W):
    return docx_reader.from_xml(etree.fromstring(f"<w:document {namespace}><w:body>{xml}</w:body></w:document>"))


def p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def tc(text: str = "", span: int = 1, vmerge: str | None = None) -> str:
    props = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + (
        "" if vmerge is None else '<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>")
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{p(text) if text else '<w:p/>'}</w:tc>"


def tbl(widths: list[int], *rows: str) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return f"<w:tbl><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"


def spans(table: Table) -> list[tuple]:
    return [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in table.cells]


def test_zero_width_and_empty_columns_are_dropped():
    # A 10-twip column (a .doc round trip's leftover) with an empty cell of its own in row 1, and a column no
    # cell starts in (covered by spans only).
    document = body(tbl([2000, 10, 2000, 2000],
                        f"<w:tr>{tc('A', 2)}{tc('B')}{tc('C')}</w:tr>",
                        f"<w:tr>{tc('x')}{tc()}{tc('1')}{tc('2')}</w:tr>")
                    + tbl([2000, 1, 2000], f"<w:tr>{tc('a', 2)}{tc('b')}</w:tr>",
                          f"<w:tr>{tc('c', 2)}{tc('d')}</w:tr>"))
    first, second = tables_of(document)
    assert spans(first) == [(0, 0, 1, 1, "A"), (0, 1, 1, 1, "B"), (0, 2, 1, 1, "C"),
                            (1, 0, 1, 1, "x"), (1, 1, 1, 1, "1"), (1, 2, 1, 1, "2")]
    assert spans(second) == [(0, 0, 1, 1, "a"), (0, 1, 1, 1, "b"), (1, 0, 1, 1, "c"), (1, 1, 1, 1, "d")]
    assert any("dropped" in n for n in document.notes)


def test_a_narrow_column_with_text_is_kept():
    (table,) = tables_of(body(tbl([2000, 10, 2000], f"<w:tr>{tc('a')}{tc('7')}{tc('b')}</w:tr>")))
    assert spans(table) == [(0, 0, 1, 1, "a"), (0, 1, 1, 1, "7"), (0, 2, 1, 1, "b")]


def test_vmerge_gridbefore_and_covered_text():
    (table,) = tables_of(body(tbl(
        [1000] * 3,
        f"<w:tr>{tc('g', vmerge='restart')}{tc('h', 2)}</w:tr>",
        f"<w:tr>{tc('stale', vmerge='continue')}{tc('1')}{tc('2')}</w:tr>",
        f'<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>{tc("3")}{tc("4")}</w:tr>',
        f"<w:tr>{tc('', vmerge='continue')}{tc('5')}{tc('6')}</w:tr>")))
    # The continuation in the last row has no cell above it at column 0 (row 2 skipped it): a cell of its own.
    assert spans(table) == [(0, 0, 2, 1, "g"), (0, 1, 1, 2, "h"), (1, 1, 1, 1, "1"), (1, 2, 1, 1, "2"),
                            (2, 1, 1, 1, "3"), (2, 2, 1, 1, "4"), (3, 0, 1, 1, ""), (3, 1, 1, 1, "5"),
                            (3, 2, 1, 1, "6")]


def test_run_text_rules_nested_tables_and_content_controls():
    hidden = '<w:r><w:rPr><w:vanish/></w:rPr><w:t>9</w:t></w:r>'
    deleted = '<w:del w:id="1" w:author="a"><w:r><w:delText>8</w:delText></w:r></w:del>'
    inserted = '<w:ins w:id="2" w:author="a"><w:r><w:t>2</w:t></w:r></w:ins>'
    field = '<w:r><w:instrText> PAGE </w:instrText></w:r>'
    cell = f"<w:p><w:r><w:t>1</w:t></w:r>{hidden}{deleted}{inserted}{field}</w:p>"
    nested = tbl([500, 500], f"<w:tr>{tc('a')}{tc('b')}</w:tr>", f"<w:tr>{tc('c')}</w:tr>")
    document = body(
        p("标题") + "<w:p/>" + '<w:sdt><w:sdtContent>' + p("控件 内") + "</w:sdtContent></w:sdt>"
        + tbl([1000, 1000],
              f"<w:tr><w:tc>{cell}</w:tc><w:tc>{p('外')}{nested}</w:tc></w:tr>",
              f"<w:sdt><w:sdtContent><w:tr>{tc('r1')}{tc('r2')}</w:tr></w:sdtContent></w:sdt>")
        + '<w:p><w:r><w:t xml:space="preserve">a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r></w:p>')
    lines = [b for b in document.blocks if isinstance(b, TextBlock)]
    assert [(b.text, b.where.line) for b in lines] == [("标题", 1), ("控件 内", 3), ("a\tb\nc", 4)]
    (table,) = tables_of(document)
    assert spans(table) == [(0, 0, 1, 1, "12"), (0, 1, 1, 1, "外\na b\nc"), (1, 0, 1, 1, "r1"), (1, 1, 1, 1, "r2")]
    assert any("hidden" in n for n in document.notes)


def test_strict_ooxml_namespace():
    strict = 'xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"'
    document = body(p("严格") + tbl([1000], f"<w:tr>{tc('1')}</w:tr>"), namespace=strict)
    assert document.blocks[0].text == "严格" and spans(tables_of(document)[0]) == [(0, 0, 1, 1, "1")]


def test_core_title(tmp_path):
    truth = make_truth("2021", 1, year=2022)
    document = docx_reader.read(render_docx(truth, tmp_path / "r.docx"))
    assert document.title == f"{truth.agency_name}2022年政府信息公开工作年度报告"
    assert docx_reader.read(render_docx(truth, tmp_path / "n.docx", "two-line-name")).title is None


# --- refusals: corrupt files and bombs ------------------------------------------------------------------

DOCUMENT_HEAD = (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
                 b'main"><w:body><w:p><w:r><w:t>')
DOCUMENT_TAIL = b"</w:t></w:r></w:p></w:body></w:document>"


def bomb(path: Path, megabytes: int) -> Path:
    """A DOCX whose document.xml is one run of `megabytes` MB of the same byte (≈ 1000:1 compressed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(DOCUMENT_HEAD)
            chunk = b"0" * (1 << 20)
            for _ in range(megabytes):
                member.write(chunk)
            member.write(DOCUMENT_TAIL)
    return path


def refused(path: Path, reader=office.read_docx, seconds: float = 3.0) -> Unreadable:
    start = time.monotonic()
    with pytest.raises(Unreadable) as caught:
        reader(path)
    assert time.monotonic() - start < seconds
    assert caught.value.reason and caught.value.reason.endswith(".") and "\n" not in caught.value.reason
    return caught.value


def test_zip_bomb_by_size(tmp_path):
    path = bomb(tmp_path / "bomb.docx", 210)
    assert path.stat().st_size < 1_000_000
    error = refused(path)
    assert error.code == "corrupt-docx" and "zip bomb" in error.reason and "200 MB" in error.reason
    record = extract_path(path)
    assert (record.status, record.reason_code) == ("rejected", "corrupt-docx")


def test_zip_bomb_by_ratio(tmp_path):
    error = refused(bomb(tmp_path / "ratio.docx", 20))
    assert error.code == "corrupt-docx" and "compressed" in error.reason


def test_zip_with_lying_sizes(tmp_path):
    """The central directory claims 1 KB; inflating stops there and the check of the data fails."""
    path = tmp_path / "liar.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", DOCUMENT_HEAD + b"0" * 5_000_000 + DOCUMENT_TAIL)
    data = bytearray(path.read_bytes())
    central = data.rindex(b"PK\x01\x02")
    data[central + 24:central + 28] = struct.pack("<I", 1024)
    path.write_bytes(bytes(data))
    assert refused(path).code == "corrupt-docx"


def test_xml_entities_are_refused(tmp_path):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
              b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>' + DOCUMENT_HEAD[21:] + b"&c;" + DOCUMENT_TAIL)
    path = tmp_path / "laughs.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", laughs)
    error = refused(path)
    assert error.code == "corrupt-docx" and "DTD" in error.reason


@pytest.mark.parametrize("kind", ["truncated", "random", "not-word", "bad-xml", "empty-zip"])
def test_corrupt_docx(tmp_path, kind):
    path = tmp_path / f"{kind}.docx"
    if kind == "truncated":
        whole = render_docx(make_truth("2021", 1, year=2022), tmp_path / "whole.docx").read_bytes()
        path.write_bytes(whole[: len(whole) // 2])
    elif kind == "random":
        path.write_bytes(bytes((i * 7919 + 13) % 251 for i in range(50_000)))
    elif kind == "not-word":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("readme.txt", "hello")
    elif kind == "bad-xml":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("word/document.xml", DOCUMENT_HEAD + b"<w:t>")
    else:
        zipfile.ZipFile(path, "w").close()
    assert refused(path).code == "corrupt-docx"
    record = extract_path(path)
    assert (record.status, record.reason_code) == ("rejected", "corrupt-docx")


def test_encrypted_docx(tmp_path):
    path = tmp_path / "locked.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "EncryptedPackage".encode("utf-16-le")
                     + b"\0" * 500)
    assert refused(path).code == "encrypted-docx"


def test_highly_compressible_image_is_not_a_bomb(tmp_path):
    """Only XML parts are held to the ratio: a white 4 MB bitmap pasted into a report is no reason to refuse it."""
    truth = make_truth("2021", 8, year=2022)
    path = render_docx(truth, tmp_path / "report.docx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/image1.bmp", b"BM" + b"\xff" * 4_000_000)
    assert_all_cells(path, truth)


def test_workbook_named_docx(tmp_path):
    truth = make_truth("2019", 9, blanks=0.15, year=2020)
    path = tmp_path / "tables.docx"
    shutil.copyfile(render_xlsx(truth, tmp_path / "tables.xlsx"), path)
    assert assert_all_cells(path, truth).reader == "xlsx"


def test_random_bytes_named_doc_or_xls(tmp_path):
    doc, xls = tmp_path / "noise.doc", tmp_path / "noise.xls"
    doc.write_bytes(bytes((i * 31 + 7) % 256 for i in range(20_000)))
    xls.write_bytes(doc.read_bytes())
    assert refused(doc, office.read_legacy_word).code == "corrupt-doc"
    assert refused(xls, office.read_spreadsheet).code == "corrupt-spreadsheet"


def test_spreadsheet_bomb(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * 30_000_000)
    assert refused(path, office.read_spreadsheet).code == "corrupt-spreadsheet"


def test_converter_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(office, "soffice", lambda: None)
    path = tmp_path / "report.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000)
    error = refused(path, office.read_legacy_word)
    assert (error.code, error.reason) == ("converter-missing",
                                          "LibreOffice is needed to read .doc files and is not installed.")
    record = extract_path(path)
    assert (record.status, record.reason_code) == ("rejected", "converter-missing")


# --- spreadsheets ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("template", sorted(TEMPLATES))
@pytest.mark.parametrize("options", [{}, {"sheets": "one", "thousands": True},
                                     {"numbers_as_text": True, "yuan_in_cell": True}],
                         ids=["three-sheets", "one-sheet-thousands", "text-units"])
def test_xlsx(tmp_path, template, options):
    truth = make_truth(template, 4, blanks=0.15, year=TEMPLATES[template])
    record = assert_all_cells(render_xlsx(truth, tmp_path / "report.xlsx", **options), truth)
    assert record.reader == "xlsx"


def test_display_text():
    show = office.display_text
    assert [show(1325, "#,##0"), show(0.1 + 0.2), show(340.582), show(3.0), show(12.5, "0.00"), show(0.25, "0%"),
            show(None), show(" 7 "), show(Decimal("1.50"))] == ["1,325", "0.3", "340.582", "3", "12.50", "25%", "", "7",
                                                                 "1.5"]


@needs_soffice
@pytest.mark.parametrize("template", sorted(TEMPLATES))
@pytest.mark.parametrize("suffix", [".xls", ".et"])
def test_legacy_spreadsheets(tmp_path, template, suffix):
    truth = make_truth(template, 6, blanks=0.15, year=TEMPLATES[template])
    legacy = to_spreadsheet(render_xlsx(truth, tmp_path / "report.xlsx"), suffix, tmp_path / "out")
    assert legacy.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    record = assert_all_cells(legacy, truth)
    assert any("converted from" in n for n in record.notes)


# --- LibreOffice round trips ----------------------------------------------------------------------------

@needs_soffice
@pytest.mark.parametrize("template,layout", [("2019", "units-in-cells"), ("2021", "landscape")])
@pytest.mark.parametrize("suffix", [".doc", ".wps", ".rtf"])
def test_legacy_word_round_trip(tmp_path, template, layout, suffix):
    truth = make_truth(template, 3, blanks=0.15, year=TEMPLATES[template])
    legacy = to_legacy(render_docx(truth, tmp_path / "report.docx", layout), suffix, tmp_path / "out")
    assert legacy.suffix == suffix and legacy.stat().st_size > 0
    record = assert_all_cells(legacy, truth)
    assert record.reader == "docx"
    assert any("converted from" in n and "LibreOffice" in n for n in record.notes)


@needs_soffice
def test_misnamed_files(tmp_path):
    truth = make_truth("2021", 7, blanks=0.15, year=2022)
    docx_path = render_docx(truth, tmp_path / "report.docx")
    doc = to_legacy(docx_path, ".doc", tmp_path / "out")
    as_docx = tmp_path / "old-format.docx"             # a Word 97 file saved under .docx: converted
    shutil.copyfile(doc, as_docx)
    assert any("legacy Word document named .docx" in n for n in assert_all_cells(as_docx, truth).notes)
    as_doc = tmp_path / "new-format.doc"                # a .docx saved under .doc: read as it is
    shutil.copyfile(docx_path, as_doc)
    notes = assert_all_cells(as_doc, truth).notes
    assert any(".docx named .doc" in n for n in notes) and not any("converted" in n for n in notes)


@needs_soffice
def test_conversion_failures(tmp_path):
    truth = make_truth("2021", 1, year=2022)
    doc = to_legacy(render_docx(truth, tmp_path / "report.docx"), ".doc", tmp_path / "out")
    broken = tmp_path / "broken.doc"
    broken.write_bytes(doc.read_bytes()[:6000])
    assert refused(broken, office.read_legacy_word, seconds=60).code == "conversion-failed"
    start = time.monotonic()
    with pytest.raises(Unreadable) as caught:
        office.convert(doc, "docx", timeout=0.05)
    assert caught.value.code == "conversion-failed" and "within" in caught.value.reason
    assert time.monotonic() - start < 15


@needs_soffice
def test_parallel_conversions_do_not_clash(tmp_path):
    truths = [make_truth("2021", seed, year=2022) for seed in (11, 12)]
    docs = [to_legacy(render_docx(t, tmp_path / f"r{n}.docx"), ".doc", tmp_path / f"out{n}")
            for n, t in enumerate(truths)]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        documents = list(pool.map(office.read_legacy_word, docs))
    for truth, document in zip(truths, documents):
        assert str(truth.cells["requests.total.total"]) in document.text()


@needs_soffice
def test_to_pdf(tmp_path):
    truth = make_truth("2019", 2, year=2020)
    pdf = to_pdf(render_docx(truth, tmp_path / "report.docx", "narrow"), tmp_path / "pdf")
    assert pdf == tmp_path / "pdf" / "report.pdf" and pdf.read_bytes()[:5] == b"%PDF-"


# --- the most common real case: a Word report printed to PDF by LibreOffice --------------------------------

@needs_soffice
@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("layout", ["plain", "narrow", "landscape", "two-line-name", "template-blanks"])
def test_docx_printed_to_pdf_by_libreoffice(tmp_path, template, layout):
    truth = make_truth(template, seed=5, blanks=0.15, year=2020 if template == "2019" else 2022)
    docx_path = render_docx(truth, tmp_path / f"report-{template}-{layout}.docx", layout)
    pdf_path = to_pdf(docx_path, tmp_path / "pdf")
    record = assert_all_cells(pdf_path, truth)
    assert record.reader == "pdf"


def test_office_readers_are_registered():
    for suffix, reader in OFFICE_READERS.items():
        assert READERS[suffix] is reader
