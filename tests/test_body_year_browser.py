"""The citable page as a reader meets it on a phone: the data and the citation are reachable from the first
screen, and a link to one number opens at that number."""

from __future__ import annotations

PAGE = "agencies/310105-health/2020/"


def test_the_download_bar_is_on_the_first_screen_of_a_phone(server, watch):
    base, _ = server
    page = watch.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + PAGE)
    bar = page.locator("p.nb-getdata")
    box = bar.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844
    hrefs = bar.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["cells.csv", "310105-health-2020.xlsx", "report.json", "310105-health-2020.zip",
                     "datapackage.json", "#cite"]
    for href in hrefs[:-1]:
        assert page.request.get(base + PAGE + href).ok, href


def test_a_link_to_one_number_opens_at_it(server, watch):
    base, _ = server
    page = watch.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + PAGE + "#requests.new.total")
    cell = page.locator('td[data-cell="requests.new.total"]')
    assert cell.get_attribute("id") == "requests.new.total"
    assert "nb-target" in (cell.get_attribute("class") or "")
    box = cell.bounding_box()
    assert box is not None and 0 <= box["y"] <= 844                     # scrolled into view
    assert "本页网址#requests.new.total" in (cell.get_attribute("title") or "")


def test_the_citation_names_the_day_it_was_read(server, watch):
    base, _ = server
    page = watch.page
    page.goto(base + PAGE)
    today = page.evaluate("() => { const d = new Date(), p = n => String(n).padStart(2, '0');"
                          " return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()); }")
    cite = page.locator("p.nb-cite").text_content()
    assert cite.startswith("上海市长宁区卫生健康委员会. 2020年政府信息公开工作年度报告（数据）. 年报 Nianbao 整理")
    assert cite.endswith(f" [访问日期：{today}]")
