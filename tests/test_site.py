"""The static site, read as files: every page and download where contract.md says, numbers equal to the
published CSVs, no outside host, pages under 80 kB, checks in words, inert prose, dates from the reports."""

from __future__ import annotations

import gzip
import json
import re
import threading
import urllib.request
from pathlib import Path
from urllib.parse import urlparse
from xml.etree import ElementTree

import pytest
from lxml import html as lxml_html

from conftest import GOLDEN, INJECTION, ROOT, SITE_BODIES, tree_hashes
from nianbao.model.words import REASON_WORDS
from conftest import read_csv_plain as read_csv

BUNDLED_BODY_YEARS = 7       # reports/: four from the seed texts, three from the real PDFs
BUNDLED_INPUTS = 8           # the five seed texts (one is a work plan, rejected) and the three PDFs


@pytest.fixture(scope="module")
def out(built_site) -> Path:
    return built_site[1]


@pytest.fixture(scope="module")
def site(out) -> Path:
    return out / "site"


def body_years(out: Path) -> list[tuple[str, str]]:
    return [(p.parent.name, p.name) for p in sorted((out / "datapackages").glob("*/*")) if p.name.isdigit()]


def doc(path: Path):
    return lxml_html.fromstring(path.read_bytes())


def test_every_body_year_and_body_has_its_page_with_its_files(out, site):
    found = body_years(out)
    assert len(found) == BUNDLED_BODY_YEARS + len(SITE_BODIES)
    for agency, year in found:
        page = site / "agencies" / agency / year / "index.html"
        assert page.is_file(), page
        assert (site / "agencies" / agency / "index.html").is_file()
        for f in (out / "datapackages" / agency / year).iterdir():
            if f.name == "datapackage.json":     # the site's copy names the schemas published once by URL
                assert with_schemas_inline(page.parent / f.name, site) == json.loads(f.read_text(encoding="utf-8"))
                continue
            assert (page.parent / f.name).read_bytes() == f.read_bytes(), f"{f.name} missing beside {page}"
        assert (page.parent / f"{agency}-{year}.zip").is_file()
    assert (site / "data" / "datapackage.json").is_file() and (site / "data" / "nianbao-all.zip").is_file()
    for page in ("agencies", "compare", "quality", "dictionary", "downloads", "search", "changelog"):
        assert (site / page / "index.html").is_file(), page
    for year in ("2020", "2021", "2022", "2023", "2024"):
        assert (site / "compare" / year / "index.html").is_file()


def with_schemas_inline(descriptor: Path, site: Path) -> dict:
    """The site's copy of a body-year descriptor with each schema it names by URL read from the site's files."""
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    for resource in data["resources"]:
        if isinstance(resource.get("schema"), str):
            name = resource["schema"].rsplit("/data/schemas/", 1)[1]
            resource["schema"] = json.loads((site / "data" / "schemas" / name).read_text(encoding="utf-8"))
    return data


def test_quality_page_lists_every_input_with_its_status_and_reason(out, site):
    text = doc(site / "quality" / "index.html").text_content()
    reports = read_csv(out / "datapackages" / "all" / "reports.csv")
    assert len(reports) == BUNDLED_INPUTS + len(SITE_BODIES)
    tooltips = {span.get("title") for span in doc(site / "quality" / "index.html").iter("span")}
    for r in reports:
        assert r["file"] in text
        if r["reason"]:                         # in words on the page, the reader's own sentence in the tooltip
            assert REASON_WORDS[r["reason_code"]] in text and r["reason"] in tooltips
    assert "未采用" in text and "已发布" in text
    assert "310104-health 2021" in text     # its failed H1 is listed


RESOURCE_ATTRS = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src",
                  "video": "src", "audio": "src", "embed": "src", "object": "data"}


def test_built_html_and_css_reference_no_external_host(site):
    """Everything a page loads (scripts, styles, images, frames, fonts) comes from the site itself.
    Plain <a> links to a report's original address are references, not loads, and are allowed."""
    pages = list(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        tree = doc(page)
        for tag, attr_name in RESOURCE_ATTRS.items():
            for el in tree.iter(tag):
                url = el.get(attr_name)
                if url and not (tag == "link" and el.get("rel") in ("canonical", "alternate")):
                    assert not urlparse(url).netloc and not url.startswith("//"), (page, tag, url)
        assert "fonts.googleapis" not in page.read_text(encoding="utf-8")
    for css in site.rglob("*.css"):
        for url in re.findall(r"url\(([^)]+)\)|@import\s+['\"]([^'\"]+)", css.read_text(encoding="utf-8")):
            target = (url[0] or url[1]).strip("'\" ")
            assert not urlparse(target).netloc and not target.startswith("//"), (css, target)


def test_body_year_pages_are_at_most_80_kb(out, site):
    sizes = {f"{a}/{y}": (site / "agencies" / a / y / "index.html").stat().st_size for a, y in body_years(out)}
    assert max(sizes.values()) <= 80 * 1024, sizes


GROUPED = re.compile(r"-?\d{1,3}(,\d{3})*(\.\d+)?")    # 3,119 and 1,234.5, never 3119


def test_every_number_on_a_body_year_page_is_the_published_one(out, site):
    for agency, year in body_years(out):
        page = doc(site / "agencies" / agency / year / "index.html")
        shown = {td.get("data-cell"): td.text_content().strip() for td in page.iter("td") if td.get("data-cell")}
        cells = {r["cell_id"]: r for r in read_csv(out / "datapackages" / agency / year / "cells.csv")}
        assert set(shown) == set(cells), (agency, year, set(shown) ^ set(cells))
        words = {"blank": "空白", "missing": "未找到", "unreadable": "无法识别"}
        for cid, row in cells.items():
            expected = row["value"] if row["status"] == "value" else words[row["status"]]
            assert shown[cid].replace(",", "") == expected, (agency, year, cid, shown[cid], expected)
            if row["status"] == "value":     # one number format: thousands separated, as everywhere on the site
                assert GROUPED.fullmatch(shown[cid]), (agency, year, cid, shown[cid])


def test_failed_identity_cells_are_highlighted_and_only_those(out, site):
    agency, year = "310104-health", "2021"
    checks = read_csv(out / "datapackages" / agency / year / "checks.csv")
    failed = {c for check in checks if check["ok"] == "false" and check["severity"] == "hard"
              for c in check["cells"].split()}
    assert "requests.new.natural_person" in failed and "requests.new.total" in failed
    page = doc(site / "agencies" / agency / year / "index.html")
    marked = {td.get("data-cell") for td in page.iter("td") if "nb-x" in (td.get("class") or "").split()}
    assert marked == failed


REAL_PAGES = {"hongze-gov-2023": ("320813-gov", "2023"), "hongze-gov-2024": ("320813-gov", "2024"),
              "huaian-gov-2024": ("320800-gov", "2024")}


def test_every_number_of_a_real_pdf_links_to_its_page_in_the_hosted_copy(built_site, site):
    """The bundled real PDFs: each number on the page opens the site's copy of the PDF at the page the
    hand-checked golden file gives for that cell."""
    for stem, (agency, year) in REAL_PAGES.items():
        folder = site / "agencies" / agency / year
        assert (folder / "source.pdf").read_bytes() == (built_site[0] / f"{stem}.pdf").read_bytes()
        golden = json.loads((GOLDEN / "real" / f"{stem}.json").read_text(encoding="utf-8"))["cells"]
        page = doc(folder / "index.html")
        links = {td.get("data-cell"): td.xpath("./a/@href") for td in page.iter("td") if td.get("data-cell")}
        assert set(links) == set(golden), stem
        wrong = {cid: hrefs for cid, hrefs in links.items() if hrefs != [f"source.pdf#page={golden[cid]['where']['page']}"]}
        assert wrong == {}, (stem, wrong)


def test_a_printed_error_is_the_reports_own_and_cross_year_checks_are_shown(out, site):
    """洪泽区 2023's table 四 prints 总计 0 for 行政复议 (10 + 1) and 复议后起诉 (5): both cells are read as printed
    (numbers, not 无法识别), highlighted, and their checks fail; both of 洪泽区's years show X1 and X2."""
    page = doc(site / "agencies" / "320813-gov" / "2023" / "index.html")
    cells = {td.get("data-cell"): td for td in page.iter("td") if td.get("data-cell")}
    for cid in ("appeals.review.total", "appeals.litigation_after_review.total"):
        assert cells[cid].text_content().strip() == "0" and "nb-x" in cells[cid].get("class", "").split(), cid
    assert not [cid for cid, td in cells.items() if td.text_content().strip() in ("未找到", "无法识别")]
    rows = [tr.text_content() for tr in page.xpath('//table[contains(@class,"nb-checks")]//tr')]
    assert [r for r in rows if r.startswith("H4") and "不成立" in r and "0 ≠ 10 + 1 + 0 + 0" in r]
    assert [r for r in rows if r.startswith("H4") and "不成立" in r and "0 ≠ 5 + 0 + 0 + 0" in r]
    for year in ("2023", "2024"):            # each cross-year row names its years and its column or row
        checks = doc(site / "agencies" / "320813-gov" / year / "index.html").xpath('//table[contains(@class,"nb-checks")]')
        rows = [tr.text_content() for table in checks for tr in table.iter("tr")]
        x1 = [r for r in rows if r.startswith("X1")]
        assert len(set(x1)) == 7 and any("（2023→2024 年，表三“自然人”列）成立：0 = 0" in r for r in x1), x1
        assert [r for r in rows if r.startswith("X2") and "（2023→2024 年，表二“行政规范性文件”行）成立：5 + 3 − 0 = 8" in r]
    body = doc(site / "agencies" / "320813-gov" / "index.html")
    assert {h for h in body.xpath("//a/@href") if h.startswith("../../agencies/320813-gov/20")} == {
        "../../agencies/320813-gov/2023/", "../../agencies/320813-gov/2024/"}


def test_checks_are_in_plain_chinese_naming_table_row_and_column(site):
    page = doc(site / "agencies" / "310104-health" / "2021" / "index.html")
    tables = page.xpath('//table[contains(@class,"nb-checks")]')
    text = "".join(t.text_content() for t in tables)
    assert not re.search(r"\b(requests|disclosure|appeals)\.[a-z_]+", text), "a cell id leaked into the checks"
    rows = [tr.text_content() for table in tables for tr in table.iter("tr")]
    # failed first, in the open; the checks that held folded under one line
    first, held = tables[0], page.xpath('//details[@class="nb-held"]//table')[0]
    assert all("成立" not in tr.text_content() or "不成立" in tr.text_content() for tr in first.iter("tr"))
    assert all("✓" in tr.text_content() for tr in held.xpath(".//tbody/tr"))
    h1 = next(r for r in rows if r.startswith("H1") and "不成立" in r)
    assert "表三“一、本年新收政府信息公开申请数量”行" in h1 and "“总计” 应等于" in h1 and "“自然人”" in h1
    h3 = next(r for r in rows if r.startswith("H3") and "不成立" in r)
    assert "表三“自然人”列" in h3


def test_prose_from_a_report_is_inert(site):
    path = site / "agencies" / "310106-health" / "2022" / "index.html"
    raw = path.read_text(encoding="utf-8")
    normal = (site / "agencies" / "310101-health" / "2022" / "index.html").read_text(encoding="utf-8")
    page = doc(path)
    assert len(page.xpath("//script")) == len(doc(site / "agencies" / "310101-health" / "2022" / "index.html").xpath("//script"))
    assert not page.xpath("//img[@onerror]") and not page.xpath("//*[@onerror]")
    assert not [a for a in page.iter("a") if (a.get("href") or "").strip().lower().startswith("javascript:")]
    text = page.text_content()
    for line in INJECTION:                       # shown as text, character for character
        assert line.replace("（五）监督保障。", "") in text, line
    assert "{{" not in raw and "{%" not in raw and "<script>window" not in raw and "{{" not in normal


def test_json_ld_is_a_schema_org_dataset_with_the_downloads(site):
    page = doc(site / "agencies" / "310105-health" / "2020" / "index.html")
    blocks = page.xpath('//script[@type="application/ld+json"]')
    assert len(blocks) == 1
    data = json.loads(blocks[0].text)
    assert data["@type"] == "Dataset" and data["url"].endswith("/agencies/310105-health/2020/")
    urls = {d["contentUrl"] for d in data["distribution"]}
    assert any(u.endswith("/310105-health-2020.zip") for u in urls)
    assert any(u.endswith("/cells.csv") for u in urls)
    assert data["license"].startswith("https://creativecommons.org/")


def test_a_body_year_page_links_the_one_cell_dictionary(site):
    """Issue 18: the dictionary is no longer in each package; the page's download list leads to the corpus's."""
    folder = site / "agencies" / "310105-health" / "2020"
    hrefs = [href.split("#")[0] for href in doc(folder / "index.html").xpath('//ul[@class="nb-downloads"]//a/@href')]
    assert "../../../data/cell_dictionary.csv" in hrefs and "../../../dictionary/" in hrefs
    assert all((folder / href).resolve().is_file() or (folder / href / "index.html").resolve().is_file()
               for href in hrefs)


def test_citation_block_has_text_bibtex_and_csl_json(site):
    page = doc(site / "agencies" / "310105-health" / "2020" / "index.html")
    text = page.text_content()
    assert "上海市长宁区卫生健康委员会. 2020年政府信息公开工作年度报告（数据）" in text
    assert "@misc{nianbao-310105-health-2020," in text
    csl = json.loads(page.xpath('//details[summary="CSL-JSON"]//code')[0].text_content())
    assert csl["type"] == "dataset" and csl["URL"].endswith("/agencies/310105-health/2020/")


def test_every_page_cites_as_its_package_does(out, site):
    """One citation: the page's text and BibTeX are the ones in the package's CITATION.txt."""
    for agency, year in body_years(out):
        page = doc(site / "agencies" / agency / year / "index.html")
        file_text = (out / "datapackages" / agency / year / "CITATION.txt").read_text(encoding="utf-8")
        text = page.xpath('//p[@class="nb-cite"]')[0].text_content()
        bibtex = page.xpath('//details[summary="BibTeX"]//code')[0].text_content()
        assert f"\n{text}\n" in file_text and f"\n{bibtex}\n" in file_text, (agency, year)


def test_every_chart_spec_is_valid_vega_lite(site):
    """Charts are built without Altair's per-object validation (for speed): validate what was written."""
    import altair as alt
    shapes = {}
    for spec_path in sorted(site.rglob("*.vl.json")):
        shapes.setdefault(spec_path.name, spec_path)
    assert {"outcomes.vl.json"} <= set(shapes) and len(shapes) >= 4, sorted(shapes)
    for name, spec_path in shapes.items():
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        alt.Chart.from_dict(spec, validate=True)   # raises SchemaValidationError on an invalid spec


def test_charts_read_published_csvs_and_agree_with_the_tables_beside_them(site):
    folder = site / "agencies" / "310101-health"
    for spec_path in folder.rglob("*.vl.json"):
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        assert spec["description"] and "$schema" not in spec
        data_file = (spec_path.parent / spec["data"]["url"]).resolve()
        assert data_file.is_file(), (spec_path, spec["data"]["url"])
    figures = read_csv(folder / "310101-health-figures.csv")
    page = doc(folder / "index.html")
    figure = page.xpath('//div[@data-spec="outcomes.vl.json"]/ancestor::figure')[0]
    table = figure.xpath(".//table")[0]
    years = [th.text_content() for th in table.xpath(".//th")][1:]
    for tr in table.xpath(".//tbody/tr"):
        cells = [td.text_content() for td in tr.xpath("td")]
        for year, shown in zip(years, cells[1:]):
            row = next(r for r in figures if r["year"] == year and r["measure"] == cells[0])
            assert shown.replace(",", "") == (row["value"] or "—"), (year, cells[0])     # 3,119 shown, 3119 in the CSV
    # and the figure for a year equals the sum of that year's published cells
    cells = read_csv(site / "agencies" / "310101-health" / "2021" / "cells.csv")
    withheld = sum(int(r["value"]) for r in cells if r["table"] == "requests" and r["row"].startswith("withheld_")
                   and r["column"] == "total" and r["status"] == "value")
    row = next(r for r in figures if r["year"] == "2021" and r["measure"] == "不予公开")
    assert int(row["value"]) == withheld


def test_sitemap_dates_come_from_the_reports(built_site, out, site):
    root = ElementTree.fromstring((site / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    dates = {u.find("s:loc", ns).text: (u.find("s:lastmod", ns).text if u.find("s:lastmod", ns) is not None else None)
             for u in root.findall("s:url", ns)}
    assert dates["http://127.0.0.1:8000/agencies/310101-health/2021/"] == "2022-01-21"   # its published date
    assert dates["http://127.0.0.1:8000/agencies/310101-health/"] == "2023-01-22"        # its latest report
    assert dates["http://127.0.0.1:8000/agencies/320813-gov/2024/"] == "2025-02-14"      # a real PDF's page
    assert dates["http://127.0.0.1:8000/agencies/320813-gov/2023/"] is None              # the manifest has none
    given = {r[k] for r in read_csv(built_site[0] / "manifest.csv") for k in ("published", "retrieved") if r[k]}
    assert {d for d in dates.values() if d} <= given                                     # never the build clock
    # an index page has no report of its own: no date, rather than another page's (issue 15: all 24 had one)
    assert dates["http://127.0.0.1:8000/"] is None and dates["http://127.0.0.1:8000/compare/"] is None
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == (site / "sitemap.xml").read_bytes()
    for agency, year in body_years(out):
        assert f"http://127.0.0.1:8000/agencies/{agency}/{year}/" in dates
    feed = ElementTree.fromstring((site / "feed.xml").read_bytes())
    assert len(feed.findall("./channel/item")) == BUNDLED_BODY_YEARS + len(SITE_BODIES)


def test_no_cdn_and_search_is_pagefind(site):
    assert (site / "pagefind" / "pagefind.js").is_file() and (site / "pagefind" / "pagefind-ui.js").is_file()
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert "zh" in json.dumps(entry["languages"])
    assert not (site / "search" / "search_index.json").exists()      # Material's own search is off
    assert not (site / "assets" / "nianbao" / "charts.js").exists()   # charts are SVG drawn at build time


CDN_HOSTS = ("unpkg.com", "cdn.jsdelivr.net", "cdnjs.cloudflare.com", "fonts.googleapis.com", "fonts.gstatic.com")


def test_no_file_the_site_serves_names_a_cdn(site):
    """Material's bundle names unpkg.com for its optional mermaid and polyfill loaders: stripped after the build
    (site/no_cdn.py), source maps not published. Before that hook, the bundle and its map named unpkg.com."""
    named = sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file() and p.suffix in (
        ".js", ".css", ".html", ".map", ".json") and any(host.encode() in p.read_bytes() for host in CDN_HOSTS))
    assert named == []
    assert list((site / "assets" / "javascripts").glob("*.js"))          # Material's bundle is still there
    assert not list(site.rglob("*.js.map"))


def pagefind_pages(index: Path) -> list[dict]:
    """Every page Pagefind indexed, as its fragment records it: URL, indexed text, word count, filters, meta
    (the result title) and anchors — all a search shows."""
    out = []
    for f in sorted((index / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(f.read_bytes())
        assert raw.startswith(b"pagefind_dcd")
        out.append(json.loads(raw[len(b"pagefind_dcd"):]))
    return sorted(out, key=lambda page: page["url"])


def test_search_index_equals_the_one_pagefind_makes_from_the_built_pages(site, tmp_path):
    """The build indexes each page's small search document; Pagefind run on the built pages themselves (the
    way it is normally used) must find exactly the same pages with the same text, filters and titles."""
    import subprocess
    import sys
    result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--output-path",
                             str(tmp_path / "pagefind"), "--silent"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    ours, theirs = pagefind_pages(site / "pagefind"), pagefind_pages(tmp_path / "pagefind")
    body_years = [p for p in ours if re.fullmatch(r"/agencies/[^/]+/\d{4}/", p["url"])]
    assert len(body_years) == len(body_years_of(site)) and len(ours) > len(body_years)   # bodies too
    assert [as_read(p) for p in ours] == [as_read(p) for p in theirs]
    # ours holds Chinese one character to a word (search_index.one_word_per_character); Pagefind's own, jieba's words
    assert "川 \u200b汇 \u200b区" in next(p["content"] for p in ours if p["url"] == "/agencies/411602-health/2020/")
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["zh"]["page_count"] == len(ours)


def as_read(page: dict) -> dict:
    """An indexed page as a reader sees it: its text without the marks between words (Pagefind's zero-width
    spaces, and the spaces the index puts between Chinese characters), its words not counted."""
    text = re.sub(r"(?<=[\u3400-\u9fff\uf900-\ufaff]) (?=[\u3400-\u9fff\uf900-\ufaff])", "",
                  page["content"].replace("\u200b", ""))
    return {**{k: v for k, v in page.items() if k != "word_count"}, "content": text}


def body_years_of(site: Path) -> list[Path]:
    return [p for p in (site / "agencies").glob("*/[0-9][0-9][0-9][0-9]/index.html")]


def test_two_builds_give_a_byte_identical_site(built_site, tmp_path):
    from click.testing import CliRunner

    from nianbao.cli import main

    reports, out = built_site
    result = CliRunner().invoke(main, ["build", "--reports", str(reports), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    first, second = tree_hashes(out / "site"), tree_hashes(tmp_path / "site")
    # Pagefind's filter and metadata index files are not yet stable between runs (upstream: Pagefind #638,
    # "other files will still change, such as the filter/metadata indexes"); its fragments are. Every other
    # file must be byte-identical.
    unstable = re.compile(r"^pagefind/(filter/|pagefind\.[a-z0-9_-]+\.pf_meta$|pagefind-entry\.json$|wasm)")
    first = {k: v for k, v in first.items() if not unstable.match(k)}
    second = {k: v for k, v in second.items() if not unstable.match(k)}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []
    assert any(k.startswith("pagefind/fragment/") for k in first)


def test_serve_serves_the_site_on_localhost(site):
    from nianbao.site.serve import make_server

    server = make_server(site, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        with urllib.request.urlopen(base + "agencies/310105-health/2020/") as resp:
            assert resp.status == 200 and "上海市长宁区卫生健康委员会" in resp.read().decode("utf-8")
        with urllib.request.urlopen(base + "agencies/310105-health/2020/cells.csv") as resp:
            assert resp.read() == (site / "agencies" / "310105-health" / "2020" / "cells.csv").read_bytes()
    finally:
        server.shutdown()
        server.server_close()


def test_search_documents_are_synced_writing_only_what_changed(tmp_path):
    from nianbao.site.search_index import sync_documents

    folder = tmp_path / "search"

    def held() -> dict[str, str]:
        return {p.parent.relative_to(folder).as_posix() + "/": p.read_text(encoding="utf-8")
                for p in folder.rglob("index.html")}

    sync_documents({"agencies/a/": "A", "agencies/a/2020/": "A20"}, folder)
    assert held() == {"agencies/a/": "A", "agencies/a/2020/": "A20"}
    import os
    os.utime(folder / "agencies/a/index.html", ns=(10**9, 10**9))
    sync_documents({"agencies/a/": "A", "agencies/b/": "B"}, folder)          # one added, one gone
    assert held() == {"agencies/a/": "A", "agencies/b/": "B"}
    assert (folder / "agencies/a/index.html").stat().st_mtime_ns == 10**9       # unchanged: not rewritten
    (folder / "agencies/a/index.html").write_text("torn", encoding="utf-8")     # a build killed halfway …
    (folder / ".written.json").unlink()                                          # … leaves no listing
    sync_documents({"agencies/a/": "A"}, folder)
    assert held() == {"agencies/a/": "A"}


def _figure(figures: list[dict[str, str]], year: str, *measures: str) -> int | None:
    values = [next(r["value"] for r in figures if r["year"] == year and r["measure"] == m) for m in measures]
    return None if "" in values else sum(int(v) for v in values)


def test_compare_csv_sums_the_measures_each_column_names(site):
    """Each column of compare-<year>.csv is the sum of the right measures of the body's figures CSV."""
    outcomes = ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理")
    checked = 0
    for compare in sorted(site.glob("compare/*/compare-*.csv")):
        year = compare.parent.name
        for row in read_csv(compare):
            figures = read_csv(site / "agencies" / row["agency_id"] / f"{row['agency_id']}-figures.csv")
            expected = {"new_requests": _figure(figures, year, "本年新收申请"),
                        "handled": _figure(figures, year, *outcomes),
                        "granted_full_or_part": _figure(figures, year, "予以公开", "部分公开"),
                        "decisions": _figure(figures, year, "行政许可", "行政处罚", "行政强制"),
                        "review": _figure(figures, year, "行政复议"),
                        "litigation": _figure(figures, year, "行政诉讼（未经复议）", "行政诉讼（复议后）")}
            got = {k: int(row[k]) if row[k] else None for k in expected}
            assert got == expected, (row["agency_id"], year)
            checked += 1
    assert checked >= 10


def test_stored_site_summaries_of_another_shape_are_read_anew(tmp_path):
    """A summaries file from another version (the old 7-tuples) is never taken for a summary."""
    import pickle

    from nianbao.site.corpus import BodyYearSummary, Summaries
    first = Summaries(tmp_path, {"a/2020": "fp-a", "b/2020": "fp-b"})
    summary = BodyYearSummary("2021", {"disclosure": "disclosure-2021"}, [], 3, 2, [], 1)
    first.put("a/2020", summary)
    first.save()
    first.path.write_bytes(pickle.dumps({**pickle.loads(first.path.read_bytes()),
                                         "fp-b": ("2021", [], 3, 2, 0, [], 1)}))
    again = Summaries(tmp_path, {"a/2020": "fp-a", "b/2020": "fp-b"})
    assert again.get("a/2020") == summary
    assert again.get("b/2020") is None


def test_stored_page_prints_of_another_shape_are_not_reused(tmp_path):
    from nianbao.site.reuse import PagePrint, Previous
    good = PagePrint("f1", "2021-03-01", "<doc>")
    previous = Previous(tmp_path, {"agencies/a/": good.to_json(), "agencies/b/": ["f2", None, None]}, {})
    assert previous.page("agencies/a/") == good
    assert previous.page("agencies/b/") is None and previous.page("agencies/c/") is None


def _grid_widths(table) -> list[int]:
    """The width of each row of an HTML table, counting the cells that rows above span down into it."""
    widths, carried = [], []                # carried: for each later row, the columns spanned into it
    for tr in table.xpath(".//tr"):
        cells = tr.xpath("th|td")
        own = sum(int(c.get("colspan", 1)) for c in cells)
        widths.append(own + (carried.pop(0) if carried else 0))
        for c in cells:
            for i in range(int(c.get("rowspan", 1)) - 1):
                if len(carried) <= i:
                    carried.append(0)
                carried[i] += int(c.get("colspan", 1))
    return widths


def test_printed_tables_are_rectangular_with_their_spans(out, site):
    """Every row of every printed table (header and body) is as wide as the others, spans counted."""
    for agency, year in body_years(out):
        tables = doc(site / "agencies" / agency / year / "index.html").xpath('//table[contains(@class, "nb-t")]')
        assert {t.get("data-table") for t in tables} >= {"requests", "appeals"}, (agency, year)
        for table in tables:
            widths = _grid_widths(table)
            assert len(set(widths)) == 1, (agency, year, table.get("data-table"), widths)


# Three English words in a row: a sentence, a phrase or an internal note, never a file name or a code.
ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}(?:[ ,;:'’()\-]+[A-Za-z]{2,}){2,}")
PROPER_NAMES = {"Material for MkDocs"}          # the theme's credit in the footer


def generated_pages(site: Path, pattern: str = "*.html") -> list[tuple[str, Path]]:
    """(path in the site, file) of every page made from the data: not Pagefind's, not a hand-written docs/ page."""
    hand = {p.stem for p in (ROOT / "docs").glob("*.md")}
    pages = [(p.relative_to(site).as_posix(), p) for p in sorted(site.rglob(pattern))]
    return [(rel, p) for rel, p in pages if not rel.startswith("pagefind/") and rel.split("/")[0] not in hand]


def test_no_english_words_in_what_a_generated_page_shows(site):
    """Issue 15: reasons, check details, `领域 gov`, `读取方式 pdf` and manifest notes were English on Chinese
    pages. Code blocks (snippets, citations) and hand-written docs/ pages are not generated text."""
    seen = {}
    for rel, page in generated_pages(site):
        doc = lxml_html.parse(str(page)).getroot()
        for hidden in doc.xpath("//script|//style|//code|//pre|//svg"):
            hidden.drop_tree()
        runs = set(ENGLISH_RUN.findall(doc.text_content())) - PROPER_NAMES
        if runs:
            seen[rel] = sorted(runs)
    assert seen == {}
    quality = (site / "quality" / "index.html").read_text(encoding="utf-8")
    assert "不是年度报告：这是一份工作要点或工作计划。" in quality          # the rejected work plan, in words


def test_every_generated_page_has_one_h1(site):
    """Material adds the page title as an <h1> when it sees none; a generated body's own <h1> arrives after
    Markdown, so body and body-year pages had two (issue 15). The home page's <h1> is the site's name."""
    counts = {rel: len(doc(page).xpath("//h1")) for rel, page in generated_pages(site, "index.html")}
    assert len(counts) > 20 and set(counts.values()) == {1}, {k: v for k, v in counts.items() if v != 1}
    home = doc(site / "index.html")
    assert home.xpath("//h1")[0].text_content().strip() == "年报 Nianbao"
    assert home.findtext(".//title") == "年报 Nianbao"            # not "年报 Nianbao - 年报 Nianbao"


def test_coverage_lists_every_body_and_year_with_what_the_corpus_holds(out, site):
    """/coverage/ and coverage.csv: a row per body and year of the corpus's span, the status the inputs reached,
    "not collected" for a year no input is about (never "not published": the site cannot know that)."""
    reports = read_csv(out / "datapackages" / "all" / "reports.csv")
    rows = read_csv(site / "coverage" / "coverage.csv")
    years = sorted({int(r["year"]) for r in reports if r["year"]})
    span = list(range(years[0], years[-1] + 1))
    bodies = {r["agency_id"] for r in rows}
    assert len(rows) == len(bodies) * len(span) and {int(r["year"]) for r in rows} == set(span)
    published = {(r["agency_id"], int(r["year"])) for r in reports if r["status"] == "published"}
    for r in rows:
        key = (r["agency_id"], int(r["year"]))
        assert (r["coverage"] == "published") == (key in published), r
        if not any((x["agency_id"], x["year"]) == (key[0], str(key[1])) for x in reports):
            assert r["coverage"] == "not_collected" and r["coverage_words"] == "未收录"
    assert any(r["coverage"] == "not_collected" for r in rows)
    page = doc(site / "coverage" / "index.html")
    links = {a.get("href") for a in page.iter("a")}
    for agency_id, year in published:
        assert f"../agencies/{agency_id}/{year}/" in links


def test_downloads_lists_every_csv_the_pages_draw_from(out, site):
    """Issue 15: /downloads/ named neither the compare CSVs nor the wide table of headline figures."""
    page = doc(site / "downloads" / "index.html")
    links = {a.get("href") for a in page.iter("a")}
    years = sorted({int(r["year"]) for r in read_csv(out / "datapackages" / "all" / "reports.csv")
                    if r["status"] == "published"})
    wanted = ["../data/headline_figures.csv", "../coverage/coverage.csv",
              *(f"../compare/{y}/compare-{y}.csv" for y in years)]
    for href in wanted:
        assert href in links and (site / "downloads" / href).resolve().is_file(), href


def test_every_compare_csv_has_a_table_schema_in_chinese_that_frictionless_accepts(site):
    """Issue 15: compare CSVs had English-only headers and no schema."""
    from frictionless import Resource, Schema

    csvs = sorted(site.glob("compare/*/compare-*.csv"))
    assert csvs
    for path in csvs:
        schema_path = path.with_name(path.stem + ".schema.json")
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        header = next(iter(read_csv(path)), None)
        assert header is not None and [f["name"] for f in schema["fields"]] == list(header)
        assert all(re.search(r"[\u4e00-\u9fff]", f["title"]) for f in schema["fields"])
        report = Resource(path=path.name, basepath=str(path.parent), schema=Schema.from_descriptor(schema)).validate()
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
