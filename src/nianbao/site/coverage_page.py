"""/coverage/: for every body and year of the corpus's span, what the corpus holds — published, awaiting review,
rejected, or nothing at all — with the same table as a CSV beside the page. Users asked which bodies have not
published which years; the site can only say which it has not collected, and says it that way."""

from __future__ import annotations

from collections import Counter

from nianbao.model import urls
from nianbao.model.words import COVERAGE_WORDS, Coverage
from nianbao.site.corpus import Corpus
from nianbao.site.page import Page, SiteContext, capped, csv_bytes, link, table
from nianbao.site.text import inert

# A body-year with several inputs shows the furthest any of them got.
RANK = {Coverage.PUBLISHED: 0, Coverage.NEEDS_REVIEW: 1, Coverage.REJECTED: 2}
CSV_HEADER = ["agency_id", "name", "region_code", "province", "year", "coverage", "coverage_words"]


def coverage_page(ctx: SiteContext) -> Page:
    corpus = ctx.corpus
    years = year_span(corpus)
    cells = coverage(corpus)
    bodies = _bodies(corpus, cells)
    rows = [[_body_link(corpus, agency_id, name), inert(province)]
            + [_shown(corpus, agency_id, year, cells.get((agency_id, year), Coverage.NOT_COLLECTED)) for year in years]
            for agency_id, name, _, province in bodies]
    listed, rest = capped(rows, "机关", link(urls.COVERAGE, urls.COVERAGE + urls.COVERAGE_CSV, urls.COVERAGE_CSV))
    counts = Counter(cells.get((b[0], y), Coverage.NOT_COLLECTED) for b in bodies for y in years)
    unattributed = sum(1 for r in corpus.reports if not (r["agency_id"] and r["year"]))
    body = "\n".join([
        f"<p>{len(bodies)} 个机关、{years[0] if years else '—'}–{years[-1] if years else '—'} 年，每个机关每一年本站收到了什么："
        + "，".join(f"{COVERAGE_WORDS[c]} {counts[c]} 个" for c in Coverage) + "。"
        "“未收录”是指本站没有收到这一年的报告，不等于该机关没有发布。</p>",
        f"<p>另有 {unattributed} 份输入文件无法确定机关或年度，见{link(urls.COVERAGE, urls.QUALITY, '数据质量')}。</p>"
        if unattributed else "",
        f'<p>数据：{link(urls.COVERAGE, urls.COVERAGE + urls.COVERAGE_CSV, urls.COVERAGE_CSV)}（每个机关每一年一行）。</p>',
        table(["机关", "省份", *(f"{y} 年" for y in years)], listed, cls="nb-list nb-coverage"), rest,
    ])
    csv_rows = [[agency_id, name, code, province, year, c.value, COVERAGE_WORDS[c]]
                for agency_id, name, code, province in bodies for year in years
                for c in [cells.get((agency_id, year), Coverage.NOT_COLLECTED)]]
    return Page(urls.COVERAGE, "收录情况", body, description="每个机关每一年的报告是否已收录、已发布",
                files={urls.COVERAGE_CSV: csv_bytes(CSV_HEADER, csv_rows)})


def year_span(corpus: Corpus) -> list[int]:
    """Every year from the earliest to the latest any input is about (a gap in the middle is a year too)."""
    years = [int(r["year"]) for r in corpus.reports if r["year"]]
    return list(range(min(years), max(years) + 1)) if years else []


def coverage(corpus: Corpus) -> dict[tuple[str, int], Coverage]:
    """(agency id, year) → the furthest status any input about it reached (duplicates and errors left out)."""
    out: dict[tuple[str, int], Coverage] = {}
    for r in corpus.reports:
        if not (r["agency_id"] and r["year"]) or r["status"] not in RANK:
            continue
        key, status = (r["agency_id"], int(r["year"])), Coverage(r["status"])
        if key not in out or RANK[status] < RANK[out[key]]:
            out[key] = status
    return out


def _bodies(corpus: Corpus, cells: dict[tuple[str, int], Coverage]) -> list[tuple[str, str, str, str]]:
    """(id, name, region code, province) of every body the corpus knows, published or not, by province and id."""
    known = {b.id: (b.id, b.name, b.row.get("region_code") or "", b.row.get("province") or "")
             for b in corpus.bodies.values()}
    for agency_id, _ in cells:
        known.setdefault(agency_id, (agency_id, agency_id, "", ""))
    return sorted(known.values(), key=lambda b: (b[3], b[0]))


def _body_link(corpus: Corpus, agency_id: str, name: str) -> str:
    if agency_id in corpus.bodies:
        return link(urls.COVERAGE, urls.body_page(agency_id), inert(name))
    return f"<code>{inert(agency_id)}</code>（尚无已发布的报告）"


def _shown(corpus: Corpus, agency_id: str, year: int, status: Coverage) -> str:
    words = COVERAGE_WORDS[status]
    if status is Coverage.PUBLISHED:
        return link(urls.COVERAGE, urls.body_year_page(agency_id, year), words)
    return f'<span class="nb-coverage-{status.value}">{words}</span>'
