"""Search as a reader uses it, in Chromium with Pagefind's own JavaScript API on the built site: a phrase that
only a report's prose contains finds that report, and a result's excerpt is text, not run-together metadata."""

from __future__ import annotations

import re

# In seed 001's overview (川汇区卫健委 2020) and in no other bundled or generated report.
PROSE_ONLY = "医药卫生体制改革"
SEARCH = """async (query) => {
  const pagefind = await import('/pagefind/pagefind.js');
  const found = await pagefind.search(query);
  return Promise.all(found.results.map(async (r) => { const d = await r.data(); return [d.url, d.meta.title, d.excerpt]; }));
}"""


def test_a_phrase_only_in_a_reports_prose_finds_that_report(server, watch):
    base, _ = server
    watch.page.goto(base + "search/")
    results = watch.page.evaluate(SEARCH, PROSE_ONLY)
    assert [url for url, _, _ in results] == ["/agencies/411602-health/2020/"]
    _, title, excerpt = results[0]
    assert title == "川汇区卫生健康委员会 2020 年"
    assert "<mark>" in excerpt and excerpt.startswith("川汇区")


def test_a_body_result_reads_as_a_sentence(server, watch):
    """Issue 15: excerpts were run-together facts (`…委员会2020河南省县级. 编号411602-health地区…`)."""
    base, _ = server
    watch.page.goto(base + "search/")
    results = watch.page.evaluate(SEARCH, "周口市")      # its place, as the summary writes it part by part
    body = next(excerpt for url, _, excerpt in results if url == "/agencies/411602-health/")
    text = re.sub(r"</?mark>", "", body)
    assert "编号" not in text and "411602-health" not in text and "县级." not in text
    assert text.startswith("川汇区卫生健康委员会. 川汇区卫生健康委员会（河南省 周口市 川汇区，县级）的政府信息公开工作年度报告")
