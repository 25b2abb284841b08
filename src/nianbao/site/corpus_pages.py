"""The pages about the whole corpus: home, data quality, data dictionary, downloads and search."""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from pathlib import Path

from nianbao.model import urls
from nianbao.model.words import REASON_WORDS
from nianbao.site import charts
from nianbao.site.corpus import Corpus
from nianbao.site.corrections_pages import settled_summary
from nianbao.site.figures import OUTCOME_MEASURES
from nianbao.site.measures import MEASURES, OUTCOMES
from nianbao.site.page import (READ_PACKAGE_NOTE, Page, SearchScope, SiteContext, capped, chart_block, csv_bytes, link,
                               table, up)
from nianbao.site.rollups import YearTotals, year_totals
from nianbao.site.text import STATUS_NAMES, attr, grouped, inert
from nianbao.templates import TABLE_ORDER, Measure, templates, variants_of

FIGURES_BY_YEAR = urls.corpus_file("figures-by-year.csv")   # the home page chart's data, summed over every body
FIGURES_BY_YEAR_HEADER = ["scope", "year", "chart", "measure", "value"]
NO_DATA = "无数据"        # under a year no body has data for, on the home page chart


def quality_page(ctx: SiteContext) -> Page:
    url = urls.QUALITY
    counts: dict[str, int] = defaultdict(int)
    rows: list[list[str]] = []
    published: list[list[str]] = []
    for r in sorted(ctx.corpus.reports, key=lambda r: (r["status"] == "published", r["file"])):
        counts[r["status"]] += 1
        where = (link(url, urls.body_year_page(r['agency_id'], int(r['year'])), f"{inert(r['agency_id'])} {r['year']}")
                 if r["status"] == "published" and r["agency_id"] else inert(" ".join(x for x in (r["agency_id"], r["year"]) if x)))
        row = [inert(r["file"]), f'<span class="nb-status-{r["status"]}">{STATUS_NAMES.get(r["status"], inert(r["status"]))}</span>',
               where, _reason(r), f'<code title="{r["sha256"]}">{r["sha256"][:12]}</code>']
        (published if r["status"] == "published" else rows).append(row)
    # Every input that was not published is always listed; published ones too while the list stays short.
    listed, rest = capped(published, "已发布的文件", f'{link(url, urls.corpus_file("reports.csv"), "reports.csv")}（以及各机关年度页面）')
    rows += listed
    failed, unknown = ctx.corpus.failed_checks, ctx.corpus.unknown_checks
    failed_rows = [[link(url, urls.body_year_page(c['agency_id'], int(c['year'])), f"{inert(c['agency_id'])} {c['year']}"),
                    c["check_id"] + ("" if c["severity"] == "hard" else "（提示）"), inert(ctx.words.rule(c)),
                    inert(c["detail"])] for c in failed]
    failed_rows, failed_rest = capped(failed_rows, "不成立的核对", link(url, urls.corpus_file("checks.csv"), "checks.csv"))
    summary = "，".join(f"{STATUS_NAMES.get(k, k)} {grouped(v)} 份" for k, v in sorted(counts.items()))
    body = "\n".join([
        f"<p>收到的文件：{summary}。未发布的每一份文件都列在下面：未采用的附一句原因；待核查的文件（例如机关名称对应多个地区，"
        "或同一机关同一年度有两份不同报告）说明原因，核查前不发布。</p>",
        '<h2 id="inputs">全部输入文件</h2>',
        table(["文件", "状态", "机关与年度", "原因", "SHA-256"], rows, cls="nb-list nb-sortable"), rest,
        '<h2 id="failed-checks">不成立的核对</h2>',
        f"<p>共 {grouped(len(failed))} 项不成立，另有 {grouped(unknown)} 项因某格未找到或无法识别而无法核对。不成立说明原表有误或读取有误，"
        "本站不作任何“修正”。</p>",
        failed_rest,
        table(["报告", "编号", "规则", "算式"], failed_rows) if failed_rows else "<p>没有不成立的核对。</p>",
        settled_summary(ctx),
    ])
    return Page(url, "数据质量", body, description="每一份输入文件的处理结果和每一项不成立的核对")


def _reason(report: dict[str, str]) -> str:
    """Why a document was not published, in words; the reader's own detailed sentence (reports.csv `reason`,
    in English) stays in the data and in the tooltip."""
    words = REASON_WORDS.get(report["reason_code"], "")
    return f'<span title="{attr(report["reason"])}">{words}</span>' if words and report["reason"] else words


def dictionary_page(ctx: SiteContext) -> Page:
    parts = ["<p>每一格有一个稳定的编号（cell id），下载的 CSV 用它。状态：<strong>数值</strong>（读出的数字）、"
             "<strong>空白</strong>（原表此格为空，不等于 0）、<strong>未找到</strong>（原文中没有这一格）、"
             "<strong>无法识别</strong>（有字但不是可读的数字）。金额统一为万元。</p>"]
    for spec in (variants_of(name)[0] for name in TABLE_ORDER):
        key = spec.table
        rows = [[f"<code>{r['cell_id']}</code>", inert(r["row_label"] if r["row"] != "values" else r["group_label"]),
                 inert(r["column_label"]), inert(r["unit"]), inert(r["templates"])]
                for r in ctx.corpus.dictionary if r["table"] == key]
        parts += [f'<h2 id="{key}">{spec.short_name} {inert(spec.title)}</h2>', table(["编号", "行", "列", "单位", "模板"], rows)]
    parts += ['<h2 id="measures">图表和对比中的合计项</h2>',
              "<p>SQLite 数据库的视图 <code>headline_figures</code> 每个机构年度一行，每项一列，列名见下表。</p>",
              table(["合计项", "视图列名", "表", "行", "列"],
                    [[m.label, f"<code>{m.id}</code>", m.table, "、".join(m.rows), m.column] for m in MEASURES])]
    return Page(urls.DICTIONARY, "数据字典", "\n".join(parts), description="每一格的编号、含义和单位")


def downloads_page(ctx: SiteContext) -> Page:
    url = urls.DOWNLOADS
    sizes = _file_sizes(ctx.corpus.root / urls.CORPUS_FOLDER)
    rows = []
    for res in ctx.corpus.package.get("resources", []):
        rows.append([f'<a href="{attr(up(url) + urls.corpus_file(res["path"]))}">{attr(res["path"])}</a>', inert(res.get("title", "")),
                     _size(sizes.get(res["path"]))])
    snippet = ('import pandas as pd\n'
               f'base = "{ctx.absolute(urls.CORPUS)}"\n'
               'cells = pd.read_csv(base + "cells.csv", dtype={"value": "string"})\n'
               'reports = pd.read_csv(base + "reports.csv")\n'
               'published = reports[reports.status == "published"]\n\n'
               f"{READ_PACKAGE_NOTE}\n"
               "import nianbao\n"
               "data = nianbao.read_package(base)\n"
               'published = data.reports[data.reports.status == "published"]')
    body = "\n".join([
        "<p>全部数据是一个 Frictionless 数据包，也可以按机关、年度分别下载（见各年度页面）。CSV 为 UTF-8（带 BOM，"
        "Excel 可直接打开）；另有 SQLite 和 Parquet 副本。数据许可：CC BY 4.0。</p>",
        f'<ul><li>{link(url, urls.corpus_file(urls.CORPUS_ZIP), f"<strong>{urls.CORPUS_ZIP}</strong>")}'
        f'（{_size(sizes.get(urls.CORPUS_ZIP))}）：全部文件</li>'
        f'<li>{link(url, urls.corpus_file(urls.DESCRIPTOR), urls.DESCRIPTOR)}：数据包描述</li>'
        f'<li>{link(url, urls.corpus_file("nianbao.sqlite"), "nianbao.sqlite")}（{_size(sizes.get("nianbao.sqlite"))}）</li></ul>',
        table(["文件", "内容", "大小"], rows),
        _table_schemas(url, ctx.corpus),
        '<h2 id="page-data">页面上的表格</h2>',
        "<p>网站各页面的表格和图表也可以下载（与全部数据同样的算法算出）：</p>",
        table(["文件", "内容"], _page_data(url, ctx.corpus.years)),
        '<h2 id="pandas">用 pandas 读取</h2>', f"<pre><code>{inert(snippet)}</code></pre>",
    ])
    return Page(url, "下载", body, description="全部数据下载：CSV、JSON、XLSX、SQLite、Parquet")


UNUSED_SCHEMA = "目前没有数据包用到"


def _table_schemas(url: str, corpus: Corpus) -> str:
    """The body-year packages' Table Schemas, published once (the site's descriptors name them by URL), each
    with what it describes."""
    files = sorted(p.name for p in (corpus.root / urls.CORPUS_FOLDER / urls.TABLE_SCHEMAS).glob("*.json"))
    described = _schema_descriptions(corpus, set(files))
    rows = [[link(url, urls.corpus_file(urls.TABLE_SCHEMAS + name), name), described.get(name, UNUSED_SCHEMA)] for name in files]
    return ('<h2 id="schemas">各机关年度数据包的表结构</h2>'
            "<p>各机关年度的数据包用同样的 Table Schema（字段、类型、约束），全站只发布一份：网站上各年度的 "
            "<code>datapackage.json</code> 以网址引用它们，zip 里的仍内含，下载后不联网也能校验。"
            "按原表排列的三张表，每个表格版本一个文件（2019 年与 2021 年模板的表二不同）。</p>"
            + table(["文件", "内容"], rows, cls="nb-list nb-schemas"))


def _schema_descriptions(corpus: Corpus, files: set[str]) -> dict[str, str]:
    """Each schema file → the title its table has in the first body-year package that uses it, and for a table
    as printed, the templates whose version it is (templates.yaml). Descriptors are read until every file in
    `files` is described."""
    used_by: dict[str, list[str]] = defaultdict(list)
    for spec in templates().values():
        for version in spec.tables:
            used_by[version].append(f"{spec.id} 年模板")
        for version in spec.provincial:
            used_by[version].append(f"{spec.id} 年模板的省级版本，多出的行见数据字典")
    described: dict[str, str] = {}
    for by in corpus.body_years:
        try:
            for resource in by.package.get("resources", []):
                name = urls.table_schema(resource.get("name", ""), by.tables).removeprefix(urls.TABLE_SCHEMAS)
                if name not in described and resource.get("schema") is not None:
                    version = name.removesuffix(".json")
                    templates_using = f"（{'、'.join(used_by[version])}）" if version in used_by else ""
                    described[name] = inert(str(resource.get("title") or "")) + templates_using
        finally:
            by.release()
        if files <= described.keys():
            break
    return described


def _page_data(url: str, years: list[int]) -> list[list[str]]:
    """The CSVs the site's own pages draw from: every compare year, the coverage table, each body's figures."""
    rows = [[link(url, urls.compare_page(y) + urls.compare_csv(y), urls.compare_csv(y))
             + f'（{link(url, urls.compare_page(y) + urls.compare_schema(y), "字段说明")}）', f"{y} 年各机关的主要数字和排名"]
            for y in years]
    rows.append([link(url, urls.COVERAGE + urls.COVERAGE_CSV, urls.COVERAGE_CSV), "每个机关每一年的收录情况"])
    rows.append([f"<code>{urls.body_figures('&lt;机关编号&gt;')}</code>", "每个机关历年的主要数字（在各机关页面）"])
    return rows


def _file_sizes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in folder.iterdir() if p.is_file()}


def _size(n: int | None) -> str:
    if n is None:
        return "—"
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def home_page(ctx: SiteContext) -> Page:
    corpus = ctx.corpus
    years = corpus.years
    # Summed under the roll-up rule: a body an area-wide report of the same year already counts is not added again.
    totals = year_totals(corpus)
    sums = totals.sums
    csv_rows = [["all", y, m.chart, m.label, v] for (y, m), v in sorted(sums.items(), key=_year_chart_label)]
    outcome_block, outcome_charts = (_corpus_outcomes(ctx, totals, charts.records(FIGURES_BY_YEAR_HEADER, csv_rows))
                                     if years else ("<p>还没有数据。</p>", []))
    statuses: dict[str, int] = defaultdict(int)
    for r in corpus.reports:
        statuses[r["status"]] += 1
    failed = len(corpus.failed_checks)
    permanent = urls.body_year_page("<编号>", "<年度>")  # type: ignore[arg-type]  # placeholders, shown to readers
    figures_html = (f'<ul class="nb-figures"><li><strong>{grouped(len(corpus.bodies))}</strong> 个机关</li>'
                    f'<li><strong>{grouped(len(corpus.body_years))}</strong> 份年度数据</li>'
                    f'<li><strong>{grouped(len(corpus.reports))}</strong> 份输入文件（{grouped(statuses.get("published", 0))} 份已发布，'
                    f'{grouped(statuses.get("rejected", 0))} 份未采用，{grouped(statuses.get("needs_review", 0))} 份待核查）</li>'
                    f'<li>年度 {years[0] if years else "—"}–{years[-1] if years else "—"}</li>'
                    f'<li><strong>{grouped(failed)}</strong> 项勾稽关系不成立（{link(urls.HOME, urls.QUALITY, "数据质量")}）</li></ul>')
    body = "\n".join([
        "<p>每年一月，中国的各级行政机关都要发布上一年的《政府信息公开工作年度报告》。报告的第二、三、四部分是全国统一的统计表："
        "主动公开了什么（表二），收到多少公开申请、如何答复（表三），因公开引起的行政复议和行政诉讼（表四）。报告以 PDF、扫描件、"
        "Word 文件和网页等形式分散发布，难以比较。</p>",
        f"<p>{html.escape(ctx.site_name)} 把这些报告逐格读成数据：每一格都有数值、原文、单位和在原文中的位置，并用报告自身的勾稽关系核对。"
        "每个机关、每个年度一个固定网址，可以引用。</p>",
        figures_html,
        '<h2 id="outcomes">申请办理结果</h2>',
        outcome_block,
        '<h2 id="use">怎样使用</h2>',
        f'<ul><li>{link(urls.HOME, urls.AGENCIES, "机关")}：每个机关一页，每个年度一页（网址 '
        f'<code>/{html.escape(permanent)}</code> 永久不变）。</li>'
        f'<li>{link(urls.HOME, urls.COMPARE, "对比")}：按年度排名和汇总。</li>'
        f'<li>{link(urls.HOME, urls.DOWNLOADS, "下载")}：全部数据（CSV、XLSX、SQLite、Parquet），以及 pandas 示例。</li>'
        f'<li>{link(urls.HOME, urls.SEARCH, "搜索")}：按机关名称、地区、年度查找。</li></ul>',
        '<h2 id="cite">引用</h2>',
        "<p>引用某个机关某一年的数据时，请使用该年度页面的网址和页面上的引用格式，例如："
        "“上海市长宁区卫生健康委员会. 2020年政府信息公开工作年度报告（数据）. 年报 Nianbao 整理.”</p>",
    ])
    return Page("", ctx.site_name, body, charts=outcome_charts,
                description="中国政府信息公开工作年度报告的统计数据：逐格读出、核对、可下载、可引用",
                files={FIGURES_BY_YEAR: csv_bytes(FIGURES_BY_YEAR_HEADER, csv_rows)},
                meta={"hide": ["navigation"]})


def _corpus_outcomes(ctx: SiteContext, totals: YearTotals, rows: list[dict]) -> tuple[str, list[charts.ChartFile]]:
    """The outcomes of every body summed by year, every year from the first to the last: a year without data
    says so, and since the bodies that report differ from year to year, each year says how many it sums."""
    sums = totals.sums
    counts = Counter({y: len(ids) for y, ids in totals.bodies.items()})
    every_year = list(range(min(counts), max(counts) + 1))
    notes = {y: f"{grouped(counts[y])} 个机关" if counts[y] else NO_DATA for y in every_year}
    same = len({totals.bodies[y] for y in counts}) == 1
    scope = (f"各年度都是同样的 {grouped(len(next(iter(totals.bodies.values()))))} 个机关。" if same else
             "各年度报告了数据的机关不同（" + "，".join(f"{y} 年 {notes[y]}" for y in every_year)
             + "），各年合计不宜直接比较。") + "已含在同年全辖区报告中的机关不再相加。"
    chart = charts.by_year("outcomes.vl.json", FIGURES_BY_YEAR, rows, "各年度全部机关的申请办理结果合计（件）",
                           measure="measure", value="value", unit="件", order=OUTCOMES, years=every_year,
                           year_notes=notes, filters=["datum.chart == 'outcomes'"])
    numbers = table(["办理结果"] + [str(y) for y in every_year],
                    [["机关数"] + [grouped(counts[y]) for y in every_year]]
                    + [[m.label] + [grouped(sums.get((y, m), 0)) if counts[y] else "—" for y in every_year]
                       for m in OUTCOME_MEASURES], cls="nb-list nb-numbers")
    return f"<p>{scope}</p>" + chart_block(chart, numbers), [chart]


def _year_chart_label(entry: tuple[tuple[int, Measure], int]) -> tuple[int, str, str]:
    (year, measure), _ = entry
    return year, measure.chart, measure.label


def search_page(scopes: list[SearchScope]) -> Page:
    """Pagefind's search box (assets/nianbao/search.js); on a split site (page.search_scopes) a choice of index
    above it, ?scope= in the address: the national one of names, places and years, or a province's with the
    reports' prose."""
    body = ('<link href="../pagefind/pagefind-ui.css" rel="stylesheet">' + _scope_choice(scopes)
            + '<div id="nb-search"></div>'
            '<script src="../pagefind/pagefind-ui.js"></script>'
            '<script src="../assets/nianbao/search.js"></script>')
    return Page(urls.SEARCH, "搜索", body, description="按机关名称、地区、年度搜索", meta={"hide": ["navigation", "toc"]})


def _scope_choice(scopes: list[SearchScope]) -> str:
    if not scopes:
        return ""
    options = "".join(f'<option value="{attr(s.code)}">{inert(s.name)}（含报告正文）</option>' for s in scopes)
    return ('<p class="nb-scope"><label for="nb-scope">搜索范围</label> <select id="nb-scope">'
            f'<option value="">全国（机关名称、地区、年度）</option>{options}</select></p>'
            '<p class="nb-note">全国范围只查机关名称、地区和年度；要查报告正文里的词句，请先选省份。</p>'
            '<p class="nb-scope-unknown" role="alert" hidden></p>')
