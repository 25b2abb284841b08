"""报告数据错误 (issue 16): under each printed table of a body-year page, a link that opens a prefilled issue on
the project's repository when mkdocs.yml names one, else a prefilled e-mail to the configured address, else
nothing. The link is a plain URL (no script needed); opened at a cell (#<cell id>), it names that cell and the
number shown."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from nianbao.cli import main
from nianbao.site.error_report import Channel, error_reports
from nianbao.site.mkdocs_build import SiteConfigError

ROOT = Path(__file__).resolve().parent.parent
SEED = "001_37eacbe6cb5bd91a.txt"          # 川汇区卫健委 2020: three printed tables
PAGE = "agencies/411602-health/2020/"
REPO = "https://github.com/example/nianbao"
EMAIL = "data@example.org"
TABLES = ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]


def test_the_configuration_chooses_the_repository_then_the_address_then_nothing():
    assert error_reports(REPO + ".git/", {"nianbao_report_errors_to": EMAIL}).address == REPO + "/issues/new"
    assert error_reports("https://gitee.com/example/nianbao", {"nianbao_report_errors_to": EMAIL}).channel is Channel.EMAIL
    assert error_reports(None, {}) is None and error_reports("", {"nianbao_report_errors_to": " "}) is None
    with pytest.raises(SiteConfigError, match="not an e-mail address"):
        error_reports(None, {"nianbao_report_errors_to": "data at example.org"})


def build_site(folder: Path, monkeypatch: pytest.MonkeyPatch, repo: str | None, email: str | None) -> Path:
    """A publisher's folder (the repository's mkdocs.yml, one seed report) built with this configuration."""
    (folder / "reports").mkdir(parents=True)
    shutil.copyfile(ROOT / "reports" / SEED, folder / "reports" / SEED)
    shutil.copytree(ROOT / "docs", folder / "docs")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if email:
        config += f"extra:\n  nianbao_report_errors_to: {email}\n"
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    monkeypatch.chdir(folder)
    monkeypatch.delenv("NIANBAO_SITE_URL", raising=False)
    if repo:
        monkeypatch.setenv("NIANBAO_REPO_URL", repo)
    else:
        monkeypatch.delenv("NIANBAO_REPO_URL", raising=False)
    result = CliRunner().invoke(main, ["build", "--reports", "reports", "--out", "."])
    assert result.exit_code == 0, result.output
    return folder / "site"


def report_links(site: Path) -> list[tuple[str, dict[str, str]]]:
    """(where the link goes, its prefilled fields) of each 报告数据错误 link on the body-year page."""
    html = (site / PAGE / "index.html").read_text(encoding="utf-8")
    out = []
    for href in re.findall(r'<a class="nb-report-error" data-table="[^"]*" href="([^"]*)"', html):
        parts = urlsplit(href.replace("&amp;", "&"))
        out.append((f"{parts.scheme}:{parts.netloc}{parts.path}", {k: v[0] for k, v in parse_qs(parts.query).items()}))
    return out


def test_with_a_repository_each_table_opens_a_prefilled_issue(tmp_path, monkeypatch):
    links = report_links(build_site(tmp_path, monkeypatch, REPO, EMAIL))
    assert [where for where, _ in links] == ["https:github.com/example/nianbao/issues/new"] * 3
    for (_, fields), table in zip(links, TABLES):
        assert fields["title"] == f"数据错误：川汇区卫生健康委员会 2020 年 {table}"
        assert fields["body"].startswith(f"页面：http://127.0.0.1:8000/{PAGE}\n表格：{table}\n格编号：\n页面上显示的数值：\n")


def test_without_a_repository_each_table_opens_a_prefilled_e_mail(tmp_path, monkeypatch):
    links = report_links(build_site(tmp_path, monkeypatch, None, EMAIL))
    assert [where for where, _ in links] == [f"mailto:{EMAIL}"] * 3
    assert [fields["subject"] for _, fields in links] == [f"数据错误：川汇区卫生健康委员会 2020 年 {t}" for t in TABLES]
    assert all(fields["body"].startswith(f"页面：http://127.0.0.1:8000/{PAGE}\n") for _, fields in links)


def test_with_neither_there_is_no_link(tmp_path, monkeypatch):
    site = build_site(tmp_path, monkeypatch, None, None)
    assert "报告数据错误" not in (site / PAGE / "index.html").read_text(encoding="utf-8")


def test_a_page_opened_at_a_number_reports_that_number(tmp_path, monkeypatch, browser):
    from nianbao.site.serve import make_server

    site = build_site(tmp_path, monkeypatch, REPO, None)
    httpd = make_server(site, "127.0.0.1", 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    # With repo_url set, Material's own header would ask api.github.com for the repository's stars; our
    # partials/source.html keeps the link without that component. Every request is recorded, none refused.
    context = browser.new_context()
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/{PAGE}#requests.new.total")
        shown = page.locator('td[data-cell="requests.new.total"]').text_content().strip()
        href = page.locator('a.nb-report-error[data-table="requests"]').get_attribute("href")
        body = parse_qs(urlsplit(href).query)["body"][0]
        assert f"页面：http://127.0.0.1:8000/{PAGE}#requests.new.total\n" in body
        assert "\n格编号：requests.new.total\n" in body and f"\n页面上显示的数值：{shown}\n" in body
        other = page.locator('a.nb-report-error[data-table="appeals"]').get_attribute("href")
        assert "格编号：\n" in parse_qs(urlsplit(other).query)["body"][0]        # the other tables' links as they were
        page.wait_for_load_state("networkidle")
        assert page.locator("a.md-source").first.get_attribute("href") == REPO
        assert [url for url in requested if not url.startswith("http://127.0.0.1:")] == []
    finally:
        context.close()
        httpd.shutdown()
        httpd.server_close()
