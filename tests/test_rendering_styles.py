"""Synthetic reports in every rendering real texts show, read back cell by cell against their ground truth.

Each style of `nianbao.synth.text_styles` (the PDF-text ones in `pdf_text`) prints a whole report (title, prose, the three tables) from a
`Truth` whose numbers satisfy the tables' identities. The extraction must give every cell's exact status and
value, the year and the template. Where a style cannot show an empty cell (text from PDFs, one cell per
paragraph), a row with empty cells prints fewer numbers than columns: its cells must be `unreadable`, never
shifted; a row printing no number at all is `blank`.
"""

from __future__ import annotations

import random
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from nianbao.extract import extract_path
from nianbao.synth.compare import cell_differences
from nianbao.synth.grids import grids, options_for
from nianbao.synth.pdf_text import whitespace_rows
from nianbao.synth.prose import WORD_HEADINGS
from nianbao.synth.text_styles import INFO, STYLES, padded_numbers
from nianbao.synth.truth import check_identities, expected_cells, make_truth, with_cells

TEMPLATES = {"2019": 2020, "2021": 2022}     # template → report year used with it
SEEDS = (1, 2, 8)        # 1: intro sentences before tables 三 and 四, odd-seed variants; 2, 8: neither
BLANKS = (0.0, 0.15)


def extract(text: str, suffix: str, tmp_path: Path, name: str = "report"):
    path = tmp_path / f"{name}{suffix}"
    path.write_text(text, encoding="utf-8")
    record = extract_path(path)
    assert record.status == "ok", (record.reason_code, record.reason)
    return record


def _cases():
    for style in STYLES:
        for template in TEMPLATES:
            for seed in SEEDS:
                for blanks in BLANKS:
                    yield pytest.param(style, template, seed, blanks, id=f"{style}-{template}-s{seed}-b{blanks}")


@pytest.mark.parametrize("style,template,seed,blanks", list(_cases()))
def test_style_reads_back_every_cell(style, template, seed, blanks, tmp_path):
    truth = make_truth(template, seed, blanks=blanks, year=TEMPLATES[template])
    info = INFO[style]
    record = extract(STYLES[style](truth), info.suffix, tmp_path)
    problems = [f"{name}: got {got!r}, want {want!r}"
                for name, got, want in (("year", record.year, truth.year), ("template", record.template, truth.template))
                if got != want]
    expected = expected_cells(truth, blanks_visible=info.blanks_visible)
    assert problems + cell_differences(record, expected) == []


# --- the generator itself --------------------------------------------------------------------------------

@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("blanks", [0.0, 0.3, 0.9])
def test_truth_is_consistent_and_reproducible(template, blanks):
    for seed in range(40):
        truth = make_truth(template, seed, blanks=blanks)
        check_identities(truth)
        assert truth == make_truth(template, seed, blanks=blanks)
        money = [cid for cid in truth.cells if cid.endswith(".amount")]
        assert money == (["disclosure.procurement.amount"] if template == "2019" else ["disclosure.fees.amount"])
        for cid, value in truth.cells.items():
            if value is None:
                assert not cid.endswith(".total") and ".total." not in cid
            elif cid in money:
                assert isinstance(value, Decimal) and value >= 0 and (value * 10000) == int(value * 10000)
            else:
                assert isinstance(value, int)
                assert value >= 0 or cid.endswith(".item_change")


def test_blanks_leave_about_the_asked_fraction_empty():
    truth = make_truth("2021", 7, blanks=0.5)
    empty = sum(v is None for v in truth.cells.values())
    assert 0.3 * len(truth.cells) < empty < 0.5 * len(truth.cells)
    assert all(v is not None for v in make_truth("2021", 7).cells.values())


def test_every_style_prints_title_and_section_headings():
    truth = make_truth("2021", 1)
    standard = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
    for style, render in STYLES.items():
        text = render(truth)
        if style == "traditional_mirror":
            assert "二、主動公開政府信息情況" in text and "上海市長寧區衛生健康委員會" in text
            continue
        headings = WORD_HEADINGS.values() if style == "tab_cells" else standard    # seed 1 is odd: 003's wording
        for heading in headings:
            assert heading in text, (style, heading)
        assert "政府信息公开工作年度报告" in text and truth.agency_name in text, style
    assert all(h in STYLES["tab_cells"](make_truth("2021", 2)) for h in standard)


# --- targeted: rows whose empty cells leave no trace -----------------------------------------------------

def test_row_with_fewer_numbers_than_columns_is_unreadable_never_shifted(tmp_path):
    truth = make_truth("2021", 5)
    truth = with_cells(truth, {"requests.granted.business": None, "requests.granted.research": None,
                               "disclosure.rules.repealed": None, "appeals.litigation_direct.corrected": None})
    text = whitespace_rows(truth)
    granted = [line for line in text.splitlines() if line.startswith("（一）予以公开")]
    assert len(granted) == 1 and len(granted[0].split()) == 1 + 5
    record = extract(text, ".txt", tmp_path)
    for cid in truth.specs()["requests"].rows[2].cell_ids:
        assert record.cells[cid].status == "unreadable" and record.cells[cid].value is None, cid
    for cid in ("disclosure.rules.issued", "disclosure.rules.repealed", "disclosure.rules.in_force"):
        assert (record.cells[cid].status, record.cells[cid].value) == ("unreadable", None)
    for cid in truth.specs()["appeals"].cell_ids:
        assert (record.cells[cid].status, record.cells[cid].value) == ("unreadable", None)
    # The neighbouring rows keep their own numbers.
    for cid in ("requests.carried_over.total", "requests.partly_granted.total", "disclosure.normative.in_force"):
        assert (record.cells[cid].status, record.cells[cid].value) == ("value", truth.cells[cid])


def test_row_label_without_numbers_is_blank(tmp_path):
    truth = make_truth("2019", 6)
    empty_rows = {"requests.withheld_query", "disclosure.fees"}
    changes = {cid: None for cid in truth.cells if cid.rsplit(".", 1)[0] in empty_rows}
    truth = with_cells(truth, changes)
    text = whitespace_rows(truth)
    assert "\n8.属于行政查询事项\n" in text and "\n行政事业性收费\n" in text
    record = extract(text, ".txt", tmp_path)
    assert cell_differences(record, expected_cells(truth, blanks_visible=False)) == []
    for cid in changes:
        assert (record.cells[cid].status, record.cells[cid].value) == ("blank", None)


def test_expected_cells_for_invisible_blanks():
    truth = with_cells(make_truth("2021", 2), {"requests.granted.business": None,
                                              **{f"appeals.review.{p}": None for p in ("upheld", "corrected")}})
    expected = expected_cells(truth, blanks_visible=False)
    assert expected["requests.granted.total"] == ("unreadable", None)
    assert expected["appeals.litigation_after_review.total"] == ("unreadable", None)
    assert expected["requests.new.total"] == ("value", truth.cells["requests.new.total"])
    assert expected_cells(truth)["requests.granted.business"] == ("blank", None)


# --- what each style looks like (the fixtures must stay faithful to real texts) -------------------------

def _tables_part(text: str) -> str:
    return text[text.index("二、主动公开政府信息情况"):text.index("五、存在的主要问题及改进情况")]


@pytest.mark.parametrize("template", TEMPLATES)
def test_styles_look_like_real_texts(template):
    truth = make_truth(template, 2, blanks=0.15, year=TEMPLATES[template])
    blank = next(cid for cid, v in truth.cells.items() if v is None and cid.startswith("requests."))
    text = {style: render(truth) for style, render in STYLES.items()}
    lines = {style: _tables_part(t).splitlines() for style, t in text.items() if style != "traditional_mirror"}

    assert "| 三、本年度办理结果 | （一）予以公开 | " in text["pipe_rows"] and "|  |" in text["pipe_rows"]
    assert all(line.startswith("|") for line in lines["pipe_rows"][1:] if "|" in line)
    assert not any(line.startswith("|") for line in lines["pipe_rows_no_leading"][1:5])
    assert "|||" in text["pipe_rows_no_leading"]
    assert "|---|---|" in text["markdown_table"]
    assert {"|", "\u3000|"} <= set(lines["cell_per_line_pipe"])
    assert all(line.endswith("|") for line in lines["cell_per_line_pipe"] if line and "、" not in line[:3])
    paragraphs = [line for line in lines["cell_per_paragraph"] if line]
    assert "|" not in text["cell_per_paragraph"] and "\t" not in text["cell_per_paragraph"]
    assert "规章" in paragraphs and "信息内容" in paragraphs
    assert "\t" in lines["tab_cells"] and "\t三、本年度办理结果" in lines["tab_cells"]
    assert any(line.startswith("规章 ") for line in lines["whitespace_rows"])
    assert "\n三、本年度办理结果\n（一）予以公开 " in text["whitespace_rows"]
    assert "自\n然\n人" in text["headers_broken"] and "商业\n\n企业" in text["headers_broken"]
    assert "三、\n\n本\n\n年\n\n度" in text["headers_broken"]
    order = text["pdf_order"]
    assert order.index("三、收到和处理政府信息公开申请情况") < order.index("行政处罚") < order.index("一、本年新收")
    six = order[order.index("六、其他需要报告的事项"):]
    shown = [c for c in truth.specs()["appeals"].cell_ids if truth.cells[c] is not None]
    if shown:
        assert len(six.strip().splitlines()[-1].split()) == len(shown)
    assert "三、本年度办理结果 （一）予以公开 " in text["group_label_shares_line"]
    assert "\n规章\n" in text["label_line_then_values"]
    mirror = text["traditional_mirror"]
    assert "規範性檔案" in mirror and "０" in mirror and "“" not in mirror and "收到和處理" in mirror
    padded = text["fullwidth_padded"]
    assert "\u3000" in _tables_part(padded) and "\t" in padded
    assert "<table" in text["html_table"] and 'rowspan="' in text["html_table"] and 'colspan="' in text["html_table"]
    assert blank  # the truth does have blank cells for the styles that show them


def test_money_unit_in_header_or_in_cell():
    """2019's 采购总金额: unit in the header ("（单位:万元）", value in 万元) or in the cell ("3405820元")."""
    seen = set()
    for seed in range(12):
        truth = make_truth("2019", seed)
        amount = truth.cells["disclosure.procurement.amount"]
        text = STYLES["pipe_rows"](truth)
        if "采购总金额（单位:万元）" in text:
            seen.add("header")
            assert f"| {format(amount.normalize(), 'f')} |" in text
        else:
            seen.add("cell")
            assert f"| {int(amount * 10000)}元 |" in text
    assert seen == {"header", "cell"}
    truth = make_truth("2021", 1)
    assert "本年收费金额（单位：万元）" in STYLES["pipe_rows"](truth)


def test_signed_changes_and_thousands_only_where_the_dictionary_allows():
    """fullwidth_padded: 增1 / 减3 / +1 / -3 only in 2019's 本年增/减; thousands separators only from 1,000 up."""
    signs, separators = 0, 0
    for seed in range(8):
        truth = make_truth("2019", seed)
        opts = options_for(truth, "fullwidth_padded")
        opts.decorate = padded_numbers(random.Random(f"decorate-{truth.seed}"))
        for grid in grids(truth, opts):
            for cell in (c for row in grid.rows for c in row if c.kind == "value" and c.text):
                printed = unicodedata.normalize("NFKC", cell.text).strip()
                if re.match(r"^(增|减|\+|-|−)", printed):
                    signs += 1
                    assert cell.cid.endswith(".item_change"), cell
                if re.search(r"\d,\d{3}", printed):
                    separators += 1
                    assert truth.cells[cell.cid] >= 1000, cell
    assert signs and separators


def _html_grid(page: str) -> list[list[str]]:
    """The last table of a page as a full grid (spans expanded), read with lxml: the renderer's own check."""
    from lxml import html as lxml_html

    table = lxml_html.fromstring(page).xpath("//table")[-1]
    grid: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(table.xpath(".//tr")):
        c = 0
        for td in tr.xpath("./td|./th"):
            while (r, c) in grid:
                c += 1
            rs, cs = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
            for dr in range(rs):
                for dc in range(cs):
                    grid[(r + dr, c + dc)] = td.text_content().strip() if (dr, dc) == (0, 0) else ""
            c += cs
    rows = 1 + max(r for r, _ in grid)
    cols = 1 + max(c for _, c in grid)
    return [[grid.get((r, c), "?") for c in range(cols)] for r in range(rows)]


@pytest.mark.parametrize("template", TEMPLATES)
def test_html_renderer_builds_true_grids(template):
    truth = make_truth(template, 3, blanks=0.2)
    grid = _html_grid(STYLES["html_table"](truth))
    assert len(grid) == 4 and all(len(row) == 15 for row in grid)
    assert "?" not in {cell for row in grid for cell in row}
    want = ["" if truth.cells[c] is None else str(truth.cells[c]) for c in truth.specs()["appeals"].cell_ids]
    assert [cell.replace("\xa0", "") for cell in grid[-1]] == want


# --- parser bugs found with the fixtures: minimal inputs, kept failing until fixed -----------------------

def _extract_text(text: str):
    from nianbao.extract import extract_document
    from nianbao.read.text import from_text

    return extract_document(from_text(text), "<text>", "0" * 64)


DISCLOSURE_2021 = """2021年政府信息公开工作年度报告
二、主动公开政府信息情况
第二十条第（一）项
信息内容 本年制发件数 本年废止件数 现行有效件数
规章 0 0 0
行政规范性文件 1 2 3
第二十条第（五）项
信息内容 本年处理决定数量
行政许可 7
第二十条第（六）项
信息内容 本年处理决定数量
行政处罚 8
行政强制 9
第二十条第（八）项
信息内容 本年收费金额（单位：万元）
行政事业性收费 0.5
"""


def _cell(record, cid):
    cell = record.cells[cid]
    return cell.status, cell.value


def test_blank_cell_line_in_one_cell_per_line_pipe_text():
    text = "2021年政府信息公开工作年度报告\n二、主动公开政府信息情况\n" + "\n".join([
        "信息内容 |", "本年制发件数 |", "本年废止件数 |", "现行有效件数 |", "|",
        "规章 |", "1 |", "\u3000|", "3 |", "|",
        "行政规范性文件 |", "4 |", "5 |", "6 |", "|",
        "行政许可 |", "7 |", "|"]) + "\n"
    record = _extract_text(text)
    assert [_cell(record, f"disclosure.rules.{c}") for c in ("issued", "repealed", "in_force")] == \
        [("value", 1), ("blank", None), ("value", 3)]


def test_pipe_row_without_leading_pipe_starting_with_a_blank_cell():
    text = DISCLOSURE_2021 + """四、政府信息公开行政复议、行政诉讼情况
行政复议 ||||| 行政诉讼 ||||||||||
结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 ||||| 复议后起诉 |||||
结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |
 | 1 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
五、存在的主要问题及改进情况
"""
    record = _extract_text(text)
    assert _cell(record, "appeals.review.upheld") == ("blank", None)
    assert _cell(record, "appeals.review.corrected") == ("value", 1)


def test_table_four_numbers_after_six_with_an_empty_cell():
    text = DISCLOSURE_2021 + """四、政府信息公开行政复议、行政诉讼情况
行政复议 行政诉讼
结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉
结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计
五、存在的主要问题及改进情况
无。
六、其他需要报告的事项
无。
1 0 1 0 0 0 0 0 0 0 0 0 0 0
"""
    record = _extract_text(text)
    assert {_cell(record, cid) for cid in record.cells if cid.startswith("appeals.")} == {("unreadable", None)}


def test_year_in_a_fullwidth_title():
    record = _extract_text(DISCLOSURE_2021.replace("2021年", "２０２１年", 1))
    assert record.year == 2021


def test_traditional_normative_documents_row_of_2021():
    text = DISCLOSURE_2021.replace("规章 0 0 0", "規章").replace("行政规范性文件", "行政規範性檔案")
    record = _extract_text(text)
    assert [_cell(record, f"disclosure.rules.{c}") for c in ("issued", "repealed", "in_force")] == [("blank", None)] * 3
    assert [_cell(record, f"disclosure.normative.{c}") for c in ("issued", "repealed", "in_force")] == \
        [("value", 1), ("value", 2), ("value", 3)]


def test_numbers_in_a_sentence_between_heading_and_table():
    text = DISCLOSURE_2021 + """三、收到和处理政府信息公开申请情况
本年度，我委共新收政府信息公开申请 39 件，上年结转 0 件，具体办理
情况如下：
一、本年新收政府信息公开申请数量 39 0 0 0 0 0 39
"""
    record = _extract_text(text)
    assert _cell(record, "disclosure.fees.amount") == ("value", Decimal("0.5"))


def test_control_simplified_normative_row_after_an_empty_rules_row():
    record = _extract_text(DISCLOSURE_2021.replace("规章 0 0 0", "规章"))
    assert [_cell(record, f"disclosure.rules.{c}") for c in ("issued", "repealed", "in_force")] == [("blank", None)] * 3
    assert [_cell(record, f"disclosure.normative.{c}") for c in ("issued", "repealed", "in_force")] == \
        [("value", 1), ("value", 2), ("value", 3)]
