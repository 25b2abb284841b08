"""One body-year's package: its tables as CSV (tidy cells, each table as printed, checks, agency), the full
record as JSON, an XLSX, the descriptor, a README, the citation and a zip of them all.

The cell dictionary is not in it: it is the same for every body-year, so it is published once, in the corpus
package (`/data/cell_dictionary.csv`), and the README and the descriptor point to it by absolute URL (issue 18:
68 kB a body-year, 700 MB at 10,000)."""

from __future__ import annotations

from pathlib import Path

from nianbao.files import csv_bytes, json_bytes, zip_bytes
from nianbao.model import urls
from nianbao.model.citation import Citation
from nianbao.model.record import Check, Record, unpack
from nianbao.package import schemas
from nianbao.package.descriptor import (DATA_VERSION, LICENSES, PROFILE, PROJECT, created, dictionary_source, header,
                                        resource, source)
from nianbao.package.resolve import BodyYear, Entry
from nianbao.package.rows import cell_rows, check_rows, correction_rows, printed_rows
from nianbao.package.workbook import workbook
from nianbao.templates.printed import PrintedTable, printed_tables

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CORRECTIONS_CSV = "corrections.csv"
CORRECTIONS_DESCRIPTION = "由人核定的单元格：核定的数值、依据、核定人与日期，以及程序原先的读取结果"


def write_body_year(key: BodyYear, e: Entry, checks: list[Check], agency_row: list, folder: Path,
                    site: urls.SiteUrls) -> None:
    """`folder` (new) ← the package of `e`, published as body-year `key`; `checks` are its own and the
    cross-year ones."""
    agency_id, year = key
    folder.mkdir(parents=True)
    rec = unpack(e.record)
    files = _Files(folder)
    name = agency_row[1]
    when = created([e.manifest])
    tables = printed_tables(rec.tables)
    resources = _csv_tables(files, key, rec, tables, checks, agency_row)
    resources += _corrections(files, key, e, rec)
    resources.append(_report(files, e, rec, checks))
    xlsx = urls.package_workbook(agency_id, year)
    files.put(xlsx, workbook(rec, tables, f"{name} {year}年政府信息公开工作年度报告", when))
    resources.append(resource("workbook", xlsx, "Excel 工作簿", "按报告印出样式排列的三张表，每表一个工作表",
                              type="file", format="xlsx", mediatype=XLSX_TYPE))
    dictionary = site.absolute(urls.corpus_file(urls.CELL_DICTIONARY))
    descriptor = _descriptor(key, e, rec, name, resources, when, dictionary)
    files.json(urls.DESCRIPTOR, descriptor, compact=True)   # indented JSON is pure Python: 7 ms a package
    page = site.absolute(urls.body_year_page(agency_id, year))
    files.put("README.md", _readme(e, name, checks, resources, dictionary).encode("utf-8"))
    citation = Citation(agency_id, name, year, page, DATA_VERSION, e.manifest.source_url or "", site.name)
    files.put("CITATION.txt", citation.file_text().encode("utf-8"))
    members = [(r["path"], files.data[r["path"]]) for r in resources]
    members += [(n, files.data[n]) for n in (urls.DESCRIPTOR, "README.md", "CITATION.txt")]
    files.put(urls.package_zip(agency_id, year), zip_bytes(members))


class _Files:
    """A package folder's files, written once and kept in memory for the zip (no reading back)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.data: dict[str, bytes] = {}

    def put(self, name: str, data: bytes) -> None:
        (self.folder / name).write_bytes(data)
        self.data[name] = data

    def csv(self, name: str, head: list[str], rows: list[list]) -> None:
        self.put(name, csv_bytes(head, rows))

    def json(self, name: str, data: object, compact: bool = False) -> None:
        self.put(name, json_bytes(data, compact))


def _csv_tables(files: _Files, key: BodyYear, rec: Record, tables: list[PrintedTable], checks: list[Check],
                agency_row: list) -> list[dict]:
    """The CSV files, each with its resource: cells, the tables as printed, checks, agency."""
    cells_schema = schemas.body_year_schema("cells")
    files.csv("cells.csv", header(cells_schema), cell_rows(key, rec))
    resources = [resource("cells", "cells.csv", "单元格（整洁格式）",
                          "每个单元格一行：机构、年度、单元格代码、数值、状态、原文、位置", cells_schema)]
    for table in tables:
        schema = schemas.printed_schema(table)
        files.csv(f"{table.table}.csv", header(schema), printed_rows(table, rec))
        resources.append(resource(table.table, f"{table.table}.csv", table.title,
                                  f"按报告印出的样式：每行一个报告行，每列一个报告列（{table.spec.variant}）", schema))
    checks_schema = schemas.body_year_schema("checks")
    files.csv("checks.csv", header(checks_schema), check_rows(key, checks))
    resources.append(resource("checks", "checks.csv", "勾稽关系与合理性检查",
                              "表内勾稽关系（H）、合理性提示（S）与跨年度核对（X）的结果", checks_schema))
    agencies_schema = schemas.body_year_schema("agencies")
    files.csv("agencies.csv", header(agencies_schema), [agency_row])
    resources.append(resource("agencies", "agencies.csv", "机构", "发布报告的机构", agencies_schema))
    return resources


def _corrections(files: _Files, key: BodyYear, e: Entry, rec: Record) -> list[dict]:
    """corrections.csv, in a package with cells a person settled (reports/corrections.csv); none otherwise."""
    rows = correction_rows(key, e, rec)
    if not rows:
        return []
    schema = schemas.body_year_schema("corrections")
    files.csv(CORRECTIONS_CSV, header(schema), rows)
    return [resource("corrections", CORRECTIONS_CSV, "人工核定", CORRECTIONS_DESCRIPTION, schema)]


def _report(files: _Files, e: Entry, rec: Record, checks: list[Check]) -> dict:
    """report.json: the record, with the agency and year as published and what the package stage decided."""
    report = {**rec.to_json(), "agency": e.agency.to_json(), "year": e.year,
              "package": {"file": e.file, "status": e.status, "notes": e.notes,
                          "agency_as_extracted": rec.agency.to_json(), "year_as_extracted": rec.year,
                          "manifest": {k: v for k, v in vars(e.manifest).items() if k != "problems"},
                          "cross_year_checks": [c.to_json() for c in checks if c.id.startswith("X")]}}
    files.json("report.json", report, compact=True)
    return resource("report", "report.json", "完整提取记录", "提取记录全文（JSON）：全部单元格、检查、各部分文字",
                    type="json", format="json", mediatype="application/json")


def _descriptor(key: BodyYear, e: Entry, rec: Record, name: str, resources: list[dict], when: str | None,
                dictionary: str) -> dict:
    agency_id, year = key
    url = "/" + urls.body_year_page(agency_id, year)
    descriptor = {
        "$schema": PROFILE,
        "name": f"nianbao-{agency_id}-{year}",
        "id": url + urls.DESCRIPTOR,
        "title": f"{name} {year}年政府信息公开工作年度报告（数据）",
        "description": (f"{name}《{year}年政府信息公开工作年度报告》三张统计表的数据，"
                        f"由 Nianbao 从报告原文读出并核对勾稽关系；模板 {rec.template or '未知'}。"),
        "homepage": url,
        "version": DATA_VERSION,
        "licenses": LICENSES,
        "sources": [source(e), dictionary_source(dictionary)],
        "contributors": [{"title": name, "roles": ["author"]}, {"title": PROJECT, "roles": ["processor"]}],
        "keywords": ["政府信息公开工作年度报告", agency_id, str(year)],
        "resources": resources,
    }
    if when:
        descriptor["created"] = when
    return descriptor


def _readme(e: Entry, name: str, checks: list[Check], resources: list[dict], dictionary: str) -> str:
    failed = [c for c in checks if c.ok is False]
    lines = [f"# {name} {e.year}年政府信息公开工作年度报告（数据）", "",
             f"- 机构代码：`{e.agency.id}`（{e.agency.region or ''}）",
             f"- 年度：{e.year}", f"- 模板：{e.record.template or '未知'}",
             f"- 源文件：{e.file}" + (f"（{e.manifest.source_url}）" if e.manifest.source_url else ""),
             f"- SHA-256：`{e.record.sha256}`", "",
             "## 文件", ""]
    lines += [f"- `{r['path']}`：{r['title']}" for r in resources]
    lines += ["- `datapackage.json`：Frictionless 数据包描述（字段含义、类型、约束）",
              f"- 数据字典（单元格代码的中文与英文名称、单位）全库共用一份：{dictionary}",
              "", "## 说明", "",
              "- CSV 为 UTF-8（带 BOM），可直接用 Excel 打开。",
              "- 数值为空：报告中该格留空（status = blank）或报告中无此格（status = missing），详见 cells.csv。",
              "- 勾稽关系不成立说明报告本身或读取有误；数据按报告原样发布，不作修改。",
              "- 程序未能读出、由人对照原文核定的格子，cells.csv 的 source 为 correction，依据见 corrections.csv。",
              f"- 检查：{sum(c.ok is True for c in checks)} 项通过，{len(failed)} 项未通过。"]
    lines += [f"  - {c.id} {c.scope}：{c.detail}" for c in failed]
    if e.notes:
        lines += ["", "## 处理记录", ""] + [f"- {n}" for n in e.notes]
    lines += ["", "## 许可", "", "数据以 CC BY 4.0 发布；报告原文版权归发布机关。", ""]
    return "\n".join(lines)

