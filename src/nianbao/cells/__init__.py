"""Stage 3 — map cells by template: located tables → {cell id: CellValue}."""

from __future__ import annotations

from nianbao.cells.assign import assign_table
from nianbao.model.record import CellValue
from nianbao.tables.locate import LocatedTable
from nianbao.tables.pieces import Piece, by_line
from nianbao.templates import TABLE_ORDER


def map_cells(located: dict[str, LocatedTable], pieces: list[Piece], doc_text: str) -> dict[str, CellValue]:
    cells: dict[str, CellValue] = {}
    claimed: set[int] = set()
    for table in TABLE_ORDER:
        if table in located:
            cells.update(assign_table(located[table], pieces, doc_text, claimed))
    return cells


def lines_used(cells: dict[str, CellValue]) -> set[int]:
    """Text lines and table rows (by line number) that hold a cell's value."""
    return {c.where.line for c in cells.values() if c.status != "missing" and c.where.line is not None}


def extra_rows(located: dict[str, LocatedTable], pieces: list[Piece], cells: dict[str, CellValue]) -> list[dict]:
    """Table rows with a label no template knows and numbers after it: kept and reported, never dropped.

    Only rows of real tables (grid or delimited) count; in flattened text such numbers end up in the row
    above and make it unreadable instead, which is just as visible.
    """
    used_lines = lines_used(cells)
    anchored = {a.piece for t in located.values() for a in t.anchors}
    out = []
    for table in TABLE_ORDER:
        if table not in located:
            continue
        region = located[table]
        for row in by_line(pieces[region.start:region.end]):
            if row[0].row is None:
                continue    # a text line, not a table row
            labels = [p for p in row if p.is_label]
            numbers = [p for p in row if p.is_number]
            if not labels or not numbers or any(p.index in anchored for p in row):
                continue
            if any(p.where.line in used_lines and p.where.line is not None for p in numbers):
                continue
            out.append({"table": table, "label": "".join(p.text.strip() for p in labels),
                        "values": [p.text.strip() for p in row if not p.is_label],
                        "where": labels[0].where.to_json()})
    return out


__all__ = ["map_cells", "extra_rows", "lines_used"]
