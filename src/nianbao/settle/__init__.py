"""Settle: a person settles what the reader could not (issue 16). Applied to records after extraction and
before the checks, so the checks run on the settled values; the record keeps what the document showed.

The one definition of the corrections file and of the review form's columns lives here; `nianbao review`
(writes the work list, `nianbao.review`) and `nianbao review --apply` (this stage) both use it.

    corrections.py  the file as typed rows (read; appended to, never rewritten)
    rules.py        whether a correction may settle its cell (one sentence when not), and the settled cell
    apply.py        corrections applied to a corpus's records, their checks made again (build/driver.py)
    form.py         `nianbao review --apply FILE`: a filled form's good rows into the file
"""

from __future__ import annotations

from enum import StrEnum

# In the reports folder, beside manifest.csv; files.py keeps it out of the reports to read.
from nianbao.files import CORRECTIONS_FILE as CORRECTIONS_FILE

# reports/corrections.csv: one row per settled cell. A correction belongs to the document's bytes (sha256), so a
# changed file never inherits it; `file` is for the person reading the CSV only.
CORRECTION_COLUMNS = ("sha256", "file", "cell_id", "value", "note", "by", "date")

FORM_SHEET = "待核清单"   # the form's sheet of rows (the workbook's first; the second, 说明, says how to fill it)

# The work list's form (`nianbao review --out FILE`): code → the Chinese title printed as its header. The form's
# reader (`--apply`) accepts either as a header, so a person may fill the form or a CSV with the codes.
FORM_COLUMNS: dict[str, str] = {
    "kind": "类别",            # WorkKind: a cell to settle, a failed check, a document the manifest must settle
    "file": "文件",
    "sha256": "文件指纹",
    "body": "机构",
    "year": "年度",
    "cell_id": "单元格代码",
    "label": "单元格名称",
    "printed": "原文",
    "status": "读取状态",
    "flags": "存疑原因",
    "where": "位置",
    "picture": "原文截图",
    "candidates": "候选",
    "value": "核定数值",       # filled by the person
    "note": "说明",            # filled by the person: why, in Chinese (e.g. 原文第4页采购总金额单位为元)
    "by": "核定人",            # filled by the person
}
# The form may carry a date column too (when the person settled the row); without it, --apply records the day it
# ran. Not in FORM_COLUMNS: the work list does not print it.
FORM_DATE: dict[str, str] = {"date": "核定日期"}


class WorkKind(StrEnum):
    """What a row of the work list asks of a person (the form's `kind`, printed as its Chinese word)."""

    UNREAD = "unread"              # a cell of a found table the reader left unreadable or missing: give its value
    DOUBTFUL = "doubtful"          # a value read with a doubt (a scan's low confidence …): confirm or correct it
    FAILED_CHECK = "failed-check"  # a cell of an identity that failed: correct it only if it was misread
    DOCUMENT = "document"          # a report that needs review: settled in manifest.csv, not on the form


WORK_KIND_WORDS: dict[str, str] = {WorkKind.UNREAD: "未读出", WorkKind.DOUBTFUL: "存疑",
                                   WorkKind.FAILED_CHECK: "勾稽不符", WorkKind.DOCUMENT: "待定报告"}
