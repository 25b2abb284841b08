"""Write the data packages: one per body-year in datapackages/<agency-id>/<year>/, the corpus in datapackages/all/.

Everything is derived from the records and the manifest only — never from the clock — so the same inputs
give byte-identical outputs. `created` is the latest publication/retrieval date the manifest gives.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from nianbao.model.record import Check, PackedRecord, Record, unpack
from nianbao.model.version import code_version
from nianbao.package import schemas
from nianbao.package.crossyear import cross_year_checks
from nianbao.package.layout import (NUMERAL, cell_number, fields, field_name, has_groups, number_text,
                                    printed_rows, specs_for)
from nianbao.package.manifest import ManifestRow
from nianbao.package.resolve import Entry, province_of, resolve
from nianbao.package.writers import (concat_csv, csv_bytes, fixed_zip_info, json_bytes, link_trees, workbook_bytes,
                                     write_csv, write_json, zip_bytes)
from nianbao.templates import TABLE_ORDER, cell_index, templates

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
DATA_VERSION = "1.1.0"
LICENSES = [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
             "title": "Creative Commons Attribution 4.0"}]
PROJECT = "Nianbao 年报"


def package_code_version() -> str:
    """Changes whenever the packaging code or the templates change (then every package is written anew)."""
    return code_version("package", "templates", "model")


@dataclass
class Summary:
    documents: int = 0
    published: int = 0          # body-year packages
    rejected: int = 0
    needs_review: int = 0
    duplicates: int = 0
    errors: int = 0
    failed_checks: int = 0
    problems: tuple[str, ...] = ()   # one line per document not published (with why), and per manifest slip

    def line(self) -> str:
        return (f"{self.documents} documents: {self.published} published, {self.rejected} rejected, "
                f"{self.needs_review} needing review, {self.duplicates} duplicates, {self.errors} errors; "
                f"{self.failed_checks} failed checks")


def write_packages_incrementally(records: list[tuple[str, Record]], manifest: dict[str, ManifestRow], root: Path,
                                 previous: Path, known: dict[str, list], workers: int = 1
                                 ) -> tuple[Summary, int, dict[str, list]]:
    """Write the packages into `root` (a new folder), taking each body-year whose inputs did not change from
    `previous` (the live packages) instead of writing it again. A body-year's fingerprint covers its record,
    its neighbour years' records (the cross-year checks), its agency row, manifest row and the packaging code;
    `known` holds, per live body-year, [fingerprint, checks passed, checks failed]. Returns the summary, how many
    body-years were written, and the same state for the new packages (the caller keeps it once they are live)."""
    reuse = _Reuse(previous, known)
    summary = write_packages(records, manifest, root, reuse, workers)
    return summary, reuse.written, reuse.state


class _Reuse:
    """Decides, per body-year, whether the live package can be linked instead of written; links them in bulk."""

    def __init__(self, previous: Path, known: dict[str, list]):
        self.previous, self.known = previous, known
        self.state: dict[str, list] = {}
        self.written = 0
        self._links: list[tuple[str, int]] = []

    def take(self, key: tuple[str, int], fingerprint: str) -> tuple[int, int] | None:
        """The live package's check counts if it can be reused as it is; None if it must be written."""
        name = f"{key[0]}/{key[1]}"
        was = self.known.get(name)
        if (not isinstance(was, list) or len(was) != 3 or was[0] != fingerprint
                or not (self.previous / name / "datapackage.json").is_file()):
            self.written += 1
            return None
        self.state[name] = was
        self._links.append(key)
        return was[1], was[2]

    def wrote(self, key: tuple[str, int], fingerprint: str, counts: tuple[int, int]) -> None:
        self.state[f"{key[0]}/{key[1]}"] = [fingerprint, *counts]

    def link(self, root: Path) -> None:
        """Hard-link the reused body-year folders from the live packages into `root`: a body's whole folder
        where all its years are reused (the common case), else year by year."""
        years: dict[str, set[str]] = defaultdict(set)
        for agency_id, year in self._links:
            years[agency_id].add(str(year))
        pairs = []
        for agency_id, reused in sorted(years.items()):
            live = self.previous / agency_id
            if reused == {p.name for p in live.iterdir()}:
                pairs.append((live, root / agency_id))
            else:
                pairs += [(live / y, root / agency_id / y) for y in sorted(reused)]
        link_trees(pairs)


def _fingerprint(published: dict, digests: dict, key: tuple[str, int], agency_row: list) -> str:
    """The record (its own checks included), its neighbour years' records (the cross-year checks are made from
    both) and what the package adds to it. `digests` holds each published record's digest."""
    e = published[key]
    neighbours = [digests.get(k) for k in ((key[0], key[1] - 1), (key[0], key[1] + 1))]
    payload = [digests[key], neighbours, e.agency.to_json(), e.year, e.file, e.status, e.notes,
               {k: v for k, v in vars(e.manifest).items() if k != "problems"}, agency_row, package_code_version()]
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def _record_digest(e: Entry) -> str:
    if isinstance(e.record, PackedRecord):
        return hashlib.sha256(e.record.data).hexdigest()
    return hashlib.sha256(json.dumps(e.record.to_json(), sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def write_packages(records: list[tuple[str, Record]], manifest: dict[str, ManifestRow], root: Path,
                   reuse: "_Reuse | None" = None, workers: int = 1) -> Summary:
    entries = resolve(records, manifest)
    published = {e.key: e for e in entries if e.status == "published"}
    agencies = _agencies(entries)
    dictionary = _dictionary()
    counts: dict[tuple[str, int], tuple[int, int]] = {}
    prints: dict[tuple[str, int], str] = {}
    pending = []
    digests = {key: _record_digest(e) for key, e in published.items()}   # each is also a neighbour's input
    for key in sorted(published):
        prints[key] = _fingerprint(published, digests, key, agencies[key[0]])
        taken = reuse.take(key, prints[key]) if reuse is not None else None
        if taken is not None:
            counts[key] = taken
        else:
            pending.append((key, agencies[key[0]], root / key[0] / str(key[1])))
    if reuse is not None:
        reuse.link(root)
    # Checks are made only for the body-years written now: unpickling every record for them took ~25 s at 10,000
    year_checks = _Checks(published, _cross_year(published, {key for key, _, _ in pending}))
    for key, _, _ in pending:
        counts[key] = _Checks.count(year_checks[key])
        if reuse is not None:
            reuse.wrote(key, prints[key], counts[key])
    _write_body_years(pending, year_checks, dictionary, workers)
    _corpus(entries, published, counts, agencies, dictionary, manifest, root / "all")
    s = Summary(documents=len(entries), published=len(published))
    for e in entries:
        s.rejected += e.status == "rejected"
        s.needs_review += e.status == "needs_review"
        s.duplicates += e.status == "duplicate"
        s.errors += e.status == "error"
    s.failed_checks = sum(failed for _, failed in counts.values())
    listed = {e.file for e in entries}
    s.problems = tuple([f"{e.file}: {e.status}: {e.reason}" for e in entries if e.status != "published"]
                       + [f"{e.file}: {n}" for e in entries for n in e.manifest.problems]
                       + [f"manifest.csv lists {f}, which is not in the reports folder"
                          for f in sorted(manifest) if f not in listed])
    return s


_PENDING: list = []   # what forked workers write; inherited through fork, never pickled


def _write_body_years(pending: list, year_checks: "_Checks", dictionary: dict, workers: int) -> None:
    """Each body-year's folder is independent of the others: write them in `workers` forked processes."""
    global _PENDING
    _PENDING = [(*item, year_checks, dictionary) for item in pending]
    try:
        if workers <= 1 or len(pending) < 8:
            for i in range(len(_PENDING)):
                _write_pending(i)
            return
        import multiprocessing
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for _ in pool.imap_unordered(_write_pending, range(len(_PENDING)), chunksize=8):
                pass
    finally:
        _PENDING = []


def _write_pending(i: int) -> None:
    key, agency_row, folder, year_checks, dictionary = _PENDING[i]
    e = year_checks.published[key]
    _body_year(e, year_checks[key], agency_row, dictionary, folder)


class _Checks:
    """A body-year's checks — the record's own and the cross-year ones — made when asked for, so 10,000
    reports' checks are never all in memory."""

    def __init__(self, published: dict, extra: dict):
        self.published, self.extra = published, extra

    def __getitem__(self, key) -> list[Check]:
        return [*self.published[key].record.checks, *self.extra.get(key, [])]

    @staticmethod
    def count(checks: list[Check]) -> tuple[int, int]:
        return sum(c.ok is True for c in checks), sum(c.ok is False for c in checks)


# ------------------------------------------------------------------------------------------ pieces


def _cross_year(published: dict, keys: set) -> dict[tuple[str, int], list[Check]]:
    """The cross-year checks of the body-years in `keys` (each pair of consecutive years gives checks to both)."""
    out: dict[tuple[str, int], list[Check]] = defaultdict(list)
    pairs = sorted({pair for (agency_id, year) in keys
                    for pair in (((agency_id, year - 1), (agency_id, year)), ((agency_id, year), (agency_id, year + 1)))
                    if pair[0] in published and pair[1] in published})
    for before, after in pairs:
        for check in cross_year_checks(before[1], published[before].record.cells, after[1],
                                       published[after].record.cells):    # packed: 2 unpickles
            for key in (before, after):
                if key in keys:
                    out[key].append(check)
    return out


def _agencies(entries: list[Entry]) -> dict[str, list]:
    names: dict[str, list[tuple[int, str]]] = defaultdict(list)
    latest: dict[str, Entry] = {}
    for e in entries:
        if e.status in ("rejected", "error") or not e.agency.id:
            continue
        a = e.agency
        if a.name:
            names[a.id].append((e.year or 0, a.name))
        if a.id not in latest or (e.year or 0, e.status == "published") > (latest[a.id].year or 0, latest[a.id].status == "published"):
            latest[a.id] = e
    out = {}
    for agency_id, e in sorted(latest.items()):
        a = e.agency
        seen = sorted({n for _, n in names[agency_id]})
        name = a.name or agency_id
        longer = [n for n in seen if n != name and n.endswith(name)]
        if longer:
            name = max(longer, key=len)
        short = sorted(n for n in seen if n != name and name.endswith(n))
        former = sorted(n for n in seen if n != name and n not in short)
        out[agency_id] = [agency_id, name, "|".join(short), a.region_code, a.region, province_of(a.region_code),
                          a.level, a.sector, "|".join(former)]
    return out


def _dictionary() -> dict[str, list]:
    index = cell_index()
    in_template: dict[str, set[str]] = defaultdict(set)
    from nianbao.templates import variants
    for tid, t in templates().items():
        for v in t.accepts:
            for cid in variants()[v].cell_ids:
                in_template[cid].add(tid)
    out = {}
    for cid in sorted(index):
        spec, row, col = index[cid]
        name = field_name(spec, row.id, cid)
        group = name.rsplit("_" + col.id, 1)[0] if name != col.id else row.group
        group_label = spec.groups[group].label if group in spec.groups else None
        group_en = spec.groups[group].en if group in spec.groups else None
        printed_row = row.label if not row.label.startswith("（数值行") else ""
        label = "".join(x for x in (group_label if not printed_row else "", printed_row) if x) + " " + col.label
        en = f"{row.en if printed_row else (group_en or '')} — {col.en}".strip(" —")
        signed = "增/减" in col.label or col.id.endswith("change")
        out[cid] = [cid, spec.table, f"{NUMERAL[spec.table]}、{spec.title}", row.id, row.label, row.en,
                    group_label, col.id, col.label, col.en, label.strip(), en, col.unit,
                    "true" if signed else "false", " ".join(sorted(in_template[cid]))]
    return out


def _created(rows: list[ManifestRow]) -> str | None:
    dates = [d for r in rows for d in (r.published, r.retrieved) if d]
    return f"{max(dates)}T00:00:00Z" if dates else None


# Built once: json.dumps with options builds a new encoder per call, a third of the cost of 200 cells' `where`.
_WHERE_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def _cell_rows(e: Entry, rec: Record) -> list[list]:
    index = cell_index()
    out = []
    for cid in sorted(rec.cells):
        c = rec.cells[cid]
        table, _, rest = cid.partition(".")
        row_id, _, column = rest.partition(".")
        if cid in index:
            spec, row, col = index[cid]
            row_id, column = row.id, field_name(spec, row.id, cid)
        out.append([e.agency.id, e.year, cid, table, row_id, column,
                    number_text(c.value) if c.status == "value" else None, c.status, c.raw, c.unit,
                    _WHERE_JSON.encode(w) if (w := c.where.to_json()) else None])
    return out


def _check_rows(agency_id: str, year: int, checks: list[Check]) -> list[list]:
    return [[agency_id, year, n, c.id, c.scope, "" if c.ok is None else ("true" if c.ok else "false"),
             c.detail, c.severity, " ".join(c.cells)] for n, c in enumerate(checks, 1)]


def _header(schema: dict) -> list[str]:
    return [fld["name"] for fld in schema["fields"]]


def _resource(name: str, path: str, title: str, description: str, schema: dict | None = None, **extra) -> dict:
    r = {"name": name, "path": path, "title": title, "description": description}
    if schema is not None:
        r.update({"type": "table", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
                  "schema": schema})
    r.update(extra)
    return r


# ------------------------------------------------------------------------------------- body-year


def _body_year(e: Entry, checks: list[Check], agency_row: list, dictionary: dict, folder: Path) -> None:
    folder.mkdir(parents=True)
    a, year, rec = e.agency, e.year, unpack(e.record)
    files = _Files(folder)
    name = agency_row[1]
    created = _created([e.manifest])
    resources = []

    cells_schema = schemas.cells_schema()
    files.csv("cells.csv", _header(cells_schema), _cell_rows(e, rec))
    resources.append(_resource("cells", "cells.csv", "单元格（整洁格式）",
                               "每个单元格一行：机构、年度、单元格代码、数值、状态、原文、位置", cells_schema))
    specs = specs_for(rec)
    for table in TABLE_ORDER:
        spec = specs.get(table)
        if spec is None:
            continue
        table_fields = fields(spec)
        schema = schemas.printed_schema(spec, table_fields)
        rows = []
        for item in printed_rows(spec, rec.cells):
            line = [item["row"], *([item["group"]] if has_groups(spec) else []), item["label"]]
            line += [number_text(cell_number(item.get(fld.name))) for fld in table_fields]
            rows.append(line)
        files.csv(f"{table}.csv", _header(schema), rows)
        resources.append(_resource(table, f"{table}.csv", f"{NUMERAL[table]}、{spec.title}",
                                   f"按报告印出的样式：每行一个报告行，每列一个报告列（{spec.variant}）", schema))
    checks_schema = schemas.checks_schema()
    files.csv("checks.csv", _header(checks_schema), _check_rows(a.id, year, checks))
    resources.append(_resource("checks", "checks.csv", "勾稽关系与合理性检查",
                               "表内勾稽关系（H）、合理性提示（S）与跨年度核对（X）的结果", checks_schema))
    agencies_schema = schemas.agencies_schema()
    files.csv("agencies.csv", _header(agencies_schema), [agency_row])
    resources.append(_resource("agencies", "agencies.csv", "机构", "发布报告的机构", agencies_schema))
    dict_schema = schemas.dictionary_schema()
    files.csv("cell_dictionary.csv", _header(dict_schema),
              [dictionary[cid] for cid in sorted(rec.cells) if cid in dictionary])
    resources.append(_resource("cell_dictionary", "cell_dictionary.csv", "数据字典", "单元格代码的中文与英文名称、单位",
                               dict_schema))
    report = {**rec.to_json(), "agency": a.to_json(), "year": year,
              "package": {"file": e.file, "status": e.status, "notes": e.notes,
                          "agency_as_extracted": rec.agency.to_json(), "year_as_extracted": rec.year,
                          "manifest": {k: v for k, v in vars(e.manifest).items() if k != "problems"},
                          "cross_year_checks": [c.to_json() for c in checks if c.id.startswith("X")]}}
    files.json("report.json", report, compact=True)
    resources.append(_resource("report", "report.json", "完整提取记录",
                               "提取记录全文（JSON）：全部单元格、检查、各部分文字", type="json", format="json",
                               mediatype="application/json"))
    xlsx = f"{a.id}-{year}.xlsx"
    files.put(xlsx, _workbook(rec, specs, f"{name} {year}年政府信息公开工作年度报告", created))
    resources.append(_resource("workbook", xlsx, "Excel 工作簿", "按报告印出样式排列的三张表，每表一个工作表",
                               type="file", format="xlsx",
                               mediatype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    url = f"/agencies/{a.id}/{year}/"
    descriptor = {
        "$schema": PROFILE,
        "name": f"nianbao-{a.id}-{year}",
        "id": f"{url}datapackage.json",
        "title": f"{name} {year}年政府信息公开工作年度报告（数据）",
        "description": (f"{name}《{year}年政府信息公开工作年度报告》三张统计表的数据，"
                        f"由 Nianbao 从报告原文读出并核对勾稽关系；模板 {rec.template or '未知'}。"),
        "homepage": url,
        "version": DATA_VERSION,
        "licenses": LICENSES,
        "sources": [_source(e)],
        "contributors": [{"title": name, "roles": ["author"]}, {"title": PROJECT, "roles": ["processor"]}],
        "keywords": ["政府信息公开工作年度报告", a.id, str(year)],
        "resources": resources,
    }
    if created:
        descriptor["created"] = created
    files.json("datapackage.json", descriptor, compact=True)   # indented JSON is pure Python: 7 ms a package
    readme, citation = _readme(e, name, checks, resources), _citation(e, name, url)
    files.put("README.md", readme.encode("utf-8"))
    files.put("CITATION.txt", citation.encode("utf-8"))
    members = [(r["path"], files.data[r["path"]]) for r in resources]
    members += [(name, files.data[name]) for name in ("datapackage.json", "README.md", "CITATION.txt")]
    files.put(f"{a.id}-{year}.zip", zip_bytes(members))


class _Files:
    """A package folder's files, written once and kept in memory for the zip (no reading back)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.data: dict[str, bytes] = {}

    def put(self, name: str, data: bytes) -> None:
        (self.folder / name).write_bytes(data)
        self.data[name] = data

    def csv(self, name: str, header: list[str], rows: list[list]) -> None:
        self.put(name, csv_bytes(header, rows))

    def json(self, name: str, data, compact: bool = False) -> None:
        self.put(name, json_bytes(data, compact))


def _source(e: Entry) -> dict:
    s = {"title": e.record.title or e.file}
    if e.manifest.source_url:
        s["path"] = e.manifest.source_url
    if e.manifest.published:
        s["version"] = e.manifest.published
    return s


def _workbook(rec: Record, specs: dict, title: str, created: str | None) -> bytes:
    """One sheet per table, laid out as printed (group labels merged over their columns in 表四).

    XlsxWriter rather than openpyxl here: it writes in memory, ~4× faster, which matters at 10,000 packages."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "text_wrap": True, "align": "center"})
    for table in TABLE_ORDER:
        spec = specs.get(table)
        if spec is None:
            continue
        ws = wb.add_worksheet(f"{NUMERAL[table]}、{spec.title}"[:31])
        table_fields = fields(spec)
        rows: list[list] = [[f"{NUMERAL[table]}、{spec.title}"], [title]]
        ws.write_row(0, 0, rows[0], bold)
        ws.write_row(1, 0, rows[1])
        r = 2
        if any(fld.name != fld.column.id for fld in table_fields):   # 表四: group labels over their columns
            groups = [spec.groups[fld.name.rsplit("_" + fld.column.id, 1)[0]].label for fld in table_fields]
            start = 0
            for i in range(1, len(groups) + 1):
                if i == len(groups) or groups[i] != groups[start]:
                    if i - 1 > start:
                        ws.merge_range(r, start + 1, r, i, groups[start])
                    else:
                        ws.write(r, start + 1, groups[start])
                    start = i
            r += 1
        ws.write_row(r, 0, ["项目", *[fld.column.label + (f"（{fld.unit}）" if fld.money else "")
                                     for fld in table_fields]], head)
        r += 1
        group_shown = None
        for item in printed_rows(spec, rec.cells):
            group = item.get("group")
            if group and group != group_shown:
                ws.write(r, 0, group)
                group_shown = group
                r += 1
            label = item["label"] if not item["label"].startswith("（数值行") else "数量"
            ws.write(r, 0, label)
            for c, fld in enumerate(table_fields, 1):
                value = _xlsx_value(item.get(fld.name))
                if value is not None:
                    ws.write(r, c, value)
            r += 1
        ws.set_column(0, 0, 48)
    wb.close()
    return workbook_bytes(buffer.getvalue(), created)


def _xlsx_value(cell):
    """A number where one was read; the printed text where it could not be read (so readers see it)."""
    if cell is not None and cell.status == "unreadable" and cell.raw:
        return f"{cell.raw}（无法读出）"
    return cell_number(cell)


def _readme(e: Entry, name: str, checks: list[Check], resources: list[dict]) -> str:
    failed = [c for c in checks if c.ok is False]
    lines = [f"# {name} {e.year}年政府信息公开工作年度报告（数据）", "",
             f"- 机构代码：`{e.agency.id}`（{e.agency.region or ''}）",
             f"- 年度：{e.year}", f"- 模板：{e.record.template or '未知'}",
             f"- 源文件：{e.file}" + (f"（{e.manifest.source_url}）" if e.manifest.source_url else ""),
             f"- SHA-256：`{e.record.sha256}`", "",
             "## 文件", ""]
    lines += [f"- `{r['path']}`：{r['title']}" for r in resources]
    lines += ["- `datapackage.json`：Frictionless 数据包描述（字段含义、类型、约束）",
              "", "## 说明", "",
              "- CSV 为 UTF-8（带 BOM），可直接用 Excel 打开。",
              "- 数值为空：报告中该格留空（status = blank）或报告中无此格（status = missing），详见 cells.csv。",
              "- 勾稽关系不成立说明报告本身或读取有误；数据按报告原样发布，不作修改。",
              f"- 检查：{sum(c.ok is True for c in checks)} 项通过，{len(failed)} 项未通过。"]
    lines += [f"  - {c.id} {c.scope}：{c.detail}" for c in failed]
    if e.notes:
        lines += ["", "## 处理记录", ""] + [f"- {n}" for n in e.notes]
    lines += ["", "## 许可", "", "数据以 CC BY 4.0 发布；报告原文版权归发布机关。", ""]
    return "\n".join(lines)


def _citation(e: Entry, name: str, url: str) -> str:
    key = f"nianbao-{e.agency.id}-{e.year}"
    text = f"{name}. {e.year}年政府信息公开工作年度报告（数据）. {PROJECT}, {url}"
    bib = "\n".join([f"@misc{{{key},", f"  author = {{{{{name}}}}},",
                     f"  title = {{{e.year}年政府信息公开工作年度报告（数据）}},",
                     f"  howpublished = {{{PROJECT}}},", f"  url = {{{url}}},",
                     f"  note = {{数据版本 {DATA_VERSION}}}", "}"])
    return f"引用格式：\n\n{text}\n\nBibTeX:\n\n{bib}\n"


# ------------------------------------------------------------------------------------------- corpus


def _corpus(entries, published, counts, agencies, dictionary, manifest, folder: Path) -> None:
    folder.mkdir(parents=True)
    resources = []
    cells_schema = schemas.cells_schema()
    body_years = [folder.parent / key[0] / str(key[1]) for key in sorted(published)]
    concat_csv(folder / "cells.csv", _header(cells_schema), [f / "cells.csv" for f in body_years])
    resources.append(_resource("cells", "cells.csv", "全部单元格", "所有已发布机构年度的单元格（整洁格式）", cells_schema))
    reports_schema = schemas.reports_schema()
    report_rows = []
    for e in entries:
        passed, failed = (counts[e.key] if e.status == "published"
                          else _Checks.count(list(e.record.checks)))
        report_rows.append([e.file, e.agency.id, e.year, e.record.template, e.manifest.source_url, e.manifest.retrieved,
                            e.manifest.published, e.record.sha256 or None, e.status, e.reason, e.reason_code,
                            passed, failed,
                            e.record.title, "|".join(n for n in ([e.manifest.notes] if e.manifest.notes else []) + e.notes)])
    write_csv(folder / "reports.csv", _header(reports_schema), report_rows)
    resources.append(_resource("reports", "reports.csv", "源文件清单",
                               "每个源文件一行：处理状态（已发布、不是年报、待核对、重复）及原因", reports_schema))
    agencies_schema = schemas.agencies_schema()
    agency_rows = [agencies[k] for k in sorted(agencies)]
    write_csv(folder / "agencies.csv", _header(agencies_schema), agency_rows)
    resources.append(_resource("agencies", "agencies.csv", "机构", "机构代码、名称、行政区划、层级", agencies_schema))
    checks_schema = schemas.checks_schema()
    concat_csv(folder / "checks.csv", _header(checks_schema), [f / "checks.csv" for f in body_years])
    resources.append(_resource("checks", "checks.csv", "检查结果", "所有已发布机构年度的检查结果", checks_schema))
    dict_schema = schemas.dictionary_schema()
    dict_rows = [dictionary[k] for k in sorted(dictionary)]
    write_csv(folder / "cell_dictionary.csv", _header(dict_schema), dict_rows)
    resources.append(_resource("cell_dictionary", "cell_dictionary.csv", "数据字典", "单元格代码的中文与英文名称、单位",
                               dict_schema))
    schemas_by_table = {"cells": cells_schema, "reports": reports_schema, "agencies": agencies_schema,
                        "checks": checks_schema, "cell_dictionary": dict_schema}
    resources.append(_resource("sqlite", "nianbao.sqlite", "SQLite 数据库", "与各 CSV 相同的五张表", type="file",
                               format="sqlite", mediatype="application/vnd.sqlite3"))
    resources += [_resource(f"{name}_parquet", f"{name}.parquet", f"{name}（Parquet）", "同名 CSV 的 Parquet 副本",
                            type="file", format="parquet") for name in schemas_by_table]
    descriptor = {
        "$schema": PROFILE, "name": "nianbao-all", "id": "/data/datapackage.json",
        "title": "政府信息公开工作年度报告数据（全部）",
        "description": "Nianbao 读出的全部政府信息公开工作年度报告统计表数据、源文件清单、机构与数据字典。",
        "homepage": "/data/", "version": DATA_VERSION, "licenses": LICENSES,
        "sources": [_source(e) for e in entries if e.status == "published"],
        "contributors": [{"title": PROJECT, "roles": ["processor"]}],
        "resources": resources,
    }
    created = _created(list(manifest.values()))
    if created:
        descriptor["created"] = created
    write_json(folder / "datapackage.json", descriptor)
    readme = "\n".join([
        "# 政府信息公开工作年度报告数据（全部）", "",
        f"- 源文件 {len(entries)} 个，已发布机构年度 {len(published)} 个。",
        "- `reports.csv`：每个源文件一行（已发布、不是年报、待核对、重复）及原因。",
        "- `cells.csv`：全部单元格；`checks.csv`：检查结果；`agencies.csv`：机构；`cell_dictionary.csv`：数据字典。",
        "- `nianbao.sqlite`：同样五张表的 SQLite 数据库；`*.parquet`：各表的 Parquet 副本。",
        "- `nianbao-all.zip`：五个 CSV、本说明和只列 CSV 的数据包描述（SQLite、Parquet 请单独下载）。",
        "- CSV 为 UTF-8（带 BOM），可直接用 Excel 打开。", "",
        "数据以 CC BY 4.0 发布；报告原文版权归发布机关。", ""])
    (folder / "README.md").write_text(readme, encoding="utf-8")
    csv_package = {**descriptor, "resources": [r for r in resources if r.get("format") == "csv"]}
    # The downloads made from the CSVs are independent and spend their time in C (Arrow and SQLite, zlib),
    # which lets go of the GIL: two threads overlap them.
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(2) as pool:
        made = [pool.submit(_sqlite_and_parquet, folder, schemas_by_table),
                pool.submit(_zip_files, folder / "nianbao-all.zip", folder,
                            [r["path"] for r in csv_package["resources"]],
                            [("datapackage.json", json_bytes(csv_package)), ("README.md", readme.encode("utf-8"))])]
        for job in made:
            job.result()


def _zip_files(path: Path, folder: Path, names: list[str], extra: list[tuple[str, bytes]]) -> None:
    """The corpus zip: the CSV package (its own descriptor lists only the CSVs; SQLite and Parquet are
    downloads of their own). Files are streamed in, never held whole: cells.csv alone is 330 MB at 10,000."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            with (folder / name).open("rb") as src, zf.open(fixed_zip_info(name), "w", force_zip64=True) as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        for name, data in extra:
            zf.writestr(fixed_zip_info(name), data)


_SQL = {"integer": "INTEGER", "number": "NUMERIC", "boolean": "INTEGER"}


def _sql_columns(schema: dict) -> list[tuple[str, str]]:
    return [(fld["name"], _SQL.get(fld["type"], "TEXT")) for fld in schema["fields"]]


def _sqlite_and_parquet(folder: Path, schemas_by_table: dict) -> None:
    """The corpus CSVs, read back by Arrow's C++ reader with each schema's types, batch by batch into Parquet
    and SQLite: millions of cells at 10,000 reports, never all in memory. ADBC's SQLite driver takes the Arrow
    batches in C — ~4× faster than sqlite3.executemany on Python tuples. A NUMERIC column keeps SQLite's
    integer form for whole numbers (12, not 12.0). The same rows inserted the same way give the same bytes."""
    import adbc_driver_sqlite.dbapi as adbc
    import pyarrow as pa
    import pyarrow.parquet as pq
    path = folder / "nianbao.sqlite"
    path.unlink(missing_ok=True)
    with adbc.connect(str(path)) as con, con.cursor() as cur:
        for name, schema in schemas_by_table.items():
            columns = ", ".join(f'"{c}" {t}' for c, t in _sql_columns(schema))
            cur.execute(f'CREATE TABLE "{name}" ({columns})')
            reader = _arrow_reader(folder / f"{name}.csv", schema)
            with pq.ParquetWriter(folder / f"{name}.parquet", reader.schema) as parquet:
                cur.adbc_ingest(name, pa.RecordBatchReader.from_batches(reader.schema, _also_to(parquet, reader)),
                                mode="append")
        con.commit()


def _also_to(parquet_writer, reader):
    """The batches, each also written to Parquet on the way."""
    for batch in reader:
        parquet_writer.write_batch(batch)
        yield batch


def _arrow_reader(path: Path, schema: dict):
    import pyarrow as pa
    import pyarrow.csv as pcsv
    types = {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
    column_types = {fld["name"]: types.get(fld["type"], pa.string()) for fld in schema["fields"]}
    return pcsv.open_csv(path, read_options=pcsv.ReadOptions(block_size=8 << 20),
                         parse_options=pcsv.ParseOptions(newlines_in_values=True),
                         convert_options=pcsv.ConvertOptions(
                             column_types=column_types, null_values=[""], strings_can_be_null=True,
                             true_values=["true"], false_values=["false"], quoted_strings_can_be_null=True))
