"""Report scope: what a report's figures count (the body alone or its whole area), read from its own words, and
roll-ups that never add an area-wide report to the bodies inside its area."""

from __future__ import annotations

import shutil
from pathlib import Path

import frictionless
import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from conftest import read_csv_plain as read_csv, shared_path
from nianbao.cli import main
from nianbao.extract import extract_path
from nianbao.identify.scope import scope_of
from nianbao.model.document import Document, TextBlock, Where
from nianbao.model.record import CellValue
from nianbao.model.words import ReportScope, ScopePlace
from nianbao.site.corpus import Body, BodyYear, load_corpus
from nianbao.site.figures import NEW_REQUESTS
from nianbao.site.rollups import Area, counted_every_year, like_with_like, scope_fact, within_areas, year_totals

HUAIAN_SENTENCE = ("2024年，全市共受理政府信息公开申请3119件，答复3050件（含上年度结转申请34件，另有103件顺延到下年度答复），"
                   "均在法定期限内予以答复。")


def test_huaian_2024_counts_the_whole_city_and_says_so_on_page_2():
    scope = extract_path(shared_path("corpus", "real", "huaian-gov-2024.pdf")).scope
    assert scope.kind == ReportScope.AREA
    assert scope.evidence == HUAIAN_SENTENCE
    assert (scope.found_in, scope.where.page, scope.count) == (ScopePlace.OVERVIEW, 2, 3119)


@pytest.mark.parametrize("stem, kind, said", [
    # "区政府办代表区政府受理政府信息公开申请17件": neither 全区 nor 本机关, and table 三 says 95: not stated
    ("hongze-gov-2024", ReportScope.UNKNOWN, None),
    ("hongze-gov-2023", ReportScope.AREA, "2023年全区受理政府信息公开申请21件，均在法定期限答复。"),
])
def test_hongze_reports_get_what_their_text_says(stem, kind, said):
    scope = extract_path(shared_path("corpus", "real", f"{stem}.pdf")).scope
    assert (scope.kind, scope.evidence) == (kind, said)


@pytest.mark.parametrize("seed", ["000_71ab3c7f20f67078.txt", "001_37eacbe6cb5bd91a.txt",
                                  "002_cee7aa51eca5b7c3.txt", "003_e5463740bc1ab3aa.txt"])
def test_seed_reports_state_no_scope_and_are_not_taken_as_the_body_alone(seed):
    """None of the seeds counts requests with 全区/本机关 words (我委 sentences count nothing; 002 has 本级 in
    "主动公开上级和本级决策部署"): unknown, never guessed as BODY."""
    record = extract_path(shared_path("seeds", seed))
    assert record.status == "ok"
    assert (record.scope.kind, record.scope.evidence) == (ReportScope.UNKNOWN, None)


def document(*lines: str) -> Document:
    return Document("t.txt", tuple(TextBlock(line, Where(line=n + 1)) for n, line in enumerate(lines)), "text")


def new_requests(new: int | None, carried: int = 0) -> dict[str, CellValue]:
    if new is None:
        return {"requests.new.total": CellValue(None, "missing")}
    return {"requests.new.total": CellValue(new, "value"), "requests.carried_over.total": CellValue(carried, "value")}


@pytest.mark.parametrize("lines, cells, kind, place", [
    (["2020年，全县共收到政府信息公开申请120件，均按时答复。"], new_requests(120), ReportScope.AREA, ScopePlace.OVERVIEW),
    (["全旗累计办理政府信息公开申请35件。"], new_requests(None), ReportScope.AREA, ScopePlace.OVERVIEW),
    # the count is 本年新收 + 上年结转, and the 5 in brackets is not taken for it
    (["全区共收到政府信息公开申请105件（含上年结转5件）。"], new_requests(100, 5), ReportScope.AREA, ScopePlace.OVERVIEW),
    (["本机关全年共收到政府信息公开申请12件。"], new_requests(12), ReportScope.BODY, ScopePlace.OVERVIEW),
    (["我委2021年共受理政府信息公开申请8件。"], new_requests(8), ReportScope.BODY, ScopePlace.OVERVIEW),
    # both in one report: the count table 三 gives decides
    (["全市共受理政府信息公开申请500件，其中市政府本级受理政府信息公开申请40件。"], new_requests(40),
     ReportScope.BODY, ScopePlace.OVERVIEW),
    (["全市共受理政府信息公开申请500件，其中市政府本级受理政府信息公开申请40件。"], new_requests(500),
     ReportScope.AREA, ScopePlace.OVERVIEW),
    # a table caption says it without a count
    (["一、总体情况", "认真做好各项工作。", "三、收到和处理政府信息公开申请情况（全市）"], new_requests(7),
     ReportScope.AREA, ScopePlace.CAPTION),
    # negatives: the area named in another sense, counting nothing
    (["认真落实全市政务公开工作要点，全年主动公开信息300条。"], new_requests(3), ReportScope.UNKNOWN, None),
    (["全市各部门认真办理依申请公开，答复规范。"], new_requests(3), ReportScope.UNKNOWN, None),
    # a count that is not table 三's describes something else
    (["全市共受理政府信息公开申请500件。"], new_requests(40), ReportScope.UNKNOWN, None),
    # both ways and nothing to decide by
    (["全市共受理政府信息公开申请500件，其中市政府本级受理政府信息公开申请40件。"], new_requests(None),
     ReportScope.UNKNOWN, None),
    # 本级 in another sense (seed 002's wording) and a table row label: not evidence
    (["主动公开上级和本级决策部署落实情况。", "1.本机关不掌握相关政府信息 3 件"], new_requests(3), ReportScope.UNKNOWN, None),
])
def test_phrase_families(lines, cells, kind, place):
    scope = scope_of(document(*lines), cells)
    assert (scope.kind, scope.found_in) == (kind, place)
    assert (scope.evidence is None) == (kind == ReportScope.UNKNOWN)


def test_a_caption_after_the_overview_is_not_read_as_overview_prose():
    """The overview ends at the first table caption: a table's prose-like line below it is not a sentence of 一."""
    lines = ["一、总体情况", "二、主动公开政府信息情况", "全市共受理政府信息公开申请9件"]
    assert scope_of(document(*lines), new_requests(9)).kind == ReportScope.UNKNOWN


def body(agency_id: str, level: str, sector: str, years: dict[int, str]) -> Body:
    code = agency_id.split("-")[0]
    b = Body(agency_id, {"id": agency_id, "name": agency_id, "region_code": code, "level": level, "sector": sector})
    b.years = {y: BodyYear(agency_id, y, Path("."), {"scope": s}) for y, s in years.items()}
    return b


def test_an_area_report_holds_its_area_and_a_department_only_its_sector():
    city_gov = body("320800-gov", "prefecture", "gov", {})
    city_health = body("320800-health", "prefecture", "health", {})
    district_gov = body("320813-gov", "county", "gov", {})
    district_health = body("320813-health", "county", "health", {})
    other_city = body("320100-gov", "prefecture", "gov", {})
    gov_area, health_area = Area.of(city_gov), Area.of(city_health)
    assert gov_area and health_area
    assert [gov_area.holds(b) for b in (city_health, district_gov, district_health, other_city)] == [True, True, True, False]
    assert [health_area.holds(b) for b in (city_gov, district_gov, district_health)] == [False, False, True]
    assert Area.of(body("100000-gov", "national", "gov", {})) is None


def test_within_areas_by_year_outermost_first_and_the_bodies_comparable_every_year(tmp_path):
    from nianbao.site.corpus import Corpus
    bodies = [body("320800-gov", "prefecture", "gov", {2024: "area", 2023: "body"}),
              body("320813-gov", "county", "gov", {2024: "area", 2023: "area"}),
              body("320813101-gov", "township", "gov", {2024: "unknown", 2023: "unknown"}),
              body("330100-gov", "prefecture", "gov", {2024: "unknown", 2023: "unknown"})]
    corpus = Corpus(tmp_path, {b.id: b for b in bodies}, [], [], 0, [], {})
    assert within_areas(corpus, 2024) == {"320813-gov": "320800-gov", "320813101-gov": "320800-gov"}
    assert within_areas(corpus, 2023) == {"320813101-gov": "320813-gov"}
    # 320800-gov is counted both years, but counts itself in 2023 and the whole city in 2024: not like with like
    assert counted_every_year(corpus) == frozenset({"330100-gov"})
    assert not like_with_like(corpus)
    only_steady = Corpus(tmp_path, {"330100-gov": corpus.bodies["330100-gov"]}, [], [], 0, [], {})
    assert like_with_like(only_steady)


@pytest.fixture(scope="module")
def huaian_and_hongze(tmp_path_factory) -> Path:
    """A corpus of the three real PDFs: 淮安市 2024 (全市), 洪泽区 2023 (全区) and 2024 (not stated)."""
    root = tmp_path_factory.mktemp("scope")
    (root / "reports").mkdir()
    for stem in ("huaian-gov-2024", "hongze-gov-2024", "hongze-gov-2023"):
        shutil.copy(shared_path("corpus", "real", f"{stem}.pdf"), root / "reports")
    result = CliRunner().invoke(main, ["build", "--reports", str(root / "reports"), "--out", str(root / "out")])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return root / "out"


def test_the_city_wide_report_is_not_summed_with_its_district(huaian_and_hongze):
    """The rule: 洪泽区 2024 lies in 淮安市's area (3208xx) and 淮安's report counts 全市, so 江苏省 2024 is
    淮安's 3119 alone — not 3119 + 95 = 3214."""
    site = huaian_and_hongze / "site"
    rows = {r["agency_id"]: r for r in read_csv(site / "compare" / "2024" / "compare-2024.csv")}
    assert (rows["320800-gov"]["scope"], rows["320800-gov"]["counted_in"]) == ("area", "")
    assert (rows["320813-gov"]["new_requests"], rows["320813-gov"]["counted_in"]) == ("95", "320800-gov")
    page = lxml_html.fromstring((site / "compare" / "2024" / "index.html").read_text(encoding="utf-8"))
    province = page.xpath('//h2[@id="provinces"]/following::table[1]//tr[td]')
    cells = [[td.text_content() for td in tr.xpath("td")] for tr in province]
    assert [[c[0], c[1], c[2].replace(",", ""), c[3]] for c in cells] == [["江苏省", "1", "3119", "59.5%"]]
    assert "淮安市洪泽区人民政府" in cells[0][4] and "淮安市人民政府" in cells[0][4]
    assert "全辖区报告本身计入" in page.text_content() and "按省份加总" in page.text_content()
    corpus = load_corpus(huaian_and_hongze / "datapackages")
    totals = year_totals(corpus)
    assert (totals.sums[(2024, NEW_REQUESTS)], totals.sums[(2023, NEW_REQUESTS)]) == (3119, 21)
    assert not like_with_like(corpus)
    # the home page's chart data (figures-by-year.csv) sums by the same rule
    home = {(r["year"], r["measure"]): r["value"] for r in read_csv(site / "data" / "figures-by-year.csv")}
    assert home[("2024", "本年新收申请")] == "3119"
    index = (site / "compare" / "index.html").read_text(encoding="utf-8")
    assert ("各年度合计加总的机关不同（2023 年 1 个、2024 年 1 个），年度之间的差别有一部分只是因为报告的机关不同；"
            "没有一个机关每年都计入合计且统计范围不变") in index


def test_scope_is_in_the_packages_and_on_the_body_year_page(huaian_and_hongze):
    reports = {r["file"]: r for r in read_csv(huaian_and_hongze / "datapackages" / "all" / "reports.csv")}
    huaian = reports["huaian-gov-2024.pdf"]
    assert (huaian["scope"], huaian["scope_evidence"], huaian["scope_found_in"], huaian["scope_page"]) == (
        "area", HUAIAN_SENTENCE, "overview", "2")
    assert reports["hongze-gov-2024.pdf"]["scope"] == "unknown" and not reports["hongze-gov-2024.pdf"]["scope_evidence"]
    descriptor = huaian_and_hongze / "datapackages" / "all" / "datapackage.json"
    assert frictionless.validate(str(descriptor)).valid
    page = (huaian_and_hongze / "site" / "agencies" / "320800-gov" / "2024" / "index.html").read_text(encoding="utf-8")
    facts = lxml_html.fromstring(page).xpath('//dt[.="统计范围"]/following-sibling::dd[1]')[0].text_content()
    assert facts.startswith("全辖区（全市、全县……）") and HUAIAN_SENTENCE in facts and "第 2 页" in facts


def test_the_evidence_sentence_is_shown_inert():
    by = BodyYear("320800-gov", 2024, Path("."), {"scope": "area", "scope_found_in": "overview",
                                                   "scope_evidence": "全市共受理申请<script>x()</script>3件"})
    shown = lxml_html.fragment_fromstring(scope_fact(by), create_parent="dd")
    assert shown.xpath("//script") == [] and "申请<script>x()</script>3件" in shown.text_content()
