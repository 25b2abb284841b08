"""What a sum over many reports may add: a report that counts its whole area (ReportScope.AREA, e.g. a city
government's 全市共受理…) already holds the figures of the bodies inside that area, so they are never added to it.

The rule, one place for every roll-up (the compare pages' sums by province and level, the corpus totals by year):
a body-year is counted unless an area-wide report of the same year contains it. An area-wide report contains
the bodies whose region lies in its region (a city's 320800 holds 3208xx; a county's holds its townships) — all
of them when it is a people's government's report, only those of its own sector otherwise (a city health
commission's 全市 counts the city's health bodies, not its districts' governments). Reports whose scope is not
stated are counted as the body's own: the rule removes only what a report's own words prove is counted twice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from nianbao.model.words import SCOPE_PLACE_WORDS, SCOPE_WORDS, Level, ReportScope
from nianbao.site.corpus import Body, BodyYear, Corpus
from nianbao.site.measures import Measure
from nianbao.site.text import inert

# How many digits of a region code name the area of a body of each level (区划代码: 2 province, 4 prefecture,
# 6 county, 9 township). A central body's code 100000 names no area.
AREA_DIGITS: dict[str, int] = {Level.PROVINCE: 2, Level.PREFECTURE: 4, Level.COUNTY: 6, Level.TOWNSHIP: 9}
# A people's government (or its office, which writes its report) speaks for every body of its area.
WHOLE_GOVERNMENT_SECTORS = ("gov", "gov-office")

RULE = ("有的报告统计的是全辖区（例如市政府的报告写“全市共受理政府信息公开申请……件”），它的数字已经包含辖区内各机关。"
        "因此各项合计只加总没有被同年全辖区报告包含的报告：全辖区报告本身计入，辖区内机关的报告不再相加，列为“已含在全辖区报告中”。"
        "人民政府的全辖区报告包含辖区内所有机关，其他部门的只包含辖区内同一领域的机关。"
        "报告没有说明统计范围的，按本机关计入。")


def scope_of(by: BodyYear) -> ReportScope:
    """The body-year's scope as its report states it (reports.csv `scope`); UNKNOWN when not stated."""
    try:
        return ReportScope(by.source.get("scope") or ReportScope.UNKNOWN)
    except ValueError:          # a code this version does not know
        return ReportScope.UNKNOWN


@dataclass(frozen=True)
class Area:
    """The bodies an area-wide report counts: a region-code prefix, and a sector unless it is a government's."""
    prefix: str
    sector: str | None

    @classmethod
    def of(cls, body: Body) -> Area | None:
        digits = AREA_DIGITS.get(body.row.get("level", ""))
        code = body.row.get("region_code") or ""
        if digits is None or len(code) < digits:
            return None
        sector = body.row.get("sector") or ""
        return cls(code[:digits], None if sector in WHOLE_GOVERNMENT_SECTORS else sector)

    def holds(self, body: Body) -> bool:
        return ((body.row.get("region_code") or "").startswith(self.prefix)
                and (self.sector is None or body.row.get("sector") == self.sector))


def within_areas(corpus: Corpus, year: int) -> dict[str, str]:
    """Agency id → the id of the area-wide report of `year` that already counts it (the outermost one), for
    every body of that year inside one. An area-wide report is not inside itself."""
    areas: dict[str, list[tuple[Area, str]]] = defaultdict(list)     # prefix → the area reports naming it
    for body in corpus.bodies.values():
        by = body.years.get(year)
        area = Area.of(body) if by is not None and scope_of(by) == ReportScope.AREA else None
        if area is not None:
            areas[area.prefix].append((area, body.id))
    inside: dict[str, str] = {}
    if not areas:
        return inside
    for body in corpus.bodies.values():
        if year not in body.years:
            continue
        code = body.row.get("region_code") or ""
        candidates = [a for digits in sorted(set(AREA_DIGITS.values())) for a in areas.get(code[:digits], ())]
        holder = next((area_id for area, area_id in candidates if area_id != body.id and area.holds(body)), None)
        if holder is not None:       # outermost first: the candidates run from the shortest prefix
            inside[body.id] = holder
    return inside


def counted(corpus: Corpus, year: int) -> list[BodyYear]:
    """The body-years of `year` a corpus-wide sum adds: those no area-wide report of the year contains."""
    inside = within_areas(corpus, year)
    return [b.years[year] for b in corpus.bodies.values() if year in b.years and b.id not in inside]


@dataclass(frozen=True)
class YearTotals:
    """The measures' corpus-wide sums by year, each over the body-years `counted` gives."""
    sums: dict[tuple[int, Measure], int]       # (year, measure) → the sum of its known values
    bodies: dict[int, frozenset[str]]          # year → the agency ids summed


def year_totals(corpus: Corpus, only: frozenset[str] | None = None) -> YearTotals:
    """Every measure summed by year over the counted body-years (`only`: of these bodies alone)."""
    sums: dict[tuple[int, Measure], int] = defaultdict(int)
    bodies: dict[int, set[str]] = defaultdict(set)
    for year in corpus.years:
        for by in counted(corpus, year):
            if only is not None and by.agency_id not in only:
                continue
            bodies[year].add(by.agency_id)
            for m, v in by.figures:
                if v is not None:
                    sums[(year, m)] += v
    return YearTotals(dict(sums), {y: frozenset(ids) for y, ids in bodies.items()})


def counted_every_year(corpus: Corpus) -> frozenset[str]:
    """The bodies counted in every year of the corpus with the same scope each year: the set whose totals
    compare like with like (a body whose report counts itself one year and its whole area the next does not)."""
    per_year = [{by.agency_id for by in counted(corpus, y)} for y in corpus.years]
    steady = set.intersection(*per_year) if per_year else set()
    return frozenset(i for i in steady if len({scope_of(by) for by in corpus.bodies[i].years.values()}) == 1)


def like_with_like(corpus: Corpus) -> bool:
    """Whether every year's totals sum the same bodies, each with one scope throughout: only then do the
    corpus-wide totals compare year with year."""
    steady = counted_every_year(corpus)
    return all(frozenset(by.agency_id for by in counted(corpus, y)) == steady for y in corpus.years)


def bodies_by_year_sentence(corpus: Corpus) -> str:
    """In words: how many bodies each year's totals sum, and whether the years compare like with like."""
    totals = year_totals(corpus)
    years = corpus.years
    per_year = "、".join(f"{y} 年 {len(totals.bodies.get(y, ()))} 个" for y in years)
    if len(years) <= 1:
        return f"合计加总的机关：{per_year}。" if years else ""
    if like_with_like(corpus):
        return f"各年度合计加总的是同一组机关（{per_year}），统计范围每年相同，可以逐年比较。"
    steady = counted_every_year(corpus)
    said = f"各年度合计加总的机关不同（{per_year}），年度之间的差别有一部分只是因为报告的机关不同；"
    if not steady:
        return said + "没有一个机关每年都计入合计且统计范围不变，各年合计不宜逐年比较。"
    return said + f"每年都计入合计且统计范围不变的机关有 {len(steady)} 个，只有它们的合计可以逐年比较。"


def scope_fact(by: BodyYear) -> str:
    """The body-year page's 统计范围 in words, with the report's own sentence and where it stands (escaped)."""
    scope = scope_of(by)
    words = SCOPE_WORDS[scope]
    if scope == ReportScope.UNKNOWN:
        return f"{words}：报告没有说明数字统计的是本机关还是全辖区（汇总规则见“对比”页）。"
    place = SCOPE_PLACE_WORDS.get(by.source.get("scope_found_in") or "", "")
    page = by.source.get("scope_page")
    where = "，".join(p for p in (place, f"第 {page} 页" if page else "") if p)
    meaning = "报告的数字包含辖区内各机关，汇总时不再与辖区内机关的报告相加" if scope == ReportScope.AREA else "报告的数字只统计本机关"
    return f"{words}：{meaning}。原文（{where}）：“{inert(by.source.get('scope_evidence') or '')}”"
