"""The printed tables of a `Truth` as grids (cells with row and column spans), laid out as the national template
prints them: group labels spanning rows, merged header cells. Every renderer — text styles, HTML, PDF, DOCX —
prints these grids.

Money: 2019's 采购总金额 prints its unit either in the header ("采购总金额（单位:万元）", cell "340.582") or in the
cell ("3405820元", header without unit), chosen per truth and style (`Options.yuan_in_cell`); 2021's header
always prints 万元.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from nianbao.synth.truth import Number, Truth
from nianbao.templates import TableSpec

# --- the printed tables as grids (cells with spans), shared by every style ------------------------------

REQUEST_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
HEADINGS = {
    "disclosure": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "appeals": "四、政府信息公开行政复议、行政诉讼情况",
}


@dataclass
class Cell:
    text: str
    kind: str                  # section | header | label | group | value
    cid: str | None = None     # value cells: the cell id
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Grid:
    table: str
    width: int
    rows: list[list[Cell]]     # cells starting in each row, left to right (as HTML <tr>s hold them)

    def slots(self) -> list[list[tuple[str, Cell]]]:
        """Every position of every row: ("origin" | "below" | "right" | "below-right", the cell covering it)."""
        height = len(self.rows)
        occupied: list[list[tuple[Cell, int, int] | None]] = [[None] * self.width for _ in range(height)]
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while c < self.width and occupied[r][c] is not None:
                    c += 1
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        if occupied[r + dr][c + dc] is not None:
                            raise ValueError(f"overlapping cells in {self.table} at row {r + dr}")
                        occupied[r + dr][c + dc] = (cell, r, c)
                c += cell.colspan
        out = []
        for r in range(height):
            line = []
            for c in range(self.width):
                slot = occupied[r][c]
                if slot is None:
                    raise ValueError(f"hole in {self.table} at row {r}, column {c}")
                cell, r0, c0 = slot
                kind = "origin" if (r, c) == (r0, c0) else "right" if r == r0 else "below" if c == c0 else "below-right"
                line.append((kind, cell))
            out.append(line)
        return out


@dataclass
class Options:
    """How numbers are written; one set per (truth, style)."""
    yuan_in_cell: bool = False               # 2019 采购总金额: "3405820元" in the cell, no unit in the header
    decorate: Callable[[str, Number, str], str] | None = None   # (cell id, value, plain text) → printed text
    rng: random.Random = field(default_factory=random.Random)


def options_for(truth: Truth, style: str) -> Options:
    rng = random.Random(f"{style}-{truth.template}-{truth.seed}")
    return Options(yuan_in_cell=rng.random() < 0.5, rng=rng)


def plain_number(cid: str, value: Number | None, opts: Options) -> str:
    if value is None:
        return ""
    if cid == "disclosure.procurement.amount" and opts.yuan_in_cell:
        text = f"{int(Decimal(value) * 10000)}元"
    elif isinstance(value, Decimal):
        text = decimal_text(value)
    else:
        text = str(value)
    return opts.decorate(cid, value, text) if opts.decorate else text


def decimal_text(value: Decimal) -> str:
    """340.582, never 3.40582E+2."""
    return format(value.normalize(), "f")


def grids(truth: Truth, opts: Options) -> list[Grid]:
    specs = truth.specs()
    return [_disclosure_grid(truth, specs["disclosure"], opts), _requests_grid(truth, specs["requests"], opts),
            _appeals_grid(truth, specs["appeals"], opts)]


def _value(truth: Truth, cid: str, opts: Options, colspan: int = 1) -> Cell:
    return Cell(plain_number(cid, truth.cells[cid], opts), "value", cid, colspan=colspan)


def _disclosure_grid(truth: Truth, spec: TableSpec, opts: Options) -> Grid:
    width = 1 + max(len(row.cell_ids) for row in spec.rows)
    rows: list[list[Cell]] = []
    section = None
    for i, row in enumerate(spec.rows):
        if row.section != section:
            section = row.section
            rows.append([Cell(section or "", "section", colspan=width)])
            header = [Cell("信息内容", "header")]
            for j, column in enumerate(row.columns):
                label = column.label
                if column.money and column.printed_unit is None and not opts.yuan_in_cell:
                    label += "（单位:万元）"
                span = width - len(row.columns) if j == len(row.columns) - 1 else 1
                header.append(Cell(label, "header", colspan=span))
            rows.append(header)
        cells = [Cell(row.label, "label")]
        for j, cid in enumerate(row.cell_ids):
            span = width - len(row.cell_ids) if j == len(row.cell_ids) - 1 else 1
            cells.append(_value(truth, cid, opts, span))
        rows.append(cells)
    return Grid("disclosure", width, rows)


def _requests_grid(truth: Truth, spec: TableSpec, opts: Options) -> Grid:
    columns = list(spec.columns.values())
    rows: list[list[Cell]] = [
        [Cell(REQUEST_NOTE, "header", rowspan=3, colspan=3), Cell("申请人情况", "header", colspan=7)],
        [Cell(columns[0].label, "header", rowspan=2), Cell("法人或其他组织", "header", colspan=5),
         Cell(columns[-1].label, "header", rowspan=2)],
        [Cell(c.label, "header") for c in columns[1:6]],
    ]
    results = [r for r in spec.rows if r.group is not None]
    group_size: dict[str, int] = {}
    for group in (r.group for r in results):
        if group is not None:
            group_size[group] = group_size.get(group, 0) + 1
    seen: set[str] = set()
    for row in spec.rows:
        out: list[Cell] = []
        values = [_value(truth, cid, opts) for cid in row.cell_ids]
        if row.group is None:
            out.append(Cell(row.label, "label", colspan=3))
        elif row.group == "results":
            if "results" not in seen:
                seen.add("results")
                out.append(Cell(spec.groups["results"].label, "group", rowspan=len(results)))
            out.append(Cell(row.label, "label", colspan=2))
        else:
            if "results" not in seen:
                seen.add("results")
                out.append(Cell(spec.groups["results"].label, "group", rowspan=len(results)))
            if row.group not in seen:
                seen.add(row.group)
                out.append(Cell(spec.groups[row.group].label, "group", rowspan=group_size[row.group]))
            out.append(Cell(row.label, "label"))
        rows.append(out + values)
    return Grid("requests", 10, rows)


def _appeals_grid(truth: Truth, spec: TableSpec, opts: Options) -> Grid:
    parts = [spec.columns[c].label for c in ("upheld", "corrected", "other", "pending", "total")]
    groups = spec.groups
    rows = [
        [Cell(groups["review"].label, "header", colspan=5), Cell("行政诉讼", "header", colspan=10)],
        [Cell(p, "header", rowspan=2) for p in parts]
        + [Cell(groups["litigation_direct"].label, "header", colspan=5),
           Cell(groups["litigation_after_review"].label, "header", colspan=5)],
        [Cell(p, "header") for p in parts * 2],
        [_value(truth, cid, opts) for cid in spec.rows[0].cell_ids],
    ]
    return Grid("appeals", 15, rows)
