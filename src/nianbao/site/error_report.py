"""报告数据错误: where a reader reports a wrong number, one link under each printed table of a body-year page.

A prefilled new issue on the project's repository when mkdocs.yml gives a GitHub `repo_url` (the publish workflow
sets it from NIANBAO_REPO_URL); else a prefilled e-mail to the address under `extra:` EMAIL_KEY; else no link.
The link is a plain URL with the page, the table and empty lines for the cell and the correct value: it works
without script. tables.js fills in the cell id and the shown value when the page was opened at a cell
(`#<cell id>`), finding the lines by CELL_LINE and VALUE_LINE.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import quote, urlparse

from nianbao.site.mkdocs_build import SiteConfigError
from nianbao.site.text import attr

EMAIL_KEY = "nianbao_report_errors_to"     # mkdocs.yml: extra: {nianbao_report_errors_to: 地址}
LINK_TEXT = "报告数据错误"
CELL_LINE = "格编号："                     # tables.js looks for these two lines
VALUE_LINE = "页面上显示的数值："
GITHUB_HOSTS = ("github.com", "www.github.com")


class Channel(Enum):
    ISSUE = "issue"        # a new issue on the repository
    EMAIL = "email"        # a mailto: link


@dataclass(frozen=True)
class ErrorReports:
    channel: Channel
    address: str           # the repository's new-issue URL, or the e-mail address

    def link(self, page_url: str, subject: str, table_id: str, table_title: str) -> str:
        """The link under one table: `subject` names the body and year, `page_url` is absolute."""
        body = "\n".join([f"页面：{page_url}", f"表格：{table_title}", CELL_LINE, VALUE_LINE,
                          "正确的数值和依据（如原文第几页）：", ""])
        title = f"数据错误：{subject} {table_title}"
        title_key = "title" if self.channel is Channel.ISSUE else "subject"
        href = (f"{'' if self.channel is Channel.ISSUE else 'mailto:'}{self.address}"
                f"?{title_key}={_query_value(title)}&body={_query_value(body)}")
        return (f'<p class="nb-report"><a class="nb-report-error" data-table="{attr(table_id)}" href="{attr(href)}"'
                f' rel="nofollow" aria-label="{LINK_TEXT}：{attr(table_title)}">{LINK_TEXT}</a></p>')


def _query_value(text: str) -> str:
    """A query value with its ASCII percent-encoded and its Chinese as it is: the browser encodes it (as UTF-8)
    when the link is followed, and a page has three such links (encoded, they cost 3 kB of an 80 kB page)."""
    return "".join(c if ord(c) > 127 else quote(c, safe="/:") for c in text)


def error_reports(repo_url: str | None, extra: dict[str, Any]) -> ErrorReports | None:
    """Where errors are reported, from the site's configuration; None: nowhere (the pages show no link)."""
    repo = (repo_url or "").strip().rstrip("/")
    if repo and urlparse(repo).hostname in GITHUB_HOSTS:
        return ErrorReports(Channel.ISSUE, repo.removesuffix(".git") + "/issues/new")
    email = str(extra.get(EMAIL_KEY) or "").strip()
    if not email:
        return None
    if email.count("@") != 1 or any(c in email for c in " ?&<>\"'"):
        raise SiteConfigError(f"mkdocs.yml extra.{EMAIL_KEY} is not an e-mail address: {email!r}")
    return ErrorReports(Channel.EMAIL, email)
