"""The compare pages: per year, every body's headline figures ranked, with sums by province and by level."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import astuple, dataclass, fields

from nianbao.files import json_bytes
from nianbao.model import urls
from nianbao.model.words import SCOPE_WORDS
from nianbao.site import charts
from nianbao.site.figures import (DECISIONS, GRANTED, LITIGATION, NEW_REQUESTS, OUTCOME_MEASURES, PARTLY_GRANTED,
                                  REVIEW, sum_known)
from nianbao.site.page import Page, SiteContext, capped, chart_block, csv_bytes, level_name, link, shown, table
from nianbao.site.rollups import RULE, bodies_by_year_sentence, scope_of, within_areas
from nianbao.site.text import grouped, inert, percent


@dataclass(frozen=True)
class CompareRow:
    """One body's figures for one year; the fields, in order, are the columns of compare-<year>.csv."""
    agency_id: str
    name: str
    province: str
    level: str                          # in words (中央, 省级 …)
    new_requests: int | None
    handled: int | None                 # the sum of every outcome
    granted_full_or_part: int | None
    granted_share_percent: float | None
    decisions: int | None               # licensing + penalty + coercion decisions
    review: int | None
    litigation: int | None              # both kinds of litigation
    scope: str                          # what the report counts (ReportScope: body, area, unknown)
    counted_in: str                     # the area-wide report of the year that already counts it, or ""


COMPARE_HEADER = [f.name for f in fields(CompareRow)]
# Each column's type, Chinese title and meaning: the Table Schema written beside every compare-<year>.csv.
COLUMNS: dict[str, tuple[str, str, str]] = {
    "agency_id": ("string", "机构代码", "行政区划代码-领域，与数据包的 agency_id 相同"),
    "name": ("string", "机构名称", "机构全称"),
    "province": ("string", "省级行政区", "所属省级行政区"),
    "level": ("string", "层级", "中央、省级、地市级、县级或乡镇级"),
    "new_requests": ("integer", "本年新收申请", "表三“本年新收政府信息公开申请数量”总计；空白计 0，未找到或无法识别则为空"),
    "handled": ("integer", "办理结果合计", "表三“办理结果”各项的“总计”之和"),
    "granted_full_or_part": ("integer", "予以公开与部分公开", "表三“予以公开”与“部分公开”的总计之和"),
    "granted_share_percent": ("number", "公开比例（%）", "予以公开与部分公开之和占办理结果合计的百分比，保留一位小数"),
    "decisions": ("integer", "处理决定", "表二行政许可、行政处罚、行政强制的本年处理决定数之和"),
    "review": ("integer", "行政复议", "表四行政复议总计"),
    "litigation": ("integer", "行政诉讼", "表四未经复议直接起诉与复议后起诉的总计之和"),
    "scope": ("string", "统计范围", "body 本机关；area 全辖区（全市、全县……）；unknown 报告未说明"),
    "counted_in": ("string", "已计入", "已经包含这个机构数字的同年全辖区报告的机构代码；为空表示单独计入合计"),
}


def compare_schema() -> dict:
    return {"fields": [{"name": name, "type": COLUMNS[name][0], "title": COLUMNS[name][1],
                        "description": COLUMNS[name][2]} for name in COMPARE_HEADER],
            "primaryKey": ["agency_id"]}


def compare_rows(ctx: SiteContext, year: int) -> list[CompareRow]:
    """Every body with a report for `year`, most new requests first."""
    rows = []
    inside = within_areas(ctx.corpus, year)
    for body in ctx.corpus.bodies.values():
        by = body.years.get(year)
        if by is None:
            continue
        f = dict(by.figures)
        handled = sum_known([f[m] for m in OUTCOME_MEASURES])
        granted = sum_known([f[GRANTED], f[PARTLY_GRANTED]])
        share = round(100 * granted / handled, 1) if handled and granted is not None else None
        rows.append(CompareRow(body.id, body.name, body.row.get("province") or "", level_name(body.row.get("level", "")),
                               f[NEW_REQUESTS], handled, granted, share, sum_known([f[m] for m in DECISIONS]),
                               f[REVIEW], sum_known([f[m] for m in LITIGATION]), scope_of(by), inside.get(body.id, "")))
    rows.sort(key=lambda r: (-(r.new_requests if r.new_requests is not None else -1), r.agency_id))
    return rows


def compare_page(ctx: SiteContext, year: int) -> Page:
    url = urls.compare_page(year)
    rows = compare_rows(ctx, year)
    csv_name = urls.compare_csv(year)
    csv_rows = [list(astuple(r)) for r in rows]
    chart = charts.bars("ranking.vl.json", csv_name, charts.records(COMPARE_HEADER, csv_rows),
                        f"{year} 年本年新收申请最多的机关（前 20 名，件）", category="name", value="new_requests",
                        unit="本年新收申请（件）", filters=["isValid(datum.new_requests)", "datum.rank <= 20"],
                        label_limit=200, width=210)     # ~430 px in all: a phone shows it at ~11 px text
    chart.spec.setdefault("transform", []).insert(0, {"window": [{"op": "row_number", "as": "rank"}],
                                                      "sort": [{"field": "new_requests", "order": "descending"}]})
    listed, rest = capped(rows, "机关", f'<a href="{csv_name}">{csv_name}</a>')
    top = table(["机关", "本年新收申请"], [[inert(r.name), shown(r.new_requests)] for r in rows[:20]],
                cls="nb-list nb-numbers")
    parts = [
        f"<p>{year} 年报告了数据的 {grouped(len(rows))} 个机关。办理结果合计为表三“总计”列各项之和；“公开比例”为予以公开与部分公开之和"
        "占办理结果合计的比例；“处理决定”为表二行政许可、行政处罚、行政强制决定数之和。任一格未找到或无法识别时显示“—”。"
        f' 数据：<a href="{csv_name}">{csv_name}</a>（各列的中文名称和含义：'
        f'<a href="{urls.compare_schema(year)}">{urls.compare_schema(year)}</a>）。</p>',
        chart_block(chart, top),
        "<h2 id=\"ranking\">机关排名</h2>", rest,
        table(["机关", "省份", "层级", "统计范围", "本年新收申请", "办理结果合计", "公开比例", "处理决定", "行政复议", "行政诉讼"],
              [_ranking_row(url, year, r) for r in listed], cls="nb-list nb-sortable"),
        f'<h2 id="rule">汇总规则</h2><p>{RULE}</p>',
        "<h2 id=\"provinces\">按省份汇总</h2>", _rollup(rows, lambda r: r.province, "省份"),
        "<h2 id=\"levels\">按层级汇总</h2>", _rollup(rows, lambda r: r.level, "层级"),
    ]
    return Page(url, f"{year} 年对比", "\n".join(p for p in parts if p), charts=[chart],
                files={csv_name: csv_bytes(COMPARE_HEADER, csv_rows),
                       urls.compare_schema(year): json_bytes(compare_schema())},
                description=f"{year} 年各机关政府信息公开数据对比")


def _ranking_row(url: str, year: int, r: CompareRow) -> list[str]:
    share = "—" if r.granted_share_percent is None else f"{r.granted_share_percent:.1f}%"
    return [link(url, urls.body_year_page(r.agency_id, year), inert(r.name)), inert(r.province), r.level,
            SCOPE_WORDS[r.scope], shown(r.new_requests), shown(r.handled), share, shown(r.decisions), shown(r.review), shown(r.litigation)]


def _rollup(rows: list[CompareRow], key: Callable[[CompareRow], str], name: str) -> str:
    """The rows summed by `key` (province or level) under the roll-up rule (rollups.RULE): bodies counted, new
    requests, the share granted, and the bodies left out because an area-wide report already counts them."""
    groups: dict[str, list[CompareRow]] = defaultdict(list)
    for r in rows:
        groups[key(r) or "未知"].append(r)
    names = {r.agency_id: r.name for r in rows}
    out = []
    for label in sorted(groups):
        members = [r for r in groups[label] if not r.counted_in]
        left_out = [r for r in groups[label] if r.counted_in]
        new = [r.new_requests for r in members if r.new_requests is not None]
        handled = [r for r in members if r.handled is not None and r.granted_full_or_part is not None]
        share = percent(sum(r.granted_full_or_part for r in handled), sum(r.handled for r in handled))
        total = grouped(sum(new)) if new else "—"
        out.append([inert(label), grouped(len(members)),
                    total + ("" if len(new) == len(members) else f"（{grouped(len(new))} 个机关有数）"), share,
                    "、".join(f"{inert(r.name)}（含在{inert(names.get(r.counted_in, r.counted_in))}的数字中）"
                             for r in left_out) or "—"])
    said = (f"<p>按{name}加总：计入合计的机关的“本年新收申请”（表三“总计”列）之和，以及它们的予以公开与部分公开之和占办理结果合计的比例；"
            "已含在同年全辖区报告中的机关不再相加，列在最后一列。</p>")
    return said + table([name, "计入合计的机关数", "本年新收申请合计", "公开比例", "已含在全辖区报告中，未再相加"], out,
                        cls="nb-list nb-numbers")


def compare_index(ctx: SiteContext) -> Page:
    items = "".join(f'<li><a href="{y}/">{y} 年</a></li>' for y in ctx.corpus.years)
    return Page(urls.COMPARE, "对比", f"<p>按年度对比各机关的申请数、公开比例和处理决定，并按省份、层级汇总。</p><ul>{items}</ul>"
                f"<p>{RULE}</p><p>{bodies_by_year_sentence(ctx.corpus)}</p>")
