"""Charts drawn at build time (site/charts.py, site/chart_svg.py): every legend entry labelled, the unit level,
counts with thousands separators, Chinese text measured in a CJK font, the same bytes every time, no script;
on the built site, no trend chart for a body with one year and a home chart that says what each year sums."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from nianbao.site import chart_svg, charts
from nianbao.site.measures import CHART_TITLES, MEASURES

SVG = "{http://www.w3.org/2000/svg}"
GROUPED = re.compile(r"-?\d{1,3}(,\d{3})*")
YEAR = re.compile(r"20\d\d")
OUTCOMES = [m.label for m in MEASURES if m.chart == "outcomes"]
APPEALS = [m.label for m in MEASURES if m.chart == "appeals"]
HEADER = ["agency_id", "year", "chart", "measure", "value"]


def figure_rows(years: list[int]) -> list[dict]:
    """Figures of one body: large outcomes (millions), small appeals (0–2), one unknown value."""
    rows = []
    for i, year in enumerate(years):
        rows += [["x", year, "outcomes", m, 3_985_758 * (i + 1) if m == "予以公开" else 447_228 + j]
                 for j, m in enumerate(OUTCOMES)]
        rows += [["x", year, "appeals", m, (i + j) % 3 if j else None] for j, m in enumerate(APPEALS)]
    return charts.records(HEADER, rows)


def trend(chart_id: str, order: list[str], years=(2020, 2021, 2023), notes=None) -> charts.ChartFile:
    every = list(range(years[0], years[-1] + 1))
    return charts.by_year(f"{chart_id}.vl.json", "x-figures.csv", figure_rows(list(years)), f"某机关 各年度{chart_id}（件）",
                          measure="measure", value="value", unit="件", order=order, years=every,
                          year_notes=notes or {}, stacked=chart_id == "outcomes",
                          filters=[f"datum.chart == '{chart_id}'", "isValid(datum.value)"])


def outcome_bars() -> charts.ChartFile:
    return charts.bars("outcomes.vl.json", "../x-figures.csv", figure_rows([2021]), "某机关 2021 年申请办理结果（件）",
                       category="measure", value="value", unit="件", sort=OUTCOMES,
                       filters=["datum.year == 2021", "datum.chart == 'outcomes'", "isValid(datum.value)"])


def texts(svg: str) -> list[etree._Element]:
    return list(etree.fromstring(svg.encode()).iter(f"{SVG}text"))


def words(svg: str) -> list[str]:
    """Every line of text the SVG shows (a label of two lines gives two)."""
    return [line for t in texts(svg) for line in (["".join(t.itertext())] if len(t) == 0 else
                                                 [s.text or "" for s in t.iter(f"{SVG}tspan")])]


@pytest.fixture(scope="module")
def drawn() -> dict[str, str]:
    return {"outcomes": trend("outcomes", OUTCOMES).svg(), "appeals": trend("appeals", APPEALS).svg(),
            "bars": outcome_bars().svg()}


def test_every_legend_entry_is_labelled_in_full(drawn):
    """Issue 15: the outcomes legend labelled 3 of its 6 colours, the appeals one was cut at `行政诉讼（复`."""
    assert set(OUTCOMES) <= set(words(drawn["outcomes"])), words(drawn["outcomes"])
    assert set(APPEALS) <= set(words(drawn["appeals"])), words(drawn["appeals"])   # 行政诉讼（复议后） in full
    assert not any("…" in w for name in ("outcomes", "appeals") for w in words(drawn[name]))
    assert set(OUTCOMES) <= set(words(drawn["bars"]))          # a category with no number keeps its place


def test_no_text_is_rotated_and_the_unit_is_shown(drawn):
    for name, svg in drawn.items():
        assert "件" in words(svg), name
        rotated = [("".join(t.itertext()), t.get("transform")) for t in texts(svg) if "rotate" in (t.get("transform") or "")]
        assert rotated == [], (name, rotated)


def test_axis_counts_have_thousands_separators_and_are_whole(drawn):
    numbers = [w for w in words(drawn["outcomes"]) if re.fullmatch(r"[\d,.]+", w) and not YEAR.fullmatch(w)]
    assert any("," in n for n in numbers) and all(GROUPED.fullmatch(n) for n in numbers), numbers
    small = [w for w in words(drawn["appeals"]) if re.fullmatch(r"[\d,.]+", w) and len(w) < 4]   # 0–2 and years
    assert len(small) == len(set(small)), small      # a tick between 1 and 2 would print "1" twice


def test_a_year_without_data_keeps_its_place_with_its_note():
    svg = trend("outcomes", OUTCOMES, notes={2022: "无数据", 2020: "3 个机关"}).svg()
    shown = words(svg)
    assert ["2020", "3 个机关", "2021", "2022", "无数据", "2023"] == [w for w in shown if YEAR.fullmatch(w) or w in ("3 个机关", "无数据")]


def test_chinese_is_measured_in_a_cjk_font():
    """vl-convert finds the system's CJK font (fonts-noto-cjk): a label of 13 Chinese characters at 14 px takes
    13 em, so the bars start just past it (a fallback font measured them ~1.4 em each, leaving a wide gap)."""
    name = "上海市长宁区卫生健康委员会"
    chart = charts.bars("r.vl.json", "r.csv", charts.records(["name", "n"], [[name, 5]]), "排名", category="name",
                        value="n", unit="件")
    plot_left = float(re.search(r'<g fill="none" stroke-miterlimit="10" transform="translate\(([\d.]+),', chart.svg())[1])
    assert 13 * charts.TEXT <= plot_left <= 13 * charts.TEXT + 30, plot_left


def test_the_same_chart_is_the_same_bytes_from_another_worker(drawn, monkeypatch):
    monkeypatch.setattr(chart_svg, "_worker", None)       # a new worker process: nothing carried over
    assert trend("outcomes", OUTCOMES).svg() == drawn["outcomes"]
    assert outcome_bars().svg() == drawn["bars"]


def test_the_svg_is_one_named_image_that_scales(drawn):
    root = etree.fromstring(drawn["bars"].encode())
    assert root.get("role") == "img" and root.get("aria-label") == "某机关 2021 年申请办理结果（件）"
    assert root.find(f"{SVG}title").text == root.get("aria-label")
    assert root.get("width") == "100%" and root.get("viewBox") and root.get("height") is None
    drawn_width = float(root.get("viewBox").split()[2])
    assert 360 <= drawn_width <= 480, drawn_width           # ~11 px text on a 390 px phone
    bars = [p for p in root.iter(f"{SVG}path") if p.find(f"{SVG}title") is not None]
    assert len(bars) == 6 and "予以公开" in bars[0].find(f"{SVG}title").text   # each bar's numbers on hover
    assert "aria-roledescription" not in drawn["bars"] and "class=" not in drawn["bars"]


# --- on the built site ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(built_site) -> Path:
    return built_site[1] / "site"


def figures(page: Path) -> list[lxml_html.HtmlElement]:
    return lxml_html.fromstring(page.read_bytes()).xpath("//figure[@class='nb-figure']")


def test_a_body_with_one_year_has_its_numbers_but_no_trend_chart(site):
    one = site / "agencies" / "310105-health"         # 2020 only
    assert not list(one.glob("*.vl.json")) and figures(one / "index.html") == []
    text = lxml_html.fromstring((one / "index.html").read_bytes()).text_content()
    assert "只有 2020 年一年的数据，不画历年变化图" in text
    three = site / "agencies" / "310101-health"       # 2020–2022
    assert sorted(p.name for p in three.glob("*.vl.json")) == sorted(f"{c}.vl.json" for c in CHART_TITLES)
    assert len(figures(three / "index.html")) == len(CHART_TITLES)


def test_each_chart_shows_every_measure_links_its_data_and_has_its_table(site):
    page = site / "agencies" / "310101-health" / "index.html"
    for figure, chart_id in zip(figures(page), CHART_TITLES):
        svg = etree.tostring(figure.xpath(".//*[local-name()='svg']")[0], encoding="unicode")
        labels = [m.label for m in MEASURES if m.chart == chart_id]
        assert set(labels) <= set(words(svg)), (chart_id, words(svg))
        assert figure.xpath(".//figcaption/a[.='数据']/@href") == ["310101-health-figures.csv"]
        assert figure.xpath(".//figcaption/a[.='图表定义']/@href") == [f"{chart_id}.vl.json"]
        assert [tr.xpath("td")[0].text_content() for tr in figure.xpath(".//table/tbody/tr")] == labels


def test_no_page_loads_a_chart_script(site):
    pages = list(site.rglob("*.html"))
    assert not (site / "assets" / "nianbao" / "charts.js").exists()
    for page in pages:
        scripts = lxml_html.fromstring(page.read_bytes()).xpath("//script/@src")
        assert not [s for s in scripts if "charts" in s or "vega" in s], (page, scripts)
    with_charts = [p for p in pages if b"<svg" in p.read_bytes() and b'class="nb-chart"' in p.read_bytes()]
    assert len(with_charts) >= 10


def test_home_chart_says_how_many_bodies_each_year_sums(built_site, site):
    from nianbao.site.corpus import load_corpus
    from nianbao.site.rollups import year_totals

    # the bodies each year sums: every body-year but those an area-wide report already counts (test_scope.py)
    totals = year_totals(load_corpus(built_site[1] / "datapackages"))
    counts = Counter({year: len(ids) for year, ids in totals.bodies.items()})
    assert sum(counts.values()) < sum(1 for _ in (built_site[1] / "datapackages").glob("*/[0-9]*"))
    years = range(min(counts), max(counts) + 1)
    notes = [f"{counts[y]} 个机关" if counts[y] else "无数据" for y in years]
    assert len(set(notes)) > 1        # the test corpus: bodies differ from year to year
    page = lxml_html.fromstring((site / "index.html").read_bytes())
    said = "，".join(f"{y} 年 {note}" for y, note in zip(years, notes))
    assert f"各年度报告了数据的机关不同（{said}），各年合计不宜直接比较" in page.text_content()
    svg = etree.tostring(page.xpath("//figure//*[local-name()='svg']")[0], encoding="unicode")
    assert [w for w in words(svg) if YEAR.fullmatch(w) or "机关" in w or w == "无数据"] == [
        w for y, note in zip(years, notes) for w in (str(y), note)]
    table = page.xpath("//figure//table")[0]
    assert [td.text_content() for td in table.xpath(".//tbody/tr[1]/td")] == ["机关数"] + [str(counts[y]) for y in years]
