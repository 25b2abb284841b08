"""The three tables laid out as printed, as HTML: every number carries its cell id, status and provenance.

Hand-written HTML rather than a Markdown table: Markdown tables cannot span rows or columns, and the printed
tables do (法人或其他组织 over five columns, 三、本年度办理结果 down several rows).
"""

from __future__ import annotations

from itertools import groupby

from nianbao.model.words import FLAG_WORDS
from nianbao.package.layout import NUMERAL, spec_for_cells
from nianbao.site.text import attr, inert, number
from nianbao.templates import TABLE_ORDER, RowSpec, TableSpec

STATUS_CLASS = {"value": "", "blank": "nb-b", "missing": "nb-m", "unreadable": "nb-u"}
STATUS_TEXT = {"blank": "空白", "missing": "未找到", "unreadable": "无法识别"}


def provenance(cell: dict) -> str:
    """Where a cell was found, in words: page, table row and column, or line."""
    where = cell.get("where") or {}
    parts = []
    if where.get("page"):
        parts.append(f"第{where['page']}页")
    if where.get("row") is not None and where.get("col") is not None:
        table = f"第{where['table'] + 1}个表格" if where.get("table") is not None else "表格"
        parts.append(f"{table}第{where['row'] + 1}行第{where['col'] + 1}列")
    elif where.get("line"):
        parts.append(f"第{where['line']}行")
    text = "原文" + "，".join(parts) if parts else "原文位置未记录"
    if cell.get("raw") not in (None, "") and cell["raw"] != number(cell.get("value")):
        text += f"；印作“{cell['raw']}”"
    if cell.get("unit"):
        text += f"；单位{cell['unit']}"
    for flag in cell.get("flags") or []:
        text += "；" + FLAG_WORDS.get(flag, flag)
    return text


class TableWriter:
    def __init__(self, cells: dict[str, dict], failed: set[str], source_href: str | None, paged: bool):
        self.cells = cells
        self.failed = failed          # cells of failed identities: highlighted
        self.source_href = source_href
        self.paged = paged            # a PDF: links can jump to the page

    def td(self, cell_id: str) -> str:
        """One cell. Values carry no status class (the page has ~200 of them and must stay under 80 kB)."""
        cell = self.cells.get(cell_id) or {"status": "missing"}
        status = cell["status"]
        classes = " ".join(c for c in (STATUS_CLASS[status], "nb-x" if cell_id in self.failed else "",
                                       "nb-f" if cell.get("flags") else "") if c)
        cls = f' class="{classes}"' if classes else ""
        title = attr(provenance(cell)) if status != "missing" else "原文中未找到这一格"
        if status != "value":
            return f'<td{cls} data-cell="{cell_id}" title="{title}">{STATUS_TEXT[status]}</td>'
        shown = inert(number(cell["value"]))
        page = (cell.get("where") or {}).get("page")
        if self.source_href and self.paged and page:
            # A PDF: the number links to its page in the hosted copy (#page= opens it there).
            return (f'<td{cls} data-cell="{cell_id}"><a href="{attr(self.source_href)}#page={page}" '
                    f'title="{title}">{shown}</a></td>')
        return f'<td{cls} data-cell="{cell_id}" title="{title}">{shown}</td>'


def tables_html(report: dict, failed: set[str], source_href: str | None, paged: bool) -> str:
    writer = TableWriter(report["cells"], failed, source_href, paged)
    have = set(report["cells"])
    parts = []
    for table in TABLE_ORDER:
        spec = spec_for_cells(have, table)
        if spec is None:
            continue
        parts.append(f'<h3 id="table-{table}">{NUMERAL[table]}、{inert(spec.title)}</h3>')
        if any(row.section for row in spec.rows):
            parts.extend(_blocks(spec, writer))
        elif any(_column_group(cid) for row in spec.rows for cid in row.cell_ids):
            parts.append(_grouped_columns(spec, writer))
        else:
            parts.append(_with_row_groups(spec, writer))
    return "\n".join(parts)


def _table(table_id: str, head: list[str], body: list[str]) -> str:
    return (f'<div class="nb-scroll" data-pagefind-ignore><table class="nb-t" data-table="{table_id}"><thead>{"".join(head)}</thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def _blocks(spec: TableSpec, writer: TableWriter) -> list[str]:
    """表二: one block per article of the regulation, each with its own columns (as printed)."""
    out = []
    for section, rows in groupby(spec.rows, key=lambda r: r.section):
        rows = list(rows)
        columns = rows[0].columns
        head = [f'<tr><th colspan="{len(columns) + 1}">{inert(section or "")}</th></tr>',
                "<tr><th>信息内容</th>" + "".join(f"<th>{inert(c.label)}</th>" for c in columns) + "</tr>"]
        body = [f'<tr><th scope="row">{inert(row.label)}</th>' + "".join(writer.td(c) for c in row.cell_ids)
                + "</tr>" for row in rows]
        out.append(_table(spec.table, head, body))
    return out


def _column_group(cell_id: str) -> str | None:
    parts = cell_id.split(".")
    return parts[1] if len(parts) == 3 and parts[0] == "appeals" else None


def _grouped_columns(spec: TableSpec, writer: TableWriter) -> str:
    """表四: one row of numbers under a header of column groups (行政复议, 行政诉讼 …)."""
    row = spec.rows[0]
    groups = [(g, list(ids)) for g, ids in groupby(row.cell_ids, key=_column_group)]
    head = ["<tr>" + "".join(f'<th colspan="{len(ids)}">{inert(_group_label(spec, g))}</th>' for g, ids in groups)
            + "</tr>",
            "<tr>" + "".join(f"<th>{inert(c.label)}</th>" for c in row.columns) + "</tr>"]
    body = ["<tr>" + "".join(writer.td(c) for c in row.cell_ids) + "</tr>"]
    return _table(spec.table, head, body)


def _group_label(spec: TableSpec, group: str | None) -> str:
    label = spec.groups[group].label if group in spec.groups else (group or "")
    return label if group == "review" else f"行政诉讼 · {label}"


def _with_row_groups(spec: TableSpec, writer: TableWriter) -> str:
    """表三: label columns (a group label spanning its rows), then the applicant columns."""
    columns = spec.rows[0].columns
    grouped = {cid: label for label, ids in spec.column_groups for cid in ids}
    head = []
    if spec.header_caption:
        head.append(f'<tr><th colspan="2" rowspan="3"></th><th colspan="{len(columns)}">'
                    f"{inert(spec.header_caption)}</th></tr>")
    second, third, done = [], [], set()
    for col in columns:
        label = grouped.get(col.id)
        if label is None:
            second.append(f'<th rowspan="2">{inert(col.label)}</th>')
        else:
            if label not in done:
                span = sum(1 for c in columns if grouped.get(c.id) == label)
                second.append(f'<th colspan="{span}">{inert(label)}</th>')
                done.add(label)
            third.append(f"<th>{inert(col.label)}</th>")
    head += ["<tr>" + "".join(second) + "</tr>", "<tr>" + "".join(third) + "</tr>"]
    body = []
    for group, rows in groupby(spec.rows, key=lambda r: r.group):
        rows = list(rows)
        for i, row in enumerate(rows):
            body.append("<tr>" + _row_label(spec, group, row, i, len(rows))
                        + "".join(writer.td(c) for c in row.cell_ids) + "</tr>")
    return _table(spec.table, head, body)


def _row_label(spec: TableSpec, group: str | None, row: RowSpec, index: int, count: int) -> str:
    if group is None:
        return f'<th colspan="2" scope="row">{inert(row.label)}</th>'
    label = f'<th rowspan="{count}">{inert(spec.groups[group].label)}</th>' if index == 0 else ""
    return label + f'<th scope="row">{inert(row.label)}</th>'


LEGEND = ("<p class=\"nb-legend\">图例：<span class=\"nb-v\">12</span> 读出的数值（鼠标悬停查看原文位置，点击打开原文）"
          "　<span class=\"nb-b\">空白</span> 原表此格空白（不等于 0）"
          "　<span class=\"nb-m\">未找到</span> 原文中没有这一格"
          "　<span class=\"nb-u\">无法识别</span> 原文有字但不是可读的数字"
          "　<span class=\"nb-v nb-x\">12</span> 所在勾稽关系不成立</p>")
