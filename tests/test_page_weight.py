"""What a page costs a reader on a phone's network: every response of the page's load in Chromium (document,
CSS, JS, SVG, fonts, images — not the data files a reader must click), each body gzipped as the server would send
it, summed. Issue 15: a chart page loaded an 898 kB script (305 kB gzipped) before anything was drawn."""

from __future__ import annotations

import gzip

import pytest

WITH_CHARTS = 300 * 1024
WITHOUT_CHARTS = 150 * 1024


def transfer(page, url: str) -> tuple[int, list[str]]:
    """Bytes (gzip) of every response while `url` loads, and one line per response, largest first."""
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    sizes = sorted(((len(gzip.compress(r.body(), 6)), r.url) for r in responses if r.ok), reverse=True)
    return sum(size for size, _ in sizes), [f"{size / 1024:6.1f} kB {name}" for size, name in sizes]


def heaviest_body_year(site) -> str:
    """The body-year page with the most HTML (every body-year page has its outcomes chart)."""
    largest = max((p.stat().st_size, p) for p in (site / "agencies").glob("*/[0-9][0-9][0-9][0-9]/index.html"))
    return largest[1].parent.relative_to(site).as_posix() + "/"


@pytest.mark.parametrize("width", [390, 1280])
def test_a_body_year_page_with_its_chart_transfers_at_most_300_kb(server, watch, width):
    base, site = server
    page = watch.page
    page.set_viewport_size({"width": width, "height": 844 if width < 600 else 800})
    url = heaviest_body_year(site)
    total, lines = transfer(page, base + url)
    assert page.locator(".nb-chart svg").count() >= 1
    assert page.locator("script[src*='pagefind']").count() == 0           # no search code on a data page
    print(f"\n{url} at {width} px: {total / 1024:.1f} kB (gzip)\n" + "\n".join(lines))
    assert total <= WITH_CHARTS, f"{url} at {width} px: {total / 1024:.1f} kB (gzip)\n" + "\n".join(lines)


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("url", ["agencies/310105-health/", "search/"])
def test_a_page_without_charts_transfers_at_most_150_kb(server, watch, url, width):
    """A one-year body's page (no trend chart) and the search page (Pagefind's UI is loaded with it)."""
    base, _ = server
    page = watch.page
    page.set_viewport_size({"width": width, "height": 844 if width < 600 else 800})
    total, lines = transfer(page, base + url)
    assert page.locator(".nb-chart svg").count() == 0
    print(f"\n{url} at {width} px: {total / 1024:.1f} kB (gzip)\n" + "\n".join(lines))
    assert total <= WITHOUT_CHARTS, f"{url} at {width} px: {total / 1024:.1f} kB (gzip)\n" + "\n".join(lines)
