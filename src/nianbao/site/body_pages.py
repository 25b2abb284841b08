"""The page of each body (its facts, its years, its trends) and the lists of bodies (all, or by province)."""

from __future__ import annotations

import re

from nianbao.model import urls
from nianbao.site import charts
from nianbao.site.corpus import Body
from nianbao.site.figures import FIGURE_HEADER, NEW_REQUESTS, figures_rows
from nianbao.site.measures import CHART_TITLES, MEASURES
from nianbao.site.page import (Page, SiteContext, chart_block, csv_bytes, facts_list, level_name,
                               link, provinces, search_filters, shown, source_date, split_by_province, table,
                               template_name)
from nianbao.site.text import inert


PLACE_PART = re.compile(r".+?(?:自治区|特别行政区|自治州|自治县|自治旗|地区|省|市|州|盟|区|县|旗|镇|乡|街道)")


def body_page(ctx: SiteContext, body: Body) -> Page:
    url = body.url
    years = sorted(body.years)
    figures_name = urls.body_figures(body.id)
    blocks, chart_files = _trends(body, figures_name)
    # Indexed: the name, the filters and one sentence, which is what a search result shows of the body.
    indexed = (f"<div data-pagefind-body><h1>{inert(body.name)}</h1>{search_filters(body, years)}"
               f"<p>{_summary(body, years)}</p></div>")
    parts = [
        '<div class="nb-page">',
        indexed,
        facts_list(_facts(body)),
        "<h2 id=\"years\">各年度报告</h2>",
        table(["年度", "表格模板", "本年新收申请（件）", "勾稽关系成立"], _year_rows(body)),
        "</div>",
        '<h2 id="trends">历年变化</h2>',
        f'<p>图表数据：<a href="{figures_name}">{figures_name}</a>（由各年度数据包计算；空白计为 0，'
        "任一格未找到或无法识别时该项记为空，表中显示“—”）。</p>",
        *blocks,
    ]
    rows = [r for y in years for r in figures_rows(body.years[y])]
    lastmod = max((d for y in years if (d := source_date(body.years[y]))), default=None)
    return Page(url, body.name, "\n".join(p for p in parts if p),
                description=f"{body.name} 历年政府信息公开工作年度报告数据", charts=chart_files,
                files={figures_name: csv_bytes(FIGURE_HEADER, rows)}, lastmod=lastmod, indexed=indexed,
                meta={"hide": ["navigation"]})


def _trends(body: Body, figures_name: str) -> tuple[list[str], list[charts.ChartFile]]:
    """One chart per group of measures over the years, each with the table of its numbers."""
    years = sorted(body.years)
    blocks, chart_files = [], []
    for chart_id, chart_title in CHART_TITLES.items():
        measures = [m for m in MEASURES if m.chart == chart_id]
        chart = charts.by_year(f"{chart_id}.vl.json", figures_name, f"{body.name} 各年度{chart_title}（件）",
                               measure="measure", value="value", title="件", order=[m.label for m in measures],
                               stacked=chart_id == "outcomes",
                               filters=[f"datum.chart == '{chart_id}'", "isValid(datum.value)"])
        numbers = table(["项目"] + [f"{y}" for y in years],
                        [[m.label] + [shown(body.years[y].figure(m)) for y in years] for m in measures],
                        cls="nb-list nb-numbers")
        blocks.append(f'<h3>{chart_title}</h3>' + chart_block(chart, numbers))
        chart_files.append(chart)
    return blocks, chart_files


def _year_rows(body: Body) -> list[list[str]]:
    rows = []
    for y in sorted(body.years):
        by = body.years[y]
        rows.append([link(body.url, by.url, f"{y} 年"), template_name(by.template) or "",
                     shown(by.figure(NEW_REQUESTS)),
                     f'{by.n_ok} / {by.n_checks}'
                     + (f'，<span class="nb-bad">{by.n_failed} 项不成立</span>' if by.n_failed else "")])
    return rows


def _summary(body: Body, years: list[int]) -> str:
    """What a search result shows of a body. The place is also written part by part (河南省 周口市 川汇区):
    Pagefind segments 川汇区卫生健康委员会 so that a search for 川汇区 alone did not find it."""
    region = body.row.get("region") or ""
    parts = " ".join(PLACE_PART.findall(region)) or region
    place = "，".join(x for x in (inert(parts), level_name(body.row.get("level", ""))) if x)
    return (f"{inert(body.name)}（{place}）的政府信息公开工作年度报告数据，共 {len(years)} 个年度："
            + "、".join(f"{y} 年" for y in years) + "。")


def _facts(body: Body) -> list[tuple[str, str]]:
    facts = [("编号", f"<code>{body.id}</code>"), ("地区", inert(body.row.get("region") or "")),
             ("行政区划代码", body.row.get("region_code") or "—"), ("省份", inert(body.row.get("province") or "")),
             ("层级", level_name(body.row.get("level", ""))), ("领域", inert(body.row.get("sector_name") or "—"))]
    if body.row.get("former_names"):
        facts.append(("曾用名", inert(body.row["former_names"])))
    return facts


# --- lists of bodies ----------------------------------------------------------------------------------------

def agencies_page(ctx: SiteContext) -> Page:
    url = urls.AGENCIES
    bodies = list(ctx.corpus.bodies.values())
    if not split_by_province(ctx.corpus):
        return Page(url, "机关", _body_table(_body_rows(url, bodies)), description=f"全部 {len(bodies)} 个机关及其年度报告")
    rows = []
    for code, members in provinces(ctx.corpus).items():
        name = members[0].row.get("province") or "地区未知"
        rows.append([link(url, urls.region_page(code), inert(name)), str(len(members)),
                     str(sum(len(b.years) for b in members))])
    body = (f"<p>共 {len(bodies)} 个机关，按省份分页列出（每页可排序、筛选）。找某个机关，也可以用"
            f"{link(url, urls.SEARCH, '搜索')}。</p>" + table(["省份", "机关", "年度报告"], rows, cls="nb-list nb-sortable"))
    return Page(url, "机关", body, description=f"全部 {len(bodies)} 个机关，按省份列出")


def region_page(ctx: SiteContext, code: str) -> Page:
    url = urls.region_page(code)
    members = provinces(ctx.corpus)[code]
    name = members[0].row.get("province") or "地区未知"
    body = (f"<p>{inert(name)}的 {len(members)} 个机关。{link(url, urls.AGENCIES, '全部省份')}</p>"
            + _body_table(_body_rows(url, members)))
    return Page(url, f"{name}的机关", body, description=f"{name}的 {len(members)} 个机关及其年度报告")


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
