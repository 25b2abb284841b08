"""The reading rules learnt from real report pages, each on a small hand-typed page with exact truth.

Families (issue 14): pages without a title, pages cut off mid-table, mirror-site noise, header cells that
look like row labels, and where the year may come from.
"""

from __future__ import annotations

from nianbao.identify.report import year_of
from nianbao.model.normalize import strip_mirror_noise
from nianbao.extract import extract_document
from nianbao.read.text import from_text

OVERVIEW = "一、总体情况\n本机关认真贯彻落实《条例》要求，持续推进政务公开。\n"
DISCLOSURE_HEAD = "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\n本年制发件数\n本年废止件数\n现行有效件数\n"


def extract(text: str):
    return extract_document(from_text(text, source="page.txt"), "page.txt", "0" * 64)


def cell(record, cell_id):
    c = record.cells[cell_id]
    return c.status, c.value, c.flags


# --- a report without a title ------------------------------------------------------------------------------

def test_titleless_page_with_sections_and_one_table_row_is_a_report():
    record = extract(OVERVIEW + "二、主动公开政府信息情况\n| 第二十条第（一）项 |\n"
                     "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| 规章 | 0 | 1 | 2 |\n")
    assert record.status == "ok", record.reason
    assert [cell(record, f"disclosure.rules.{c}")[1] for c in ("issued", "repealed", "in_force")] == [0, 1, 2]


def test_prose_mentioning_table_words_is_no_report():
    record = extract("关于做好规章清理工作的通知\n各单位：请对现行有效的规章进行清理。\n规章\n")
    assert record.status == "rejected"
    assert record.kind == "other_document"


# --- a page cut off mid-table ------------------------------------------------------------------------------

def test_number_at_a_cut_end_is_not_read():
    """"12" cut to "1" by the archive: the last token of a text stopping mid-line is never a value."""
    record = extract(OVERVIEW + DISCLOSURE_HEAD + "规章 0 0 1")
    assert cell(record, "disclosure.rules.issued")[:2] == ("value", 0)
    assert cell(record, "disclosure.rules.in_force") == ("unreadable", None, ("text-cut",))


def test_number_before_a_line_break_at_the_end_is_whole():
    record = extract(OVERVIEW + DISCLOSURE_HEAD + "规章 0 0 12\n")
    assert cell(record, "disclosure.rules.in_force")[:2] == ("value", 12)


def test_last_row_of_a_cut_page_keeps_the_shown_columns_the_rest_missing():
    """Pipe cells prove the columns of a row cut short: the shown ones keep theirs, the rest are missing."""
    record = extract(OVERVIEW + DISCLOSURE_HEAD + "| 规章 | 0 | 0 | 0 |\n| 行政规范性文件 | 5 | 1 |")
    assert cell(record, "disclosure.normative.issued")[:2] == ("value", 5)
    assert cell(record, "disclosure.normative.repealed")[:2] == ("value", 1)
    assert cell(record, "disclosure.normative.in_force") == ("missing", None, ("text-cut",))


def test_cut_row_without_cell_boundaries_proves_no_column():
    """One cell per paragraph drops empty cells without a trace: "5, 1" may be 制发 5 and 有效 1 (废止 empty),
    however complete every earlier row was."""
    record = extract(OVERVIEW + DISCLOSURE_HEAD + "规章\n\n0\n\n0\n\n0\n\n行政规范性文件\n\n5\n\n1\n")
    assert {cell(record, f"disclosure.normative.{c}")[0] for c in ("issued", "repealed", "in_force")} == {"unreadable"}


def test_cut_row_with_an_empty_cell_proves_no_column():
    """An empty cell in a row cut short may be a merged label's padding (`|  |  | 3`)."""
    record = extract(OVERVIEW + DISCLOSURE_HEAD + "| 规章 | 0 | 0 | 0 |\n| 行政规范性文件 |  | 1 |")
    assert {cell(record, f"disclosure.normative.{c}")[0] for c in ("issued", "repealed", "in_force")} == {"unreadable"}


def test_start_of_the_next_label_at_a_cut_end_is_no_value():
    """"4" alone on the last line is the start of "4.无正当理由…", not the row's missing cell."""
    record = extract(OVERVIEW + DISCLOSURE_HEAD + "规章 0 0 0\n行政规范性文件 5 1\n4")
    assert {cell(record, f"disclosure.normative.{c}")[0] for c in ("issued", "repealed", "in_force")} == {"unreadable"}


def test_row_label_cut_by_the_end_of_the_page_is_missing_not_blank():
    record = extract(OVERVIEW + DISCLOSURE_HEAD + "规章 |\n0 |\n0 |\n0 |\n|\n第二十条第（五）项 |\n信息内容 |\n"
                     "本年处理决定数量 |\n行政许")
    assert cell(record, "disclosure.licensing.decisions")[0] == "missing"
    assert cell(record, "disclosure.rules.in_force")[:2] == ("value", 0)


def test_one_cell_per_line_rows_without_separators_split_at_labels():
    """No lone `|` between rows: a label cell after value cells starts the next row."""
    record = extract(OVERVIEW + "二、主动公开政府信息情况\n第二十条第（一）项 |\n|||\n信息内容 |\n本年制发件数 |\n"
                     "本年废止件数 |\n现行有效件数 |\n规章 |\n1 |\n2 |\n3 |\n行政规范性文件 |\n4 |\n5 |\n6 |\n"
                     "第二十条第（五）项 |\n")
    assert [cell(record, f"disclosure.rules.{c}")[1] for c in ("issued", "repealed", "in_force")] == [1, 2, 3]
    assert [cell(record, f"disclosure.normative.{c}")[1] for c in ("issued", "repealed", "in_force")] == [4, 5, 6]


def test_table_printed_without_any_value_is_missing_not_blank():
    record = extract(OVERVIEW + "三、收到和处理政府信息公开申请情况\n申请人情况\n自然人\n法人或其他组织\n总计\n"
                     "一、本年新收政府信息公开申请数量\n二、上年结转政府信息公开申请数量\n五、存在的主要问题及改进情况\n无。\n")
    assert cell(record, "requests.new.total") == ("missing", None, ("table-without-values",))


# --- header cells --------------------------------------------------------------------------------------------

def test_column_header_cell_total_is_no_row_label():
    """总计 in the request table's header (next to 法人或其他组织) never anchors the 总计 row."""
    record = extract(OVERVIEW + "三、收到和处理政府信息公开申请情况\n| (本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) "
                     "| 申请人情况 | |||||||\n| 自然人 | 法人或其他组织 | 总计 | ||||||\n| 商业企业 | 科研机构 |")
    assert record.status == "rejected"      # the header alone is no table row
    record = extract(OVERVIEW + "三、收到和处理政府信息公开申请情况\n| 申请人情况 | |||||||\n"
                     "| 自然人 | 法人或其他组织 | 总计 | ||||||\n"
                     "| | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | |\n"
                     "| 一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n")
    assert cell(record, "requests.new.total")[:2] == ("value", 1)
    assert record.cells["requests.total.total"].status == "missing"


# --- mirror sites --------------------------------------------------------------------------------------------

def test_mirror_noise_is_removed():
    assert strip_mirror_noise("拖市鎮(zhèn)根據(jù)") == "拖市鎮根據"
    assert strip_mirror_noise("????一、總體情況") == "一、總體情況"
    assert strip_mirror_noise("年度报告(PDF)与附件(fujian)") == "年度报告(PDF)与附件(fujian)"


# --- the year ------------------------------------------------------------------------------------------------

def test_year_from_a_title_without_gongzuo_never_from_the_date_written():
    title = "抚州市民政局2020年政府信息公开年度报告"
    assert year_of(title, "成文日期: 2021-01-20\n" + title + "\n" + OVERVIEW)[0] == 2020


def test_a_date_alone_gives_no_year():
    text = "索引号: 000014349/2021-00012\n发布时间:2021年01月30日\n" + OVERVIEW
    assert year_of(None, text) == (None, "not found")


def test_year_from_the_statistics_period_of_a_titleless_page():
    text = OVERVIEW + "本报告所列数据的统计期限为2024年1月1日至2024年12月31日。\n"
    assert year_of(None, text)[0] == 2024


def test_year_from_the_report_naming_itself():
    text = "根据《条例》规定,特向社会公布2020年桂洋镇人民政府信息公开工作年度报告。\n" + OVERVIEW
    assert year_of(None, text)[0] == 2020


def test_disagreeing_sources_without_a_title_give_no_year():
    text = ("特向社会公布2020年本机关政府信息公开工作年度报告。\n"
            "本报告所列数据的统计期限为2019年1月1日至2019年12月31日。\n")
    year, source = year_of(None, text)
    assert year is None
    assert "2019" in source and "2020" in source


def test_title_year_wins_over_the_prose():
    text = "一、总体情况\n2019年,我镇认真贯彻落实《条例》。\n"
    assert year_of("某镇2020年度政府信息公开工作报告", text) == (2020, "title")


def test_year_from_the_opening_of_the_overview():
    assert year_of(None, "一、总体情况\n2023年,我乡明确专人负责政务公开工作。\n")[0] == 2023
    assert year_of(None, "一、总体情况\n2023年以来,我乡明确专人负责政务公开工作。\n") == (None, "not found")


def test_site_chrome_between_cells_is_skipped():
    record = extract(OVERVIEW + DISCLOSURE_HEAD + "规章\n\n0\n\n分享到\n\n1\n\n【打印】\n\n2\n\n字号：大 中 小\n\n"
                     "行政规范性文件\n\n3\n\n4\n\n5\n\n五、存在的主要问题及改进情况\n无。\n")
    assert [cell(record, f"disclosure.rules.{c}")[1] for c in ("issued", "repealed", "in_force")] == [0, 1, 2]
    assert [cell(record, f"disclosure.normative.{c}")[1] for c in ("issued", "repealed", "in_force")] == [3, 4, 5]


def test_paragraph_of_a_space_between_empty_lines_is_an_empty_cell():
    """One cell per paragraph: an empty cell is a paragraph holding only a space (&nbsp;)."""
    record = extract(OVERVIEW + DISCLOSURE_HEAD + "规章\n\n0\n\n\u00a0\n\n2\n\n行政规范性文件\n\n3\n\n4\n\n5\n\n"
                     "五、存在的主要问题及改进情况\n无。\n")
    assert [cell(record, f"disclosure.rules.{c}")[:2] for c in ("issued", "repealed", "in_force")] == [
        ("value", 0), ("blank", None), ("value", 2)]


def test_lines_of_spaces_separating_cells_are_no_cells():
    record = extract(OVERVIEW + DISCLOSURE_HEAD + "规章\n \n0\n \n1\n \n2\n \n行政规范性文件\n \n3\n \n4\n \n5\n \n"
                     "五、存在的主要问题及改进情况\n无。\n")
    assert [cell(record, f"disclosure.rules.{c}")[:2] for c in ("issued", "repealed", "in_force")] == [
        ("value", 0), ("value", 1), ("value", 2)]


# --- which version of a table: header labels cut short ------------------------------------------------------

def _rules_row_under(header: str):
    return extract(OVERVIEW + "二、主动公开政府信息情况\n| 第二十条第（一）项 |\n| " + header + "\n| 规章 | 1 | 2 | 3 |\n")


def test_cut_header_labels_tell_the_version_by_prefix():
    record = _rules_row_under("信息内容 | 本年新 | 本年新 | 对外公开 |")
    assert record.template == "2019"
    assert cell(record, "disclosure.rules.public_total")[:2] == ("value", 3)
    record = _rules_row_under("信息内容 | 本年制 | 本年废 | 现行有 |")
    assert record.template == "2021"
    assert cell(record, "disclosure.rules.in_force")[:2] == ("value", 3)


def test_undecidable_version_gives_numbers_no_column():
    """规章's columns are 制作/公开/总数 (2019) or 制发/废止/有效 (2021): with nothing telling which, no guess."""
    record = _rules_row_under("信息内容 | 本年 | 本年 | 数量 |")
    assert record.template is None
    assert {c.status for c in record.cells.values() if c.raw} == {"unreadable"}
    assert "version-unproven" in record.cells["disclosure.rules.made"].flags


def test_empty_cell_the_sums_contradict_is_unread_while_a_stray_number_stands_in_the_table():
    """A conversion moved 结转 总计's "1" out of its row (real text shanghai-stcsm-2024, line 172): the row
    prints an empty cell, H1 fails with it, and a number no row took stands in the table."""
    from conftest import CORPUS
    from nianbao.extract import extract_path
    record = extract_path(CORPUS / "real-text" / "shanghai-stcsm-2024.md")
    c = record.cells["requests.carried_forward.total"]
    assert (c.status, c.flags) == ("unreadable", ("values-detached",))
    assert record.cells["requests.carried_forward.natural_person"].value == 1


def test_traditional_page_metadata_is_no_title_and_its_numbers_no_year():
    text = ("索引號：000014349/2024-00012\n發佈時間：2024-01-17 15:52\n成文日期：2024年01月17日\n"
            "2022年政府信息公開工作年度報告\n上海市長寧區衛生健康委員會\n" + OVERVIEW)
    document = from_text(text)
    from nianbao.identify.report import title_of
    assert year_of(title_of(document), document.text())[0] == 2022


def test_bare_year_counts_only_before_the_reports_name():
    assert year_of("2020政府信息公开年报", "")[0] == 2020
    assert year_of("文号2024-00012政府信息公开年报", "") == (None, "not found")


def test_spam_and_breadcrumb_lines_above_the_title_give_no_year():
    text = ("2023年度十大正规网赌平台排行 真人百家乐\n长者版 无障碍阅读\n"
            "当前位置:首页 > 政府信息公开 > 政府信息公开年度报告 > 2025 > 市直部门\n"
            "大冶市自然资源和规划局2025年政府信息公开工作报告\n" + OVERVIEW)
    from nianbao.identify.report import title_of
    document = from_text(text)
    assert title_of(document) == "大冶市自然资源和规划局2025年政府信息公开工作报告"
    assert year_of(title_of(document), document.text()) == (2025, "title")
    glued = "2022年度十大正规网赌平台排行真人百家乐鹄山镇人民政府2024年政府信息公开工作年度报告。\n"
    assert year_of(None, glued)[0] == 2024


def test_cut_row_proves_no_column_where_the_text_drops_cells():
    """An earlier row shows 2 cells for 3 columns: this text drops cells, so a row cut short proves nothing."""
    record = extract(OVERVIEW + DISCLOSURE_HEAD + "| 规章 | 0 | 0 |\n| 行政规范性文件 | 5 | 1 |")
    assert {cell(record, f"disclosure.normative.{c}")[0] for c in ("issued", "repealed", "in_force")} == {"unreadable"}
    assert cell(record, "disclosure.rules.issued")[0] == "unreadable"


def test_cut_row_of_word_tab_cells_proves_no_column():
    """Word's tab cells, one per line, lose an empty cell as its line vanishes: a row cut short proves nothing."""
    record = extract(OVERVIEW + "二、主动公开政府信息情况\n\t第二十条第（一）项\n\n\t信息内容\n\t本年制发件数\n\t本年废止件数\n"
                     "\t现行有效件数\n\n\t规章\n\t0\n\t0\n\t0\n\n\t行政规范性文件\n\t5\n\t1\n")
    assert {cell(record, f"disclosure.normative.{c}")[0] for c in ("issued", "repealed", "in_force")} == {"unreadable"}


def test_cut_first_row_of_a_pipe_table_proves_no_column():
    """No earlier row showed all its cells: nothing says this text keeps every cell, so "5 | 1" proves nothing."""
    record = extract(OVERVIEW + DISCLOSURE_HEAD + "| 行政规范性文件 | 5 | 1 |")
    assert {cell(record, f"disclosure.normative.{c}")[0] for c in ("issued", "repealed", "in_force")} == {"unreadable"}


def test_a_breadcrumb_naming_年报_joins_no_spam_year_to_the_report():
    text = ("2021年度十大正规网赌平台排行 真人百家乐\n当前位置：首页 > 政务公开 > 政府信息公开年报 > 年度报告\n"
            "一、总体情况\n上海市科委 2024 年深入贯彻《政府信息公开条例》。\n")
    assert year_of(None, text)[0] in (None, 2024)
