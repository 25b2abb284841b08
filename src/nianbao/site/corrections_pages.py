"""The corpus's corrections (datapackages/all/corrections.csv) on the corpus pages: how many cells a person
settled, on /quality/, and each correction by date, in the changelog (a hand-written page that asks for them with
CHANGELOG_MARK)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from nianbao.model import urls
from nianbao.model.words import SETTLEMENT_WORDS, SettlementKind
from nianbao.site.page import SiteContext, capped, link, table
from nianbao.site.text import grouped, inert

CHANGELOG_MARK = "<!-- nianbao:corrections -->"   # where the changelog lists the corrections


def _rows(ctx: SiteContext, from_url: str) -> list[list[str]]:
    """Newest first: date, report, cell, value, kind, note, who."""
    labels = {row["cell_id"]: row["label"] for row in ctx.corpus.dictionary}
    rows = []
    for c in sorted(ctx.corpus.corrections, key=lambda c: (c["date"], c["agency_id"], c["year"], c["cell_id"]),
                    reverse=True):
        report = link(from_url, urls.body_year_page(c["agency_id"], int(c["year"])) + "#settled",
                      f"{inert(c['agency_id'])} {c['year']}")
        cell = f'<span title="{inert(c["cell_id"])}">{inert(labels.get(c["cell_id"], c["cell_id"]))}</span>'
        rows.append([c["date"], report, cell, grouped(Decimal(c["value"])),
                     SETTLEMENT_WORDS.get(c["kind"], inert(c["kind"])), inert(c["note"]), inert(c["by"])])
    return rows


HEADER = ["日期", "报告", "单元格", "核定数值", "类别", "依据", "核定人"]


def settled_summary(ctx: SiteContext) -> str:
    """/quality/: how many cells a person settled, and the list (capped)."""
    corrections = ctx.corpus.corrections
    kinds = Counter(c["kind"] for c in corrections)
    reports = len({(c["agency_id"], c["year"]) for c in corrections})
    head = ('<h2 id="settled">人工核定</h2>'
            f"<p>由人对照原文核定的单元格共 {grouped(len(corrections))} 格（"
            f"{SETTLEMENT_WORDS[SettlementKind.SUPPLIED]} {grouped(kinds[SettlementKind.SUPPLIED])} 格：程序未能读出或待核对；"
            f"{SETTLEMENT_WORDS[SettlementKind.CORRECTED]} {grouped(kinds[SettlementKind.CORRECTED])} 格：程序读错），"
            f"涉及 {grouped(reports)} 份报告。其余数字都由程序从原文读出；原表本身的错误不作更正。</p>")
    if not corrections:
        return head
    rows, rest = capped(_rows(ctx, urls.QUALITY), "核定记录", link(urls.QUALITY, urls.corpus_file("corrections.csv"),
                                                                 "corrections.csv"))
    return head + table(HEADER, rows) + rest


def changelog_corrections(ctx: SiteContext, page_url: str) -> str:
    """The changelog's list of corrections, newest first (HTML, in place of CHANGELOG_MARK)."""
    if not ctx.corpus.corrections:
        return "<p>还没有人工核定的单元格。</p>"
    rows, rest = capped(_rows(ctx, page_url), "核定记录", link(page_url, urls.corpus_file("corrections.csv"),
                                                             "corrections.csv"))
    return table(HEADER, rows) + rest
