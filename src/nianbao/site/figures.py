"""The headline measures the pages name one by one, found by their ids (measures.yaml, never
the Chinese labels the pages print), and the figures CSV every chart of a body reads."""

from __future__ import annotations

from nianbao.site.corpus import BodyYear, Figure
from nianbao.site.measures import MEASURES
from nianbao.templates import Measure


def measure(measure_id: str) -> Measure:
    """The measure of that id (measures.yaml)."""
    return next(m for m in MEASURES if m.id == measure_id)


NEW_REQUESTS = measure("requests_new")
GRANTED = measure("granted")
PARTLY_GRANTED = measure("partly_granted")
DECISIONS = (measure("licensing_decisions"), measure("penalty_decisions"), measure("coercion_decisions"))
REVIEW = measure("review")
LITIGATION = (measure("litigation_direct"), measure("litigation_after_review"))
OUTCOME_MEASURES = tuple(m for m in MEASURES if m.chart == "outcomes")

FIGURE_HEADER = ["agency_id", "year", "chart", "measure", "value"]


def figures_rows(by: BodyYear) -> list[list]:
    """A body-year's figures as rows of FIGURE_HEADER (the measure by its label: the charts print it)."""
    return [[by.agency_id, by.year, m.chart, m.label, v] for m, v in by.figures]


def sum_known(values: list[Figure]) -> Figure:
    """The sum, or None when any value is unknown."""
    known = [v for v in values if v is not None]
    return sum(known) if len(known) == len(values) else None
