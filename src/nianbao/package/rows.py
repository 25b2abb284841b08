"""The rows of the package tables: agencies, the data dictionary, cells, checks and each table as printed."""

from __future__ import annotations

import json
from collections import defaultdict

from nianbao.identify.names import sector_name
from nianbao.model.record import CellValue, Check, Record
from nianbao.model.values import number_text
from nianbao.package.layout import cell_number
from nianbao.package.resolve import BodyYear, Entry, province_of
from nianbao.templates import GroupSpec, RowSpec, TableSpec, cell_index, templates, variants
from nianbao.templates.printed import PrintedTable, field_name, printed_table


def agency_rows(entries: list[Entry]) -> dict[str, list]:
    """Per agency id, its agencies.csv row: the name of its latest report (or a longer form of it), the other
    names it used (short forms, former names), its region and level."""
    names: dict[str, list[tuple[int, str]]] = defaultdict(list)
    latest: dict[str, Entry] = {}
    for e in entries:
        agency_id = e.agency.id
        if e.status in ("rejected", "error") or not agency_id:
            continue
        if e.agency.name:
            names[agency_id].append((e.year or 0, e.agency.name))
        was = latest.get(agency_id)
        if was is None or (e.year or 0, e.status == "published") > (was.year or 0, was.status == "published"):
            latest[agency_id] = e
    out = {}
    for agency_id, e in sorted(latest.items()):
        a = e.agency
        seen = sorted({n for _, n in names[agency_id]})
        name = a.name or agency_id
        longer = [n for n in seen if n != name and n.endswith(name)]
        if longer:
            name = max(longer, key=len)
        short = sorted(n for n in seen if n != name and name.endswith(n))
        former = sorted(n for n in seen if n != name and n not in short)
        out[agency_id] = [agency_id, name, "|".join(short), a.region_code, a.region, province_of(a.region_code),
                          a.level, a.sector, sector_name(a.sector), "|".join(former)]
    return out


def dictionary_rows() -> dict[str, list]:
    """Per cell id, its cell_dictionary.csv row: table, row, column, labels, unit, the templates that have it."""
    index = cell_index()
    in_template: dict[str, set[str]] = defaultdict(set)
    for tid, t in templates().items():
        for v in t.accepts:
            for cid in variants()[v].cell_ids:
                in_template[cid].add(tid)
    out = {}
    for cid in sorted(index):
        spec, row, col = index[cid]
        group = _group_of(spec, row, cid)
        printed_row = row.printed_label or ""
        label = "".join(x for x in (group.label if group and not printed_row else "", printed_row) if x)
        en = f"{row.en if printed_row else (group.en if group else '')} — {col.en}".strip(" —")
        out[cid] = [cid, spec.table, spec.numbered_title, row.id, row.label, row.en,
                    group.label if group else None, col.id, col.label, col.en, f"{label} {col.label}".strip(), en,
                    col.unit, "true" if col.signed else "false", " ".join(sorted(in_template[cid]))]
    return out


def _group_of(spec: TableSpec, row: RowSpec, cell_id: str) -> GroupSpec | None:
    """The group a cell is printed under: its column's (表四's 行政复议 …), else its row's (表三's （三）不予公开 …)."""
    column = next(c for c in printed_table(spec.variant).columns if c.name == field_name(spec, row.id, cell_id))
    if column.name != column.column.id:
        return column.group
    return spec.groups.get(row.group) if row.group else None


# Built once: json.dumps with options builds a new encoder per call, a third of the cost of 200 cells' `where`.
_WHERE_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def cell_rows(key: BodyYear, rec: Record) -> list[list]:
    """cells.csv: one row per cell, tidy (body-year, cell id, table, row, field, value, status, raw, unit, where,
    source)."""
    index = cell_index()
    out = []
    for cid in sorted(rec.cells):
        c = rec.cells[cid]
        table, _, rest = cid.partition(".")
        row_id, _, column = rest.partition(".")
        if cid in index:
            spec, row, col = index[cid]
            row_id, column = row.id, field_name(spec, row.id, cid)
        out.append([*key, cid, table, row_id, column,
                    number_text(c.value) if c.status == "value" else None, c.status, c.raw, c.unit,
                    _WHERE_JSON.encode(w) if (w := c.where.to_json()) else None, c.source])
    return out


def correction_rows(key: BodyYear, e: Entry, rec: Record) -> list[list]:
    """corrections.csv: one row per cell a person settled — what they gave, why, who and when, and what the
    reader had made of the cell."""
    out = []
    for cid in sorted(rec.cells):
        c = rec.cells[cid]
        s = c.settlement
        if s is not None:
            out.append([*key, cid, s.kind, number_text(c.value), s.reader_status,
                        number_text(s.reader_value) if s.reader_status == "value" else None, c.raw, s.note, s.by,
                        s.date, rec.sha256, e.file])
    return out


def check_rows(key: BodyYear, checks: list[Check]) -> list[list]:
    return [[*key, n, c.id, c.scope, "" if c.ok is None else ("true" if c.ok else "false"),
             c.detail, c.severity, " ".join(c.cells)] for n, c in enumerate(checks, 1)]


def printed_rows(table: PrintedTable, rec: Record) -> list[list]:
    """The table's CSV rows: row id, (group), label, then each field's number (empty where the row has none)."""
    out = []
    for row in table.rows:
        group = [row.group.label if row.group else None] if table.has_row_groups else []
        numbers = [number_text(cell_number(cell_of(rec, row.cells.get(col.name)))) for col in table.columns]
        out.append([row.row.id, *group, row.row.label, *numbers])
    return out


def cell_of(rec: Record, cell_id: str | None) -> CellValue | None:
    return rec.cells.get(cell_id) if cell_id is not None else None


