"""The one rule for what a cell counts for in the report's own sums: its number, 0 for a printed blank, unknown
when missing or unreadable (data dictionary).

Below every stage so that both the identity evaluator (`nianbao.checks.evaluate`, on records) and the site's
measures (on cells read back from report.json as dicts, hence a status and a value) count the same way.
"""

from __future__ import annotations

from decimal import Decimal

from nianbao.model.words import CellStatus

Counted = int | Decimal | float      # float: money as report.json gives it


def counted(status: str, value: Counted | None) -> Counted | None:
    """What a cell counts for in a sum: its number, 0 for a printed blank, None when it cannot be known."""
    if not CellStatus(status).known:
        return None
    return value if status == CellStatus.VALUE and value is not None else 0
