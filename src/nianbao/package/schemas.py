"""Table Schemas, written out by hand (never inferred: inference breaks on Chinese number formats).

ASCII field names (portable to pandas, SQL, R) with a Chinese `title` and `description` on every field.
"""

from __future__ import annotations

from collections.abc import Callable

from nianbao.model import urls
from nianbao.model.ids import AGENCY_ID_PATTERN
from nianbao.model.words import (CELL_SOURCE_WORDS, CELL_STATUS_WORDS, LEVEL_WORDS, SCOPE_PLACE_WORDS, SCOPE_WORDS,
                                 SETTLEMENT_WORDS, CellSource, Level, ReportScope, ScopePlace, SettlementKind)
from nianbao.package.resolve import STATUSES
from nianbao.templates import TABLE_ORDER, templates, variants
from nianbao.templates.printed import PrintedTable, printed_table

LEVELS = [str(level) for level in Level]
CELL_STATUSES = ["value", "blank", "missing", "unreadable"]


def f(name, type_, title, description, **extra) -> dict:
    out = {"name": name, "type": type_, "title": title, "description": description}
    constraints = {k: extra.pop(k) for k in ("required", "minimum", "enum", "pattern", "unique") if k in extra}
    if constraints:
        out["constraints"] = constraints
    out.update(extra)
    return out


AGENCY_ID = f("agency_id", "string", "机构代码",
              "机构代码：行政区划代码-领域，如 310105-health；乡级机关用 9 位乡级代码，如 430424106-gov（机构更名不变）",
              required=True, pattern=AGENCY_ID_PATTERN)
YEAR = f("year", "integer", "年度", "报告年度（报告所述的年份，不是发布年份）", required=True, minimum=2008)
TO_AGENCIES = {"fields": ["agency_id"], "reference": {"resource": "agencies", "fields": ["id"]}}
TO_CELLS = {"fields": ["cell_id"], "reference": {"resource": "cell_dictionary", "fields": ["cell_id"]}}


def cells_schema(with_dictionary: bool = True) -> dict:
    """`with_dictionary`: the package holds `cell_dictionary` (the corpus does; a body-year points to the corpus's
    by URL, and a foreign key to a resource the package lacks would fail validation)."""
    return {"fields": [
        AGENCY_ID, YEAR,
        f("cell_id", "string", "单元格代码", "单元格代码：表.行.列，见 cell_dictionary", required=True),
        f("table", "string", "表", "所属表：disclosure＝二、主动公开；requests＝三、依申请公开；appeals＝四、复议诉讼",
          required=True, enum=list(TABLE_ORDER)),
        f("row", "string", "行", "行代码"),
        f("column", "string", "列", "列代码"),
        f("value", "number", "数值", "读出的数值（空白按报告留空；「本年增/减」可为负数；金额单位见 unit）"),
        f("status", "string", "状态", "value＝读出数值；blank＝报告中留空；missing＝报告中没有此格；unreadable＝无法读出",
          required=True, enum=CELL_STATUSES),
        f("raw", "string", "原文", "报告中印出的原文"),
        f("unit", "string", "单位", "数值单位（如 万元）；空＝按数据字典的单位"),
        f("where", "string", "位置", "在源文件中的位置（JSON，如行号、页码）"),
        f("source", "string", "来源", "数值的来源：" + "；".join(f"{code}＝{words}" for code, words in CELL_SOURCE_WORDS.items())
          + "（见 corrections.csv；raw 仍是报告中印出的原文）", required=True, enum=[str(s) for s in CellSource]),
    ], "primaryKey": ["agency_id", "year", "cell_id"], "foreignKeys": _to_agencies_and(with_dictionary)}


def corrections_schema(with_dictionary: bool = True) -> dict:
    """`with_dictionary`: as for `cells_schema`."""
    return {"fields": [
        AGENCY_ID, YEAR,
        f("cell_id", "string", "单元格代码", "人工核定的单元格代码，见 cell_dictionary", required=True),
        f("kind", "string", "核定类别",
          "；".join(f"{code}＝{words}" for code, words in SETTLEMENT_WORDS.items())
          + "（supplied：程序未能读出或标记待核对的格子；corrected：程序读错的格子，说明中写明误读）",
          required=True, enum=[str(k) for k in SettlementKind]),
        f("value", "number", "核定数值", "人工核定的数值（按数据字典规范化，金额为万元）", required=True),
        f("reader_status", "string", "程序读取状态", "程序读取时的状态：" + "；".join(
            f"{code}＝{words}" for code, words in CELL_STATUS_WORDS.items()), required=True, enum=CELL_STATUSES),
        f("reader_value", "number", "程序读出的数值", "程序读出的数值（状态为 value 时）"),
        f("raw", "string", "原文", "报告中印出的原文"),
        f("note", "string", "说明", "核定的依据（如：原文第4页采购总金额单位为元）", required=True),
        f("by", "string", "核定人", "核定这一格的人", required=True),
        f("date", "date", "核定日期", "核定的日期", required=True),
        f("sha256", "string", "SHA-256", "所核定的源文件的 SHA-256 校验值（文件改动后核定不再适用）", required=True),
        f("file", "string", "文件", "源文件（相对于 reports/ 的路径）"),
    ], "primaryKey": ["agency_id", "year", "cell_id"], "foreignKeys": _to_agencies_and(with_dictionary)}


def _to_agencies_and(with_dictionary: bool) -> list[dict]:
    """A cell table's foreign keys: to the agencies, and to the cell dictionary when the package holds it (a
    body-year package names the corpus's by URL; a key to a resource it lacks would fail validation)."""
    return [TO_AGENCIES, TO_CELLS] if with_dictionary else [TO_AGENCIES]


def printed_schema(table: PrintedTable) -> dict:
    fields = [f("row", "string", "行代码", "行代码（见 cell_dictionary 的 row）", required=True, unique=True)]
    if table.has_row_groups:
        fields.append(f("group", "string", "分组", "该行所属的分组（报告中印出的分组标题）"))
    fields.append(f("label", "string", "项目", "报告中印出的行标题", required=True))
    for fld in table.columns:
        extra = {} if fld.signed else {"minimum": 0}
        unit = f"，单位：{fld.unit}" if fld.unit else ""
        fields.append(f(fld.name, "number" if fld.money else "integer", fld.title,
                        f"{fld.title}（{fld.en}）{unit}；空＝报告中留空或该行无此列", **extra))
    return {"fields": fields, "primaryKey": ["row"]}


def body_year_schema(resource: str) -> dict:
    """The schema of a body-year package's table other than the tables as printed (`printed_schema`)."""
    return _BODY_YEAR_TABLES[resource]()


def body_year_schemas() -> dict[str, dict]:
    """Every Table Schema a body-year package may carry, by where it is published (`urls.table_schema`, relative
    to the corpus folder): each table besides the printed ones, and each version of each printed table."""
    published = {urls.table_schema(name, {}): body_year_schema(name) for name in _BODY_YEAR_TABLES}
    for version in sorted(variants()):
        table = printed_table(version)
        published[urls.table_schema(table.table, {table.table: version})] = printed_schema(table)
    return dict(sorted(published.items()))


def checks_schema() -> dict:
    return {"fields": [
        AGENCY_ID, YEAR,
        f("n", "integer", "序号", "本年度内检查的序号", required=True, minimum=1),
        f("check_id", "string", "检查代码", "H1–H4：表内勾稽关系；S1–S4：合理性提示；X1–X2：跨年度核对", required=True),
        f("scope", "string", "范围", "检查的行、列或跨年度范围", required=True),
        f("ok", "boolean", "是否通过", "true＝通过；false＝不通过（报告本身或读取有误）；空＝无法检查"),
        f("detail", "string", "算式", "检查的算式或说明"),
        f("severity", "string", "级别", "hard＝勾稽关系必须成立；soft＝合理性提示", required=True, enum=["hard", "soft"]),
        f("cells", "string", "涉及单元格", "涉及的单元格代码（空格分隔；跨年度的带年份前缀，如 2023:…）"),
    ], "primaryKey": ["agency_id", "year", "n"], "foreignKeys": [TO_AGENCIES]}


def agencies_schema() -> dict:
    return {"fields": [
        f("id", "string", "机构代码", "机构代码：行政区划代码-领域", required=True, unique=True),
        f("name", "string", "机构名称", "机构全称（最近一年报告所用）", required=True),
        f("short_names", "string", "简称", "报告中出现的较短名称（| 分隔）"),
        f("region_code", "string", "行政区划代码", "6 位行政区划代码（乡级机关 9 位）；中央机关为 100000",
          pattern=r"\d{6}(\d{3})?"),
        f("region", "string", "行政区划", "行政区划全称"),
        f("province", "string", "省级行政区", "所属省级行政区"),
        f("level", "string", "层级", "；".join(f"{code} {words}" for code, words in LEVEL_WORDS.items()),
          enum=LEVELS),
        f("sector", "string", "领域代码", "机构领域代码，如 health、gov"),
        f("sector_name", "string", "领域", "领域的中文名称，如 卫生健康、人民政府"),
        f("former_names", "string", "曾用名", "以前年度报告所用的其他名称（| 分隔）"),
    ], "primaryKey": ["id"]}


def dictionary_schema() -> dict:
    return {"fields": [
        f("cell_id", "string", "单元格代码", "单元格代码：表.行.列", required=True, unique=True),
        f("table", "string", "表", "所属表", required=True, enum=list(TABLE_ORDER)),
        f("table_title", "string", "表标题", "表的中文标题"),
        f("row", "string", "行代码", "行代码"),
        f("row_label", "string", "行标题", "报告中印出的行标题"),
        f("row_en", "string", "行（英文）", "行的英文名称"),
        f("group_label", "string", "分组", "行所属分组的中文标题"),
        f("column", "string", "列代码", "列代码"),
        f("column_label", "string", "列标题", "报告中印出的列标题"),
        f("column_en", "string", "列（英文）", "列的英文名称"),
        f("label", "string", "中文名称", "单元格的中文名称（行标题＋列标题）", required=True),
        f("en", "string", "英文名称", "单元格的英文名称", required=True),
        f("unit", "string", "单位", "单位：件、项、万元"),
        f("signed", "boolean", "可为负数", "true＝可为负数（本年增/减）"),
        f("templates", "string", "模板", "含此单元格的模板（空格分隔，2019＝国办公开办函〔2019〕60号，2021＝〔2021〕30号）"),
    ], "primaryKey": ["cell_id"]}


def reports_schema() -> dict:
    agency = {**AGENCY_ID, "constraints": {"pattern": AGENCY_ID["constraints"]["pattern"]}}
    year = {**YEAR, "constraints": {"minimum": 2008}}
    return {"fields": [
        f("file", "string", "文件", "源文件（相对于 reports/ 的路径）", required=True, unique=True),
        agency, year,
        f("template", "string", "模板", "2019、2021 或 mixed（各表版本不一）", enum=[*templates(), "mixed"]),
        f("source_url", "string", "来源网址", "报告原文的网址"),
        f("retrieved", "date", "获取日期", "下载日期"),
        f("published", "date", "发布日期", "报告发布日期"),
        f("sha256", "string", "SHA-256", "源文件的 SHA-256 校验值"),
        f("status", "string", "处理状态", "published 已发布；rejected 不是年报或无法读取；needs_review 待人工核对；"
          "duplicate 与另一文件相同（只发布一次）；error 程序出错", required=True, enum=list(STATUSES)),
        f("reason", "string", "原因", "未发布或需核对的原因"),
        f("reason_code", "string", "原因代码", "原因的稳定代码，如 work-plan、corrupt-pdf、duplicate、body-year-clash"),
        f("checks_passed", "integer", "通过检查数", "通过的检查数", minimum=0),
        f("checks_failed", "integer", "未通过检查数", "未通过的检查数", minimum=0),
        f("title", "string", "标题", "报告标题"),
        f("notes", "string", "说明", "清单中的说明与处理记录（| 分隔）"),
        f("scope", "string", "统计范围",
          "报告的数字统计的是什么，取自报告自己的说法：" + "；".join(f"{code} {words}" for code, words in SCOPE_WORDS.items())
          + "。全辖区的报告已含辖区内各机关的数字，汇总时不再与它们相加", enum=[str(s) for s in ReportScope]),
        f("scope_evidence", "string", "统计范围依据", "报告中说明统计范围的原句；未说明时为空"),
        f("scope_found_in", "string", "依据所在位置",
          "原句所在：" + "；".join(f"{code} {words}" for code, words in SCOPE_PLACE_WORDS.items()),
          enum=[str(p) for p in ScopePlace]),
        f("scope_page", "integer", "依据所在页", "原句在源文件中的页码（PDF 与扫描件，从 1 起算）", minimum=1),
    ], "primaryKey": ["file"], "foreignKeys": [TO_AGENCIES]}


# A body-year package's tables besides the printed ones. Its cell tables have no key to the cell dictionary: the
# package names the corpus's dictionary by URL, and a key to a resource it lacks would fail validation.
_BODY_YEAR_TABLES: dict[str, Callable[[], dict]] = {
    "cells": lambda: cells_schema(with_dictionary=False),
    "corrections": lambda: corrections_schema(with_dictionary=False),
    "checks": checks_schema,
    "agencies": agencies_schema,
}
