"""WCAG 2 A and AA on every kind of page, checked by axe-core (from npm, tests/a11y/) in Debian's Chromium, on
a phone's width and a desktop's. Chinese government sites are held to GB/T 37668; a public data site should pass
at least WCAG 2 AA."""

from __future__ import annotations

import pytest

from conftest import ROOT

SCREENSHOTS = ROOT / "build" / "screenshots"   # kept as CI artefacts (.github/workflows/ci.yml)
AXE = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = {
    "home": "",
    "agency list": "agencies/",
    "body": "agencies/310101-health/",
    "body-year": "agencies/310105-health/2020/",
    "body-year with a failed check": "agencies/310104-health/2021/",
    "compare index": "compare/",
    "compare year": "compare/2021/",
    "quality": "quality/",
    "coverage": "coverage/",
    "dictionary": "dictionary/",
    "downloads": "downloads/",
    "search": "search/",
    "hand-written page": "about/",
}
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.length + ' × '
    + v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\\n')[1]).join('; '));
}"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_no_wcag_2_aa_violation(server, watch, kind, width):
    assert AXE.is_file(), "axe-core is missing: the test command (bash scripts/test.sh) installs it with npm"
    base, _ = server
    page = watch.page
    page.set_viewport_size({"width": width, "height": 844 if width < 600 else 800})
    page.goto(base + PAGES[kind])
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN_AXE, WCAG_AA)
    assert violations == [], "\n".join(violations)


LAYOUT = """() => {
  const cells = Array.from(document.querySelectorAll('td[data-cell]'));
  const tall = cells.filter(td => {
    const style = getComputedStyle(td);
    const line = parseFloat(style.lineHeight) || 1.5 * parseFloat(style.fontSize);
    const text = document.createRange();
    text.selectNodeContents(td);                 // the number itself, not the row (a long label makes rows tall)
    return text.getBoundingClientRect().height > 1.5 * line;
  }).map(td => td.dataset.cell);
  return {overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          cells: cells.length, tall: tall.slice(0, 5), h1: document.querySelectorAll('h1').length};
}"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_the_page_fits_the_screen_and_numbers_stay_on_one_line(server, watch, kind, width):
    """Issue 15: on a phone a number broke one digit per line (3/0/0/1) and pages scrolled sideways."""
    base, _ = server
    page = watch.page
    page.set_viewport_size({"width": width, "height": 844 if width < 600 else 800})
    page.goto(base + PAGES[kind])
    page.wait_for_load_state("networkidle")
    layout = page.evaluate(LAYOUT)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{kind.replace(' ', '-')}-{width}.png"), full_page=True)
    assert layout["overflow"] == 0 and layout["tall"] == [] and layout["h1"] == 1, layout
    if kind.startswith("body-year"):
        assert layout["cells"] > 100


TEXT_AT_200 = """() => {
  const shown = el => { for (let e = el; e; e = e.parentElement) { const s = getComputedStyle(e);
    if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') return false; } return true; };
  const texts = [...document.querySelectorAll('.md-content *')].filter(el => !el.closest('svg') && shown(el)
    && [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()));
  const before = texts.map(el => parseFloat(getComputedStyle(el).fontSize));
  const root = document.documentElement;
  root.style.fontSize = 2 * parseFloat(getComputedStyle(root).fontSize) + 'px';   // the reader's text size × 2
  const unscaled = texts.filter((el, i) => parseFloat(getComputedStyle(el).fontSize) < 1.95 * before[i])
    .map(el => el.tagName + '.' + el.className + ' «' + el.textContent.trim().slice(0, 20) + '»');
  const scrolls = (el, box) => {      // text inside a box of its own that scrolls (a menu's list) is reachable
    for (let e = el; e && e !== box; e = e.parentElement) {
      const s = getComputedStyle(e);
      if ([s.overflowX, s.overflowY].some(o => o === 'auto' || o === 'scroll')) return true;
    }
    return false;
  };
  const clipped = [];
  for (const box of document.querySelectorAll('body *')) {
    const style = getComputedStyle(box);
    const hides = o => o === 'hidden' || o === 'clip', across = hides(style.overflowX), down = hides(style.overflowY);
    if (!(across || down) || box.closest('svg')) continue;      // a box that scrolls loses nothing
    const edge = box.getBoundingClientRect();
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim() || !shown(node.parentElement) || scrolls(node.parentElement, box)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const cut = [...range.getClientRects()].some(r => across && (r.right > edge.right + 1 || r.left < edge.left - 1)
                                                        || down && (r.bottom > edge.bottom + 1 || r.top < edge.top - 1));
      if (cut) clipped.push((box.className || box.tagName) + ' «' + node.textContent.trim().slice(0, 20) + '»');
    }
  }
  const tall = [...document.querySelectorAll('td[data-cell]')].filter(td => {
    const style = getComputedStyle(td), line = parseFloat(style.lineHeight) || 1.5 * parseFloat(style.fontSize);
    const text = document.createRange();
    text.selectNodeContents(td);
    return text.getBoundingClientRect().height > 1.5 * line;
  }).map(td => td.dataset.cell);
  return {overflow: root.scrollWidth - root.clientWidth, unscaled: unscaled.slice(0, 5), clipped: clipped.slice(0, 5),
          tall: tall.slice(0, 5), cells: document.querySelectorAll('td[data-cell]').length};
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_text_scales_to_200_percent_without_loss(server, watch, width):
    """WCAG 1.4.4: the reader's text size doubled (the root font size, which every size of the site's text is
    relative to): every text doubles, no text is cut by a box that hides overflow (the header's site name once
    was, on a phone), the page does not scroll sideways (wide tables scroll in their own boxes) and every number
    stays on one line."""
    base, _ = server
    page = watch.page
    page.set_viewport_size({"width": width, "height": 844 if width < 600 else 800})
    page.goto(base + PAGES["body-year"])
    page.wait_for_load_state("networkidle")
    result = page.evaluate(TEXT_AT_200)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"body-year-text-200-{width}.png"))
    assert result["cells"] > 100
    assert result["overflow"] == 0 and result == {**result, "unscaled": [], "clipped": [], "tall": []}, result
