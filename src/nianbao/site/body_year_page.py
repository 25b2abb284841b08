"""The page of one body's report for one year: its facts, the three tables as printed, its checks in words, its
prose, its downloads, how to cite it and its schema.org Dataset description."""

from __future__ import annotations

from nianbao.model import urls
from nianbao.model.words import OUTCOME_WORDS, READER_WORDS, Outcome
from nianbao.site import charts
from nianbao.site.corpus import Body, BodyYear
from nianbao.site.figures import FIGURE_HEADER, NEW_REQUESTS, figures_rows
from nianbao.site.getdata import citation_block, dataset_ld, downloads, quick_links
from nianbao.site.measures import OUTCOMES
from nianbao.site.page import (Page, SiteContext, chart_block, facts_list, level_name, link,
                               search_filters, shown, source_date, table, template_name)
from nianbao.site.rollups import scope_fact
from nianbao.site.settled import settled_notes
from nianbao.site.tables import LEGEND, tables_html
from nianbao.site.text import attr, grouped, inert, json_script, paragraphs
from nianbao.templates import section_specs

SECTION_TITLES = {sid: section.numbered_title for sid, section in section_specs().items()}
PROSE_BUDGET = 4000   # characters of prose per page: keeps a citable page under 80 kB whatever a report says


def body_year_page(ctx: SiteContext, body: Body, by: BodyYear, source_name: str | None) -> Page:
    url = by.url
    report = by.report
    title = f"{body.name} {by.year} 年政府信息公开工作年度报告（数据）"
    # Indexed: the name and year (with the filters) and the report's own prose, so a phrase only its text has
    # is found. Not the page's own headings, legends and labels: text every page shares put a posting for each
    # page into the same index chunk, 290 kB at 10,000 reports.
    heading = (f"<div data-pagefind-body><h1>{inert(body.name)} {by.year} 年</h1>" + search_filters(body, [by.year])
               + "</div>")
    prose = _prose(report)
    outcome_chart, outcome_numbers = _outcomes(body, by)
    parts = [
        '<div class="nb-page">',
        heading,
        '<p class="nb-lead">政府信息公开工作年度报告中三张统计表的数据，逐格读出并核对报告自身的勾稽关系。</p>',
        quick_links(by),
        _facts(body, by, source_name),
        _checks_summary(by.checks),
        "<h2 id=\"chart\">申请办理结果</h2>",
        chart_block(outcome_chart, outcome_numbers),
        '<h2 id="tables">统计表（按原表排列）</h2>',
        LEGEND,
        _tables(ctx, body, by, source_name),
        settled_notes(report, {row["cell_id"]: row["label"] for row in ctx.corpus.dictionary}),
        '<h2 id="checks">勾稽关系核对</h2>',
        _checks_table(ctx, by.checks, {cid: c["status"] for cid, c in report["cells"].items()}),
        prose,
        "</div>",
        downloads(ctx, by),
        citation_block(ctx, body, by),
        f'<script type="application/ld+json">{json_script(dataset_ld(ctx, body, by))}</script>',
    ]
    return Page(url, title, "\n".join(p for p in parts if p), description=describe(body, by),
                charts=[outcome_chart], lastmod=source_date(by), indexed=heading, indexed_prose=prose,
                meta={"hide": ["navigation"]})


def describe(body: Body, by: BodyYear) -> str:
    """One sentence about a body-year: the page's description and its feed item's."""
    new = by.figure(NEW_REQUESTS)
    text = f"{body.name} {by.year} 年政府信息公开工作年度报告的统计数据"
    return text + (f"：本年新收申请 {grouped(new)} 件。" if new is not None else "。")


def _outcomes(body: Body, by: BodyYear) -> tuple[charts.ChartFile, str]:
    """The outcomes chart (read from the body's figures CSV) and the table of its numbers."""
    chart = charts.bars(
        "outcomes.vl.json", "../" + urls.body_figures(by.agency_id), charts.records(FIGURE_HEADER, figures_rows(by)),
        f"{body.name} {by.year} 年申请办理结果（件，表三“总计”列）",
        category="measure", value="value", unit="件", sort=OUTCOMES,
        filters=[f"datum.year == {by.year}", "datum.chart == 'outcomes'", "isValid(datum.value)"])
    numbers = table(["办理结果", "件"], [[m.label, shown(v)] for m, v in by.figures if m.chart == "outcomes"],
                    cls="nb-list nb-numbers")
    return chart, numbers


def _checks_summary(checks: list[dict[str, str]]) -> str:
    n_ok = sum(c["ok"] == "true" for c in checks)
    n_bad = sum(c["ok"] == "false" for c in checks)
    n_unknown = len(checks) - n_ok - n_bad
    return (f'<p class="nb-checks-summary">勾稽关系核对：<strong>{grouped(n_ok)}</strong> 项成立，'
            f'<strong class="{"nb-bad" if n_bad else ""}">{grouped(n_bad)}</strong> 项不成立，{grouped(n_unknown)} 项无法核对。'
            + (' <a href="#checks">查看不成立的核对</a>' if n_bad else "") + "</p>")


def _tables(ctx: SiteContext, body: Body, by: BodyYear, source_name: str | None) -> str:
    """The printed tables, the cells of failed hard checks highlighted; a PDF's numbers link to their page;
    under each, where to report a wrong number (when the site says where)."""
    failed_cells = {c for check in by.failed if check["severity"] == "hard" for c in check["cells"].split()}
    paged = bool(source_name and source_name.lower().endswith(".pdf"))
    errors, page_url = ctx.errors, ctx.absolute(by.url)
    after = None if errors is None else (
        lambda table_id, title: errors.link(page_url, f"{body.name} {by.year} 年", table_id, title))
    return tables_html(by.report, failed_cells, source_name, paged, after)


def _facts(body: Body, by: BodyYear, source_name: str | None) -> str:
    report, src = by.report, by.source
    rows = [
        ("机关", link(by.url, body.url, inert(body.name)) + f'（编号 <code>{body.id}</code>）'),
        ("地区", f'{inert(body.row.get("region") or "")}（行政区划代码 {body.row.get("region_code") or "—"}，'
                 f'{level_name(body.row.get("level", ""))}）'),
        ("年度", f"{by.year} 年"),
        ("统计范围", scope_fact(by)),
        ("表格模板", template_name(report.get("template")) or inert(report.get("template"))),
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
    # The manifest's notes are the maintainers' working notes (reports.csv keeps them), not the report's facts.
    rows.append(("读取方式", READER_WORDS.get(report.get("reader") or "", "—")))
    return facts_list(rows)


# A check's result column (checks.csv `ok`): a skipped check is shown as not checked, its detail says why.
_CHECK_STATE = {"true": f'<span class="nb-ok">✓ {OUTCOME_WORDS[Outcome.HELD]}</span>',
                "false": f'<span class="nb-bad">✗ {OUTCOME_WORDS[Outcome.FAILED]}</span>',
                "": f'<span class="nb-na">？ {OUTCOME_WORDS[Outcome.UNKNOWN]}</span>'}


def _checks_table(ctx: SiteContext, checks: list[dict], statuses: dict[str, str]) -> str:
    """Failed and open checks first, in full; the ones that held folded away under one line."""
    if not checks:
        return "<p>这份报告没有可核对的表格。</p>"
    order = {"false": 0, "": 1, "true": 2}
    rows: dict[bool, list[list[str]]] = {True: [], False: []}
    for check in sorted(checks, key=lambda c: (order.get(c["ok"], 1), int(c["n"]))):
        state = _CHECK_STATE.get(check["ok"], _CHECK_STATE[""])
        kind = "" if check["severity"] == "hard" else "（提示）"
        rows[check["ok"] == "true"].append([f'{check["check_id"]}{kind}', inert(ctx.words.rule(check)),
                                            inert(ctx.words.outcome(check, statuses)), state])
    header = ["编号", "规则", "算式", "结果"]
    shown = table(header, rows[False], cls="nb-list nb-checks") if rows[False] else "<p>每一项核对都成立。</p>"
    held = (f'<details class="nb-held"><summary>成立的 {len(rows[True])} 项（展开）</summary>'
            + table(header, rows[True], cls="nb-list nb-checks") + "</details>") if rows[True] else ""
    return shown + held


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
        shown = "".join(f"<p>{inert(p)}</p>" for p in paragraphs(str(text)))
        out.append(f'<h2 id="{key}">{heading}</h2><div class="nb-prose" data-pagefind-body>{shown}</div>')
    if out:
        out.insert(0, '<p class="nb-note">以下为报告原文中的文字部分，照录，未经核实。</p>')
    return "".join(out)
