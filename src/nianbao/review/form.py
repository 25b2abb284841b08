"""The work list as a form to fill: an XLSX.

Why XLSX rather than a local web page: the people who settle these numbers work in Excel or WPS already, offline,
and pass files around by e-mail; a workbook carries the crops inside it, filters by report or kind, and checks a
value as it is typed. `nianbao review --apply` reads it back (or a CSV with the same columns).

openpyxl rather than XlsxWriter (which the packages use): the form is written once per run, not 10,000 times,
and openpyxl writes the data validations and anchored images the form needs in one model. Its clock stamps
are replaced (`files.workbook_bytes`), so the same inputs give the same bytes.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from nianbao.files import workbook_bytes
from nianbao.review.pictures import Picture
from nianbao.review.rows import WorkRow
from nianbao.settle import CORRECTIONS_FILE, FORM_COLUMNS, FORM_SHEET, WORK_KIND_WORDS, WorkKind

GUIDE = "说明"
TO_FILL = ("value", "note", "by")                       # the columns a person fills
WIDTHS = {"kind": 9, "file": 16, "sha256": 12, "body": 22, "year": 6, "cell_id": 18, "label": 26, "printed": 14,
          "status": 9, "flags": 34, "where": 18, "picture": 100, "candidates": 26, "value": 12, "note": 30, "by": 9}
GUIDE_WIDTH = 100
HIDDEN = ("sha256",)                                    # needed to apply a row, not to fill it
PICTURE_WIDTH = 700                                     # px a crop is shown at (about the picture column's width)
MAX_ROW_HEIGHT = 400.0                                  # pt (Excel's limit is 409)
LINE_HEIGHT = 15.0                                      # pt per line of source text
HEAD_FILL = PatternFill("solid", fgColor="DDE4EE")
FILL_HEAD = PatternFill("solid", fgColor="FFD966")      # the columns to fill: their header …
FILL_CELL = PatternFill("solid", fgColor="FFF2CC")      # … and their cells
NOT_HERE = PatternFill("solid", fgColor="E7E6E6")       # a report's row: settled in manifest.csv, not here
SOURCE_FONT = Font(name="NSimSun", size=10)             # monospaced CJK (新宋体): source lines keep their columns


def form_bytes(rows: list[WorkRow], pictures: list[Picture]) -> bytes:
    """The workbook: the work list (a row per `WorkRow`, its picture in the picture column) and the guide."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = FORM_SHEET
    _header(sheet)
    codes = list(FORM_COLUMNS)
    for r, (row, picture) in enumerate(zip(rows, pictures), start=2):
        values = row.form_values()
        values["kind"] = WORK_KIND_WORDS[row.kind]
        values["picture"] = picture.lines
        for c, code in enumerate(codes, start=1):
            cell = sheet.cell(r, c, values.get(code) or None)
            cell.alignment = Alignment(vertical="top", wrap_text=code != "picture" or bool(picture.lines))
        picture_height = _picture(sheet, r, picture)
        sheet.row_dimensions[r].height = min(MAX_ROW_HEIGHT, max(picture_height, _text_height(values)))
        _fill_cells(sheet, r, row.kind)
    _validations(sheet, rows)
    sheet.freeze_panes = "B2"
    _print_setup(sheet)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(codes))}{max(1, len(rows) + 1)}"
    _guide(book.create_sheet(GUIDE))
    buffer = io.BytesIO()
    book.save(buffer)
    return workbook_bytes(buffer.getvalue(), None)


def column_of(code: str) -> str:
    return get_column_letter(list(FORM_COLUMNS).index(code) + 1)


def _header(sheet: Worksheet) -> None:
    for c, (code, title) in enumerate(FORM_COLUMNS.items(), start=1):
        cell = sheet.cell(1, c, title)
        cell.font = Font(bold=True)
        cell.fill = FILL_HEAD if code in TO_FILL else HEAD_FILL
        cell.alignment = Alignment(vertical="center", horizontal="center")
        dimension = sheet.column_dimensions[get_column_letter(c)]
        dimension.width = WIDTHS.get(code, 12)
        dimension.hidden = code in HIDDEN
    sheet.row_dimensions[1].height = 24


def _picture(sheet: Worksheet, r: int, picture: Picture) -> float:
    """A crop anchored in the row's picture cell, shown at PICTURE_WIDTH, or the source lines in a monospaced
    font; the height (pt) the row needs to show it."""
    if picture.png is not None:
        image = Image(io.BytesIO(picture.png))
        factor = min(1.0, PICTURE_WIDTH / image.width)
        image.width, image.height = round(image.width * factor), round(image.height * factor)
        sheet.add_image(image, f"{column_of('picture')}{r}")
        return image.height * 0.75 + 4
    if picture.lines:
        sheet[f"{column_of('picture')}{r}"].font = SOURCE_FONT
    return 0.0


def _text_height(values: dict[str, str], widths: dict[str, int] = WIDTHS) -> float:
    """The height (pt) the row's wrapped text needs (hidden columns aside): spreadsheets do not grow a row for
    wrapped text they did not lay out themselves. A Chinese character is two columns wide."""
    lines = max((sum(max(1, -(-_columns(part) // widths[code])) for part in text.split("\n"))
                 for code, text in values.items() if text and code not in HIDDEN), default=1)
    return LINE_HEIGHT * lines + 4


def _columns(text: str) -> int:
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def _print_setup(sheet: Worksheet) -> None:
    """Printed (or saved as PDF): landscape, every column on one page's width, the header row on each page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = "1:1"


def _fill_cells(sheet: Worksheet, r: int, kind: WorkKind) -> None:
    for code in TO_FILL:
        sheet[f"{column_of(code)}{r}"].fill = NOT_HERE if kind == WorkKind.DOCUMENT else FILL_CELL


def _validations(sheet: Worksheet, rows: list[WorkRow]) -> None:
    """A number in 核定数值 (a warning, not a refusal: `--apply` has the last word); nothing to fill in a report's
    row, which manifest.csv settles; a prompt on each column to fill."""
    number = DataValidation(type="decimal", operator="between", formula1="-1000000000000", formula2="1000000000000",
                            errorStyle="warning", showErrorMessage=True, showInputMessage=True,
                            errorTitle="不是数字", error="核定数值应是一个数：件数为整数，金额以万元计（如 3177.4）。",
                            promptTitle="核定数值", prompt="原文这一格应读出的数：件数为整数，金额以万元计，不带单位和千分位。")
    note = DataValidation(type="textLength", operator="greaterThan", formula1="0", showInputMessage=True,
                          promptTitle="说明", prompt="为什么是这个数，写明原文依据，如：原文第4页采购总金额单位为元。")
    nothing = DataValidation(type="textLength", operator="equal", formula1="0", errorStyle="stop",
                             showErrorMessage=True, errorTitle="不在本表填写",
                             error="这份报告由 reports/manifest.csv 确定（见“位置”和“候选”两列），本表不填。")
    for r, row in enumerate(rows, start=2):
        if row.kind == WorkKind.DOCUMENT:
            for code in TO_FILL:
                nothing.add(f"{column_of(code)}{r}")
        else:
            number.add(f"{column_of('value')}{r}")
            note.add(f"{column_of('note')}{r}")
    for validation in (number, note, nothing):
        if validation.sqref:
            sheet.add_data_validation(validation)


GUIDE_TEXT = (
    "待核清单：怎样填写",
    "",
    "这份清单列出 Nianbao 没能读出、读得没有把握、或勾稽关系不成立的每一处，以及需要人工确定机关或年度的报告。"
    "每行一处，附原文截图（PDF、扫描件）或原文前后几行（文本、网页、Word）。",
    "",
    "类别",
    f"  {WORK_KIND_WORDS[WorkKind.UNREAD]}：原文印了数（或本应有数），程序没能读出。看截图，在“核定数值”填原文这一格的数。",
    f"  {WORK_KIND_WORDS[WorkKind.DOUBTFUL]}：读出了数，但没有把握（如扫描件识别把握不大）。读对了也请填上同一个数，以示核过。",
    f"  {WORK_KIND_WORDS[WorkKind.FAILED_CHECK]}：这一格所在的勾稽关系不成立。只有数被读错时才填，并在说明里写明“读错”；"
    "原文本身印错的数不要填。",
    f"  {WORK_KIND_WORDS[WorkKind.DOCUMENT]}：报告的机关或年度无法确定。不在本表填写：按“位置”一列，"
    "在 reports/manifest.csv 中填写 agency_id（候选之一）或 year。",
    "",
    "要填的三列（黄色）",
    "  核定数值：按数据字典的规范写法——阿拉伯数字，不带单位、千分位和空格；件数为整数；"
    "金额一律以万元计，可带小数（原文印 31774000 元，填 3177.4）。",
    "  说明：为什么是这个数，写明原文依据。例如：原文第4页采购总金额单位为元；原文为 12，扫描件识别成了 17。",
    "  核定人：填写人的姓名或所在单位。",
    "",
    "原文本身的错误永远不改：报告印出的数就是报告的数据。勾稽不符而原文确实如此的（如洪泽区 2023 年表四“行政复议”"
    "总计印为 0），保持原样，网站会照实说明原文有误。",
    "",
    "不要修改其余各列：文件指纹（隐藏列）和单元格代码确定这一行属于哪份文件的哪一格。文件内容一变，更正即不再适用。",
    "",
    f"填好后运行：nianbao review --apply 本文件。合格的行追加到 reports/{CORRECTIONS_FILE}，"
    "不合格的行逐条说明原因，其余不变。然后重新运行 nianbao build，网页上这些数会标明由人工核定，并显示说明。",
    "也可以用 CSV 代替本表：列名用下表的代码或中文名称均可。",
)


def _guide(sheet: Worksheet) -> None:
    """The guide sheet: how to fill the form, then each column's code and Chinese title."""
    for r, line in enumerate(GUIDE_TEXT, start=1):
        sheet.cell(r, 1, line or None).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[r].height = _text_height({"guide": line}, {"guide": GUIDE_WIDTH})
    sheet["A1"].font = Font(bold=True, size=14)
    start = len(GUIDE_TEXT) + 2
    sheet.cell(start, 1, "列").font = Font(bold=True)
    sheet.cell(start, 2, "代码").font = Font(bold=True)
    for r, (code, title) in enumerate(FORM_COLUMNS.items(), start=start + 1):
        sheet.cell(r, 1, title)
        sheet.cell(r, 2, code)
    sheet.column_dimensions["A"].width = GUIDE_WIDTH
    sheet.column_dimensions["B"].width = 14
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
