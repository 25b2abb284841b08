"""The three tables laid out as printed, as HTML: every number carries its cell id, status and provenance.

The layout (header rows with their spans, body rows of labels and cell ids) is the templates' `PrintedTable`,
which the packages' CSV and XLSX are written from too. Hand-written HTML rather than a Markdown table: Markdown
tables cannot span rows or columns, and the printed tables do (法人或其他组织 over five columns, 三、本年度办理结果
down several rows).
"""

from __future__ import annotations

from collections.abc import Callable

from nianbao.model.words import CELL_STATUS_WORDS, flag_words
from nianbao.site.settled import mark, settled_numbers, settled_words
from nianbao.site.text import attr, grouped, inert, number, scroll_box
from nianbao.templates.printed import HeaderCell, Labels, PrintedBlock, printed_tables

STATUS_CLASS = {"value": "", "blank": "nb-b", "missing": "nb-m", "unreadable": "nb-u"}
STATUS_TEXT = {status: CELL_STATUS_WORDS[status] for status in ("blank", "missing", "unreadable")}


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
        text += "；" + flag_words(flag)
    return text


class TableWriter:
    def __init__(self, cells: dict[str, dict], failed: set[str], source_href: str | None, paged: bool,
                 settled: dict[str, int] | None = None):
        self.cells = cells
        self.settled = settled or {}  # cells a person settled → the number of their mark (site/settled.py)
        self.failed = failed          # cells of failed identities: highlighted
        self.source_href = source_href
        self.paged = paged            # a PDF: links can jump to the page

    def td(self, cell_id: str) -> str:
        """One cell. Values carry no status class (the page has ~200 of them and must stay under 80 kB)."""
        cell = self.cells.get(cell_id) or {"status": "missing"}
        status = cell["status"]
        settlement = cell.get("settlement")
        classes = " ".join(c for c in (STATUS_CLASS[status], "nb-x" if cell_id in self.failed else "",
                                       "nb-f" if cell.get("flags") and not settlement else "",
                                       "nb-s" if settlement else "") if c)
        cls = f' class="{classes}"' if classes else ""
        title = attr(provenance(cell)) if status != "missing" else "原文中未找到这一格"
        if settlement:
            title += "；" + attr(settled_words(settlement))
        if status != "value":
            return f'<td{cls} data-cell="{cell_id}" title="{title}">{STATUS_TEXT[status]}</td>'
        shown = inert(grouped(cell["value"]))
        marked = mark(self.settled[cell_id], settlement) if settlement and cell_id in self.settled else ""
        page = (cell.get("where") or {}).get("page")
        if self.source_href and self.paged and page:
            # A PDF: the number links to its page in the hosted copy (#page= opens it there).
            return (f'<td{cls} data-cell="{cell_id}"><a href="{attr(self.source_href)}#page={page}" '
                    f'title="{title}">{shown}</a>{marked}</td>')
        return f'<td{cls} data-cell="{cell_id}" title="{title}">{shown}{marked}</td>'


def tables_html(report: dict, failed: set[str], source_href: str | None, paged: bool,
                after: Callable[[str, str], str] | None = None) -> str:
    """The printed tables; `after(table id, title)` gives what follows each (the link to report an error)."""
    writer = TableWriter(report["cells"], failed, source_href, paged, settled_numbers(report))
    parts = []
    for printed in printed_tables(report["tables"]):
        parts.append(f'<h3 id="table-{printed.table}">{inert(printed.title)}</h3>')
        parts.extend(_block(printed.table, block, writer) for block in printed.blocks)
        if after is not None:
            parts.append(after(printed.table, printed.title))
    return "\n".join(parts)


def _block(table_id: str, block: PrintedBlock, writer: TableWriter) -> str:
    """One printed block as an HTML table: its header rows, then each body row's labels and numbers."""
    head = "".join("<tr>" + "".join(_th(cell) for cell in row) + "</tr>" for row in block.header)
    body = "".join("<tr>" + "".join(_th(cell) for cell in row.labels) + "".join(writer.td(c) for c in row.cell_ids)
                   + "</tr>" for row in block.rows)
    return scroll_box(f'<table class="nb-t" data-table="{table_id}"><thead>{head}</thead><tbody>{body}</tbody></table>')


def _th(cell: HeaderCell) -> str:
    """A label cell with its spans; a row group's label always states its rowspan (also of one row), as the
    pages always have."""
    colspan = f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
    rowspan = f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 or cell.labels is Labels.ROW_GROUP else ""
    scope = ' scope="row"' if cell.labels is Labels.ROW else ""
    return f"<th{colspan}{rowspan}{scope}>{inert(cell.label)}</th>"


LEGEND = ("<p class=\"nb-legend\">图例：<span class=\"nb-v\">12</span> 读出的数值（鼠标悬停查看原文位置，点击打开原文）"
          "　<span class=\"nb-b\">空白</span> 原表此格空白（不等于 0）"
          "　<span class=\"nb-m\">未找到</span> 原文中没有这一格"
          "　<span class=\"nb-u\">无法识别</span> 原文有字但不是可读的数字"
          "　<span class=\"nb-v nb-x\">12</span> 所在勾稽关系不成立</p>")
