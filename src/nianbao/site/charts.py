"""Charts: Altair builds Vega-Lite specs whose data is a published CSV (the chart shows exactly what people
download). Specs are written beside the page as `<name>.vl.json`; one self-hosted bundle of Vega, Vega-Lite and
vega-embed (vl-convert) renders them as SVG in the browser. No CDN anywhere: the site is read in mainland China.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import altair as alt

FONT = "'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Zen Hei','PingFang SC','Microsoft YaHei',sans-serif"
CONFIG = {"font": FONT, "axis": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 12},
          "legend": {"labelFont": FONT, "titleFont": FONT, "orient": "bottom"}, "title": {"font": FONT},
          "view": {"stroke": None}}

# Runs once the bundle has loaded: every <div class="nb-chart" data-spec="…vl.json"> becomes an SVG chart.
# Data URLs in a spec are relative to the spec file. A chart that fails says so in place (the table beside it
# has the same numbers) and logs an error so the browser tests catch it.
EMBED_SNIPPET = r"""
async function nianbaoCharts() {
  for (const el of document.querySelectorAll('.nb-chart[data-spec]')) {
    if (el.dataset.rendered) continue;
    el.dataset.rendered = 'pending';
    const specUrl = new URL(el.dataset.spec, document.baseURI);
    try {
      const spec = await (await fetch(specUrl)).json();
      const base = specUrl.href.slice(0, specUrl.href.lastIndexOf('/') + 1);
      await vegaEmbed(el, spec, {renderer: 'svg', actions: false, mode: 'vega-lite', loader: {baseURL: base}});
      el.dataset.rendered = 'yes';
    } catch (err) {
      el.dataset.rendered = 'failed';
      el.textContent = '图表未能显示（' + err.message + '），数字见下表。';
      console.error('nianbao chart', specUrl.href, err);
    }
  }
}
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', nianbaoCharts);
else nianbaoCharts();
"""


@lru_cache(maxsize=1)
def charts_bundle() -> str:
    import vl_convert
    return vl_convert.javascript_bundle(EMBED_SNIPPET)


@dataclass(frozen=True)
class ChartFile:
    name: str          # file name beside the page, e.g. "outcomes.vl.json"
    spec: dict
    description: str


def _unvalidated(make):
    """Build a chart without Altair validating every object as it is made (half the page-generation time);
    the specs are few fixed shapes, which tests/test_site.py validates against the Vega-Lite schema."""
    @functools.wraps(make)
    def wrapper(*args, **kwargs):
        with alt.utils.schemapi.debug_mode(False):
            return make(*args, **kwargs)
    return wrapper


def _spec(chart: alt.Chart, description: str) -> dict:
    # validate=False: the specs come from this module's few fixed chart shapes (the tests validate them); schema
    # validation was half the page-generation time.
    spec = chart.properties(description=description, width="container").to_dict(validate=False)
    spec.pop("$schema", None)      # a URL string only, but nothing on the site should name an outside host
    spec["config"] = CONFIG
    return spec


def _csv(url: str, numbers: list[str]) -> alt.UrlData:
    return alt.UrlData(url=url, format=alt.CsvDataFormat(type="csv", parse={n: "number" for n in numbers}))


@_unvalidated
def bars(name: str, csv_url: str, description: str, *, category: str, value: str, title: str,
         filters: Sequence[str] = (), color: str | None = None, sort: list[str] | None = None,
         height: int = 220) -> ChartFile:
    """Horizontal bars of `value` by `category`, optionally stacked by `color`."""
    chart = alt.Chart(_csv(csv_url, [value])).mark_bar().encode(
        y=alt.Y(f"{category}:N", title=None, sort=sort if sort is not None else "-x"),
        x=alt.X(f"sum({value}):Q", title=title, axis=alt.Axis(format="d", tickMinStep=1)),
        tooltip=[alt.Tooltip(f"{category}:N", title="项目"), alt.Tooltip(f"sum({value}):Q", title=title)],
    ).properties(height=height)
    if color:
        chart = chart.encode(color=alt.Color(f"{color}:N", title=None))
    for expr in filters:
        chart = chart.transform_filter(expr)
    return ChartFile(name, _spec(chart, description), description)


@_unvalidated
def by_year(name: str, csv_url: str, description: str, *, measure: str, value: str, title: str,
            filters: Sequence[str] = (), order: list[str] | None = None, stacked: bool = True) -> ChartFile:
    """Columns per year, one colour per measure (stacked) or a line per measure."""
    base = alt.Chart(_csv(csv_url, [value]))
    for expr in filters:
        base = base.transform_filter(expr)
    color = alt.Color(f"{measure}:N", title=None, sort=order)
    y = alt.Y(f"sum({value}):Q", title=title, axis=alt.Axis(format="d", tickMinStep=1))
    tooltip = [alt.Tooltip("year:O", title="年度"), alt.Tooltip(f"{measure}:N", title="项目"),
               alt.Tooltip(f"sum({value}):Q", title=title)]
    if stacked:
        chart = base.mark_bar().encode(x=alt.X("year:O", title="年度", axis=alt.Axis(labelAngle=0)), y=y,
                                       color=color, tooltip=tooltip)
    else:
        chart = base.mark_line(point=True).encode(x=alt.X("year:O", title="年度", axis=alt.Axis(labelAngle=0)),
                                                  y=y, color=color, tooltip=tooltip)
    return ChartFile(name, _spec(chart.properties(height=240), description), description)


def spec_json(chart: ChartFile) -> str:
    return json.dumps(chart.spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
