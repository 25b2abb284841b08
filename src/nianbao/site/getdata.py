"""下载与引用 on a body-year page: the links at the top (within a phone's first screen), the full list of files
with the pandas snippet, the citation (text, BibTeX, CSL-JSON — model/citation.py's one wording, also the
package's CITATION.txt) and the schema.org Dataset description that says the same in JSON-LD."""

from __future__ import annotations

import json

from nianbao.model import urls
from nianbao.model.citation import Citation
from nianbao.site.corpus import Body, BodyYear
from nianbao.site.page import READ_PACKAGE_NOTE, SiteContext, link, source_date
from nianbao.site.text import attr, inert

LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
# The formats people ask for first, by resource path in the body-year package (what the top bar names).
QUICK = (("cells.csv", "CSV"), ("report.json", "JSON"))


def citation_of(ctx: SiteContext, body: Body, by: BodyYear) -> Citation:
    return Citation(by.agency_id, body.name, by.year, ctx.absolute(by.url), by.package.get("version", ""),
                    by.source.get("source_url") or "", ctx.site_name)


def quick_links(by: BodyYear) -> str:
    """One line under the title: the data in the common formats, everything as a zip, and how to cite."""
    paths = {r["path"] for r in by.package.get("resources", [])}
    links = [f'<a href="{path}">{label}</a>' for path, label in QUICK if path in paths]
    workbook = urls.package_workbook(by.agency_id, by.year)
    if workbook in paths:
        links.insert(1, f'<a href="{workbook}">Excel</a>')
    links += [f'<a href="{urls.package_zip(by.agency_id, by.year)}">全部（zip）</a>',
              f'<a href="{urls.DESCRIPTOR}">数据包描述</a>', '<a href="#cite">引用</a>']
    return '<p class="nb-getdata"><strong>下载数据</strong>' + "".join(links) + "</p>"


def downloads(ctx: SiteContext, by: BodyYear) -> str:
    resources = by.package.get("resources", [])
    zip_name = urls.package_zip(by.agency_id, by.year)
    items = [f'<li><a href="{zip_name}"><strong>{zip_name}</strong></a>：全部文件、说明和引用格式</li>',
             f'<li><a href="{urls.DESCRIPTOR}">{urls.DESCRIPTOR}</a>：Frictionless 数据包描述（字段、主键、来源）；'
             f'各表的表结构以网址引用{link(by.url, urls.DOWNLOADS + "#schemas", "全站共用的一份")}，zip 里的内含</li>']
    for res in resources:
        items.append(f'<li><a href="{attr(res["path"])}">{attr(res["path"])}</a>：{inert(res.get("title", ""))}</li>')
    # the dictionary is the same for every body-year: published once, with the corpus (issue 18)
    dictionary = urls.corpus_file(urls.CELL_DICTIONARY)
    items.append(f"<li>{link(by.url, dictionary, urls.CELL_DICTIONARY)}：数据字典（单元格代码的名称与单位），"
                 f"全库共用一份，另见{link(by.url, urls.DICTIONARY, '数据字典页')}</li>")
    snippet = ("import pandas as pd\n"
               f'base = "{ctx.absolute(by.url)}"\n'
               'cells = pd.read_csv(base + "cells.csv")          # 每格一行：数值、状态、原文、单位、位置\n'
               'requests = pd.read_csv(base + "requests.csv")    # 表三，按原表排列\n\n'
               f"{READ_PACKAGE_NOTE}\n"
               "import nianbao\n"
               "package = nianbao.read_package(base)             # package.cells、package.requests ……")
    return ('<h2 id="downloads">下载</h2><ul class="nb-downloads">' + "".join(items) + "</ul>"
            f'<pre class="nb-snippet"><code>{inert(snippet)}</code></pre>')


def citation_block(ctx: SiteContext, body: Body, by: BodyYear) -> str:
    """How to cite this body-year: the package's CITATION.txt wording, as text, BibTeX and CSL-JSON. A single
    number is cited by its cell's address: this page's URL + #<cell id> (each number in the tables has one)."""
    citation = citation_of(ctx, body, by)
    return ('<h2 id="cite">引用</h2>'
            f'<p class="nb-cite">{inert(citation.text())}<span class="nb-accessed"></span></p>'
            "<p>引用某一个数字时，在网址后加上该格的编号，例如 "
            f"<code>{inert(ctx.absolute(by.url))}#requests.new.total</code>（表三“本年新收”总计）；"
            "把鼠标停在表格中的数字上可以看到它的格编号。</p>"
            '<details><summary>BibTeX</summary><pre><code>' + inert(citation.bibtex()) + "</code></pre></details>"
            '<details><summary>CSL-JSON</summary><pre><code>'
            + inert(json.dumps(citation.csl(), ensure_ascii=False, sort_keys=True, indent=2)) + "</code></pre></details>")


def dataset_ld(ctx: SiteContext, body: Body, by: BodyYear) -> dict:
    url = ctx.absolute(by.url)
    dist = [{"@type": "DataDownload", "encodingFormat": "application/zip", "contentUrl": url + urls.package_zip(by.agency_id, by.year)},
            {"@type": "DataDownload", "encodingFormat": "application/json", "contentUrl": url + urls.DESCRIPTOR}]
    dist += [{"@type": "DataDownload", "encodingFormat": _mime(r["path"]), "contentUrl": url + r["path"]}
             for r in by.package.get("resources", [])]
    ld = {"@context": "https://schema.org", "@type": "Dataset", "name": by.package.get("title", ""),
          "description": by.package.get("description", ""), "url": url, "identifier": url,
          "license": LICENSE_URL, "version": by.package.get("version", ""),
          "creator": {"@type": "Organization", "name": body.name},
          "publisher": {"@type": "Organization", "name": ctx.site_name},
          "temporalCoverage": str(by.year), "inLanguage": "zh-CN",
          "spatialCoverage": {"@type": "Place", "name": body.row.get("region") or ""},
          "keywords": ["政府信息公开工作年度报告", body.name, str(by.year)], "distribution": dist,
          "citation": citation_of(ctx, body, by).text()}
    if source_date(by):
        ld["datePublished"] = source_date(by)
    if by.source.get("source_url"):
        ld["isBasedOn"] = by.source["source_url"]
    return ld


def _mime(path: str) -> str:
    return {"csv": "text/csv", "json": "application/json",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}.get(path.rsplit(".", 1)[-1],
                                                                                              "application/octet-stream")
