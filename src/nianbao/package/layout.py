"""What a table cell of a package shows.

The tables' layout itself (fields, rows, the header as printed) is `nianbao.templates.printed`.
"""

from __future__ import annotations


from nianbao.model.record import CellValue, Number


def cell_number(cell: CellValue | None) -> Number | None:
    """What a table shows: the value when one was read, else nothing (blank, missing, unreadable)."""
    if cell is None or cell.status != "value":
        return None
    return cell.value
