"""The three tables laid out as printed: one row per printed row, one field per printed column.

Field names are ASCII (the cell id's column part: `made`, `total`, `review_upheld`); the Chinese printed
labels go into the schema's `title` and into the XLSX header, where people read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from nianbao.model.record import CellValue, Record
from nianbao.templates import TABLE_ORDER, ColumnSpec, TableSpec, variants

NUMERAL = {"disclosure": "二", "requests": "三", "appeals": "四"}


@dataclass(frozen=True)
class Field:
    name: str
    title: str
    en: str
    unit: str
    money: bool
    signed: bool
    column: ColumnSpec


def spec_for(record: Record, table: str) -> TableSpec | None:
    """The version of `table` the record was read with: the one whose cell ids fit the record's best."""
    return spec_for_cells(set(record.cells), table)


def spec_for_cells(have: set[str], table: str) -> TableSpec | None:
    best, best_key = None, None
    for spec in variants().values():
        if spec.table != table:
            continue
        ids = set(spec.cell_ids)
        key = (len(ids & have), -len(ids - have), spec.variant)
        if key[0] and (best_key is None or key[:2] > best_key[:2]):
            best, best_key = spec, key
    return best


def specs_for(record: Record) -> dict[str, TableSpec]:
    return {t: s for t in TABLE_ORDER if (s := spec_for(record, t)) is not None}


def field_name(spec: TableSpec, row_id: str, cell_id: str) -> str:
    rest = cell_id[len(spec.table) + 1:]
    if rest.startswith(row_id + "."):
        rest = rest[len(row_id) + 1:]
    return rest.replace(".", "_")


def fields(spec: TableSpec) -> list[Field]:
    seen: dict[str, Field] = {}
    for row in spec.rows:
        for cid, col in zip(row.cell_ids, row.columns):
            name = field_name(spec, row.id, cid)
            if name in seen:
                continue
            group = name.rsplit("_" + col.id, 1)[0] if name != col.id else None
            title = col.label if group is None or group not in spec.groups else f"{spec.groups[group].label} {col.label}"
            en = col.en if group is None or group not in spec.groups else f"{spec.groups[group].en}: {col.en}"
            seen[name] = Field(name, title, en, col.unit, col.money, _signed(col), col)
    # Printed column order: the order of the spec's columns (cells of grouped rows keep their own order).
    order = {c: i for i, c in enumerate(spec.columns)}
    if any(f.name != f.column.id for f in seen.values()):
        return list(seen.values())
    return sorted(seen.values(), key=lambda f: order.get(f.column.id, len(order)))


def _signed(col: ColumnSpec) -> bool:
    return "增/减" in col.label or col.id.endswith("change")


def has_groups(spec: TableSpec) -> bool:
    return any(row.group for row in spec.rows)


def printed_rows(spec: TableSpec, cells: dict[str, CellValue]) -> list[dict]:
    """One dict per printed row: row, (group), label, then each field's CellValue or None (not in that row)."""
    out = []
    for row in spec.rows:
        item: dict = {"row": row.id, "label": row.label}
        if has_groups(spec):
            item["group"] = spec.groups[row.group].label if row.group in spec.groups else None
        for cid in row.cell_ids:
            item[field_name(spec, row.id, cid)] = cells.get(cid)
        out.append(item)
    return out


def number_text(value) -> str:
    """A number as CSV text: integers as is, money without exponent (1.5E+2 → 150)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


def cell_number(cell: CellValue | None):
    """What a table shows: the value when one was read, else nothing (blank, missing, unreadable)."""
    if cell is None or cell.status != "value":
        return None
    return cell.value
