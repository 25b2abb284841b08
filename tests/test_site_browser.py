"""The site in a real browser: Playwright drives Debian's Chromium (/usr/bin/chromium, installed by the test
command) against `nianbao serve`'s server on localhost. Any request to another host is recorded and blocked
(the fixtures: tests/browser.py)."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlparse

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
        assert shown[row["cell_id"]] == (row["value"] if row["status"] == "value" else words[row["status"]]), row
    assert shown["requests.new.total"] == "12"
    # the chart: rendered as SVG from the published figures, with the categories as text
    page.wait_for_selector(".nb-chart[data-rendered=yes] svg", timeout=60000)
    svg_text = " ".join(page.eval_on_selector_all(".nb-chart svg text", "ts => ts.map(t => t.textContent)"))
    assert "予以公开" in svg_text and "其他处理" in svg_text
    # every download link works and serves exactly the published file
    links = page.eval_on_selector_all("ul.nb-downloads a", "as => as.map(a => a.href)")
    assert len(links) >= 10
    for link in links:
        got = page.request.get(link)
        assert got.ok, link
        name = urlparse(link).path.rsplit("/", 1)[-1]
        assert got.body() == (site / "agencies" / "310105-health" / "2020" / name).read_bytes(), name
    assert page.request.get(url + "310105-health-2020.zip").body()[:2] == b"PK"


def test_body_page_draws_its_trend_charts(server, watch):
    base, _ = server
    watch.page.goto(base + "agencies/310101-health/")
    watch.page.wait_for_function("document.querySelectorAll('.nb-chart[data-rendered=yes] svg').length === 4",
                                 timeout=60000)
    labels = " ".join(watch.page.eval_on_selector_all(".nb-chart svg text", "ts => ts.map(t => t.textContent)"))
    assert "2020" in labels and "2022" in labels


def search_urls(page, base: str, query: str, filters: dict | None = None) -> list[str]:
    return page.evaluate(
        """async ([base, query, filters]) => {
             const pf = await import(base + 'pagefind/pagefind.js');
             await pf.init();
             const r = await pf.search(query, filters ? {filters} : {});
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
    page.wait_for_selector(".nb-chart[data-rendered=yes] svg", timeout=60000)
    assert page.evaluate("window.__nianbao_injected") is None
    assert page.eval_on_selector_all("a", "as => as.filter(a => a.href.trim().toLowerCase().startsWith('javascript:')).length") == 0
    text = page.inner_text(".nb-prose")
    for line in INJECTION:
        assert line.replace("（五）监督保障。", "") in text


def wait_for_charts(page) -> list[str]:
    """Wait until every chart of the page has rendered or failed; the states, in page order."""
    page.wait_for_function("[...document.querySelectorAll('.nb-chart')]"
                           ".every(el => ['yes', 'failed'].includes(el.dataset.rendered))", timeout=60000)
    return page.eval_on_selector_all(".nb-chart", "els => els.map(el => el.dataset.rendered)")


def test_index_pages_load_and_draw_their_charts_without_errors(server, watch):
    base, _ = server
    charts = {}
    for path in ("", "agencies/", "compare/2021/", "quality/", "dictionary/", "downloads/", "changelog/"):
        watch.page.goto(base + path)
        assert watch.page.title()
        charts[path] = wait_for_charts(watch.page)      # errors of a chart drawn late are caught too
    assert charts[""] == ["yes"] and charts["compare/2021/"] == ["yes"], charts


def test_compare_ranking_chart_draws_the_bodies_of_its_csv(server, watch):
    base, _ = server
    watch.page.goto(base + "compare/2021/")
    assert wait_for_charts(watch.page) == ["yes"]
    rows = csv_rows(watch.page.request.get(base + "compare/2021/compare-2021.csv").body())
    ranked = [r["name"] for r in rows if r["new_requests"]]
    assert len(ranked) >= 3
    labels = watch.page.eval_on_selector_all(".nb-chart svg text", "ts => ts.map(t => t.textContent)")
    assert all(name in labels for name in ranked), (ranked, labels)


def test_agency_list_filters(server, watch):
    base, _ = server
    watch.page.goto(base + "agencies/")
    watch.page.fill("input.nb-filter", "黄浦")
    visible = watch.page.eval_on_selector_all("table[data-filterable] tbody tr", "rs => rs.filter(r => !r.hidden).length")
    assert visible == 1
