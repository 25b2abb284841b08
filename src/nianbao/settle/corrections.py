"""reports/corrections.csv as typed rows: read (a missing file is an empty one) and appended to (existing rows are
never rewritten: the file is a person's record of what they settled, as they wrote it)."""

from __future__ import annotations

import csv
from dataclasses import astuple, dataclass
from pathlib import Path

from nianbao.files import append_csv_rows
from nianbao.settle import CORRECTION_COLUMNS

FIRST_ROW = 2          # the first data row's line in the file (the header is line 1), as a spreadsheet numbers it


@dataclass(frozen=True)
class Correction:
    """One row: the document (its bytes' sha256), the cell, the value a person settled (as written; the rules
    normalise it), why (`note`, in Chinese), who and when (YYYY-MM-DD). `file` is for people only."""

    sha256: str
    file: str
    cell_id: str
    value: str
    note: str
    by: str
    date: str
    row: int = 0       # where it came from: the line in corrections.csv or the form (0: not yet written)

    @property
    def key(self) -> tuple[str, str]:
        """One correction per cell of a document."""
        return self.sha256, self.cell_id

    def fields(self) -> list[str]:
        """The row as written to corrections.csv, in CORRECTION_COLUMNS order."""
        return list(astuple(self))[:len(CORRECTION_COLUMNS)]


def correction_of(row: dict[str, str], line: int) -> Correction:
    """A row read by csv.DictReader (or a form row under the same codes); absent columns are empty."""
    values = {name: (row.get(name) or "").strip() for name in CORRECTION_COLUMNS}
    return Correction(**values, row=line)


class CorrectionsUnreadable(Exception):
    """corrections.csv cannot be read at all: one sentence why (then no correction is applied)."""


def read_corrections(path: Path) -> list[Correction]:
    """The file's rows (blank lines skipped); an absent file is an empty one."""
    if not path.exists():
        return []
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return [correction_of(row, line) for line, row in enumerate(csv.DictReader(fh), FIRST_ROW)
                    if any((v or "").strip() for v in row.values() if isinstance(v, str))]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CorrectionsUnreadable(f"{path.name} cannot be read as a UTF-8 CSV file ({type(exc).__name__}), so no "
                                    "correction is applied.") from None


def append_corrections(path: Path, rows: list[Correction]) -> None:
    """Append `rows`, writing the header first when the file is new."""
    if not rows:
        return
    append_csv_rows(path, CORRECTION_COLUMNS, [list(row.fields()) for row in rows])
