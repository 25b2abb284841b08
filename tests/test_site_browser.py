"""The site in a real browser: Playwright drives Debian's Chromium (/usr/bin/chromium, installed by the test
command) against `nianbao serve`'s server on localhost. Any request to another host is recorded and blocked
(the fixtures: tests/browser.py)."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlparse

import pytest

from browser import Watch
from conftest import INJECTION


def csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_body_year_page_numbers_chart_and_downloads(server, watch):
    base, site = server
    url = base + "agencies/310105-health/2020/"
    page = watch.page
    page.goto(url)
    shown = dict(page.eval_on_selector_all("td[data-cell]", "tds => tds.map(td => [td.dataset.cell, td.innerText.trim()])"))
    response = page.request.get(url + "cells.csv")
    assert response.ok
    cells = csv_rows(response.body())
    words = {"blank": "空白", "missing": "未找到", "unreadable": "无法识别"}
    assert len(shown) == len(cells) == 198      # template 2019
    for row in cells:
        expected = row["value"] if row["status"] == "value" else words[row["status"]]
        assert shown[row["cell_id"]].replace(",", "") == expected, row     # 3,119 on the page, 3119 in the CSV
    assert shown["requests.new.total"] == "12"
    # the chart: drawn as SVG when the site was built, from the published figures, with the categories as text
    assert chart_states(page) == ["drawn"]
    svg_text = " ".join(page.eval_on_selector_all(".nb-chart svg text", "ts => ts.map(t => t.textContent)"))
    assert "予以公开" in svg_text and "其他处理" in svg_text
    # every download link works and serves exactly the published file
    links = page.eval_on_selector_all("ul.nb-downloads a", "as => as.map(a => a.href)")
    assert len(links) >= 10
    for link in links:
        got = page.request.get(link)
        assert got.ok, link
        path = urlparse(link).path    # beside the page, or the corpus's one cell dictionary (/data/, /dictionary/)
        served = site / path.lstrip("/") / ("index.html" if path.endswith("/") else "")
        assert got.body() == served.read_bytes(), path
    assert page.request.get(url + "310105-health-2020.zip").body()[:2] == b"PK"


def test_body_page_draws_its_trend_charts(server, watch):
    base, _ = server
    watch.page.goto(base + "agencies/310101-health/")
    assert chart_states(watch.page) == ["drawn"] * 4
    labels = " ".join(watch.page.eval_on_selector_all(".nb-chart svg text", "ts => ts.map(t => t.textContent)"))
    assert "2020" in labels and "2022" in labels


def search_urls(page, base: str, query: str, filters: dict | None = None) -> list[str]:
    return page.evaluate(
        """async ([base, query, filters]) => {
             const pf = await import(base + 'pagefind/pagefind.js');
             await pf.init();
             const r = await pf.search(nianbaoQuery(query), filters ? {filters} : {});   // the site's query rule
             const data = await Promise.all(r.results.map(x => x.data()));
             return data.map(d => d.url);
           }""", [base, query, filters])


def test_chinese_search_with_the_year_filter(server, watch):
    base, _ = server
    page = watch.page
    page.goto(base + "search/?q=" + "卫生健康")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=60000)
    shown = page.eval_on_selector_all(".pagefind-ui__result-link", "as => as.map(a => a.getAttribute('href'))")
    assert any("/agencies/" in h for h in shown)
    # the filter panel fills in as Pagefind's filter chunks arrive: wait for it rather than race it. textContent,
    # not innerText: the year group may be folded (a closed <details>) and innerText leaves out what is not shown
    # (this wait timed out once in ~5 full runs under load while passing alone)
    page.wait_for_function(
        "[...document.querySelectorAll('.pagefind-ui__filter-panel')].some(p => p.textContent.includes('年度'))",
        timeout=90000)
    every = search_urls(page, base, "卫生健康")
    # every 卫生健康 body-year page: 4 bundled and 6 generated (the real PDFs are 人民政府 reports)
    assert len([u for u in every if u.rstrip("/").split("/")[-1].isdigit()]) == 10
    in_2021 = search_urls(page, base, "卫生健康", {"年度": "2021"})
    year_pages = sorted(u for u in in_2021 if u.rstrip("/").split("/")[-1].isdigit())
    assert [u.split("/agencies/")[1] for u in year_pages] == ["310101-health/2021/", "310104-health/2021/",
                                                               "310107-health/2021/"]
    assert all("/2020/" not in u and "/2022/" not in u for u in in_2021)
    by_name = search_urls(page, base, "黄浦区卫生健康委员会")
    assert by_name and all("310101-health" in u for u in by_name[:4]), by_name
    assert any(u.endswith("/agencies/310101-health/") for u in by_name)


def test_injected_prose_runs_nothing_and_is_shown_as_text(server, watch):
    base, _ = server
    page = watch.page
    page.goto(base + "agencies/310106-health/2022/")
    assert chart_states(page) == ["drawn"]
    assert page.evaluate("window.__nianbao_injected") is None
    assert page.eval_on_selector_all("a", "as => as.filter(a => a.href.trim().toLowerCase().startsWith('javascript:')).length") == 0
    text = page.inner_text(".nb-prose")
    for line in INJECTION:
        assert line.replace("（五）监督保障。", "") in text


def chart_states(page) -> list[str]:
    """Each chart of the page, in page order: "drawn" when it holds an SVG the browser lays out with a size
    (charts are SVG in the HTML, drawn when the site is built: nothing to wait for), else "empty"."""
    return page.eval_on_selector_all(".nb-chart", """els => els.map(el => {
        const svg = el.querySelector('svg'); const box = svg && svg.getBoundingClientRect();
        return box && box.width > 0 && box.height > 0 && svg.querySelectorAll('text').length ? 'drawn' : 'empty'; })""")


def test_index_pages_load_and_draw_their_charts_without_errors(server, watch):
    base, _ = server
    charts = {}
    for path in ("", "agencies/", "compare/2021/", "quality/", "dictionary/", "downloads/", "changelog/"):
        watch.page.goto(base + path)
        assert watch.page.title()
        charts[path] = chart_states(watch.page)
        loaded = watch.page.evaluate("performance.getEntriesByType('resource').map(r => r.name)")
        assert not [u for u in loaded if "charts" in u or "vega" in u], (path, loaded)    # no chart script
    assert charts[""] == ["drawn"] and charts["compare/2021/"] == ["drawn"], charts


def test_compare_ranking_chart_draws_the_bodies_of_its_csv(server, watch):
    base, _ = server
    watch.page.goto(base + "compare/2021/")
    assert chart_states(watch.page) == ["drawn"]
    rows = csv_rows(watch.page.request.get(base + "compare/2021/compare-2021.csv").body())
    ranked = [r["name"] for r in rows if r["new_requests"]]
    assert len(ranked) >= 3
    labels = watch.page.eval_on_selector_all(".nb-chart svg text", "ts => ts.map(t => t.textContent)")
    assert all(name in labels for name in ranked), (ranked, labels)
    # each bar tells its body and number on hover (an SVG <title>)
    titles = " ".join(watch.page.eval_on_selector_all(".nb-chart svg path > title", "ts => ts.map(t => t.textContent)"))
    assert all(name in titles for name in ranked) and "本年新收申请（件）：104" in titles, titles


CHART_PAGES = ["agencies/310101-health/", "agencies/310101-health/2021/", "", "compare/2021/"]


@pytest.mark.parametrize("width", [390, 1280])
def test_charts_fit_the_screen_and_their_text_reads(server, browser, width):
    """On a 390 px phone and a 1280 px desktop every chart fits its column and its text is shown at 10–18 px
    (drawn at 14 px, scaled with the column); every label is laid out (none hidden for want of room)."""
    base, _ = server
    watch = Watch(browser)
    try:
        watch.page.set_viewport_size({"width": width, "height": 900})
        for path in CHART_PAGES:
            watch.page.goto(base + path)
            for chart in watch.page.eval_on_selector_all(".nb-chart", """els => els.map(el => {
                    const svg = el.querySelector('svg'), box = svg.getBoundingClientRect();
                    const texts = [...svg.querySelectorAll('text')];
                    return {width: box.width, column: el.getBoundingClientRect().width, right: box.right,
                            scale: box.width / svg.viewBox.baseVal.width,
                            size: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize))),
                            unseen: texts.filter(t => !t.getBBox().width).map(t => t.textContent)}; })"""):
                assert chart["width"] <= chart["column"] + 0.5 and chart["right"] <= width, (path, chart)
                assert 10 <= chart["scale"] * chart["size"] <= 18, (path, width, chart)
                assert chart["unseen"] == [], (path, chart)
    finally:
        watch.close()


def test_agency_list_filters(server, watch):
    base, _ = server
    watch.page.goto(base + "agencies/")
    watch.page.fill("input.nb-filter", "黄浦")
    visible = watch.page.eval_on_selector_all("table[data-filterable] tbody tr", "rs => rs.filter(r => !r.hidden).length")
    assert visible == 1


NUMBER = re.compile(r"-?\d[\d,]*(\.\d+)?\s?(%|KB|MB)?")


@pytest.mark.parametrize("url", ["agencies/310101-health/", "agencies/310105-health/2020/", "compare/2021/",
                                 "downloads/"])
def test_numbers_in_list_tables_are_right_aligned_in_tabular_figures(server, watch, url):
    """Numbers compare down a column only when their digits line up: right-aligned, each digit as wide."""
    base, _ = server
    page = watch.page
    page.goto(base + url)
    cells = page.eval_on_selector_all("table.nb-list td", """tds => tds.map(td => {
        const style = getComputedStyle(td);
        return [td.textContent.trim(), style.textAlign, style.fontVariantNumeric]; })""")
    numbers = [(text, align, figures) for text, align, figures in cells if NUMBER.fullmatch(text)]
    words = [(text, align) for text, align, _ in cells if re.search(r"[\u4e00-\u9fff]", text)]
    assert numbers and all(align == "right" and "tabular-nums" in figures for _, align, figures in numbers), numbers
    assert words and all(align in ("left", "start") for _, align in words), words
