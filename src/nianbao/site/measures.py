"""The headline figures' values in one report: each measure (template data, `templates/measures.yaml`) summed over
the report's cells. A blank cell counts as 0 and a missing or unreadable one makes the measure unknown (None),
shown as "—", never as a smaller number: the rule of the identity checks, `nianbao.model.sums.counted`.
"""

from __future__ import annotations

from decimal import Decimal

from nianbao.model.sums import counted
from nianbao.templates import Measure, chart_titles, measures

MEASURES = measures()
CHART_TITLES = chart_titles()
OUTCOMES = [m.label for m in MEASURES if m.chart == "outcomes"]


def value_of(measure: Measure, cells: dict[str, dict]) -> int | float | Decimal | None:
    """The measure's value in one report (cells as report.json gives them), or None when it cannot be known."""
    numbers = [counted(c["status"], c["value"]) for cid, c in cells.items() if measure.takes(cid)]
    if not numbers or None in numbers:
        return None
    return sum(n for n in numbers if n is not None)


def figures(cells: dict[str, dict]) -> list[tuple[Measure, object]]:
    return [(m, value_of(m, cells)) for m in MEASURES]
