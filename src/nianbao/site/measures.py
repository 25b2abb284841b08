"""The headline figures the site charts and compares, each a sum of published cells.

Data, not code: a measure names a table, the rows it sums (a name ending in `_` takes every row starting with
it: `withheld_` is the eight 不予公开 rows) and a column. Both templates' rows are listed; a row a template lacks
is simply absent. A blank cell counts as 0 and a missing or unreadable one makes the measure unknown (None),
shown as "—", never as a smaller number: the rule of the identity checks, `nianbao.model.sums.counted`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from nianbao.model.sums import counted


@dataclass(frozen=True)
class Measure:
    chart: str          # which chart it belongs to
    label: str
    table: str
    rows: tuple[str, ...]
    column: str


MEASURES = (
    Measure("requests", "本年新收申请", "requests", ("new",), "total"),
    Measure("requests", "上年结转申请", "requests", ("carried_over",), "total"),
    Measure("outcomes", "予以公开", "requests", ("granted",), "total"),
    Measure("outcomes", "部分公开", "requests", ("partly_granted",), "total"),
    Measure("outcomes", "不予公开", "requests", ("withheld_",), "total"),
    Measure("outcomes", "无法提供", "requests", ("unavailable_",), "total"),
    Measure("outcomes", "不予处理", "requests", ("declined_",), "total"),
    Measure("outcomes", "其他处理", "requests", ("other", "other_"), "total"),
    Measure("appeals", "行政复议", "appeals", ("review",), "total"),
    Measure("appeals", "行政诉讼（未经复议）", "appeals", ("litigation_direct",), "total"),
    Measure("appeals", "行政诉讼（复议后）", "appeals", ("litigation_after_review",), "total"),
    Measure("decisions", "行政许可", "disclosure", ("licensing",), "decisions"),
    Measure("decisions", "行政处罚", "disclosure", ("penalty",), "decisions"),
    Measure("decisions", "行政强制", "disclosure", ("coercion",), "decisions"),
)
CHART_TITLES = {"requests": "收到的申请", "outcomes": "申请办理结果", "appeals": "行政复议和行政诉讼",
                "decisions": "行政许可、处罚、强制决定"}
OUTCOMES = [m.label for m in MEASURES if m.chart == "outcomes"]


def _takes(measure: Measure, cell_id: str) -> bool:
    parts = cell_id.split(".")
    if parts[0] != measure.table or parts[-1] != measure.column or len(parts) != 3:
        return False
    row = parts[1]
    return any(row.startswith(r) if r.endswith("_") else row == r for r in measure.rows)


def value_of(measure: Measure, cells: dict[str, dict]) -> int | float | Decimal | None:
    """The measure's value in one report (cells as report.json gives them), or None when it cannot be known."""
    numbers = [counted(c["status"], c["value"]) for cid, c in cells.items() if _takes(measure, cid)]
    if not numbers or None in numbers:
        return None
    return sum(n for n in numbers if n is not None)


def figures(cells: dict[str, dict]) -> list[tuple[Measure, object]]:
    return [(m, value_of(m, cells)) for m in MEASURES]
