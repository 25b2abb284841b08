"""Charts: Altair builds Vega-Lite specs whose data is a published CSV (the chart shows exactly what people
download). The spec is written beside the page as `<name>.vl.json`, and drawn when the site is built, from the
same rows the CSV holds, into an SVG inside the page (site/chart_svg.py): no script, nothing from outside.

Sizes are for both a 390 px phone and a desktop: a chart is drawn about 440 px wide in 14 px text and scales
with its container, so on a phone its text is still ~11 px, on a desktop at most 1.25 × as large.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import altair as alt

from nianbao.site import chart_svg

# The font text is measured in when a chart is drawn (the SVG names no font: the page shows it in its own,
# site.css). Chinese is 1 em wide in every CJK font, so any installed one measures right; WenQuanYi Zen Hei
# (fonts-wqy-zenhei) first because vl-convert measures in it 2–3 × faster than in Noto's large collection, and
# a list of fonts this machine lacks made every chart slower still.
FONT = "'WenQuanYi Zen Hei','Noto Sans CJK SC',sans-serif"
TEXT = 14          # px, as drawn
COUNT_FORMAT = ",d"     # d3-format: integers with thousands separators, as the tables print them (text.grouped)
PLOT_WIDTH = 340
BAR_STEP = 26      # px per bar of a bar chart
CONFIG = {"font": FONT, "axis": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": TEXT, "titleFontSize": TEXT},
          # every entry labelled: entries in two columns under the chart, labels never cut (labelLimit 0)
          "legend": {"labelFont": FONT, "labelFontSize": TEXT, "orient": "bottom", "direction": "horizontal",
                     "columns": 2, "labelLimit": 0, "symbolType": "square", "columnPadding": 16},
          "title": {"font": FONT}, "view": {"stroke": None}}
# The unit of a count axis, written level above the axis (a rotated 件 was hard to read).
UNIT_TITLE = {"titleAngle": 0, "titleAnchor": "end", "titleAlign": "right", "titleBaseline": "bottom",
              "titleY": -8, "titleX": 0}


@dataclass(frozen=True)
class ChartFile:
    name: str          # file name beside the page, e.g. "outcomes.vl.json"
    spec: dict         # as published: reads its CSV
    description: str
    rows: tuple[dict, ...]     # the CSV's rows, as the spec parses them: what the chart is drawn from

    @property
    def data_url(self) -> str:
        return self.spec["data"]["url"]

    def svg(self) -> str:
        """The chart drawn from its rows, as inline SVG."""
        drawn = {**self.spec, "data": {"values": list(self.rows)}}
        return chart_svg.draw(drawn, self.description)


def records(header: Sequence[str], rows: Sequence[Sequence]) -> list[dict]:
    """CSV rows as the records a chart is drawn from (numbers as numbers, an empty cell as null)."""
    return [{h: float(v) if isinstance(v, Decimal) else v for h, v in zip(header, row)} for row in rows]


def _unvalidated(make):
    """Build a chart without Altair validating every object as it is made (half the page-generation time);
    the specs are few fixed shapes, which tests/test_site.py validates against the Vega-Lite schema."""
    @functools.wraps(make)
    def wrapper(*args, **kwargs):
        with alt.utils.schemapi.debug_mode(False):
            return make(*args, **kwargs)
    return wrapper


def _chart_file(name: str, chart: alt.Chart, description: str, rows: Sequence[dict]) -> ChartFile:
    spec = chart.properties(description=description).to_dict(validate=False)
    spec.pop("$schema", None)      # a URL string only, but nothing on the site should name an outside host
    spec["config"] = CONFIG
    return ChartFile(name, spec, description, tuple(rows))


def _csv(url: str, numbers: list[str]) -> alt.UrlData:
    return alt.UrlData(url=url, format=alt.CsvDataFormat(type="csv", parse={n: "number" for n in numbers}))


# Counts are whole: a tick between two integers (small counts, 0 to 2) gets no label, tick or grid line, where
# it would print "1" twice. (Vega-Lite's tickMinStep should do this; vl-convert's Vega ignores it.)
_WHOLE_ONLY = {"condition": {"test": "datum.value % 1", "value": 0}, "value": 1}


def _count_axis(unit: str, **more) -> alt.Axis:
    return alt.Axis(format=COUNT_FORMAT, title=unit, labelExpr="datum.value % 1 ? null : datum.label",
                    gridOpacity=_WHOLE_ONLY, tickOpacity=_WHOLE_ONLY, **more)


@_unvalidated
def bars(name: str, csv_url: str, rows: Sequence[dict], description: str, *, category: str, value: str,
         unit: str, filters: Sequence[str] = (), sort: list[str] | None = None, label_limit: int = 0,
         width: int = PLOT_WIDTH - 40) -> ChartFile:
    """Horizontal bars of `value` by `category`, a bar every BAR_STEP px; the counts along the bottom, `unit`
    under them. `label_limit` cuts long category labels (px; 0: never)."""
    # A given order is the categories' domain: one without a number keeps its (empty) place.
    categories = alt.Scale(domain=sort) if sort else alt.Undefined
    chart = alt.Chart(_csv(csv_url, [value])).mark_bar().encode(
        y=alt.Y(f"{category}:N", title=None, sort=sort if sort is not None else "-x", scale=categories,
                axis=alt.Axis(labelLimit=label_limit)),
        x=alt.X(f"sum({value}):Q", axis=_count_axis(unit)),
        tooltip=[alt.Tooltip(f"{category}:N", title="项目"),
                 alt.Tooltip(f"sum({value}):Q", title=unit, format=COUNT_FORMAT)],
    ).properties(height=alt.Step(BAR_STEP), width=width)
    for expr in filters:
        chart = chart.transform_filter(expr)
    return _chart_file(name, chart, description, rows)


@_unvalidated
def by_year(name: str, csv_url: str, rows: Sequence[dict], description: str, *, measure: str, value: str,
            unit: str, years: Sequence[int], year_notes: Mapping[int, str] | None = None,
            filters: Sequence[str] = (), order: list[str] | None = None, stacked: bool = True) -> ChartFile:
    """Columns per year, one colour per measure, stacked or side by side. Every year of `years` has its place,
    one without data too; `year_notes` prints a second line under a year's label (e.g. how many bodies)."""
    base = alt.Chart(_csv(csv_url, [value]))
    for expr in filters:
        base = base.transform_filter(expr)
    x = alt.X("year:O", title=None, scale=alt.Scale(domain=list(years)),
              axis=alt.Axis(labelAngle=0, labelExpr=_year_labels(year_notes or {})))
    # The measures' domain is given: each has its legend entry even in a chart where it has no number.
    measures = alt.Scale(domain=order) if order else alt.Undefined
    encoding = dict(
        x=x, y=alt.Y(f"sum({value}):Q", axis=_count_axis(unit, **UNIT_TITLE)),
        color=alt.Color(f"{measure}:N", title=None, sort=order, scale=measures),
        tooltip=[alt.Tooltip("year:O", title="年度"), alt.Tooltip(f"{measure}:N", title="项目"),
                 alt.Tooltip(f"sum({value}):Q", title=unit, format=COUNT_FORMAT)])
    if not stacked:
        encoding["xOffset"] = alt.XOffset(f"{measure}:N", sort=order, scale=measures)
    chart = base.mark_bar().encode(**encoding).properties(height=220, width=PLOT_WIDTH)
    return _chart_file(name, chart, description, rows)


def _year_labels(notes: Mapping[int, str]) -> str:
    """A Vega expression: a year's axis label, with its note as a second line."""
    expr = "datum.label"
    for year, note in sorted(notes.items()):
        expr = f"datum.value == {year} ? [{json.dumps(str(year))}, {json.dumps(note, ensure_ascii=False)}] : {expr}"
    return expr


def spec_json(chart: ChartFile) -> str:
    return json.dumps(chart.spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
