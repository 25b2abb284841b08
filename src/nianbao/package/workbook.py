"""The body-year package's XLSX: one sheet per table, laid out as printed."""

from __future__ import annotations

import io

import xlsxwriter

from nianbao.files import workbook_bytes
from nianbao.model.record import CellValue, Number, Record, Settlement
from nianbao.model.words import settlement_sentence
from nianbao.package.layout import cell_number
from nianbao.package.rows import cell_of
from nianbao.templates.printed import PrintedTable


def workbook(rec: Record, tables: list[PrintedTable], title: str, created: str | None) -> bytes:
    """One sheet per table, laid out as printed (group labels merged over their columns in 表四).

    XlsxWriter rather than openpyxl here: it writes in memory, ~4× faster, which matters at 10,000 packages."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "text_wrap": True, "align": "center"})
    settled = wb.add_format({"italic": True, "underline": 1})
    for table in tables:
        ws = wb.add_worksheet(table.title[:31])
        ws.write_row(0, 0, [table.title], bold)
        ws.write_row(1, 0, [title])
        r = 2
        if table.has_column_groups:
            _merged_group_labels(ws, r, [col.group.label if col.group else "" for col in table.columns])
            r += 1
        ws.write_row(r, 0, ["项目", *[col.column.label + (f"（{col.unit}）" if col.money else "")
                                     for col in table.columns]], head)
        r += 1
        group_shown = None
        marked = False
        for row in table.rows:
            group = row.group.label if row.group else None
            if group and group != group_shown:
                ws.write(r, 0, group)
                group_shown = group
                r += 1
            ws.write(r, 0, row.row.printed_label or "数量")
            for c, col in enumerate(table.columns, 1):
                cell = cell_of(rec, row.cells.get(col.name))
                value = _xlsx_value(cell)
                if value is not None:
                    ws.write(r, c, value, settled if cell is not None and cell.settlement else None)
                if cell is not None and cell.settlement is not None:
                    ws.write_comment(r, c, settlement_words(cell.settlement))
                    marked = True
            r += 1
        if marked:
            ws.write(r + 1, 0, SETTLED_NOTE)
        ws.set_column(0, 0, 48)
    wb.close()
    return workbook_bytes(buffer.getvalue(), created)


def _merged_group_labels(ws: xlsxwriter.worksheet.Worksheet, r: int, groups: list[str]) -> None:
    """Row `r`: each run of columns with the same group label under one merged cell (from column 1)."""
    start = 0
    for i in range(1, len(groups) + 1):
        if i == len(groups) or groups[i] != groups[start]:
            if i - 1 > start:
                ws.merge_range(r, start + 1, r, i, groups[start])
            else:
                ws.write(r, start + 1, groups[start])
            start = i


def _xlsx_value(cell: CellValue | None) -> Number | str | None:
    """A number where one was read; the printed text where it could not be read (so readers see it)."""
    if cell is not None and cell.status == "unreadable" and cell.raw:
        return f"{cell.raw}（无法读出）"
    return cell_number(cell)


SETTLED_NOTE = "斜体加下划线、带批注的数字由人对照原文核定（补录或更正），依据见批注和 corrections.csv。"


def settlement_words(s: Settlement) -> str:
    """A settled cell's comment: 人工核定（补录）：note（by，date）."""
    return settlement_sentence(s.kind, s.note, s.by, s.date)
