"""The headline measures the pages name one by one, found by their table and first row id (template ids, never
the Chinese labels the pages print), and the figures CSV every chart of a body reads."""

from __future__ import annotations

from nianbao.site.corpus import BodyYear, Figure
from nianbao.site.measures import MEASURES, Measure


def measure(table: str, row: str) -> Measure:
    """The measure summing `row` (its first row id) of `table`."""
    return next(m for m in MEASURES if m.table == table and m.rows[0] == row)


NEW_REQUESTS = measure("requests", "new")
GRANTED = measure("requests", "granted")
PARTLY_GRANTED = measure("requests", "partly_granted")
DECISIONS = (measure("disclosure", "licensing"), measure("disclosure", "penalty"), measure("disclosure", "coercion"))
REVIEW = measure("appeals", "review")
LITIGATION = (measure("appeals", "litigation_direct"), measure("appeals", "litigation_after_review"))
OUTCOME_MEASURES = tuple(m for m in MEASURES if m.chart == "outcomes")

FIGURE_HEADER = ["agency_id", "year", "chart", "measure", "value"]


def figures_rows(by: BodyYear) -> list[list]:
    """A body-year's figures as rows of FIGURE_HEADER (the measure by its label: the charts print it)."""
    return [[by.agency_id, by.year, m.chart, m.label, v] for m, v in by.figures]


def sum_known(values: list[Figure]) -> Figure:
    """The sum, or None when any value is unknown."""
    known = [v for v in values if v is not None]
    return sum(known) if len(known) == len(values) else None
