"""The HTML reader: charsets, main content and site chrome, true grids from rowspan/colspan, provenance."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest

from nianbao.model.document import GridCell, Table, TextBlock, Where
from nianbao.read import read_document
from nianbao.read.errors import Unreadable
from nianbao.read.html import declared_charset, read

DATA = Path(__file__).resolve().parent / "data" / "html"


def write(tmp_path: Path, content: str | bytes, name: str = "page.html") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def page(body: str, head: str = '<meta charset="utf-8"><title>年报</title>') -> str:
    return f"<!DOCTYPE html>\n<html>\n<head>\n{head}\n</head>\n<body>\n{body}\n</body>\n</html>\n"


def texts(document) -> list[str]:
    return [b.text for b in document.blocks if isinstance(b, TextBlock)]


def tables(document) -> list[Table]:
    return [b for b in document.blocks if isinstance(b, Table)]


def cell_at(table: Table, row: int, col: int) -> GridCell:
    found = [c for c in table.cells if (c.row, c.col) == (row, col)]
    assert len(found) == 1, f"no cell starts at ({row}, {col})"
    return found[0]


def spans(table: Table) -> list[tuple[int, int, int, int, str]]:
    return sorted((c.row, c.col, c.rowspan, c.colspan, c.text) for c in table.cells)


# --- the 2021 request table, built as gov sites print it ------------------------------------------------

REQUEST_ROWS = [  # (group label starting here with its rowspan, row label, label colspan)
    (None, "一、本年新收政府信息公开申请数量", 3),
    (None, "二、上年结转政府信息公开申请数量", 3),
    (("三、本年度办理结果", 22), "（一）予以公开", 2),
    (None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 2),
    (("（三）不予公开", 8), "1.属于国家秘密", 1),
    (None, "2.其他法律行政法规禁止公开", 1),
    (None, "3.危及“三安全一稳定”", 1),
    (None, "4.保护第三方合法权益", 1),
    (None, "5.属于三类内部事务信息", 1),
    (None, "6.属于四类过程性信息", 1),
    (None, "7.属于行政执法案卷", 1),
    (None, "8.属于行政查询事项", 1),
    (("（四）无法提供", 3), "1.本机关不掌握相关政府信息", 1),
    (None, "2.没有现成信息需要另行制作", 1),
    (None, "3.补正后申请内容仍不明确", 1),
    (("（五）不予处理", 5), "1.信访举报投诉类申请", 1),
    (None, "2.重复申请", 1),
    (None, "3.要求提供公开出版物", 1),
    (None, "4.无正当理由大量反复申请", 1),
    (None, "5.要求行政机关确认或重新出具已获取信息", 1),
    (("（六）其他处理", 3), "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 1),
    (None, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 1),
    (None, "3.其他", 1),
    (None, "（七）总计", 2),
    (None, "四、结转下年度继续办理", 3),
]
REQUEST_HEAD = """<thead>
<tr><th rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，<br>等于第三项加第四项之和）</th>
    <th colspan="7">申请人情况</th></tr>
<tr><th rowspan="2">自然人</th><th colspan="5">法人或其他组织</th><th rowspan="2">总计</th></tr>
<tr><th>商业企业</th><th>科研机构</th><th>社会公益组织</th><th>法律服务机构</th><th>其他</th></tr>
</thead>"""


def request_table_html() -> str:
    """The 2021 request table; each value cell prints 10 × its grid row + its grid column (row 7, col 9 → 79)."""
    rows = []
    for i, (group, label, colspan) in enumerate(REQUEST_ROWS):
        r = i + 3
        tds = []
        if group is not None:
            tds.append(f'<td rowspan="{group[1]}"><p align="center"><span>{group[0]}</span></p></td>')
        span = f' colspan="{colspan}"' if colspan > 1 else ""
        tds.append(f"<td{span}><p><span>{label}</span></p></td>")
        tds += [f"<td>{10 * r + c}</td>" for c in range(3, 10)]
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return f'<table border="1">\n{REQUEST_HEAD}\n<tbody>\n' + "\n".join(rows) + "\n</tbody>\n</table>"


def test_request_table_2021_is_a_true_grid(tmp_path):
    document = read(write(tmp_path, page("<p>三、收到和处理政府信息公开申请情况</p>\n" + request_table_html())))
    assert texts(document) == ["三、收到和处理政府信息公开申请情况"]
    [table] = tables(document)
    assert table.kind == "grid"
    assert table.where == Where(line=2, table=0)
    assert table.n_rows == 28
    assert len(table.cells) == 215
    # Every position of the 28 × 10 grid is covered by exactly one cell.
    covered = [(c.row + dr, c.col + dc) for c in table.cells for dr in range(c.rowspan) for dc in range(c.colspan)]
    assert sorted(covered) == [(r, c) for r in range(28) for c in range(10)]
    # Header.
    note = cell_at(table, 0, 0)
    assert (note.rowspan, note.colspan) == (3, 3)
    assert note.text == "（本列数据的勾稽关系为：第一项加第二项之和，\n等于第三项加第四项之和）"
    assert (cell_at(table, 0, 3).text, cell_at(table, 0, 3).colspan) == ("申请人情况", 7)
    assert (cell_at(table, 1, 3).text, cell_at(table, 1, 3).rowspan) == ("自然人", 2)
    legal = cell_at(table, 1, 4)
    assert (legal.text, legal.rowspan, legal.colspan) == ("法人或其他组织", 1, 5)
    assert (cell_at(table, 1, 9).text, cell_at(table, 1, 9).rowspan) == ("总计", 2)
    assert [c.text for c in table.rows()[2]] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert [c.col for c in table.rows()[2]] == [4, 5, 6, 7, 8]
    # Row groups.
    results = cell_at(table, 5, 0)
    assert (results.text, results.rowspan, results.colspan) == ("三、本年度办理结果", 22, 1)
    granted = cell_at(table, 5, 1)
    assert (granted.text, granted.rowspan, granted.colspan) == ("（一）予以公开", 1, 2)
    withheld = cell_at(table, 7, 1)
    assert (withheld.text, withheld.rowspan, withheld.colspan) == ("（三）不予公开", 8, 1)
    assert cell_at(table, 7, 2).text == "1.属于国家秘密"
    assert cell_at(table, 7, 9) == GridCell(row=7, col=9, text="79", where=Where(table=0, row=7, col=9))
    assert [c.text for c in table.rows()[7]] == ["（三）不予公开", "1.属于国家秘密", "73", "74", "75", "76", "77", "78", "79"]
    assert [(c.col, c.text) for c in table.rows()[8]][:2] == [(2, "2.其他法律行政法规禁止公开"), (3, "83")]
    other = cell_at(table, 23, 1)
    assert (other.text, other.rowspan) == ("（六）其他处理", 3)
    assert [c.text for c in table.rows()[25]] == ["3.其他", "253", "254", "255", "256", "257", "258", "259"]
    assert (cell_at(table, 26, 1).text, cell_at(table, 26, 1).colspan) == ("（七）总计", 2)
    assert [(c.col, c.colspan, c.text) for c in table.rows()[27]][:2] == [(0, 3, "四、结转下年度继续办理"), (3, 1, "273")]


# --- bytes → text ---------------------------------------------------------------------------------------

def test_gb2312_declared_page_keeps_gbk_only_characters(tmp_path):
    html = page("<p>联系人：王堃</p><p>朱镕基同志题写的校训。</p>",
                head='<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>年报（堃）</title>')
    document = read(write(tmp_path, html.encode("gb18030")))
    assert texts(document) == ["联系人：王堃", "朱镕基同志题写的校训。"]
    assert document.title == "年报（堃）"
    assert document.notes == ("encoding: gb18030",)
    assert document.reader == "html"


def test_utf8_with_bom_and_no_declaration(tmp_path):
    html = "<html><head><title> 2021年度报告 </title></head><body><p>本机关2021年度未收取信息处理费。</p></body></html>"
    document = read(write(tmp_path, codecs.BOM_UTF8 + html.encode("utf-8")))
    assert texts(document) == ["本机关2021年度未收取信息处理费。"]
    assert document.title == "2021年度报告"
    assert document.notes == ("encoding: utf-8-sig",)


def test_big5_traditional_page_stays_traditional(tmp_path):
    html = page('<div id="zoom"><p>二、主動公開政府資訊情況</p>'
                "<table><tr><td>自然人</td><td>行政復議</td></tr><tr><td>3</td><td>1</td></tr></table></div>",
                head='<meta charset="big5"><title>政府資訊公開工作年度報告</title>')
    document = read(write(tmp_path, html.encode("big5")))
    assert texts(document) == ["二、主動公開政府資訊情況"]
    assert document.title == "政府資訊公開工作年度報告"
    assert document.notes == ("encoding: big5",)
    assert spans(tables(document)[0]) == [(0, 0, 1, 1, "自然人"), (0, 1, 1, 1, "行政復議"), (1, 0, 1, 1, "3"),
                                         (1, 1, 1, 1, "1")]


def test_utf8_bytes_declared_gb2312_are_read_as_utf8(tmp_path):
    html = page("<p>政府信息公开工作年度报告</p>", head='<meta charset="gb2312">')
    document = read(write(tmp_path, html.encode("utf-8")))
    assert texts(document) == ["政府信息公开工作年度报告"]
    assert document.notes == ("encoding: utf-8",)


def test_western_declaration_on_a_chinese_page_is_ignored(tmp_path):
    text = "本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。全年新收信息公开申请54件，均在法定期限内答复。"
    html = page(f"<p>{text}</p>", head='<meta http-equiv="content-type" content="text/html; charset=iso-8859-1">')
    document = read(write(tmp_path, html.encode("gb18030")))
    assert texts(document) == [text]
    assert document.notes == ("encoding: gb18030",)


@pytest.mark.parametrize("data, expected", [
    (codecs.BOM_UTF8 + b"<meta charset=gbk>", "utf-8"),
    (b'<html><head><meta charset="GB2312"></head>', "GB2312"),
    (b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=gbk'>", "gbk"),
    (b'<?xml version="1.0" encoding="big5"?><html>', "big5"),
    (b"<html><head><title>x</title></head>", None),
    (b" " * 4100 + b'<meta charset="gbk">', None),
])
def test_declared_charset(data, expected):
    assert declared_charset(data) == expected


@pytest.mark.parametrize("data, code", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20, "not-text"),
    (random.Random(7).randbytes(4000), "not-text"),
    (bytes(b for b in random.Random(7).randbytes(4000) if b >= 0x20), "undecodable-text"),
    (b"\xa5" * 4000, "not-html"),   # decodes (as GB18030 ゥゥゥ…) but holds no markup
    (b"<!-- nothing here -->\n", "not-html"),
    (b"<html><head><title>x</title><script>var a = 1;</script></head><body>\n</body></html>", "not-html"),
], ids=["png", "random-bytes", "random-bytes-without-controls", "no-markup", "comment-only", "script-only"])
def test_binary_or_empty_files_are_unreadable(tmp_path, data, code):
    with pytest.raises(Unreadable) as caught:
        read(write(tmp_path, data))
    assert caught.value.code == code
    assert caught.value.reason.endswith(".")


# --- what is read ---------------------------------------------------------------------------------------

CHROME_PAGE = """
<header><div class="logo">某某区人民政府</div></header>
<nav><ul><li>首页</li><li>政务公开</li></ul></nav>
<div class="breadcrumb">当前位置：首页 &gt; 年报</div>
<div id="leftMenu"><ul><li>2021年度</li><li>2020年度</li></ul></div>
<div class="wrap">
  <aside>热点 2022</aside>
  <div class="content"><p>相关链接</p></div>
  <div id="zoom">
    <p>一、总体情况</p>
    <p>全年新收申请54件。</p>
    <div class="share">分享到：微信</div>
    <div class="ToolBar">【打印】【关闭】</div>
  </div>
</div>
<footer><p>网站标识码：3101050001</p><p>电话：021-12345678</p></footer>
<div id="copyright">版权所有 © 2022</div>
"""


def test_site_chrome_is_not_read(tmp_path):
    document = read(write(tmp_path, page(CHROME_PAGE)))
    assert texts(document) == ["一、总体情况", "全年新收申请54件。"]
    assert [b.where for b in document.blocks] == [Where(line=1), Where(line=2)]


def test_chrome_rules_without_a_content_container(tmp_path):
    body = """
<div class="top">首页 | 无障碍</div>
<div class="mainNav">政务公开</div>
<p>二、主动公开政府信息情况</p>
<div class="menu-box"><table><tr><td>规章</td><td>0</td></tr></table></div>
<div class="sidebar"><table><tr><td>日</td><td>一</td></tr><tr><td>1</td><td>2</td></tr></table></div>
<div class="foot">邮编 200050</div>
"""
    document = read(write(tmp_path, page(body)))
    assert texts(document) == ["二、主动公开政府信息情况"]
    [table] = tables(document)
    assert spans(table) == [(0, 0, 1, 1, "规章"), (0, 1, 1, 1, "0")]


def test_body_is_read_when_a_report_table_lies_outside_the_content_container(tmp_path):
    body = """
<nav>首页</nav>
<div class="TRS_Editor"><p>一、总体情况</p><p>本年度新收申请十二件，均已按时答复，无逾期情况。</p></div>
<div class="attach"><table><tr><td>行政复议</td><td>2</td></tr></table></div>
<footer>版权所有</footer>
"""
    document = read(write(tmp_path, page(body)))
    assert texts(document) == ["一、总体情况", "本年度新收申请十二件，均已按时答复，无逾期情况。"]
    assert spans(tables(document)[0]) == [(0, 0, 1, 1, "行政复议"), (0, 1, 1, 1, "2")]
    assert [b.where.line for b in document.blocks] == [1, 2, 3]


def test_page_of_nothing_but_chrome_is_read_whole(tmp_path):
    document = read(write(tmp_path, page('<div class="header"><p>2021年度报告</p><p>全文见附件。</p></div>')))
    assert texts(document) == ["2021年度报告", "全文见附件。"]


def test_scripts_styles_and_controls_are_not_read(tmp_path):
    body = """
<div id="zoom">
<style>.a { color: red }</style>
<script>document.write("脚本 123");</script>
<noscript>请启用脚本 456</noscript>
<template><p>模板 789</p></template>
<iframe src="x.html">框架</iframe>
<svg><text>图形 42</text></svg>
<p>正文<input value="输入 1"><button>按钮</button><select><option>选项 2</option></select><textarea>文本 3</textarea>。</p>
<p style="display: none">隐藏 4</p>
<p hidden>隐藏 5</p>
</div>
"""
    document = read(write(tmp_path, page(body)))
    assert texts(document) == ["正文。"]


def test_text_blocks_split_at_block_elements_and_br(tmp_path):
    body = """
<div id="zoom">
  <h1>  某某局2021年
      政府信息公开工作年度报告 </h1>
  <div>前言<p>&nbsp;&nbsp;第一段<br/>第二行<br><br>第三行</p>尾声</div>
  <p>&nbsp;</p>
  <ul><li>甲</li><li>乙<span>丙</span></li></ul>
  <table><tr><td>规章</td></tr></table>
  <pre>行一
  行二</pre>
</div>
"""
    document = read(write(tmp_path, page(body)))
    assert [(type(b).__name__, b.where) for b in document.blocks] == [
        ("TextBlock", Where(line=1)), ("TextBlock", Where(line=2)), ("TextBlock", Where(line=3)),
        ("TextBlock", Where(line=4)), ("TextBlock", Where(line=5)), ("TextBlock", Where(line=6)),
        ("TextBlock", Where(line=7)), ("TextBlock", Where(line=8)), ("Table", Where(line=9, table=0)),
        ("TextBlock", Where(line=10)), ("TextBlock", Where(line=11)),
    ]
    assert texts(document) == ["某某局2021年 政府信息公开工作年度报告", "前言", "\xa0\xa0第一段", "第二行", "第三行",
                               "尾声", "甲", "乙丙", "行一", "行二"]


def test_cell_text_keeps_breaks_and_nbsp(tmp_path):
    body = """<table>
<tr><td>&nbsp;</td><td>1,325<br>件</td><td><p>（二）部分公开</p><p>（区分处理的）</p></td><td></td>
    <td>  <span>63.28</span>
       万元 </td></tr>
</table>"""
    [table] = tables(read(write(tmp_path, page(body))))
    assert [c.text for c in table.cells] == ["\xa0", "1,325\n件", "（二）部分公开\n（区分处理的）", "", "63.28 万元"]


def test_nested_table_text_goes_into_its_cell(tmp_path):
    body = """<p>前</p>
<table>
<tr><td>行政复议</td><td><table><tr><td>结果维持</td><td>1</td></tr><tr><td>结果纠正</td><td>0</td></tr></table></td></tr>
<tr><td>总计</td><td>1</td></tr>
</table>
<p>后</p>"""
    document = read(write(tmp_path, page(body)))
    assert texts(document) == ["前", "后"]
    [table] = tables(document)
    assert table.where == Where(line=2, table=0)
    assert spans(table) == [(0, 0, 1, 1, "行政复议"), (0, 1, 1, 1, "结果维持\n1\n结果纠正\n0"),
                            (1, 0, 1, 1, "总计"), (1, 1, 1, 1, "1")]


def test_invalid_and_overlong_spans(tmp_path):
    body = """<table>
<tr><td rowspan="0">零</td><td rowspan="abc">字母</td><td colspan="0">零列</td><td rowspan="-2">负</td></tr>
<tr><td rowspan=" 2.5 ">二点五</td><td colspan="2px">二像素</td><td>c</td></tr>
<tr><td>x</td><td rowspan="99">长</td><td colspan="40">宽</td></tr>
<tr></tr>
<tr><td>y</td><td>z</td></tr>
</table>"""
    [table] = tables(read(write(tmp_path, page(body))))
    assert spans(table) == [
        (0, 0, 1, 1, "零"), (0, 1, 1, 1, "字母"), (0, 2, 1, 1, "零列"), (0, 3, 1, 1, "负"),
        (1, 0, 2, 1, "二点五"), (1, 1, 1, 2, "二像素"), (1, 3, 1, 1, "c"),
        (2, 1, 1, 1, "x"), (2, 2, 2, 1, "长"), (2, 3, 1, 1, "宽"),
        (3, 0, 1, 1, "y"), (3, 1, 1, 1, "z"),
    ]
    assert table.n_rows == 4


def test_row_groups_thead_first_tfoot_last_and_rowspan_stops_at_group_end(tmp_path):
    body = """<table>
<caption>表一 申请情况</caption>
<tfoot><tr><td>注</td><td>单位：件</td></tr></tfoot>
<tbody><tr><td rowspan="5">组</td><td>1</td></tr><tr><td>2</td></tr></tbody>
<thead><tr><th>项目</th><th>数量</th></tr></thead>
</table>"""
    document = read(write(tmp_path, page(body)))
    assert texts(document) == ["表一 申请情况"]
    assert [b.where for b in document.blocks] == [Where(line=1), Where(line=2, table=0)]
    assert spans(tables(document)[0]) == [(0, 0, 1, 1, "项目"), (0, 1, 1, 1, "数量"), (1, 0, 2, 1, "组"),
                                         (1, 1, 1, 1, "1"), (2, 1, 1, 1, "2"), (3, 0, 1, 1, "注"),
                                         (3, 1, 1, 1, "单位：件")]


def test_word_export_spacer_row_and_hidden_cells_are_not_cells(tmp_path):
    body = """<table class=MsoTableGrid>
<tr><td style='display:none'>隐藏</td><td><p class=MsoNormal>规章<o:p></o:p></p></td><td>0</td></tr>
<tr style="display: none"><td>x</td><td>y</td></tr>
<![if !supportMisalignedColumns]>
<tr height=0><td width=86 style='border:none'></td><td width=86 style='border:none'></td></tr>
<![endif]>
</table>"""
    [table] = tables(read(write(tmp_path, page(body))))
    assert spans(table) == [(0, 0, 1, 1, "规章"), (0, 1, 1, 1, "0")]


def test_deeply_nested_page_is_read_to_the_end(tmp_path):
    body = "<font>字" * 400 + "<p>一、总体情况</p><table><tr><td>规章</td><td>0</td></tr></table>"
    document = read(write(tmp_path, page(body)))
    assert texts(document) == ["字" * 400, "一、总体情况"]
    assert spans(tables(document)[0]) == [(0, 0, 1, 1, "规章"), (0, 1, 1, 1, "0")]


def test_tables_are_numbered_and_empty_tables_skipped(tmp_path):
    body = ("<table><tr><td>规章</td></tr></table><table></table><table><tr></tr></table>"
            "<table><tr><th>自然人</th></tr></table>")
    document = read(write(tmp_path, page(body)))
    assert [(b.where, b.cells[0].where) for b in document.blocks] == [
        (Where(line=1, table=0), Where(table=0, row=0, col=0)),
        (Where(line=2, table=1), Where(table=1, row=0, col=0)),
    ]


def test_no_title(tmp_path):
    document = read(write(tmp_path, "<html><body><p>正文</p></body></html>"))
    assert document.title is None
    assert document.source == str(tmp_path / "page.html")


def test_read_document_dispatches_htm(tmp_path):
    document = read_document(write(tmp_path, page("<p>正文</p>"), name="report.HTM"))
    assert document.reader == "html"
    assert texts(document) == ["正文"]


# --- a whole report page --------------------------------------------------------------------------------

FIXTURE_TEXT = [
    "上海市长宁区卫生健康委员会2021年政府信息公开工作年度报告",
    "发布日期：2022-01-20\u3000\u3000信息来源：上海市长宁区卫生健康委员会",
    "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室关于印发"
    "〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求编制。本报告所列数据的统计期限"
    "自2021年1月1日起至2021年12月31日止。",
    "一、总体情况",
    "2021年，我委认真贯彻落实《条例》，坚持以公开为常态、不公开为例外，依法保障人民群众的知情权、参与权、表达权和监督权。",
    "（一）主动公开。全年通过区政府门户网站发布各类信息312条。",
    "（二）依申请公开。全年新收信息公开申请54件，上年结转3件，均在法定期限内答复。",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "（一）存在的主要问题。一是信息公开工作的规范化水平有待提高；二是政策解读的形式还不够丰富。",
    "（二）改进情况。下一步，我委将进一步加强业务培训，完善信息发布审核机制，提升信息公开质量。",
    "六、其他需要报告的事项",
    "本机关2021年度未收取信息处理费，无其他需要报告的事项。",
    "上海市长宁区卫生健康委员会",
    "2022年1月20日",
]
FIXTURE_REQUESTS = {  # row label → the seven numbers printed after it
    "一、本年新收政府信息公开申请数量": "45 6 0 1 2 0 54",
    "二、上年结转政府信息公开申请数量": "3 0 0 0 0 0 3",
    "（一）予以公开": "20 3 0 0 1 0 24",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": "4 1 0 0 0 0 5",
    "1.属于国家秘密": "1 0 0 0 0 0 1",
    "4.保护第三方合法权益": "2 0 0 0 0 0 2",
    "1.本机关不掌握相关政府信息": "9 1 0 1 0 0 11",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请": "1 0 0 0 0 0 1",
    "3.其他": "0 0 0 0 0 0 0",
    "（七）总计": "44 5 0 1 1 0 51",
    "四、结转下年度继续办理": "4 1 0 0 1 0 6",
}


def test_full_report_page():
    document = read(DATA / "report-2021.html")
    assert document.reader == "html"
    assert document.title == "上海市长宁区卫生健康委员会2021年政府信息公开工作年度报告_上海市长宁区人民政府"
    assert document.notes == ("encoding: utf-8",)
    assert texts(document) == FIXTURE_TEXT
    assert [b.where.line for b in document.blocks] == list(range(1, 21))
    assert [(b.where.line, b.where.table) for b in tables(document)] == [(9, 0), (11, 1), (13, 2)]
    disclosure, requests, appeals = tables(document)

    assert (disclosure.n_rows, len(disclosure.cells)) == (14, 30)
    assert [c.text for c in disclosure.rows()[3]] == ["行政规范性文件", "3", "1", "15"]
    licensing = disclosure.rows()[6]
    assert [(c.col, c.colspan, c.text) for c in licensing] == [(0, 1, "行政许可"), (1, 3, "1268")]
    assert [c.text for c in disclosure.rows()[13]] == ["行政事业性收费", "63.28"]

    assert (requests.n_rows, len(requests.cells)) == (28, 215)
    by_label = {}
    for row in requests.rows():
        values = [c for c in row if c.col >= 3]
        labels = [c for c in row if c.col < 3]
        if len(values) == 7:
            by_label[labels[-1].text] = " ".join(c.text for c in values)
    assert len(by_label) == 25
    assert {label: by_label[label] for label in FIXTURE_REQUESTS} == FIXTURE_REQUESTS
    assert cell_at(requests, 0, 0).text == "（本列数据的勾稽关系为：第一项加第二项之和，\n等于第三项加第四项之和）"
    assert (cell_at(requests, 5, 0).text, cell_at(requests, 5, 0).rowspan) == ("三、本年度办理结果", 22)
    assert (cell_at(requests, 7, 1).text, cell_at(requests, 7, 1).rowspan) == ("（三）不予公开", 8)
    assert (cell_at(requests, 1, 4).text, cell_at(requests, 1, 4).colspan) == ("法人或其他组织", 5)
    assert cell_at(requests, 7, 9).where == Where(table=1, row=7, col=9)

    assert (appeals.n_rows, len(appeals.cells)) == (4, 34)
    assert [(c.col, c.colspan) for c in appeals.rows()[0]] == [(0, 5), (5, 10)]
    assert [(c.text, c.rowspan) for c in appeals.rows()[1]][:1] == [("结果维持", 2)]
    assert [(c.col, c.text) for c in appeals.rows()[1]][5:] == [(5, "未经复议直接起诉"), (10, "复议后起诉")]
    assert " ".join(c.text for c in appeals.rows()[3]) == "1 0 0 1 2 0 1 0 0 1 0 0 0 0 0"

    everything = document.text()
    for chrome in ("首页", "办事服务", "互动交流", "当前位置", "2020年度", "打印本页", "分享到", "版权所有", "3101050001",
                   "沪ICP备", "访问统计", "请输入关键字", "搜索"):
        assert chrome not in everything


def test_tables_are_numbered_from_zero_like_pdf_and_docx():
    """The first table of a web page is table 0, as in PDF and DOCX: the site, which adds 1, calls it 第1个表格
    (numbered from 1, HTML reports were shown as starting at 第2个表格)."""
    from nianbao.extract import extract_path
    from nianbao.site.tables import provenance

    record = extract_path(DATA / "report-2021.html")
    first = record.cells["disclosure.rules.issued"].to_json()
    assert first["status"] == "value" and first["where"]["table"] == 0
    assert provenance(first).startswith("原文第1个表格第")
    assert record.cells["requests.total.natural_person"].to_json()["where"]["table"] == 1
