"""Text styles of reports whose text came out of a PDF: labels and numbers separated by spaces, empty cells gone,
header labels broken over lines, long labels wrapped around their numbers, and seed 000's interleaved order."""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from nianbao.synth.grids import REQUEST_NOTE, Cell, Grid, grids, options_for
from nianbao.synth.prose import assemble
from nianbao.synth.truth import Number, Truth

# --- whitespace styles (text extracted from PDFs) --------------------------------------------------------

def _split_groups(row: list[Cell]) -> tuple[list[Cell], list[Cell]]:
    groups = [c for c in row if c.kind == "group"]
    return groups, [c for c in row if c.kind != "group"]


def whitespace_lines(grid: Grid, *, share_group_line: bool = False, values_own_line: bool = False) -> list[str]:
    """PDF-text rows: a row's label and its numbers on one line, separated by spaces; empty cells vanish."""
    lines: list[str] = []
    for row in grid.rows:
        groups, rest = _split_groups(row)
        texts = [c.text for c in rest if c.text]
        labels = [c.text for c in rest if c.kind != "value" and c.text]
        values = [c.text for c in rest if c.kind == "value" and c.text]
        if share_group_line:
            lead = [g.text for g in groups]
        else:
            lines.extend(g.text for g in groups)
            lead = []
        if values_own_line and rest and rest[-1].kind == "value":
            if lead or labels:
                lines.append(" ".join(lead + labels))
            if values:
                lines.append(" ".join(values))
            continue
        line = " ".join(lead + texts)
        if line:
            lines.append(line)
    return lines


def whitespace_rows(truth: Truth) -> str:
    """'规章 0 0 0': labels and numbers space-separated, one row per line, group labels on lines of their own."""
    opts = options_for(truth, "whitespace_rows")
    tables = {g.table: "\n".join(whitespace_lines(g)) for g in grids(truth, opts)}
    return assemble(truth, tables)


def group_label_shares_line(truth: Truth) -> str:
    """'三、本年度办理结果 （一）予以公开 3 0 0 0 0 0 3', '（三）不予公开 1.属于国家秘密 0 …'."""
    opts = options_for(truth, "group_label_shares_line")
    tables = {g.table: "\n".join(whitespace_lines(g, share_group_line=True)) for g in grids(truth, opts)}
    return assemble(truth, tables)


def label_line_then_values(truth: Truth) -> str:
    """A label line, then one line holding all its values."""
    opts = options_for(truth, "label_line_then_values")
    tables = {g.table: "\n".join(whitespace_lines(g, values_own_line=True)) for g in grids(truth, opts)}
    return assemble(truth, tables)


# Header labels as PDF text breaks them inside narrow cells.
BROKEN_HEADERS = {
    "本年新制作数量": "本年新\n\n制作数量",
    "本年新公开数量": "本年新\n\n公开数量",
    "对外公开总数量": "对外公开\n总数量",
    "上一年项目数量": "上一年项\n目数量",
    "本年增/减": "本年\n增/减",
    "处理决定数量": "处理决定\n数量",
    "本年制发件数": "本年制\n发件数",
    "本年废止件数": "本年废\n止件数",
    "现行有效件数": "现行有\n效件数",
    "本年处理决定数量": "本年处理决\n定数量",
    "本年收费金额（单位：万元）": "本年收费金额\n（单位：万元）",
    "采购总金额（单位:万元）": "采购总金额（单位:\n万元）",
    "采购项目数量": "采购项目\n数量",
    REQUEST_NOTE: "（本列数据的勾稽关系为：第一\n\n项加第二项之和，等于第三项加\n\n第四项之和）",
    "自然人": "自\n然\n人",
    "法人或其他组织": "法人或其他组织",
    "商业企业": "商业\n\n企业",
    "科研机构": "科研\n\n机构",
    "社会公益组织": "社会\n\n公益\n\n组织",
    "法律服务机构": "法律服\n务机构",
    "结果维持": "结\n\n果\n\n维\n\n持",
    "结果纠正": "结\n\n果\n\n纠\n\n正",
    "其他结果": "其\n\n他\n\n结\n\n果",
    "尚未审结": "尚\n\n未\n\n审\n\n结",
    "总计": "总\n\n计",
}
GROUP_BROKEN = {
    "三、本年度办理结果": "三、\n\n本\n\n年\n\n度\n\n办\n\n理\n\n结\n\n果",
    "（三）不予公开": "（三）\n\n不予\n\n公开",
    "（四）无法提供": "（四）\n\n无法\n\n提供",
    "（五）不予处理": "（五）\n\n不予\n\n处理",
    "（六）其他处理": "（六）\n\n其他\n\n处理",
}
WRAP = 8


def _wrap(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)]


# Header text a PDF's text layer lost after a line break (field notes): 本年新, 本年增/, 现行有效件.
LOST_HEADERS = {**BROKEN_HEADERS, "本年新制作数量": "本年新", "本年新公开数量": "本年新", "本年增/减": "本年增/",
                "现行有效件数": "现行有效件"}


def broken_lines(grid: Grid, rng: random.Random, *, group_interleave: bool = True,
                 headers: dict[str, str] = BROKEN_HEADERS) -> list[str]:
    """Like `whitespace_lines`, with header labels broken over lines and long row labels wrapped around their
    numbers (seeds 000, 001): '5.属于三类内部 0 0 0 0 0 0 0' then '事务信息'; or the wrapped label first and the
    numbers on a line after it; a group label one fragment per line."""
    lines: list[str] = []
    for row in grid.rows:
        groups, rest = _split_groups(row)
        if rest and rest[0].kind in ("header", "section"):
            if grid.table == "disclosure" or rest[0].kind == "section":
                # Header rows of table 二: cells one after the other, broken ones over several lines.
                lines.append("\n".join(headers.get(c.text, c.text) for c in rest))
            else:
                lines.append("\n\n".join(headers.get(c.text, c.text) for c in rest))
            continue
        labels = [c.text for c in rest if c.kind == "label"]
        values = [c.text for c in rest if c.kind == "value" and c.text]
        numbers = " ".join(values)
        group_text = [GROUP_BROKEN.get(g.text, g.text) for g in groups]
        label = labels[0] if labels else ""
        width = WRAP if grid.table == "requests" and len(label) > WRAP + 2 else 0
        if grid.table == "requests" and label.startswith(("一、", "二、", "四、")):
            width = 14
        if not width or len(label) <= width:
            lines.extend(group_text)
            lines.append(" ".join(t for t in (label, numbers) if t))
            continue
        parts = _wrap(label, width)
        how = rng.choice(["after-first", "after-all", "after-all"])
        if not numbers:
            how = "after-all"
        if how == "after-first":
            # "（四） 1.本机关不掌握相关 0 0 0 0 0 0 0" / "无法提" / "供" / "政府信息" (seed 001)
            if group_text and group_interleave:
                g = groups[0].text
                head = g[:3] if g.startswith("（") else ""
                tail = GROUP_BROKEN.get(g, g).split("\n\n")[1:] if head else [GROUP_BROKEN.get(g, g)]
                lines.append(" ".join(t for t in (head, parts[0], numbers) if t))
                lines.append("\n\n".join(tail + parts[1:]))
            else:
                lines.extend(group_text)
                lines.append(f"{parts[0]} {numbers}")
                lines.append("\n\n".join(parts[1:]))
        else:
            lines.extend(group_text)
            lines.append("\n\n".join(parts))
            if numbers:
                lines.append(numbers)
    return lines


def _thousands(rng: random.Random) -> Callable[[str, Number, str], str]:
    """PDF text keeps the thousands separators Word printed (seed 001: '行政许可 55 0 1,325')."""
    def decorate(cid: str, value: Number, text: str) -> str:
        return f"{value:,}" if isinstance(value, int) and value >= 1000 and rng.random() < 0.5 else text
    return decorate


def headers_broken(truth: Truth) -> str:
    """PDF text: header labels broken over lines ('本年新\\n制作数量', '自\\n然\\n人'), long row labels wrapped,
    sometimes onto the line after their numbers; blank lines between text lines; some thousands separators."""
    opts = options_for(truth, "headers_broken")
    opts.decorate = _thousands(random.Random(f"thousands-{truth.seed}"))
    rng = random.Random(f"broken-{truth.seed}")
    tables = {g.table: "\n\n".join(broken_lines(g, rng)) for g in grids(truth, opts)}
    return assemble(truth, tables, sep="\n\n", prose_lines=pdf_prose, title=pdf_title(truth))


def pdf_prose(paragraph: str, width: int = 36) -> list[str]:
    """Prose as a PDF's text layer gives it: fixed-width lines, spaces around numbers."""
    spaced = re.sub(r"(?<=[^\d\s.])(\d+)(?=[^\d.])", r" \1 ", paragraph)
    return _wrap(spaced, width)


def pdf_title(truth: Truth) -> list[str]:
    return [f"{truth.year} 年政府信息公开工作年度报告", truth.agency_name]


def pdf_order(truth: Truth) -> str:
    """Seed 000's text order: table 三's heading and header printed before the last rows of table 二 (the page
    columns interleave), and table 四's numbers printed after section 六; some header text of table 二 lost
    after its line break (本年新, 本年增/, 现行有效件)."""
    opts = options_for(truth, "pdf_order")
    opts.decorate = _thousands(random.Random(f"thousands-{truth.seed}"))
    rng = random.Random(f"pdf-order-{truth.seed}")
    disclosure, requests, appeals = grids(truth, opts)
    dis_lines = broken_lines(disclosure, rng, headers=LOST_HEADERS)
    req_lines = broken_lines(requests, rng)
    # Table 二 up to the header of its （六） item, then 三's heading and header, then the rest of 二.
    cut = next(i for i, line in enumerate(dis_lines) if line.startswith("第二十条第（六）项")) + 2
    header_rows = 3
    req_header = req_lines[:header_rows]
    tail_fragment = "组织 机构"
    head_text = "\n\n".join(req_header).replace("社会\n\n公益\n\n组织", "社会\n\n公益").replace("法律服\n务机构", "法律\n\n服务")
    tables = {
        "disclosure": "\n\n".join(dis_lines[:cut]),
        "requests": "\n\n".join([head_text] + dis_lines[cut:] + [tail_fragment] + req_lines[header_rows:]),
    }
    app_lines = broken_lines(appeals, rng)
    tables["appeals"] = "\n\n".join(app_lines[:-1])
    numbers = app_lines[-1] if appeals.rows[-1] and any(c.text for c in appeals.rows[-1]) else ""
    # 三's heading and header land inside table 二's text: assemble() prints the heading before them.
    return assemble(truth, tables, sep="\n\n", prose_lines=pdf_prose, title=pdf_title(truth), after_other=numbers)
