"""Rows whose labels came apart from their numbers are re-paired by order only when the sums prove it."""

from nianbao.extract import extract_document
from nianbao.read.text import from_text

HEAD = """2021年政府信息公开工作年度报告
上海市长宁区卫生健康委员会
三、收到和处理政府信息公开申请情况
| 一、本年新收政府信息公开申请数量 | 5 | 0 | 0 | 0 | 0 | 0 | 5 |
| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| （一）予以公开 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |
（二）部分公开（区分处理的，只计这一情形，不计其他情形）
1.属于国家秘密
| {a} | 0 | 0 | 0 | 0 | 0 | {a} |
| {b} | 0 | 0 | 0 | 0 | 0 | {b} |
"""
TAIL = """| 2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 3.危及“三安全一稳定” | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 4.保护第三方合法权益 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 5.属于三类内部事务信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 6.属于四类过程性信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 7.属于行政执法案卷 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 8.属于行政查询事项 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 1.本机关不掌握相关政府信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 2.没有现成信息需要另行制作 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 3.补正后申请内容仍不明确 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 1.信访举报投诉类申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 3.要求提供公开出版物 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 4.无正当理由大量反复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 5.要求行政机关确认或重新出具已获取信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| （六）其他处理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| （七）总计 | 5 | 0 | 0 | 0 | 0 | 0 | 5 |
| 四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
"""


def extract(a: int, b: int):
    return extract_document(from_text(HEAD.format(a=a, b=b) + TAIL), "detached.txt", "0" * 64).cells


def test_detached_rows_are_paired_in_order_when_the_sums_hold():
    cells = extract(1, 2)      # 2 granted + 1 partly + 2 state secret = 5 = total
    assert cells["requests.partly_granted.natural_person"].value == 1
    assert cells["requests.withheld_state_secret.total"].value == 2
    assert "paired-by-order" in cells["requests.partly_granted.total"].flags


def test_detached_rows_stay_unreadable_when_the_sums_do_not_prove_the_pairing():
    cells = extract(1, 1)      # 2 + 1 + 1 = 4 ≠ 5: the pairing is not proven
    assert cells["requests.partly_granted.natural_person"].status == "unreadable"
    assert cells["requests.partly_granted.natural_person"].value is None
    assert cells["requests.withheld_state_secret.total"].status in ("unreadable", "missing")


def test_numbers_below_a_row_with_no_label_make_that_row_unreadable_not_wrong():
    """A row cut by a page with its digits wrapped below ('77' / '1'): never publish 77 for 771."""
    text = (HEAD.format(a=1, b=2) + TAIL).replace(
        "| （七）总计 | 5 | 0 | 0 | 0 | 0 | 0 | 5 |\n",
        "| （七）总计 | 77 | 0 | 0 | 0 | 0 | 0 | 77 |\n|  | 1 |  |  |  |  |  | 1 |\n")
    cells = extract_document(from_text(text), "cut.txt", "0" * 64).cells
    assert cells["requests.total.natural_person"].status == "unreadable"
    assert cells["requests.total.natural_person"].value is None
    assert "unexplained-numbers-below" in cells["requests.total.total"].flags
