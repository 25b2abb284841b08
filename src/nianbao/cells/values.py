"""Turning the pieces found for a row into cell values: a number, a printed blank, or unreadable with a flag
saying why (not a number, not a whole number, money in a count column, a unit nothing states).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.model.document import Where
from nianbao.model.normalize import canon
from nianbao.model.record import CellValue, Number
from nianbao.model.values import Parsed, to_wanyuan
from nianbao.model.words import Flag
from nianbao.tables.locate import LocatedTable
from nianbao.tables.pieces import Piece
from nianbao.templates import ColumnSpec, RowSpec


@dataclass(frozen=True)
class RowValues:
    pieces: tuple[Piece, ...]
    flags: tuple[str, ...] = ()
    unreadable: bool = False     # the count does not fit: every cell of the row is unreadable
    shown: int | None = None     # the text stops after this many of the row's columns: the rest are missing



def cells_of_row(row: RowSpec, values: RowValues, located: LocatedTable, pieces: list[Piece],
                  doc_text: str) -> dict[str, CellValue]:
    out: dict[str, CellValue] = {}
    if Flag.ROW_NOT_FOUND in values.flags:
        return out
    if values.unreadable:
        raw = " ".join(p.text.strip() for p in values.pieces)
        where = values.pieces[0].where if values.pieces else Where()
        for cid in row.cell_ids:
            out[cid] = CellValue(None, "unreadable", raw, None, where, values.flags)
        return out
    if values.shown is not None:
        for cid, column, piece in zip(row.cell_ids, row.columns, values.pieces):
            out[cid] = _cell(piece, column, located, pieces, doc_text, values.flags)
        for cid in row.cell_ids[values.shown:]:
            out[cid] = CellValue(None, "missing", None, None, Where(), (Flag.TEXT_CUT,))
        return out
    if not values.pieces:
        for cid in row.cell_ids:
            out[cid] = CellValue(None, "blank", "", None, Where(), (Flag.NO_CELLS_PRINTED,))
        return out
    for cid, column, piece in zip(row.cell_ids, row.columns, values.pieces):
        out[cid] = _cell(piece, column, located, pieces, doc_text, values.flags)
    return out


def _cell(piece: Piece, column: ColumnSpec, located: LocatedTable, pieces: list[Piece], doc_text: str,
          flags: tuple[str, ...]) -> CellValue:
    parsed = piece.parsed
    where = piece.where
    raw = piece.text
    if piece.cut and parsed.kind in ("value", "blank"):
        return CellValue(None, "unreadable", raw, None, where, (*flags, Flag.TEXT_CUT))
    if parsed.kind == "blank":
        return CellValue(None, "blank", raw, None, where, flags)
    if parsed.kind == "unreadable":
        return CellValue(None, "unreadable", raw, None, where, (*flags, Flag.NOT_A_NUMBER))
    if column.money:
        return _money(parsed, raw, column, located, pieces, doc_text, where, flags)
    number = column_number(parsed, column, parsed.unit)
    if isinstance(number, Flag):
        return CellValue(None, "unreadable", raw, parsed.unit, where, (*flags, number))
    return CellValue(number, "value", raw, parsed.unit, where, flags)


def column_number(parsed: Parsed, column: ColumnSpec, unit: str | None) -> Number | Flag:
    """The number a printed value gives in its column, or the flag saying why it gives none: a count is a whole
    number with no money unit; money needs its unit (元 or 万元, `unit`) and is published in 万元. The reader and
    a person's correction (the settle stage) both go through this rule."""
    if parsed.value is None:
        return Flag.NOT_A_NUMBER
    if column.money:
        return to_wanyuan(parsed.value, unit) if unit in ("元", "万元") else Flag.UNIT_UNKNOWN
    if not isinstance(parsed.value, int):
        return Flag.NOT_A_WHOLE_NUMBER
    if parsed.unit in ("元", "万元"):
        return Flag.MONEY_IN_COUNT_COLUMN
    return parsed.value


def _money(parsed: Parsed, raw: str, column: ColumnSpec, located: LocatedTable, pieces: list[Piece],
           doc_text: str, where: Where, flags: tuple[str, ...]) -> CellValue:
    unit = parsed.unit or _header_unit(column, located, pieces) or column.printed_unit or _prose_unit(raw, doc_text)
    if unit is None:
        if parsed.value == 0:
            return CellValue(0, "value", raw, None, where, flags)
        return CellValue(None, "unreadable", raw, None, where, (*flags, Flag.UNIT_UNKNOWN))
    number = column_number(parsed, column, unit)
    if isinstance(number, Flag):
        return CellValue(None, "unreadable", raw, unit, where, (*flags, Flag.UNIT_UNKNOWN))
    return CellValue(number, "value", raw, unit, where, flags)


_UNIT_IN_HEADER = re.compile(r"\(?(?:单位:?)?(万元|元)\)?")


def _header_unit(column: ColumnSpec, located: LocatedTable, pieces: list[Piece]) -> str | None:
    """The unit printed with the column's header label, e.g. 采购总金额（单位:万元）."""
    key = canon(column.label).split("(")[0]
    text = "".join(p.canon for p in pieces[located.start:located.end] if p.is_label)
    at = text.find(key)
    while at >= 0:
        match = _UNIT_IN_HEADER.match(text, at + len(key))
        if match:
            return match.group(1)
        at = text.find(key, at + 1)
    return None


def _prose_unit(raw: str, doc_text: str) -> str | None:
    """The prose sometimes settles it: "成交金额为24433934元" for a cell printing 24433934."""
    number = canon(raw)
    for unit in ("万元", "元"):
        if re.search(rf"(?<![\d.]){re.escape(number)}{unit}", doc_text):
            return unit
    return None
