"""Stage 3 — map cells by template: located tables → {cell id: CellValue}."""

from __future__ import annotations

from nianbao.cells.assign import assign_table
from nianbao.model.record import CellValue
from nianbao.tables.locate import LocatedTable
from nianbao.tables.pieces import Piece
from nianbao.templates import TABLE_ORDER


def map_cells(located: dict[str, LocatedTable], pieces: list[Piece], doc_text: str) -> dict[str, CellValue]:
    cells: dict[str, CellValue] = {}
    claimed: set[int] = set()
    for table in TABLE_ORDER:
        if table in located:
            cells.update(assign_table(located[table], pieces, doc_text, claimed))
    return cells


__all__ = ["map_cells"]
