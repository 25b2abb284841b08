"""Whether a correction may settle its cell, and the settled cell if so.

A correction is refused, with one sentence saying why, when it is incomplete (every one says why, who and when),
for a document no longer in the reports folder (its bytes changed: a value for a changed file never carries
over), for a cell the document's tables do not have, when its value is not what the data dictionary allows in
that cell (read by the reader's own rules: `model.values.parse_cell`, then `cells.values.column_number` — a
count is a whole number, money is 万元 or 元 and published in 万元; a count is never negative), or when the cell
is already settled.

The kind of settlement: a cell the reader left unread (`unreadable`, `missing`) or flagged for review is
*supplied* (补录). A cell the reader did read (a value or a printed blank, not flagged for review) may only be
*corrected* (更正) as a misreading, and the note must say so (one of MISREADING_WORDS). Otherwise the
correction is refused: the document printed that number, and a source's own printed error (洪泽 2023 表四: the
totals printed 0) stays as printed, where its failed check says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from nianbao.cells.values import column_number
from nianbao.model.record import CellValue, Number, Record, Settlement
from nianbao.model.values import number_text, parse_cell
from nianbao.model.words import Flag, SettlementKind
from nianbao.settle.corrections import Correction
from nianbao.templates import ColumnSpec, cell_index

# A note that says the reader misread the cell (what makes a read cell correctable).
MISREADING_WORDS = ("误读", "读错", "错读", "识别错", "识别有误", "读取有误", "读取错误", "misread")
_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
_SPELLED = {"sha256": "sha256", "cell_id": "cell_id", "value": "value", "note": "note (why)", "by": "by (who)",
            "date": "date (when)"}


class Refusal(StrEnum):
    """Why a correction was refused (the code; the sentence says it for this row)."""

    INCOMPLETE = "incomplete"
    BAD_DATE = "bad-date"
    CHANGED_FILE = "changed-file"
    NOT_A_REPORT = "not-a-report"
    UNKNOWN_CELL = "unknown-cell"
    DUPLICATE = "duplicate"
    NOT_A_NUMBER = "not-a-number"
    NOT_A_WHOLE_NUMBER = "not-a-whole-number"
    WRONG_UNIT = "wrong-unit"
    NEGATIVE = "negative"
    NO_CHANGE = "no-change"
    AS_PRINTED = "as-printed"


@dataclass(frozen=True)
class Refused:
    code: Refusal
    reason: str          # one sentence


def complete(c: Correction) -> Refused | None:
    """Every field present and the date a date: checked before anything is looked up."""
    absent = [_SPELLED[name] for name in _SPELLED if not getattr(c, name)]
    if absent:
        return Refused(Refusal.INCOMPLETE, f"The row has no {' and no '.join(absent)}: every correction names its "
                                           "document, cell and value, and says why, who and when.")
    if not _DATE.match(c.date):
        return Refused(Refusal.BAD_DATE, f"The date {c.date!r} is not a YYYY-MM-DD date.")
    return None


def changed_file(c: Correction) -> Refused:
    return Refused(Refusal.CHANGED_FILE, f"No document in the reports folder has these bytes (sha256 {c.sha256[:12]}…): "
                                         "the file changed or is gone, and a correction never carries over to other bytes.")


def duplicate(c: Correction, first_row: int) -> Refused:
    return Refused(Refusal.DUPLICATE, f"{c.cell_id} of this document is already settled (by the row on line {first_row}).")


def settle_cell(c: Correction, record: Record) -> CellValue | Refused:
    """The cell as settled by `c`, or why it may not be."""
    if record.status != "ok":
        return Refused(Refusal.NOT_A_REPORT, f"The document was not read as an annual report ({record.status}: "
                                             f"{record.reason_code}), so it has no cells to settle.")
    cell = record.cells.get(c.cell_id)
    known = cell_index().get(c.cell_id)
    if cell is None or known is None:
        return Refused(Refusal.UNKNOWN_CELL, f"The document's tables have no cell {c.cell_id!r} (cell ids are in the "
                                             "data dictionary).")
    column = known[2]
    number = value_in_column(c.value, column, c.cell_id)
    if isinstance(number, Refused):
        return number
    read = cell.status in ("value", "blank") and Flag.REVIEW not in cell.flags
    if read and cell.status == "value" and cell.value == number:
        return Refused(Refusal.NO_CHANGE, f"The reader already read {number_text(number)} in {c.cell_id}: nothing to settle.")
    if read and not says_misreading(c.note):
        return Refused(Refusal.AS_PRINTED, _as_printed(cell, column, c.cell_id))
    kind = SettlementKind.CORRECTED if read else SettlementKind.SUPPLIED
    settlement = Settlement(kind, c.note, c.by, c.date, cell.value, cell.status, cell.unit)
    return replace(cell, value=number, status="value", settlement=settlement)


def value_in_column(text: str, column: ColumnSpec, cell_id: str) -> Number | Refused:
    """The value a person wrote, normalised as the reader normalises a printed cell: `12`, `1,325`, `减3`,
    `3177.4` or `3177.4万元` or `31774000元` (money, published in 万元)."""
    parsed = parse_cell(text)
    if parsed is None or parsed.kind != "value":
        return Refused(Refusal.NOT_A_NUMBER, f"The value {text!r} is not a number.")
    unit = parsed.unit or ("万元" if column.money else None)     # a person's money without a unit is in 万元
    number = column_number(parsed, column, unit)
    if number == Flag.NOT_A_WHOLE_NUMBER:
        return Refused(Refusal.NOT_A_WHOLE_NUMBER, f"{cell_id} counts {column.unit}: {text!r} is not a whole number.")
    if isinstance(number, Flag):
        allowed = "万元 or 元" if column.money else column.unit
        return Refused(Refusal.WRONG_UNIT, f"The unit of {text!r} does not fit {cell_id}, which is in {allowed}.")
    if number < 0 and not column.signed:
        return Refused(Refusal.NEGATIVE, f"{cell_id} cannot be negative ({text!r}).")
    return number


def says_misreading(note: str) -> bool:
    return any(word in note.lower() for word in MISREADING_WORDS)


def _as_printed(cell: CellValue, column: ColumnSpec, cell_id: str) -> str:
    shown = "blank" if cell.status == "blank" else number_text(cell.value)
    parsed = parse_cell(cell.raw or "")
    printed = (parsed is not None and parsed.kind == cell.status
               and (cell.status == "blank" or column_number(parsed, column, cell.unit or parsed.unit) == cell.value))
    start = (f"The document prints {cell.raw!r} in {cell_id} and the reader read exactly that ({shown})"
             if printed else f"The reader read {cell_id} as {shown}")
    return (f"{start}: a source's own printed error stays as printed (its failed check says so), and a read cell may "
            f"only be corrected as a misreading, which the note must say (误读).")
