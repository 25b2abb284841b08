"""Every page of the site as Markdown (mostly raw HTML blocks), written from the published packages.

A page is a folder URL (`agencies/310105-health/2020/`) with its Markdown, the chart specs and small CSV files
that sit beside it. Links between pages are relative, so the site works under any base path (GitHub Pages
project sites live under /<repo>/). Text that came from a report goes through `inert()`.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from dataclasses import dataclass, field

from nianbao.site import charts
from nianbao.site.corpus import Body, BodyYear, Corpus
from nianbao.site.islands import ISLAND
from nianbao.files import csv_bytes as _csv_bytes
from nianbao.site.measures import CHART_TITLES, MEASURES, OUTCOMES
from nianbao.site.tables import LEGEND, tables_html
from nianbao.site.text import (LEVELS, STATUS_NAMES, CheckWords, attr, grouped, inert, json_script, number,
                               percent)

SITE_TITLE = "年报 Nianbao"
LANGUAGE = "zh"          # theme.language in mkdocs.base.yml: the page language Pagefind indexes under
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
SECTION_TITLES = {"overview": "一、总体情况", "problems": "五、存在的主要问题及改进情况", "other": "六、其他需要报告的事项"}
TEMPLATE_NAMES = {"2019": "2019 年版（国办公开办函〔2019〕60号）", "2021": "2021 年版（国办公开办函〔2021〕30号）",
                  "mixed": "混合（两版表格都有）"}


@dataclass
class Page:
    url: str                                   # '' for home, 'agencies/x/' …
    title: str                                 # plain text (escaped when written)
    body: str                                  # Markdown / HTML
    description: str = ""
    charts: list[charts.ChartFile] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)   # small files beside the page
    meta: dict = field(default_factory=dict)
    lastmod: str | None = None                 # for the sitemap: a date the data gives, never the clock
    indexed: str = ""                          # the element with data-pagefind-body, if the page is searchable

    def markdown(self) -> str:
        """Front matter and a placeholder: the body is HTML, put in after Markdown by site/islands.py."""
        front = {"title": self.title, "description": self.description or self.title, **self.meta}
        if self.charts:
            front["charts"] = True
        lines = ["---"] + [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in sorted(front.items())] + ["---", ""]
        return "\n".join(lines) + ISLAND + "\n"

    def html(self) -> str:
        return self.body.strip() + "\n"

    def search_document(self) -> str | None:
        """What Pagefind reads of this page, as a document of its own: the theme's h1 (Pagefind takes the
        page's first h1 as the result title), the page language, and the data-pagefind-body element, which
        holds all the page's indexed text and filters. Pagefind then reads ~1 kB a page instead of the ~60 kB
        page — 20 s of every build at 10,000 reports. tests/test_site.py checks that the index is the one
        Pagefind makes from the built pages."""
        if not self.indexed:
            return None
        title = html.escape(self.title, quote=False)
        return (f'<!doctype html>\n<html lang="{LANGUAGE}"><head><meta charset="utf-8"><title>{title}</title></head>'
                f"<body><h1>{title}</h1>\n{self.indexed}\n</body></html>\n")


def up(url: str) -> str:
    """The relative path from a page at `url` back to the site root."""
    return "../" * url.count("/") if url else ""


def link(from_url: str, to_url: str, text: str) -> str:
    return f'<a href="{up(from_url)}{to_url}">{text}</a>'


def table(header: list[str], rows: list[list[str]], cls: str = "nb-list", attrs: str = "") -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    # data-pagefind-ignore: rows of figures are not what people search for, and they were most of the index
    return f'<div class="nb-scroll" data-pagefind-ignore><table class="{cls}"{attrs}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def chart_block(chart: charts.ChartFile, numbers: str) -> str:
    """A chart and, beside it, an HTML table of the same numbers (for screen readers and for checking)."""
    return (f'<figure class="nb-figure"><div class="nb-chart" data-spec="{chart.name}" role="img" '
            f'aria-label="{attr(chart.description)}"></div><figcaption>{attr(chart.description)}</figcaption>'
            f"{numbers}</figure>")


def level_name(level: str) -> str:
    return LEVELS.get(level or "", level or "未知")


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    """CSV like the packages' (UTF-8 with BOM for Excel). Charts never read the first column, which the BOM
    touches, so every chart CSV starts with agency_id or scope."""
    return _csv_bytes(header, [[None if v is None else number(v) for v in row] for row in rows])


def figures_rows(by: BodyYear) -> list[list]:
    return [[by.agency_id, by.year, m.chart, m.label, v] for m, v in by.figures]


FIGURE_HEADER = ["agency_id", "year", "chart", "measure", "value"]


def source_date(by: BodyYear) -> str | None:
    return by.source.get("published") or by.source.get("retrieved") or None


# --- body-year page -----------------------------------------------------------------------------------------

class SiteContext:
    def __init__(self, corpus: Corpus, site_url: str, synthetic: bool = False):
        self.corpus = corpus
        self.site_url = site_url.rstrip("/") + "/"
        self.words = CheckWords(corpus.dictionary)
        self.synthetic = synthetic

    def absolute(self, url: str) -> str:
        return self.site_url + url


def body_year_page(ctx: SiteContext, body: Body, by: BodyYear, source_name: str | None) -> Page:
    url = by.url
    report = by.report
    cells = report["cells"]
    statuses = {cid: c["status"] for cid, c in cells.items()}
    failed_cells = {c for check in by.failed if check["severity"] == "hard" for c in check["cells"].split()}
    paged = bool(source_name and source_name.lower().endswith(".pdf"))
    title = f"{body.name} {by.year} 年政府信息公开工作年度报告（数据）"
    checks = by.checks
    n_ok = sum(c["ok"] == "true" for c in checks)
    n_bad = sum(c["ok"] == "false" for c in checks)
    n_unknown = len(checks) - n_ok - n_bad
    figures_url = f"../{by.agency_id}-figures.csv"
    outcome_chart = charts.bars(
        "outcomes.vl.json", figures_url, f"{body.name} {by.year} 年申请办理结果（件，表三“总计”列）",
        category="measure", value="value", title="件", sort=OUTCOMES,
        filters=[f"datum.year == {by.year}", "datum.chart == 'outcomes'", "isValid(datum.value)"])
    outcome_numbers = table(["办理结果", "件"], [[m.label, _shown(v)] for m, v in by.figures
                                                if m.chart == "outcomes"], cls="nb-list nb-numbers")
    # Only the name and year are indexed (with the filters): text every report shares — headings, legends,
    # templated prose — put a posting for each page into the same index chunk, 290 kB at 10,000 reports.
    indexed = f"<div data-pagefind-body><h1>{inert(body.name)} {by.year} 年</h1>" + _filters(body, [by.year]) + "</div>"
    parts = [
        '<div class="nb-page">',
        indexed,
        '<p class="nb-lead">政府信息公开工作年度报告中三张统计表的数据，逐格读出并核对报告自身的勾稽关系。</p>',
        _facts(ctx, body, by, source_name),
        f'<p class="nb-checks-summary">勾稽关系核对：<strong>{n_ok}</strong> 项成立，'
        f'<strong class="{"nb-bad" if n_bad else ""}">{n_bad}</strong> 项不成立，{n_unknown} 项无法核对。'
        + (' <a href="#checks">查看不成立的核对</a>' if n_bad else "") + "</p>",
        "<h2 id=\"chart\">申请办理结果</h2>",
        chart_block(outcome_chart, outcome_numbers),
        '<h2 id="tables">统计表（按原表排列）</h2>',
        LEGEND,
        tables_html(report, failed_cells, source_name, paged),
        '<h2 id="checks">勾稽关系核对</h2>',
        _checks_table(ctx, checks, statuses),
        _prose(report),
        "</div>",
        _downloads(by),
        _citation(ctx, body, by),
        f'<script type="application/ld+json">{json_script(_dataset_ld(ctx, body, by))}</script>',
    ]
    return Page(url, title, "\n".join(p for p in parts if p), description=describe(body, by),
                charts=[outcome_chart], lastmod=source_date(by), indexed=indexed,
                meta={"hide": ["navigation"]})


def _shown(value) -> str:
    return "—" if value is None else grouped(value)


def _filters(body: Body, years: list[int]) -> str:
    """Pagefind filters: body, year, province and level (hidden; the search page shows them)."""
    spans = [f'<span data-pagefind-filter="机关">{inert(body.name)}</span>']
    spans += [f'<span data-pagefind-filter="年度">{y}</span>' for y in years]
    spans.append(f'<span data-pagefind-filter="省份">{inert(body.row.get("province") or "未知")}</span>')
    spans.append(f'<span data-pagefind-filter="层级">{level_name(body.row.get("level", ""))}</span>')
    return '<p hidden>' + "".join(spans) + "</p>"


def _facts(ctx: SiteContext, body: Body, by: BodyYear, source_name: str | None) -> str:
    report, src = by.report, by.source
    rows = [
        ("机关", link(by.url, body.url, inert(body.name)) + f'（编号 <code>{body.id}</code>）'),
        ("地区", f'{inert(body.row.get("region") or "")}（行政区划代码 {body.row.get("region_code") or "—"}，'
                 f'{level_name(body.row.get("level", ""))}）'),
        ("年度", f"{by.year} 年"),
        ("表格模板", TEMPLATE_NAMES.get(str(report.get("template")), inert(report.get("template")))),
        ("报告标题", inert(report.get("title") or "（原文未印标题）")),
    ]
    if src.get("source_url"):
        rows.append(("原文地址", f'<a href="{attr(src["source_url"])}" rel="nofollow noopener">{inert(src["source_url"])}</a>'))
    if source_name:
        rows.append(("原文副本", f'<a href="{attr(source_name)}">{attr(source_name)}</a>（本站保存的副本，与下方 SHA-256 一致）'))
    rows.append(("SHA-256", f"<code>{report.get('sha256', '')}</code>"))
    if src.get("published"):
        rows.append(("发布日期", src["published"]))
    if src.get("retrieved"):
        rows.append(("获取日期", src["retrieved"]))
    rows.append(("读取方式", inert(report.get("reader") or "")))
    if src.get("notes"):
        rows.append(("说明", inert(src["notes"])))
    return '<dl class="nb-facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"


def _checks_table(ctx: SiteContext, checks: list[dict], statuses: dict[str, str]) -> str:
    if not checks:
        return "<p>这份报告没有可核对的表格。</p>"
    order = {"false": 0, "": 1, "true": 2}
    rows = []
    for check in sorted(checks, key=lambda c: (order.get(c["ok"], 1), int(c["n"]))):
        state = {"true": '<span class="nb-ok">✓ 成立</span>', "false": '<span class="nb-bad">✗ 不成立</span>'}.get(
            check["ok"], '<span class="nb-na">？ 无法核对</span>')
        kind = "" if check["severity"] == "hard" else "（提示）"
        rows.append([f'{check["check_id"]}{kind}', inert(ctx.words.rule(check)),
                     inert(ctx.words.outcome(check, statuses)), state])
    return table(["编号", "规则", "算式", "结果"], rows, cls="nb-list nb-checks")


PROSE_BUDGET = 4000   # characters of prose per page: keeps a citable page under 80 kB whatever a report says


def _prose(report: dict) -> str:
    out = []
    budget = PROSE_BUDGET
    for key, heading in SECTION_TITLES.items():
        text = (report.get("sections") or {}).get(key)
        if not text:
            continue
        if len(text) > budget:
            text = text[:max(budget, 0)] + "……（以下从略，全文见原文副本和 report.json）"
        budget -= len(text)
        paragraphs = "".join(f"<p>{inert(p)}</p>" for p in str(text).split("\n") if p.strip())
        out.append(f'<h2 id="{key}">{heading}</h2><div class="nb-prose">{paragraphs}</div>')
    if out:
        out.insert(0, '<p class="nb-note">以下为报告原文中的文字部分，照录，未经核实。</p>')
    return "".join(out)


def _downloads(by: BodyYear) -> str:
    resources = by.package.get("resources", [])
    zip_name = f"{by.agency_id}-{by.year}.zip"
    items = [f'<li><a href="{zip_name}"><strong>{zip_name}</strong></a>：全部文件、说明和引用格式</li>',
             '<li><a href="datapackage.json">datapackage.json</a>：Frictionless 数据包描述（字段、主键、来源）</li>']
    for res in resources:
        items.append(f'<li><a href="{attr(res["path"])}">{attr(res["path"])}</a>：{inert(res.get("title", ""))}</li>')
    snippet = ("import pandas as pd\n"
               f'base = "{{网址}}/agencies/{by.agency_id}/{by.year}/"\n'
               'cells = pd.read_csv(base + "cells.csv")          # 每格一行：数值、状态、原文、单位、位置\n'
               'requests = pd.read_csv(base + "requests.csv")    # 表三，按原表排列')
    return ('<h2 id="downloads">下载</h2><ul class="nb-downloads">' + "".join(items) + "</ul>"
            f'<pre class="nb-snippet"><code>{inert(snippet)}</code></pre>')


def citation_text(ctx: SiteContext, body: Body, by: BodyYear) -> str:
    return (f"{body.name}. {by.year}年政府信息公开工作年度报告（数据）. 年报 Nianbao 整理, "
            f"数据版本 {by.package.get('version', '')}. {ctx.absolute(by.url)}")


def _citation(ctx: SiteContext, body: Body, by: BodyYear) -> str:
    url = ctx.absolute(by.url)
    bibtex = (f"@misc{{nianbao-{by.agency_id}-{by.year},\n  author = {{{{{body.name}}}}},\n"
              f"  title = {{{by.year}年政府信息公开工作年度报告（数据）}},\n  year = {{{by.year + 1}}},\n"
              f"  howpublished = {{年报 Nianbao}},\n  url = {{{url}}},\n"
              f"  note = {{数据版本 {by.package.get('version', '')}}}\n}}")
    csl = {"id": f"nianbao-{by.agency_id}-{by.year}", "type": "dataset", "author": [{"literal": body.name}],
           "title": f"{by.year}年政府信息公开工作年度报告（数据）", "publisher": "年报 Nianbao", "URL": url,
           "version": by.package.get("version", ""), "issued": {"date-parts": [[by.year + 1]]}}
    return ('<h2 id="cite">引用</h2>'
            f'<p class="nb-cite">{inert(citation_text(ctx, body, by))}</p>'
            '<details><summary>BibTeX</summary><pre><code>' + inert(bibtex) + "</code></pre></details>"
            '<details><summary>CSL-JSON</summary><pre><code>'
            + inert(json.dumps(csl, ensure_ascii=False, sort_keys=True, indent=2)) + "</code></pre></details>")


def _dataset_ld(ctx: SiteContext, body: Body, by: BodyYear) -> dict:
    url = ctx.absolute(by.url)
    dist = [{"@type": "DataDownload", "encodingFormat": "application/zip", "contentUrl": f"{url}{by.agency_id}-{by.year}.zip"},
            {"@type": "DataDownload", "encodingFormat": "application/json", "contentUrl": f"{url}datapackage.json"}]
    dist += [{"@type": "DataDownload", "encodingFormat": _mime(r["path"]), "contentUrl": url + r["path"]}
             for r in by.package.get("resources", [])]
    ld = {"@context": "https://schema.org", "@type": "Dataset", "name": by.package.get("title", ""),
          "description": by.package.get("description", ""), "url": url, "identifier": url,
          "license": LICENSE_URL, "version": by.package.get("version", ""),
          "creator": {"@type": "Organization", "name": body.name},
          "publisher": {"@type": "Organization", "name": "年报 Nianbao"},
          "temporalCoverage": str(by.year), "inLanguage": "zh-CN",
          "spatialCoverage": {"@type": "Place", "name": body.row.get("region") or ""},
          "keywords": ["政府信息公开工作年度报告", body.name, str(by.year)], "distribution": dist}
    if source_date(by):
        ld["datePublished"] = source_date(by)
    if by.source.get("source_url"):
        ld["isBasedOn"] = by.source["source_url"]
    return ld


def _mime(path: str) -> str:
    return {"csv": "text/csv", "json": "application/json",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}.get(path.rsplit(".", 1)[-1],
                                                                                              "application/octet-stream")


def describe(body: Body, by: BodyYear) -> str:
    new = by.figure("本年新收申请")
    text = f"{body.name} {by.year} 年政府信息公开工作年度报告的统计数据"
    return text + (f"：本年新收申请 {number(new)} 件。" if new is not None else "。")


# --- body page ----------------------------------------------------------------------------------------------

def body_page(ctx: SiteContext, body: Body) -> Page:
    url = body.url
    years = sorted(body.years)
    rows = [r for y in years for r in figures_rows(body.years[y])]
    figures_name = f"{body.id}-figures.csv"
    blocks = []
    chart_files = []
    for chart_id, chart_title in CHART_TITLES.items():
        measures = [m.label for m in MEASURES if m.chart == chart_id]
        chart = charts.by_year(f"{chart_id}.vl.json", figures_name, f"{body.name} 各年度{chart_title}（件）",
                               measure="measure", value="value", title="件", order=measures,
                               stacked=chart_id == "outcomes",
                               filters=[f"datum.chart == '{chart_id}'", "isValid(datum.value)"])
        values = {(r[1], r[3]): r[4] for r in rows if r[2] == chart_id}
        numbers = table(["项目"] + [f"{y}" for y in years],
                        [[m] + [_shown(values.get((y, m))) for y in years] for m in measures], cls="nb-list nb-numbers")
        blocks.append(f'<h3>{chart_title}</h3>' + chart_block(chart, numbers))
        chart_files.append(chart)
    year_rows = []
    for y in years:
        by = body.years[y]
        year_rows.append([link(url, by.url, f"{y} 年"), TEMPLATE_NAMES.get(str(by.template), ""),
                          _shown(by.figure("本年新收申请")),
                          f'{by.n_ok} / {by.n_checks}'
                          + (f'，<span class="nb-bad">{by.n_failed} 项不成立</span>' if by.n_failed else "")])
    former = body.row.get("former_names") or ""
    facts = [("编号", f"<code>{body.id}</code>"), ("地区", inert(body.row.get("region") or "")),
             ("行政区划代码", body.row.get("region_code") or "—"), ("省份", inert(body.row.get("province") or "")),
             ("层级", level_name(body.row.get("level", ""))), ("领域", inert(body.row.get("sector") or ""))]
    if former:
        facts.append(("曾用名", inert(former)))
    indexed = "\n".join([
        '<div class="nb-page" data-pagefind-body>',
        f"<h1>{inert(body.name)}</h1>",
        _filters(body, years),
        '<dl class="nb-facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>",
        "<h2 id=\"years\">各年度报告</h2>",
        table(["年度", "表格模板", "本年新收申请（件）", "勾稽关系成立"], year_rows),
        "</div>"])
    parts = [
        indexed,
        '<h2 id="trends">历年变化</h2>',
        f'<p>图表数据：<a href="{figures_name}">{figures_name}</a>（由各年度数据包计算；空白计为 0，'
        "任一格未找到或无法识别时该项记为空，表中显示“—”）。</p>",
        *blocks,
    ]
    lastmod = max((d for y in years if (d := source_date(body.years[y]))), default=None)
    return Page(url, body.name, "\n".join(p for p in parts if p),
                description=f"{body.name} 历年政府信息公开工作年度报告数据", charts=chart_files,
                files={figures_name: csv_bytes(FIGURE_HEADER, rows)}, lastmod=lastmod, indexed=indexed,
                meta={"hide": ["navigation"]})


# --- index, compare, quality, dictionary, downloads, home, search ------------------------------------------

# No page lists more than this many rows: past it, lists are split by province or cut with the full data in a
# CSV, so a page's size and build cost stay flat however large the corpus grows.
LIST_LIMIT = 300


def _body_rows(url: str, bodies: list[Body]) -> list[list[str]]:
    rows = []
    for body in sorted(bodies, key=lambda b: (b.row.get("region_code") or "", b.id)):
        years = "、".join(link(url, body.years[y].url, str(y)) for y in sorted(body.years))
        rows.append([link(url, body.url, inert(body.name)), inert(body.row.get("province") or ""),
                     level_name(body.row.get("level", "")), f"<code>{body.id}</code>", years])
    return rows


def _body_table(rows: list[list[str]]) -> str:
    return ('<p>每个机关一行。点击表头排序，在下面的框里输入文字筛选。</p>'
            '<p><input class="nb-filter" type="search" placeholder="筛选：机关、省份、层级、编号……" '
            'aria-label="筛选机关"></p>'
            + table(["机关", "省份", "层级", "编号", "年度"], rows, cls="nb-list nb-sortable", attrs=' data-filterable'))


def provinces(corpus: Corpus) -> dict[str, list[Body]]:
    """Province code (2 digits + 0000) → its bodies; bodies without a region under "000000"."""
    out: dict[str, list[Body]] = defaultdict(list)
    for body in corpus.bodies.values():
        code = body.row.get("region_code") or ""
        out[code[:2] + "0000" if len(code) == 6 else "000000"].append(body)
    return dict(sorted(out.items()))


def split_by_province(corpus: Corpus) -> bool:
    return len(corpus.bodies) > LIST_LIMIT


def agencies_page(ctx: SiteContext) -> Page:
    url = "agencies/"
    bodies = list(ctx.corpus.bodies.values())
    if not split_by_province(ctx.corpus):
        return Page(url, "机关", _body_table(_body_rows(url, bodies)), description=f"全部 {len(bodies)} 个机关及其年度报告")
    rows = []
    for code, members in provinces(ctx.corpus).items():
        name = members[0].row.get("province") or "地区未知"
        rows.append([link(url, f"regions/{code}/", inert(name)), str(len(members)),
                     str(sum(len(b.years) for b in members))])
    body = (f"<p>共 {len(bodies)} 个机关，按省份分页列出（每页可排序、筛选）。找某个机关，也可以用"
            f"{link(url, 'search/', '搜索')}。</p>" + table(["省份", "机关", "年度报告"], rows, cls="nb-list nb-sortable"))
    return Page(url, "机关", body, description=f"全部 {len(bodies)} 个机关，按省份列出")


def region_page(ctx: SiteContext, code: str) -> Page:
    url = f"regions/{code}/"
    members = provinces(ctx.corpus)[code]
    name = members[0].row.get("province") or "地区未知"
    body = (f"<p>{inert(name)}的 {len(members)} 个机关。{link(url, 'agencies/', '全部省份')}</p>"
            + _body_table(_body_rows(url, members)))
    return Page(url, f"{name}的机关", body, description=f"{name}的 {len(members)} 个机关及其年度报告")


def capped(rows: list, what: str, data_link: str) -> tuple[list, str]:
    """At most LIST_LIMIT rows, and a sentence saying where the rest are."""
    if len(rows) <= LIST_LIMIT:
        return rows, ""
    return rows[:LIST_LIMIT], (f"<p>这里列出前 {LIST_LIMIT} 个{what}（共 {len(rows)} 个）；全部见 {data_link}。</p>")


def compare_rows(ctx: SiteContext, year: int) -> list[list]:
    rows = []
    for body in ctx.corpus.bodies.values():
        by = body.years.get(year)
        if by is None:
            continue
        f = {m.label: v for m, v in by.figures}
        handled = None if any(f[o] is None for o in OUTCOMES) else sum(f[o] for o in OUTCOMES)
        granted = None if f["予以公开"] is None or f["部分公开"] is None else f["予以公开"] + f["部分公开"]
        share = round(100 * granted / handled, 1) if handled and granted is not None else None
        decisions = [f["行政许可"], f["行政处罚"], f["行政强制"]]
        rows.append([body.id, body.name, body.row.get("province") or "", level_name(body.row.get("level", "")),
                     f["本年新收申请"], handled, granted, share,
                     None if any(d is None for d in decisions) else sum(decisions),
                     f["行政复议"], _sum_known(f["行政诉讼（未经复议）"], f["行政诉讼（复议后）"])])
    rows.sort(key=lambda r: (-(r[4] if r[4] is not None else -1), r[0]))
    return rows


def _sum_known(*values):
    return None if any(v is None for v in values) else sum(values)


COMPARE_HEADER = ["agency_id", "name", "province", "level", "new_requests", "handled", "granted_full_or_part",
                  "granted_share_percent", "decisions", "review", "litigation"]


def compare_page(ctx: SiteContext, year: int) -> Page:
    url = f"compare/{year}/"
    rows = compare_rows(ctx, year)
    csv_name = f"compare-{year}.csv"
    chart = charts.bars("ranking.vl.json", csv_name, f"{year} 年本年新收申请最多的机关（前 20 名，件）",
                        category="name", value="new_requests", title="本年新收申请（件）",
                        filters=["isValid(datum.new_requests)", "datum.rank <= 20"], height=360)
    chart.spec.setdefault("transform", []).insert(0, {"window": [{"op": "row_number", "as": "rank"}],
                                                      "sort": [{"field": "new_requests", "order": "descending"}]})
    listed, rest = capped(rows, "机关", f'<a href="{csv_name}">{csv_name}</a>')
    shown = [[link(url, f"agencies/{r[0]}/{year}/", inert(r[1])), inert(r[2]), r[3], _shown(r[4]), _shown(r[5]),
              "—" if r[7] is None else f"{r[7]:.1f}%", _shown(r[8]), _shown(r[9]), _shown(r[10])] for r in listed]
    top = table(["机关", "本年新收申请"], [[inert(r[1]), _shown(r[4])] for r in rows[:20]], cls="nb-list nb-numbers")
    parts = [
        f"<p>{year} 年报告了数据的 {len(rows)} 个机关。办理结果合计为表三“总计”列各项之和；“公开比例”为予以公开与部分公开之和"
        "占办理结果合计的比例；“处理决定”为表二行政许可、行政处罚、行政强制决定数之和。任一格未找到或无法识别时显示“—”。"
        f' 数据：<a href="{csv_name}">{csv_name}</a>。</p>',
        chart_block(chart, top),
        "<h2 id=\"ranking\">机关排名</h2>", rest,
        table(["机关", "省份", "层级", "本年新收申请", "办理结果合计", "公开比例", "处理决定", "行政复议", "行政诉讼"], shown,
              cls="nb-list nb-sortable"),
        "<h2 id=\"provinces\">按省份汇总</h2>", _rollup(rows, 2, "省份"),
        "<h2 id=\"levels\">按层级汇总</h2>", _rollup(rows, 3, "层级"),
    ]
    return Page(url, f"{year} 年对比", "\n".join(p for p in parts if p), charts=[chart],
                files={csv_name: csv_bytes(COMPARE_HEADER, rows)}, description=f"{year} 年各机关政府信息公开数据对比")


def _rollup(rows: list[list], key: int, name: str) -> str:
    groups: dict[str, list] = defaultdict(list)
    for r in rows:
        groups[r[key] or "未知"].append(r)
    out = []
    for label in sorted(groups):
        members = groups[label]
        new = [r[4] for r in members if r[4] is not None]
        handled = [r for r in members if r[5] is not None and r[6] is not None]
        share = percent(sum(r[6] for r in handled), sum(r[5] for r in handled))
        out.append([inert(label), str(len(members)), grouped(sum(new)) + ("" if len(new) == len(members) else f"（{len(new)} 个机关有数）"),
                    share])
    return table([name, "机关数", "本年新收申请合计", "公开比例"], out, cls="nb-list nb-numbers")


def compare_index(ctx: SiteContext) -> Page:
    items = "".join(f'<li><a href="{y}/">{y} 年</a></li>' for y in ctx.corpus.years)
    return Page("compare/", "对比", f"<p>按年度对比各机关的申请数、公开比例和处理决定，并按省份、层级汇总。</p><ul>{items}</ul>")


def quality_page(ctx: SiteContext) -> Page:
    url = "quality/"
    counts = defaultdict(int)
    rows = []
    published = []
    for r in sorted(ctx.corpus.reports, key=lambda r: (r["status"] == "published", r["file"])):
        counts[r["status"]] += 1
        where = (link(url, f"agencies/{r['agency_id']}/{r['year']}/", f"{inert(r['agency_id'])} {r['year']}")
                 if r["status"] == "published" and r["agency_id"] else inert(" ".join(x for x in (r["agency_id"], r["year"]) if x)))
        row = [inert(r["file"]), f'<span class="nb-status-{r["status"]}">{STATUS_NAMES.get(r["status"], inert(r["status"]))}</span>',
               where, inert(r["reason"]), f'<code title="{r["sha256"]}">{r["sha256"][:12]}</code>']
        (published if r["status"] == "published" else rows).append(row)
    # Every input that was not published is always listed; published ones too while the list stays short.
    listed, rest = capped(published, "已发布的文件", f'{link(url, "data/reports.csv", "reports.csv")}（以及各机关年度页面）')
    rows += listed
    failed, unknown = ctx.corpus.failed_checks, ctx.corpus.unknown_checks
    failed_rows = [[link(url, f"agencies/{c['agency_id']}/{c['year']}/", f"{inert(c['agency_id'])} {c['year']}"),
                    c["check_id"] + ("" if c["severity"] == "hard" else "（提示）"), inert(ctx.words.rule(c)),
                    inert(c["detail"])] for c in failed]
    failed_rows, failed_rest = capped(failed_rows, "不成立的核对", link(url, "data/checks.csv", "checks.csv"))
    summary = "，".join(f"{STATUS_NAMES.get(k, k)} {v} 份" for k, v in sorted(counts.items()))
    body = "\n".join([
        f"<p>收到的文件：{summary}。未发布的每一份文件都列在下面：未采用的附一句原因；待核查的文件（例如机关名称对应多个地区，"
        "或同一机关同一年度有两份不同报告）说明原因，核查前不发布。</p>",
        '<h2 id="inputs">全部输入文件</h2>',
        table(["文件", "状态", "机关与年度", "原因", "SHA-256"], rows, cls="nb-list nb-sortable"), rest,
        '<h2 id="failed-checks">不成立的核对</h2>',
        f"<p>共 {len(failed)} 项不成立，另有 {unknown} 项因某格未找到或无法识别而无法核对。不成立说明原表有误或读取有误，"
        "本站不作任何“修正”。</p>",
        failed_rest,
        table(["报告", "编号", "规则", "算式"], failed_rows) if failed_rows else "<p>没有不成立的核对。</p>",
    ])
    return Page(url, "数据质量", body, description="每一份输入文件的处理结果和每一项不成立的核对")


def dictionary_page(ctx: SiteContext) -> Page:
    names = {"disclosure": "表二 主动公开政府信息情况", "requests": "表三 收到和处理政府信息公开申请情况",
             "appeals": "表四 政府信息公开行政复议、行政诉讼情况"}
    parts = ["<p>每一格有一个稳定的编号（cell id），下载的 CSV 用它。状态：<strong>数值</strong>（读出的数字）、"
             "<strong>空白</strong>（原表此格为空，不等于 0）、<strong>未找到</strong>（原文中没有这一格）、"
             "<strong>无法识别</strong>（有字但不是可读的数字）。金额统一为万元。</p>"]
    for key, title in names.items():
        rows = [[f"<code>{r['cell_id']}</code>", inert(r["row_label"] if r["row"] != "values" else r["group_label"]),
                 inert(r["column_label"]), inert(r["unit"]), inert(r["templates"])]
                for r in ctx.corpus.dictionary if r["table"] == key]
        parts += [f'<h2 id="{key}">{title}</h2>', table(["编号", "行", "列", "单位", "模板"], rows)]
    parts += ['<h2 id="measures">图表和对比中的合计项</h2>',
              table(["合计项", "表", "行", "列"], [[m.label, m.table, "、".join(m.rows), m.column] for m in MEASURES])]
    return Page("dictionary/", "数据字典", "\n".join(parts), description="每一格的编号、含义和单位")


def downloads_page(ctx: SiteContext, sizes: dict[str, int]) -> Page:
    rows = []
    for res in ctx.corpus.package.get("resources", []):
        rows.append([f'<a href="../data/{attr(res["path"])}">{attr(res["path"])}</a>', inert(res.get("title", "")),
                     _size(sizes.get(res["path"]))])
    snippet = ('import pandas as pd\n'
               'cells = pd.read_csv("{网址}/data/cells.csv", dtype={"value": "string"})\n'
               'reports = pd.read_csv("{网址}/data/reports.csv")\n'
               'published = reports[reports.status == "published"]')
    body = "\n".join([
        "<p>全部数据是一个 Frictionless 数据包，也可以按机关、年度分别下载（见各年度页面）。CSV 为 UTF-8（带 BOM，"
        "Excel 可直接打开）；另有 SQLite 和 Parquet 副本。数据许可：CC BY 4.0。</p>",
        f'<ul><li><a href="../data/nianbao-all.zip"><strong>nianbao-all.zip</strong></a>（{_size(sizes.get("nianbao-all.zip"))}）：全部文件</li>'
        f'<li><a href="../data/datapackage.json">datapackage.json</a>：数据包描述</li>'
        f'<li><a href="../data/nianbao.sqlite">nianbao.sqlite</a>（{_size(sizes.get("nianbao.sqlite"))}）</li></ul>',
        table(["文件", "内容", "大小"], rows),
        '<h2 id="pandas">用 pandas 读取</h2>', f"<pre><code>{inert(snippet)}</code></pre>",
    ])
    return Page("downloads/", "下载", body, description="全部数据下载：CSV、JSON、XLSX、SQLite、Parquet")


def _size(n: int | None) -> str:
    if n is None:
        return "—"
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def home_page(ctx: SiteContext) -> Page:
    corpus = ctx.corpus
    years = corpus.years
    rows = []
    for by in corpus.body_years:
        for m, v in by.figures:
            rows.append((by.year, m.chart, m.label, v))
    sums = defaultdict(int)
    for year, chart_id, label, v in rows:
        if v is not None:
            sums[(year, chart_id, label)] += v
    csv_rows = [["all", y, c, label, v] for (y, c, label), v in sorted(sums.items())]
    outcome_chart = charts.by_year("outcomes.vl.json", "data/figures-by-year.csv", "各年度全部机关的申请办理结果（件）",
                                   measure="measure", value="value", title="件", order=OUTCOMES,
                                   filters=["datum.chart == 'outcomes'"])
    numbers = table(["办理结果"] + [str(y) for y in years],
                    [[o] + [grouped(sums.get((y, "outcomes", o), 0)) for y in years] for o in OUTCOMES],
                    cls="nb-list nb-numbers")
    statuses = defaultdict(int)
    for r in corpus.reports:
        statuses[r["status"]] += 1
    failed = len(corpus.failed_checks)
    figures_html = (f'<ul class="nb-figures"><li><strong>{len(corpus.bodies)}</strong> 个机关</li>'
                    f'<li><strong>{len(corpus.body_years)}</strong> 份年度数据</li>'
                    f'<li><strong>{len(corpus.reports)}</strong> 份输入文件（{statuses.get("published", 0)} 份已发布，'
                    f'{statuses.get("rejected", 0)} 份未采用，{statuses.get("needs_review", 0)} 份待核查）</li>'
                    f'<li>年度 {years[0] if years else "—"}–{years[-1] if years else "—"}</li>'
                    f'<li><strong>{failed}</strong> 项勾稽关系不成立（<a href="quality/">数据质量</a>）</li></ul>')
    body = "\n".join([
        "<p>每年一月，中国的各级行政机关都要发布上一年的《政府信息公开工作年度报告》。报告的第二、三、四部分是全国统一的统计表："
        "主动公开了什么（表二），收到多少公开申请、如何答复（表三），因公开引起的行政复议和行政诉讼（表四）。报告以 PDF、扫描件、"
        "Word 文件和网页等形式分散发布，难以比较。</p>",
        "<p>年报 Nianbao 把这些报告逐格读成数据：每一格都有数值、原文、单位和在原文中的位置，并用报告自身的勾稽关系核对。"
        "每个机关、每个年度一个固定网址，可以引用。</p>",
        figures_html,
        '<h2 id="outcomes">申请办理结果</h2>',
        chart_block(outcome_chart, numbers),
        '<h2 id="use">怎样使用</h2>',
        '<ul><li><a href="agencies/">机关</a>：每个机关一页，每个年度一页（网址 <code>/agencies/&lt;编号&gt;/&lt;年度&gt;/</code> 永久不变）。</li>'
        '<li><a href="compare/">对比</a>：按年度排名和汇总。</li>'
        '<li><a href="downloads/">下载</a>：全部数据（CSV、XLSX、SQLite、Parquet），以及 pandas 示例。</li>'
        '<li><a href="search/">搜索</a>：按机关名称、地区、年度查找。</li></ul>',
        '<h2 id="cite">引用</h2>',
        "<p>引用某个机关某一年的数据时，请使用该年度页面的网址和页面上的引用格式，例如："
        "“上海市长宁区卫生健康委员会. 2020年政府信息公开工作年度报告（数据）. 年报 Nianbao 整理.”</p>",
    ])
    return Page("", SITE_TITLE, body, charts=[outcome_chart],
                description="中国政府信息公开工作年度报告的统计数据：逐格读出、核对、可下载、可引用",
                files={"data/figures-by-year.csv": csv_bytes(["scope", "year", "chart", "measure", "value"], csv_rows)},
                meta={"hide": ["navigation"]})


def search_page() -> Page:
    body = ('<link href="../pagefind/pagefind-ui.css" rel="stylesheet">'
            '<div id="nb-search"></div>'
            '<script src="../pagefind/pagefind-ui.js"></script>'
            '<script src="../assets/nianbao/search.js"></script>')
    return Page("search/", "搜索", body, description="按机关名称、地区、年度搜索", meta={"hide": ["navigation", "toc"]})
