"""The site is a MkDocs project: mkdocs.yml at the top is its configuration, docs/ holds hand-written pages, and
the `nianbao` plugin joins the pages made from the data packages. `nianbao build` and `mkdocs build` make the
same site; a publisher changes the name, colours and menu in mkdocs.yml as in any MkDocs project."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ("000_71ab3c7f20f67078.txt", "001_37eacbe6cb5bd91a.txt")
# Pagefind writes its filter index in a different order from run to run (upstream issue #638): these files
# and the two that name them differ between any two builds, whatever made them.
PAGEFIND_UNSTABLE = re.compile(r"^pagefind/(filter/|pagefind-entry\.json$|pagefind\.[^/]*\.pf_meta$)")


def _edit_config(project: Path, *changes: tuple[str, str]) -> None:
    """mkdocs.yml changed as a person would: line by line (each `old` must be there)."""
    path = project / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A publisher's folder: the repository's mkdocs.yml and docs/, two seed reports, nothing built yet."""
    (tmp_path / "reports").mkdir()
    for name in SEEDS:
        shutil.copyfile(ROOT / "reports" / name, tmp_path / "reports" / name)
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    shutil.copyfile(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NIANBAO_SITE_URL", raising=False)
    return tmp_path


def _build(*args: str) -> str:
    result = CliRunner().invoke(main, ["build", "--reports", "reports", "--out", ".", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _body_year_pages(site: Path) -> list[Path]:
    return sorted(site.glob("agencies/*/*/index.html"))


def test_a_changed_mkdocs_yml_and_a_new_docs_page_are_in_the_site(project: Path):
    _edit_config(project, ("site_name: 年报 Nianbao", "site_name: 某省政务公开年报数据"),
                 ("primary: custom", "primary: teal"), ("  - 首页: index.md\n", "  - 首页: index.md\n  - 我们的说明: our-note.md\n"))
    (project / "docs" / "our-note.md").write_text("# 我们的说明\n\n本站由某省数据开放小组维护。\n", encoding="utf-8")
    _build()
    site = project / "site"
    note = (site / "our-note" / "index.html").read_text(encoding="utf-8")
    assert "本站由某省数据开放小组维护。" in note
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="our-note/"' in home and "我们的说明" in home           # in the menu, from mkdocs.yml's nav
    pages = _body_year_pages(site)
    assert len(pages) == 2
    for page in [site / "index.html", *pages]:                            # generated pages wear the config too
        html = page.read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", html).group(1)
        assert title.endswith("某省政务公开年报数据") and "年报 Nianbao" not in title
        header = re.search(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', html).group(1)
        assert header == "某省政务公开年报数据"                            # the header bar names the site
        assert 'data-md-color-primary="teal"' in html


def test_mkdocs_build_makes_the_same_site_as_nianbao_build(project: Path):
    _build()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", "site2"],
                            cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    first, second = _tree(project / "site"), _tree(project / "site2")
    assert sorted(p for p in first if not PAGEFIND_UNSTABLE.match(p)) == sorted(
        p for p in second if not PAGEFIND_UNSTABLE.match(p))
    assert len([p for p in first if p.endswith(".html")]) >= 10
    differing = sorted(p for p in first if not PAGEFIND_UNSTABLE.match(p) and first[p] != second[p])
    assert differing == []


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}



def test_an_incremental_build_remakes_every_page_when_the_site_name_changes(project: Path):
    """Unchanged body pages are linked from the live site; a new name in mkdocs.yml must not leave them old."""
    _build()
    again = _build()
    unchanged = int(re.search(r"(\d+) unchanged\) → ", again).group(1))
    assert unchanged >= 4                                      # 2 bodies + 2 body-years reused as they were
    _edit_config(project, ("site_name: 年报 Nianbao", "site_name: 新的站名"))
    renamed = _build()
    assert re.search(r"; \d+ made, 0 unchanged\)", renamed), renamed
    for page in _body_year_pages(project / "site"):
        assert "新的站名" in page.read_text(encoding="utf-8")


def test_a_configuration_without_the_plugin_is_refused_in_one_sentence(project: Path):
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "other.yml").write_text(re.sub(r"\nplugins:\n(?:  .*\n|\n)*", "\nplugins: []\n", text), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--reports", "reports", "--out", ".", "--config", "other.yml"])
    assert result.exit_code == 2
    assert "does not use the nianbao plugin" in result.output and "Traceback" not in result.output
    missing = CliRunner().invoke(main, ["build", "--reports", "reports", "--out", ".", "--config", "nowhere.yml"])
    assert missing.exit_code == 2 and "no such configuration file" in missing.output


def test_web_fonts_are_turned_off_whatever_mkdocs_yml_says(project: Path):
    """Material loads fonts from Google (blocked in mainland China) unless `font: false`."""
    _edit_config(project, ("  font: false", "  font:\n    text: Noto Sans SC\n  #"))
    _build("--no-cache")
    html = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html


def test_without_a_mkdocs_yml_the_packaged_default_is_used(project: Path):
    (project / "mkdocs.yml").unlink()
    _build()
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "年报 Nianbao" in home and 'href="agencies/"' in home
    assert not (project / "site" / "about").exists()          # the folder's docs/ is not a site without a config


def _cited(site: Path, packages: Path) -> dict[str, str]:
    """Where a body-year names the site: the page's title and citation, its JSON-LD publisher, CITATION.txt."""
    import json
    page = _body_year_pages(site)[0]
    html = page.read_text(encoding="utf-8")
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    folder = page.parent.relative_to(site / "agencies")
    return {"title": re.search(r"<title>(.*?)</title>", html).group(1).split(" - ")[-1],
            "citation": re.search(r'<p class="nb-cite">.*?\. .*?\. (.*?) 整理', html, re.S).group(1),
            "json-ld": ld["publisher"]["name"],
            "CITATION.txt": re.search(r"^[^.\n]*\. [^.\n]*\. (.*?) 整理", (packages / folder / "CITATION.txt").read_text(
                encoding="utf-8"), re.M).group(1)}


def test_the_site_name_is_configured_once_and_every_citation_uses_it(project: Path):
    """Issue 15: the name was written in three places (the page title's default, the packaged mkdocs.yml and the
    citation's publisher); a publisher who renamed the site still had 年报 Nianbao in every citation."""
    _edit_config(project, ("site_name: 年报 Nianbao", "site_name: 某省政务公开年报数据"))
    _build()
    named = _cited(project / "site", project / "datapackages")
    assert named == dict.fromkeys(named, "某省政务公开年报数据"), named
    _edit_config(project, ("site_name: 某省政务公开年报数据\n", ""))           # none given: the one default
    _build()
    named = _cited(project / "site", project / "datapackages")
    assert named == dict.fromkeys(named, "年报 Nianbao"), named


def test_a_site_without_source_copies_keeps_every_contract_url_and_names_the_original(project: Path):
    """`extra: nianbao_source_copies: false` (a large corpus on a host with a size limit): no source.<ext> beside
    any page, no link to one, and every contract URL still there; the default hosts the copies."""
    from nianbao.site.contract_urls import contract_problems

    _build()
    pages = _body_year_pages(project / "site")
    assert pages and all(list(page.parent.glob("source.*")) for page in pages)
    assert all("原文副本" in page.read_text(encoding="utf-8") for page in pages)
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text(encoding="utf-8")
                                        + "extra:\n  nianbao_source_copies: false\n", encoding="utf-8")
    _build()
    pages = _body_year_pages(project / "site")
    assert [p for page in pages for p in page.parent.glob("source.*")] == []
    assert not any("原文副本" in page.read_text(encoding="utf-8") for page in pages)
    assert all("SHA-256" in page.read_text(encoding="utf-8") for page in pages)
    assert contract_problems(project / "site", sample=len(pages)) == []


def test_a_source_copies_setting_that_is_not_true_or_false_is_refused(project: Path):
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text(encoding="utf-8")
                                        + "extra:\n  nianbao_source_copies: sometimes\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--reports", "reports", "--out", "."])
    assert result.exit_code != 0
    assert "nianbao_source_copies in mkdocs.yml must be true or false" in result.output
