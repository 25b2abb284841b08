"""Permanent URLs: every path in tests/published-urls.txt (the bundled corpus's site) must keep resolving, and
reports/redirects.csv keeps an old agency id's pages and files resolving after an id change.

Add new paths to the list with `python tests/test_permanent_urls.py SITE_DIR` (prints the site's paths); never
delete one."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from conftest import ROOT, read_csv_plain

LISTED = Path(__file__).parent / "published-urls.txt"
# Not permanent: Pagefind's index, the theme's assets (hashed names), chart specs (read by the pages only).
INTERNAL = re.compile(r"^/(pagefind|assets)/|\.vl\.json$")


def listed_paths() -> list[str]:
    lines = LISTED.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def site_paths(site: Path) -> list[str]:
    """Every URL path the site publishes: a page as its folder ending in /, a file as itself."""
    paths = []
    for f in site.rglob("*"):
        if not f.is_file():
            continue
        rel = "/" + f.relative_to(site).as_posix()
        if f.name == "index.html":
            rel = rel[: -len("index.html")]
        if not INTERNAL.search(rel):
            paths.append(rel)
    return sorted(paths)


def resolves(site: Path, path: str) -> bool:
    """What a static host serves: a path ending in / is its folder's index.html."""
    target = site / path.lstrip("/")
    return (target / "index.html").is_file() if path.endswith("/") else target.is_file()


def test_the_list_is_sorted_without_repeats_and_says_never_delete():
    paths = listed_paths()
    assert paths == sorted(set(paths)) and all(p.startswith("/") for p in paths)
    header = LISTED.read_text(encoding="utf-8").split("\n/", 1)[0]
    assert "never delete" in header.lower() and "redirects.csv" in header
    for needed in ("/", "/agencies/310105-health/2020/", "/agencies/310105-health/2020/310105-health-2020.zip",
                   "/agencies/310105-health/2020/datapackage.json", "/data/nianbao-all.zip", "/quality/"):
        assert needed in paths, needed


def test_every_listed_url_resolves(built_site):
    """built_site holds the bundled reports (plus generated ones), so every bundled URL must be there."""
    site = built_site[1] / "site"
    missing = [p for p in listed_paths() if not resolves(site, p)]
    assert not missing, f"{len(missing)} published URLs no longer resolve: {missing[:10]}"


def test_resolves_can_tell_a_missing_page(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.csv").write_text("x")
    assert resolves(tmp_path, "/a/x.csv") and not resolves(tmp_path, "/a/") and not resolves(tmp_path, "/a/y.csv")


# --- redirects -------------------------------------------------------------------------------------------

OLD, OLDER, NEW = "310199-health", "310198-health", "310105-health"


@pytest.fixture(scope="module")
def redirected(tmp_path_factory):
    """A generated corpus (长宁区 2020 and 2021) whose body used to be 310199-health, and before that
    310198-health: (output root, reports folder)."""
    from nianbao.cli import main
    from nianbao.synth import STYLES, make_truth

    reports = tmp_path_factory.mktemp("redirect-reports") / "reports"
    reports.mkdir()
    for year, template in ((2020, "2019"), (2021, "2021")):
        truth = make_truth(template, seed=year, year=year, agency_name="上海市长宁区卫生健康委员会")
        (reports / f"changning-{year}.txt").write_text(STYLES["pipe_rows"](truth), encoding="utf-8")
    (reports / "redirects.csv").write_text(f"old_id,new_id,reason\n{OLD},{NEW},区划代码更正\n"
                                           f"{OLDER},{OLD},旧编号\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("redirect-out")
    result = CliRunner().invoke(main, ["build", "--reports", str(reports), "--out", str(out)])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return out, reports


@pytest.mark.parametrize("old", [OLD, OLDER])
def test_old_agency_pages_redirect_without_javascript(redirected, old):
    site = redirected[0] / "site"
    for sub, target in (("", f"../{NEW}/"), ("2020/", f"../../{NEW}/2020/"), ("2021/", f"../../{NEW}/2021/")):
        page = lxml_html.fromstring((site / "agencies" / old / sub / "index.html").read_bytes())
        assert page.xpath("//meta[@http-equiv='refresh']/@content") == [f"0; url={target}"]
        assert page.xpath("//link[@rel='canonical']/@href") == [f"http://127.0.0.1:8000/agencies/{NEW}/{sub}"]
        assert page.xpath("//a/@href") == [target] and "已迁移" in page.text_content()
        assert not page.xpath("//script")
        assert (site / "agencies" / old / sub / target / "index.html").resolve().is_file()   # the link works


def test_old_file_urls_serve_the_same_bytes(redirected):
    site = redirected[0] / "site"
    for year in ("2020", "2021"):
        new, old = site / "agencies" / NEW / year, site / "agencies" / OLD / year
        for name in ("datapackage.json", "cells.csv", "report.json", "source.txt"):
            assert (old / name).read_bytes() == (new / name).read_bytes(), name
        assert (old / f"{OLD}-{year}.zip").read_bytes() == (new / f"{NEW}-{year}.zip").read_bytes()
    assert (site / "agencies" / OLD / f"{OLD}-figures.csv").is_file()


def test_redirect_pages_stay_out_of_the_sitemap(redirected):
    sitemap = (redirected[0] / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert f"agencies/{NEW}/2021/" in sitemap and OLD not in sitemap and OLDER not in sitemap


def test_redirects_csv_is_not_an_input(redirected):
    rows = read_csv_plain(redirected[0] / "datapackages" / "all" / "reports.csv")
    assert sorted(r["file"] for r in rows) == ["changning-2020.txt", "changning-2021.txt"]


def test_bundled_redirects_file_is_header_only_and_reads_as_none():
    from nianbao.site.redirects import FIELDS, read_redirects
    path = ROOT / "reports" / "redirects.csv"
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(FIELDS)
    assert read_redirects(path) == []


def test_bad_redirect_files_stop_the_build(tmp_path):
    from nianbao.site.redirects import Redirect, read_redirects, write_redirects
    path = tmp_path / "redirects.csv"
    assert read_redirects(path) == []                 # absent
    path.write_text("")
    assert read_redirects(path) == []                 # empty
    for body, why in (("old,new,reason\n", "header"), ("old_id,new_id,reason\n310105,310105-health,x\n", "agency id"),
                      ("old_id,new_id,reason\na-health,310105-health,x\n", "agency id"),
                      ("old_id,new_id,reason\n310101-health,310102-health,\n310102-health,310101-health,\n", "circle"),
                      ("old_id,new_id,reason\n310101-health,310102-health,\n310101-health,310103-health,\n", "both")):
        path.write_text(body)
        with pytest.raises(ValueError, match=why):
            read_redirects(path)
    site = tmp_path / "site"
    (site / "agencies" / NEW).mkdir(parents=True)
    with pytest.raises(ValueError, match="no agency"):
        write_redirects(site, [Redirect(OLD, NEW)], "http://x/")
    (site / "agencies" / NEW / "index.html").write_text("new")
    (site / "agencies" / OLD).mkdir()
    (site / "agencies" / OLD / "index.html").write_text("still here")
    with pytest.raises(ValueError, match="still an agency"):
        write_redirects(site, [Redirect(OLD, NEW)], "http://x/")


if __name__ == "__main__":        # python tests/test_permanent_urls.py OUT/site: the paths a built site publishes
    print("\n".join(site_paths(Path(sys.argv[1]))))
