"""How to cite a body-year's data, in one wording: the page's 引用 block and the package's CITATION.txt."""

from __future__ import annotations

from dataclasses import dataclass

from nianbao.model.urls import DEFAULT_SITE_NAME


@dataclass(frozen=True)
class Citation:
    agency_id: str
    author: str                  # the body's name
    year: int                    # the report's year (the report is published the year after)
    url: str                     # absolute: the body-year's page
    version: str                 # the data version of the package
    source_url: str = ""         # where the body published the report (the manifest's), when known
    publisher: str = DEFAULT_SITE_NAME   # the site's name, as mkdocs.yml configures it

    @property
    def key(self) -> str:
        return f"nianbao-{self.agency_id}-{self.year}"

    @property
    def title(self) -> str:
        return f"{self.year}年政府信息公开工作年度报告（数据）"

    def text(self) -> str:
        source = f" 原文：{self.source_url}" if self.source_url else ""
        return f"{self.author}. {self.title}. {self.publisher} 整理, 数据版本 {self.version}. {self.url}{source}"

    def bibtex(self) -> str:
        return (f"@misc{{{self.key},\n  author = {{{{{self.author}}}}},\n"
                f"  title = {{{self.title}}},\n  year = {{{self.year + 1}}},\n"
                f"  howpublished = {{{self.publisher}}},\n  url = {{{self.url}}},\n"
                f"  note = {{数据版本 {self.version}{'；原文 ' + self.source_url if self.source_url else ''}}}\n}}")

    def csl(self) -> dict[str, object]:
        """CSL-JSON (what reference managers import)."""
        return {"id": self.key, "type": "dataset", "author": [{"literal": self.author}], "title": self.title,
                "publisher": self.publisher, "URL": self.url, "version": self.version,
                "issued": {"date-parts": [[self.year + 1]]},
                **({"note": f"原文：{self.source_url}"} if self.source_url else {})}

    def file_text(self) -> str:
        """CITATION.txt: the text and BibTeX."""
        return (f"引用格式（请在末尾加上访问日期）：\n\n{self.text()}\n\nBibTeX:\n\n{self.bibtex()}\n")
