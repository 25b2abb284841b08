"""The table as printed, built once per table version from its TableSpec; the CSV, XLSX and HTML writers render it.

Two views of one table:
- `columns` and `rows`: the flat grid — one column per printed value column (a field, named by the cell id's
  column part: `made`, `total`, `review_upheld`), one row per printed row, each row's cell id per field. The CSV
  and the XLSX are written from it.
- `blocks`: the header as printed, with its spans, and body rows of label cells and cell ids. 表二 prints one
  block per article of the regulation (each with its own columns); 表三 a caption and column groups over its
  applicant columns, with row-group labels spanning their rows; 表四 column groups over one row of numbers.
  The HTML page is written from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from itertools import groupby

from nianbao.templates import TABLE_ORDER, ColumnSpec, GroupSpec, RowSpec, TableSpec, variants

# The label of the column of row labels in a block's header (表二), as the notice prints it.
ROW_LABEL_HEADING = "信息内容"


class Labels(Enum):
    """What a printed label cell labels."""

    COLUMNS = "columns"          # a column heading (or a caption over several)
    ROW = "row"                  # the label of one body row
    ROW_GROUP = "row-group"      # a group label beside the rows it spans (表三's （三）不予公开)


@dataclass(frozen=True)
class HeaderCell:
    """One printed label cell and the rows and columns it spans."""

    label: str
    colspan: int = 1
    rowspan: int = 1
    labels: Labels = Labels.COLUMNS


@dataclass(frozen=True)
class PrintedColumn:
    """One value column of the flat grid (a CSV field, an XLSX column)."""

    name: str                    # ASCII field name: the cell id's column part, group first (`review_upheld`)
    column: ColumnSpec
    group: GroupSpec | None      # the column group printed above it (表四), if any

    @property
    def title(self) -> str:
        return self.column.label if self.group is None else f"{self.group.label} {self.column.label}"

    @property
    def en(self) -> str:
        return self.column.en if self.group is None else f"{self.group.en}: {self.column.en}"

    @property
    def unit(self) -> str:
        return self.column.unit

    @property
    def money(self) -> bool:
        return self.column.money

    @property
    def signed(self) -> bool:
        return self.column.signed


@dataclass(frozen=True)
class PrintedRow:
    """One printed row of the flat grid: its cell id under each field it has."""

    row: RowSpec
    group: GroupSpec | None      # the row group printed beside it (表三's 三、本年度办理结果 …), if any
    cells: dict[str, str]        # field name → cell id (a row has only some of the table's fields)


@dataclass(frozen=True)
class BodyRow:
    """One printed body row of a block: its label cells (some spanning rows), then its cell ids in printed order."""

    labels: tuple[HeaderCell, ...]
    cell_ids: tuple[str, ...]


@dataclass(frozen=True)
class PrintedBlock:
    """One printed table: header rows of label cells with their spans, then the body rows."""

    header: tuple[tuple[HeaderCell, ...], ...]
    rows: tuple[BodyRow, ...]


@dataclass(frozen=True)
class PrintedTable:
    spec: TableSpec
    columns: tuple[PrintedColumn, ...]
    rows: tuple[PrintedRow, ...]
    blocks: tuple[PrintedBlock, ...]

    @property
    def table(self) -> str:
        return self.spec.table

    @property
    def title(self) -> str:
        """二、主动公开政府信息情况"""
        return self.spec.numbered_title

    @property
    def has_row_groups(self) -> bool:
        return any(row.row.group for row in self.rows)

    @property
    def has_column_groups(self) -> bool:
        return any(col.group is not None for col in self.columns)


def field_name(spec: TableSpec, row_id: str, cell_id: str) -> str:
    """The field a cell fills: its id without the table and the row (`requests.new.total` → `total`),
    the rest joined by `_` (`appeals.review.upheld` → `review_upheld`)."""
    rest = cell_id[len(spec.table) + 1:]
    if rest.startswith(row_id + "."):
        rest = rest[len(row_id) + 1:]
    return rest.replace(".", "_")


@lru_cache(maxsize=None)
def printed_table(variant: str) -> PrintedTable:
    """The table version `variant` as printed (built once; shared: do not modify)."""
    spec = variants()[variant]
    columns = _columns(spec)
    rows = tuple(PrintedRow(row, spec.groups.get(row.group) if row.group else None,
                            {field_name(spec, row.id, cid): cid for cid in row.cell_ids}) for row in spec.rows)
    return PrintedTable(spec, columns, rows, _blocks(spec, columns))


def printed_tables(tables: dict[str, str]) -> list[PrintedTable]:
    """The tables a record holds (its `tables`: table → version), in printed order."""
    return [printed_table(tables[table]) for table in TABLE_ORDER if table in tables]


def _columns(spec: TableSpec) -> tuple[PrintedColumn, ...]:
    seen: dict[str, PrintedColumn] = {}
    for row in spec.rows:
        for cid, col in zip(row.cell_ids, row.columns):
            name = field_name(spec, row.id, cid)
            if name not in seen:
                group = name.rsplit("_" + col.id, 1)[0] if name != col.id else None
                seen[name] = PrintedColumn(name, col, spec.groups.get(group) if group else None)
    if any(col.group is not None for col in seen.values()):
        return tuple(seen.values())          # grouped columns keep their printed order
    order = {c: i for i, c in enumerate(spec.columns)}
    return tuple(sorted(seen.values(), key=lambda c: order.get(c.column.id, len(order))))


# --- the header as printed ---------------------------------------------------------------------------------


def _blocks(spec: TableSpec, columns: tuple[PrintedColumn, ...]) -> tuple[PrintedBlock, ...]:
    if any(row.section for row in spec.rows):
        return _section_blocks(spec)
    if any(col.group is not None for col in columns):
        return (_grouped_columns_block(spec),)
    return (_row_groups_block(spec),)


def _section_blocks(spec: TableSpec) -> tuple[PrintedBlock, ...]:
    """表二: one block per article of the regulation, each with its own columns."""
    out = []
    for section, in_section in groupby(spec.rows, key=lambda r: r.section):
        rows = list(in_section)
        columns = rows[0].columns
        header = ((HeaderCell(section or "", colspan=len(columns) + 1),),
                  (HeaderCell(ROW_LABEL_HEADING), *(HeaderCell(c.label) for c in columns)))
        body = tuple(BodyRow((HeaderCell(row.label, labels=Labels.ROW),), row.cell_ids) for row in rows)
        out.append(PrintedBlock(header, body))
    return tuple(out)


def _grouped_columns_block(spec: TableSpec) -> PrintedBlock:
    """表四: one row of numbers under a header of column groups (行政复议, 行政诉讼 · 未经复议直接起诉 …)."""
    row = spec.rows[0]
    groups = [(spec.groups[field_name(spec, row.id, cid).rsplit("_" + col.id, 1)[0]], cid)
              for cid, col in zip(row.cell_ids, row.columns)]
    spans = [(group, len(list(cells))) for group, cells in groupby(groups, key=lambda g: g[0])]
    header = (tuple(HeaderCell(_one_line(group), colspan=span) for group, span in spans),
              tuple(HeaderCell(c.label) for c in row.columns))
    return PrintedBlock(header, (BodyRow((), row.cell_ids),))


def _one_line(group: GroupSpec) -> str:
    """A group's label with the label printed above it, for a header drawn in one row: 行政诉讼 · 复议后起诉."""
    return group.label if group.over is None else f"{group.over} · {group.label}"


def _row_groups_block(spec: TableSpec) -> PrintedBlock:
    """表三: two label columns (a group label spanning its rows), then the applicant columns under a caption and
    column groups (法人或其他组织 over five)."""
    columns = spec.rows[0].columns
    grouped = {cid: label for label, ids in spec.column_groups for cid in ids}
    header: list[tuple[HeaderCell, ...]] = []
    if spec.header_caption:
        header.append((HeaderCell("", colspan=2, rowspan=3), HeaderCell(spec.header_caption, colspan=len(columns))))
    second: list[HeaderCell] = []
    third: list[HeaderCell] = []
    done: set[str] = set()
    for col in columns:
        label = grouped.get(col.id)
        if label is None:
            second.append(HeaderCell(col.label, rowspan=2))
            continue
        if label not in done:
            second.append(HeaderCell(label, colspan=sum(1 for c in columns if grouped.get(c.id) == label)))
            done.add(label)
        third.append(HeaderCell(col.label))
    header += [tuple(second), tuple(third)]
    body = []
    for group, in_group in groupby(spec.rows, key=lambda r: r.group):
        rows = list(in_group)
        for i, row in enumerate(rows):
            body.append(BodyRow(_row_labels(spec, group, row, first=i == 0, count=len(rows)), row.cell_ids))
    return PrintedBlock(tuple(header), tuple(body))


def _row_labels(spec: TableSpec, group: str | None, row: RowSpec, first: bool, count: int) -> tuple[HeaderCell, ...]:
    if group is None:
        return (HeaderCell(row.label, colspan=2, labels=Labels.ROW),)
    own = HeaderCell(row.label, labels=Labels.ROW)
    return (HeaderCell(spec.groups[group].label, rowspan=count, labels=Labels.ROW_GROUP), own) if first else (own,)
