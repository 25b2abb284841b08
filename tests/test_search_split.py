"""A large site's search index split by province (site/search_index.bundles, issue 18), forced on the test site
with `extra: nianbao_search_split_pages: 0`: a light national index of names, places and years at /pagefind/, one
full-text index per province at /pagefind/<code>/, and the search page's choice of scope (?scope=)."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import ROOT, make_site_reports
from test_search import PROSE_ONLY, SEARCH_BUDGET, search, strip_marks
from test_site import as_read, pagefind_pages

HENAN = "41"     # 411602 (川汇区) is in 河南省


@pytest.fixture(scope="module")
def split_out(tmp_path_factory) -> Path:
    """The test site built with its search index split, whatever its size."""
    from click.testing import CliRunner

    from nianbao.cli import main

    root = tmp_path_factory.mktemp("split-site")
    reports = make_site_reports(root / "reports")
    config = root / "mkdocs.yml"
    config.write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("docs_dir: docs", f"docs_dir: {ROOT / 'docs'}")
                      + "extra:\n  nianbao_search_split_pages: 0\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--reports", str(reports), "--out", str(root / "out"),
                                       "--config", str(config)])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return root / "out"


@pytest.fixture(scope="module")
def split_server(split_out):
    from nianbao.site.serve import make_server

    httpd = make_server(split_out / "site", "127.0.0.1", 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def bundles_in(site: Path) -> list[str]:
    """The search bundles a built site serves: "" for /pagefind/, else the folder under it."""
    return sorted(p.parent.relative_to(site / "pagefind").as_posix().replace(".", "")
                  for p in (site / "pagefind").rglob("pagefind-entry.json"))


def test_a_split_site_has_a_national_bundle_and_one_per_province(split_out, built_site):
    site = split_out / "site"
    provinces = {p.name[:2] for p in (site / "agencies").glob("[0-9]*-*") if p.is_dir()}
    assert bundles_in(site) == ["", *sorted(provinces)]
    assert bundles_in(built_site[1] / "site") == [""]            # the default, below the threshold: one bundle
    national = pagefind_pages(site / "pagefind")
    assert len(national) == len(pagefind_pages(built_site[1] / "site" / "pagefind"))   # every page, …
    assert not any(PROSE_ONLY in as_read(p)["content"] for p in national)             # … without its prose
    henan = pagefind_pages(site / "pagefind" / HENAN)
    assert {p["url"] for p in henan} == {"/agencies/411602-health/", "/agencies/411602-health/2020/"}
    assert any(PROSE_ONLY in as_read(p)["content"] for p in henan)
    page = (site / "search" / "index.html").read_text(encoding="utf-8")
    assert '<option value="41">河南省（含报告正文）</option>' in page
    assert 'id="nb-scope"' not in (built_site[1] / "site" / "search" / "index.html").read_text(encoding="utf-8")


def test_the_split_indexes_equal_the_one_pagefind_makes_from_the_built_pages(split_out, tmp_path):
    """The provinces' bundles together hold what Pagefind makes of the built pages; the national one the same
    pages, titles and filters but the one by body, its text only the beginning of theirs (the prose cut)."""
    site = split_out / "site"
    result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--output-path",
                             str(tmp_path / "pagefind"), "--silent"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    theirs = [as_read(p) for p in pagefind_pages(tmp_path / "pagefind")]
    provinces = sorted((as_read(p) for code in bundles_in(site) if code for p in pagefind_pages(site / "pagefind" / code)),
                       key=lambda p: p["url"])
    assert provinces == theirs
    national = [as_read(p) for p in pagefind_pages(site / "pagefind")]
    assert [(p["url"], p["meta"], p["filters"]) for p in national] == [
        (p["url"], p["meta"], {k: v for k, v in p["filters"].items() if k != "机关"}) for p in theirs]
    assert all(t["content"].startswith(n["content"]) for n, t in zip(national, theirs))
    assert any(len(t["content"]) > len(n["content"]) for n, t in zip(national, theirs))


def test_a_bundle_whose_documents_did_not_change_is_not_indexed_again(tmp_path):
    from nianbao.site.search_index import PROSE_MARK, bundles, index_bundles

    def document(text: str) -> str:
        return (f'<!doctype html><html lang="zh"><body><div data-pagefind-body><h1>{text}</h1></div>{PROSE_MARK}'
                f'<div data-pagefind-body><p>{text}的报告正文</p></div></body></html>')

    documents = {"agencies/110105-a/": document("北京"), "agencies/411602-b/": document("河南")}
    scopes = {"agencies/110105-a/": "11", "agencies/411602-b/": "41"}
    work, site = tmp_path / "work", tmp_path / "site"
    assert index_bundles(bundles(documents, scopes), work, site) == ["", "11", "41"]
    assert index_bundles(bundles(documents, scopes), work, site) == []
    documents["agencies/411602-b/"] = document("河南省")           # a report of 河南 changed
    assert index_bundles(bundles(documents, scopes), work, site) == ["", "41"]
    assert bundles_in(site) == ["", "11", "41"]
    assert index_bundles(bundles(documents, None), work, site) == [""]     # one bundle, with the prose: …
    assert bundles_in(site) == [""]                                        # … the provinces' go


def test_the_site_splits_past_the_threshold_of_searchable_pages():
    from nianbao.site.page import SearchScope, search_scopes

    def body(code: str, province: str) -> SimpleNamespace:
        return SimpleNamespace(row={"region_code": code, "province": province}, years={})

    corpus = SimpleNamespace(bodies={"a": body("411602", "河南省"), "b": body("110105", "北京市")},
                             body_years=[object()] * 3)                       # 5 searchable pages
    assert search_scopes(corpus, 5) == []
    assert search_scopes(corpus, 4) == [SearchScope("11", "北京市"), SearchScope("41", "河南省")]


def test_a_split_threshold_that_is_not_a_number_of_pages_is_refused():
    from mkdocs.exceptions import ConfigurationError

    from nianbao.site.settings import search_split_pages

    assert search_split_pages(SimpleNamespace(extra={})) == 2000
    assert search_split_pages(SimpleNamespace(extra={"nianbao_search_split_pages": 0})) == 0
    for wrong in (True, -1, "many", 2.5):
        with pytest.raises(ConfigurationError, match="nianbao_search_split_pages"):
            search_split_pages(SimpleNamespace(extra={"nianbao_search_split_pages": wrong}))


# --- in Chromium --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("query, expected", [("川汇区", "/agencies/411602-health/2020/"),
                                             ("淮安市", "/agencies/320800-gov/2024/")])
def test_the_national_scope_finds_names_and_places(split_server, watch, query, expected):
    results, size = search(watch.page, split_server, query)
    assert expected in [url for url, _, _ in results]
    assert size <= SEARCH_BUDGET, f"one search fetched {size / 1024:.1f} kB (gzip)"


def test_the_national_scope_holds_no_prose(split_server, watch):
    results, _ = search(watch.page, split_server, PROSE_ONLY)
    assert results == []
    assert "请先选省份" in watch.page.text_content(".nb-scope + .nb-note")


def test_a_province_scope_finds_its_reports_prose(split_server, watch):
    results, size = search(watch.page, split_server, PROSE_ONLY, scope=HENAN)
    assert [url for url, _, _ in results] == ["/agencies/411602-health/2020/"]
    assert PROSE_ONLY in strip_marks(results[0][2])
    assert watch.page.input_value("#nb-scope") == HENAN
    print(f"search {PROSE_ONLY} in {HENAN}: {size / 1024:.1f} kB fetched (gzip)")
    assert size <= SEARCH_BUDGET, f"one search fetched {size / 1024:.1f} kB (gzip)"


def test_an_unknown_scope_is_said_and_the_national_scope_searched(split_server, watch):
    results, _ = search(watch.page, split_server, "川汇区", scope="99")
    assert "/agencies/411602-health/" in [url for url, _, _ in results]
    assert watch.page.input_value("#nb-scope") == ""
    assert watch.page.is_visible(".nb-scope-unknown")
    assert watch.page.text_content(".nb-scope-unknown") == "没有代码为“99”的搜索范围，已改为在全国范围搜索。"


def test_the_chosen_scope_and_query_go_into_the_address(split_server, watch):
    page = watch.page
    search(page, split_server, "卫生")
    with page.expect_navigation():
        page.select_option("#nb-scope", HENAN)
    assert re.search(r"\?q=%E5%8D%AB%E7%94%9F&scope=41$", page.url), page.url
    page.wait_for_function("() => document.querySelectorAll('.pagefind-ui__result-link').length > 0", timeout=60000)
    links = page.eval_on_selector_all(".pagefind-ui__result-link", "rs => rs.map(r => r.getAttribute('href'))")
    assert links and all(link.startswith("/agencies/411602-") for link in links), links
