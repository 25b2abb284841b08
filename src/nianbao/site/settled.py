"""Numbers a person settled (report.json cells with a `settlement`), on the body-year page: a visible mark on
the number in the table — the text 核1, 核2 … linking to its note, never colour alone — and below the tables,
each one's note, who settled it and when, and what the reader had made of the cell."""

from __future__ import annotations

from nianbao.model.words import CELL_STATUS_WORDS, SETTLEMENT_WORDS, settlement_sentence
from nianbao.site.text import attr, grouped, inert
from nianbao.templates.printed import printed_tables

MARK = "核"          # 核定: the mark's text, numbered


def settled_numbers(report: dict) -> dict[str, int]:
    """Cell id → its mark's number (1, 2 …), in the order the tables print the cells."""
    cells = report.get("cells") or {}
    order = [cid for table in printed_tables(report["tables"]) for block in table.blocks for row in block.rows
             for cid in row.cell_ids if (cells.get(cid) or {}).get("settlement")]
    return {cid: n for n, cid in enumerate(dict.fromkeys(order), 1)}


def settled_words(settlement: dict) -> str:
    """人工核定（补录）：note（by，date）— the tooltip and the note's own words."""
    return settlement_sentence(settlement["kind"], settlement["note"], settlement["by"], settlement["date"])


def mark(n: int, settlement: dict) -> str:
    """The mark after a settled number: a footnote link to its note."""
    return (f'<sup class="nb-sm"><a href="#settled-{n}" title="{attr(settled_words(settlement))}">'
            f"{MARK}{n}</a></sup>")


def settled_notes(report: dict, labels: dict[str, str]) -> str:
    """The notes of the settled numbers, under the tables; empty when a person settled none."""
    numbers = settled_numbers(report)
    if not numbers:
        return ""
    items = []
    for cid, n in numbers.items():
        cell = report["cells"][cid]
        s = cell["settlement"]
        was = (f"程序读出 {grouped(s['reader_value'])}" if s["reader_status"] == "value"
               else f"程序读取结果：{CELL_STATUS_WORDS.get(s['reader_status'], s['reader_status'])}")
        printed = f"原文印作“{inert(cell['raw'])}”，" if cell.get("raw") else ""
        items.append(
            f'<li id="settled-{n}"><strong>{MARK}{n}</strong> {inert(labels.get(cid, cid))}（<code>{cid}</code>）：'
            f"<strong>{grouped(cell['value'])}</strong>，{SETTLEMENT_WORDS.get(s['kind'], s['kind'])}。"
            f"{printed}{was}。依据：{inert(s['note'])}（{inert(s['by'])}，{s['date']}）</li>")
    return ('<h3 id="settled">人工核定的数字</h3>'
            '<p>表中带“核”字标记的数字不是程序读出的，而是由人对照原文核定的：程序未能读出（补录）或读错（更正）。'
            "原文照录不改；原表本身的错误不作更正。核定记录见本页下载的 corrections.csv。</p>"
            f'<ol class="nb-settled">{"".join(items)}</ol>')
