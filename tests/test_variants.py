"""A provincial variant is data only: Hubei 2020's extra row 其他主动公开文件 comes out as its own cells."""

from nianbao.extract import extract_document
from nianbao.read.text import from_text

HUBEI = """2020年政府信息公开工作年度报告
湖北省武汉市江岸区卫生健康局
二、主动公开政府信息情况
| 第二十条第（一）项 |
| 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |
| 规章(设区的市、自治州人民政府应提供相关数据) | 0 | 0 | 0 |
| 规范性文件 | 3 | 3 | 41 |
| 其他主动公开文件 | 120 | 118 | 900 |
| 第二十条第（五）项 |
| 信息内容 | 上一年项目数量 | 本年增/减(增加用正值表示，减用负值表示,如-8) | 处理决定数量 |
| 行政许可 | 40 | -8 | 1200 |
| 其他对外管理服务事项 | 2 | 0 | 5 |
| 第二十条第（六）项 |
| 行政处罚 | 30 | +2 | 77 |
| 行政强制 | 0 | 0 | 0 |
| 第二十条第（八）项 |
| 行政事业性收费 | 1 | 0 |
| 第二十条第（九）项 |
| 信息内容 | 采购项目数量 | 采购总金额 |
| 政府集中采购 | 4 | 63.28万元 |
三、收到和处理政府信息公开申请情况
| 一、本年新收政府信息公开申请数量 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |
| （一）予以公开 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |
| （六）其他处理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| （七）总计 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |
"""


def test_hubei_variant_counts_as_template_2019_with_its_extra_row():
    record = extract_document(from_text(HUBEI), "hubei.txt", "0" * 64)
    assert record.template == "2019"
    cells = record.cells
    assert [cells[f"disclosure.other_documents.{c}"].value for c in ("made", "published", "public_total")] == [120, 118, 900]
    assert cells["disclosure.rules.made"].value == 0
    assert cells["disclosure.normative.public_total"].value == 41
    assert cells["disclosure.licensing.item_change"].value == -8
    assert cells["disclosure.penalty.item_change"].value == 2
    assert str(cells["disclosure.procurement.amount"].value) == "63.28"
    assert cells["disclosure.procurement.amount"].unit == "万元"
    assert cells["requests.new.total"].value == 2


def test_national_2019_report_has_no_provincial_row():
    text = HUBEI.replace("| 其他主动公开文件 | 120 | 118 | 900 |\n", "")
    record = extract_document(from_text(text), "plain.txt", "0" * 64)
    assert record.template == "2019"
    assert "disclosure.other_documents.made" not in record.cells
    assert record.cells["disclosure.normative.made"].value == 3


def test_unknown_extra_row_is_kept_and_reported():
    text = HUBEI.replace("| 其他主动公开文件 | 120 | 118 | 900 |\n", "| 其他文件 | 7 | 7 | 70 |\n")
    record = extract_document(from_text(text), "extra.txt", "0" * 64)
    assert record.extra_rows == ({"table": "disclosure", "label": "其他文件", "values": ["7", "7", "70"],
                                  "where": {"line": 8}},)
    assert record.cells["disclosure.normative.public_total"].value == 41
