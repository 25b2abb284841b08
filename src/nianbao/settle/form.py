"""`nianbao review --apply FILE`: the filled review form (the work list's XLSX, or a CSV under the same headers)
into reports/corrections.csv.

Each filled row (one with a value) is judged by the same rules the build applies (settle/rules.py) against the
documents of the reports folder; the good ones are appended to corrections.csv with their value normalised
(money in 万元), the bad ones refused with one sentence each. Nothing else changes: existing rows are never
rewritten, and a refused row leaves no trace in the file. A row without a date gets today's: settling is a
person's act, and the file records when it was done.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from nianbao.model.values import number_text
from nianbao.settle import CORRECTIONS_FILE, FORM_COLUMNS, FORM_DATE
from nianbao.settle.apply import Records, Settler
from nianbao.settle.corrections import (Correction, CorrectionsUnreadable, append_corrections, correction_of,
                                       read_corrections)
from nianbao.settle.rules import Refused, value_in_column
from nianbao.templates import cell_index

_NEEDED = ("sha256", "cell_id", "value")
_HEADER_ROWS = 5           # the header is looked for in a sheet's first rows (a title may sit above it)


@dataclass
class FormResult:
    filled: Path
    applied: list[Correction] = field(default_factory=list)
    refused: list[tuple[Correction, Refused]] = field(default_factory=list)
    problem: str | None = None      # the form itself could not be read

    def lines(self) -> list[str]:
        if self.problem is not None:
            return [f"{self.filled.name}: {self.problem}"]
        out = [f"{self.filled.name} row {c.row}: {c.cell_id or '(no cell id)'}: refused: {why.reason}"
               for c, why in self.refused]
        total = len(self.applied) + len(self.refused)
        out.append(f"{total} filled rows: {len(self.applied)} added to {CORRECTIONS_FILE}, {len(self.refused)} refused")
        return out


def apply_filled(filled: Path, reports_dir: Path, records: Records, today: str | None = None) -> FormResult:
    """Judge every filled row of `filled` against `records` (the reports folder's documents as read, e.g.
    build.driver.folder_records) and append the good ones to reports_dir/corrections.csv."""
    result = FormResult(filled)
    try:
        rows = read_form(filled)
    except FormError as exc:
        result.problem = str(exc)
        return result
    path = reports_dir / CORRECTIONS_FILE
    settler = Settler(records)
    try:
        existing = read_corrections(path)
    except CorrectionsUnreadable as exc:
        result.problem = str(exc)
        return result
    for made in existing:
        settler.take(made)
    settler.refused.clear()            # the file's own bad rows are the build's to report, not this form's
    date = today or datetime.date.today().isoformat()
    for row in rows:
        c = _completed(row, date, settler)
        refused = settler.take(c)
        if refused is None:
            result.applied.append(c)
        else:
            result.refused.append((c, refused))
    append_corrections(path, result.applied)
    return result


def _completed(c: Correction, date: str, settler: Settler) -> Correction:
    """A form row as it goes into corrections.csv: today's date if it has none, the document's file name, and
    the value normalised (when it is one: a bad value is refused as the person wrote it)."""
    c = replace(c, date=c.date or date, file=settler.file_of(c.sha256) or c.file)
    known = cell_index().get(c.cell_id)
    if known is not None and c.value:
        number = value_in_column(c.value, known[2], c.cell_id)
        if not isinstance(number, Refused):
            c = replace(c, value=number_text(number))
    return c


class FormError(Exception):
    """The form cannot be read at all (not found, not an XLSX or CSV, no header with the needed columns)."""


def read_form(path: Path) -> list[Correction]:
    """Every filled row (a non-empty value) of the form, under the correction codes; `row` is its line."""
    if not path.is_file():
        raise FormError("the file does not exist.")
    sheets: list[list[list[object]]]
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            sheets = [[list(r) for r in csv.reader(fh)]]
    elif path.suffix.lower() == ".xlsx":
        sheets = _xlsx_sheets(path)
    else:
        raise FormError("the form must be the review list's .xlsx or a .csv with the same headers.")
    found = [rows for grid in sheets if (rows := _filled_rows(grid)) is not None]
    if not found:
        raise FormError(f"no sheet has a header with the columns {', '.join(_NEEDED)} "
                        f"({', '.join(FORM_COLUMNS.get(n, n) for n in _NEEDED)}).")
    return [row for rows in found for row in rows]


def _xlsx_sheets(path: Path) -> list[list[list[object]]]:
    import zipfile

    import openpyxl
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise FormError(f"the file cannot be read as an XLSX workbook ({type(exc).__name__}).") from None
    try:
        return [[list(r) for r in sheet.iter_rows(values_only=True)] for sheet in book.worksheets]
    finally:
        book.close()


def _filled_rows(grid: list[list[object]]) -> list[Correction] | None:
    """The grid's filled rows, or None if it has no header naming the needed columns (by code or title)."""
    for at, header in enumerate(grid[:_HEADER_ROWS]):
        columns = {code: i for i, cell in enumerate(header) if (code := _code(_text(cell)))}
        if all(n in columns for n in _NEEDED):
            rows = []
            for line, cells in enumerate(grid[at + 1:], at + 2):
                row = {code: _text(cells[i]) if i < len(cells) else "" for code, i in columns.items()}
                if row.get("value"):
                    rows.append(correction_of(row, line))
            return rows
    return None


def _code(header: str) -> str | None:
    """A header's code: the code itself or its Chinese title (the date column too, which the form may add)."""
    titles = {title: code for code, title in {**FORM_COLUMNS, **FORM_DATE}.items()}
    if header in FORM_COLUMNS or header in FORM_DATE:
        return header
    return titles.get(header)


def _text(cell: object) -> str:
    """A spreadsheet cell as text: a number as its digits (3177.4, not 3177.4000000000001; 12, not 12.0), a date
    as YYYY-MM-DD."""
    if cell is None:
        return ""
    if isinstance(cell, float):
        return number_text(Decimal(repr(cell)).normalize()) if not cell.is_integer() else str(int(cell))
    if isinstance(cell, (datetime.datetime, datetime.date)):
        return cell.strftime("%Y-%m-%d")
    return str(cell).strip()
