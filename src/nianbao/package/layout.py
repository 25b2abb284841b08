"""Numbers as the package prints them: CSV text, and what a table cell shows.

The tables' layout itself (fields, rows, the header as printed) is `nianbao.templates.printed`.
"""

from __future__ import annotations

from decimal import Decimal

from nianbao.model.record import CellValue, Number
from nianbao.templates import short_names
from nianbao.templates.printed import spec_for_cells

# Kept for site/tables.py until it renders `PrintedTable` (the site's own change): remove then.
NUMERAL = {table: name.removeprefix("表") for table, name in short_names().items()}
__all__ = ["NUMERAL", "spec_for_cells", "number_text", "cell_number"]


def number_text(value: object) -> str:
    """A number as CSV text: integers as is, money without exponent (1.5E+2 → 150)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def cell_number(cell: CellValue | None) -> Number | None:
    """What a table shows: the value when one was read, else nothing (blank, missing, unreadable)."""
    if cell is None or cell.status != "value":
        return None
    return cell.value
