"""Text for pages: escaping that makes report prose inert, numbers as printed, checks in plain Chinese."""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal

from nianbao.model.ids import undated_cell
from nianbao.model.words import CELL_STATUS_WORDS, LEVEL_WORDS, OUTCOME_WORDS, PACKAGE_STATUS_WORDS, CellStatus, Outcome
from nianbao.model.values import number_text
from nianbao.templates import Identity, short_names, variants

LEVELS = LEVEL_WORDS
STATUS_NAMES = PACKAGE_STATUS_WORDS
CELL_STATUS = CELL_STATUS_WORDS

# Report text reaches three interpreters: Markdown, HTML and the theme's Jinja templates. Every character
# any of them treats as syntax becomes an HTML character reference, which all three pass through as text.
_INERT = {ord(c): f"&#{ord(c)};" for c in "&<>\"'`*_[]()!#|{}%\\~=:"}


# A PDF breaks lines where the page ends, not where sentences do. A line starts a new paragraph when the one
# before it ends a sentence or is a numbered heading, or when it opens a numbered item; otherwise it continues
# the line before.
_PARAGRAPH_END = tuple("。！？；：…")
_ITEM_START = re.compile(r"\s*(?:[（(][一二三四五六七八九十百\d]+[)）]|[一二三四五六七八九十]+、|\d+[、.．]\D|第[一二三四五六七八九十]+[条章节部分])")


def paragraphs(text: str) -> list[str]:
    """Report prose as paragraphs: its lines rejoined where a line break cut a sentence (Chinese joins with no
    space; two Latin letters or digits across the break keep one). A blank line always ends a paragraph."""
    out: list[str] = []
    open_paragraph = False
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            open_paragraph = False
            continue
        if open_paragraph and not out[-1].endswith(_PARAGRAPH_END) and not _ITEM_START.match(line):
            glue = " " if out[-1][-1].isascii() and out[-1][-1].isalnum() and line[0].isascii() and line[0].isalnum() else ""
            out[-1] += glue + line
        else:
            out.append(line)
        open_paragraph = not _is_heading(out[-1])
    return out


def _is_heading(paragraph: str) -> bool:
    """A short numbered line without a comma or full stop (一、总体情况; （二）依申请公开) stands alone."""
    return bool(_ITEM_START.match(paragraph)) and len(paragraph) <= 25 and not any(c in paragraph for c in "，。,")


def scroll_box(table_html: str) -> str:
    """A wide table in a box of its own that scrolls sideways on a phone (never the page). Focusable, so a
    keyboard can scroll it too (WCAG 2.1.1); rows of figures are left out of the search index."""
    return f'<div class="nb-scroll" tabindex="0" data-pagefind-ignore>{table_html}</div>'


def inert(text: object) -> str:
    """Text from a report (or any input) as inert HTML: no tag, link, emphasis or template marker survives."""
    return str(text if text is not None else "").translate(_INERT)


def attr(text: object) -> str:
    return html.escape(str(text if text is not None else ""), quote=True).replace("{", "&#123;").replace("}", "&#125;")


def json_script(data) -> str:
    """JSON for a <script type="application/ld+json"> block: '<' escaped so no string can close the script."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("{{", "{\\u007b")


def number(value) -> str:
    """A value as the CSVs print it; a computed float (a share) through its decimal text, so 25.0 prints 25."""
    return number_text(Decimal(str(value)) if isinstance(value, float) else value)


def grouped(value) -> str:
    """Large counts with thin grouping for prose (d3's zh-CN locale does not group by 万, so we pre-format)."""
    if isinstance(value, int) and abs(value) >= 10000:
        return f"{value:,}"
    return number(value)


def percent(part, whole) -> str:
    if not whole:
        return "—"
    return f"{100 * part / whole:.1f}%"


# --- checks in plain Chinese ------------------------------------------------------------------------------

def table_name(cell_id: str) -> str:
    """How prose names the table a cell is in (表二, 表三, 表四: template data)."""
    return short_names().get(cell_id.split(".")[0], "")


def _identities() -> dict[tuple[str, str], Identity]:
    return {(i.id, i.scope): i for spec in variants().values() for i in spec.identities}


class CheckWords:
    """Turns a published check (a checks.csv row) into a sentence naming table, row and column."""

    def __init__(self, dictionary: list[dict[str, str]]):
        self.cells = {row["cell_id"]: row for row in dictionary}
        self.identities = _identities()

    def row_of(self, cell_id: str) -> str:
        info = self.cells.get(cell_id)
        if not info:
            return cell_id.split(".")[1]
        return info["group_label"] if info["row"] == "values" else info["row_label"]

    def column_of(self, cell_id: str) -> str:
        info = self.cells.get(cell_id)
        return info["column_label"] if info else cell_id.rsplit(".", 1)[-1]

    def place(self, cell: str) -> str:
        year, cell_id = undated_cell(cell)
        where = f"{table_name(cell_id)}“{self.row_of(cell_id)}”行“{self.column_of(cell_id)}”列"
        return f"{year} 年{where}" if year else where

    def rule(self, check: dict[str, str]) -> str:
        identity = self.identities.get((check["check_id"], check["scope"]))
        if identity is not None:
            return self._identity_rule(identity)
        return SOFT_RULES.get(check["check_id"], "") + self._across_years(check["cells"].split())

    def _across_years(self, cells: list[str]) -> str:
        """（2023→2024 年，表三“自然人”列）: the years and the one column or row a cross-year check compares
        (its cells are dated); empty for a check within one report."""
        dated = [undated_cell(c) for c in cells]
        years = sorted({year for year, _ in dated if year})
        if not years:
            return ""
        ids = [cell_id for _, cell_id in dated]
        columns, rows = {self.column_of(c) for c in ids}, {self.row_of(c) for c in ids}
        line = (f"“{columns.pop()}”列" if len(columns) == 1 else f"“{rows.pop()}”行" if len(rows) == 1 else "")
        where = f"，{table_name(ids[0])}{line}" if line else ""
        return f"（{'→'.join(map(str, years))} 年{where}）"

    def _identity_rule(self, identity: Identity) -> str:
        ids = identity.left + identity.right
        table = table_name(ids[0])
        rows = {self.row_of(c) for c in ids}
        if len(rows) == 1:
            name = self.column_of
            where = f"“{rows.pop()}”行"
        else:
            name = self.row_of
            columns = {self.column_of(c) for c in ids}
            where = f"“{columns.pop()}”列" if len(columns) == 1 else ""
        return f"{table}{where}：{_terms(map(name, identity.left))} 应等于 {_terms(map(name, identity.right))}"


    def outcome(self, check: dict[str, str], statuses: dict[str, str]) -> str:
        unknown = [c for c in check["cells"].split() if not CellStatus(statuses.get(c, "missing")).known]
        outcome = Outcome.published(check["ok"], bool(unknown))
        if outcome in (Outcome.HELD, Outcome.FAILED):
            return f"{OUTCOME_WORDS[outcome]}：{check['detail']}"
        if outcome is Outcome.SKIPPED:
            return OUTCOME_WORDS[outcome]
        what = "、".join(f"{self.place(c)}{CELL_STATUS[statuses.get(c, 'missing')]}" for c in unknown[:4])
        more = f"等 {len(unknown)} 格" if len(unknown) > 4 else ""
        return f"{OUTCOME_WORDS[outcome]}：{what}{more}"


def _terms(labels) -> str:
    """“A”＋“B”, or “A”＋…＋“Z”（共 N 项） for long sums (the arithmetic beside it lists every number)."""
    labels = [f"“{label}”" for label in labels]
    if len(labels) > 3:
        return f"{labels[0]}＋…＋{labels[-1]}（共 {len(labels)} 项）"
    return "＋".join(labels)


SOFT_RULES = {
    "S1": "表二（2019 模板）：“本年新公开数量”不应超过“本年新制作数量”",
    "S2": "表二（2019 模板）：“上年项目数量”加“本年增/减”不应为负",
    "S3": "县级及以下机关一般无权制定规章，却报告了规章数",
    "S4": "“总体情况”文字中的申请数与表三“本年新收”总计不一致",
    "X1": "跨年核对：本年表三“上年结转”应等于上年报告的“结转下年度继续办理”",
    "X2": "跨年核对（2021 模板）：“现行有效件数”应等于上年现行有效件数＋本年制发件数－本年废止件数",
}
