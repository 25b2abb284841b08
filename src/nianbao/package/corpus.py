"""The corpus package (datapackages/all/): every body-year's cells and checks joined, the list of source files,
the agencies, the data dictionary; the same tables as SQLite (with a wide view of the headline figures) and
Parquet; a zip of the CSVs."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from nianbao.files import concat_csv, fixed_zip_info, json_bytes, write_csv, write_json
from nianbao.model import urls
from nianbao.model.record import Scope
from nianbao.package import schemas
from nianbao.package.headline import CSV as HEADLINE_CSV
from nianbao.package.headline import VIEW, headline_schema, headline_view, write_headline_csv
from nianbao.package.body_year import CORRECTIONS_CSV, CORRECTIONS_DESCRIPTION
from nianbao.package.descriptor import DATA_VERSION, LICENSES, PROFILE, PROJECT, created, header, resource, source
from nianbao.package.manifest import ManifestRow
from nianbao.package.resolve import BodyYear, Entry
from nianbao.package.yearchecks import CheckCounts

if TYPE_CHECKING:                  # Arrow is imported when the corpus tables are written, not with the stage
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq


def write_corpus(entries: list[Entry], published: dict[BodyYear, Entry], counts: dict[BodyYear, CheckCounts],
                 agencies: dict[str, list], dictionary: dict[str, list], manifest: dict[str, ManifestRow],
                 folder: Path) -> None:
    """`folder` (new, beside the body-year folders it joins) ← the corpus package of all `entries`."""
    folder.mkdir(parents=True)
    body_years = [folder.parent / key[0] / str(key[1]) for key in sorted(published)]
    tables = {"cells": schemas.cells_schema(), "reports": schemas.reports_schema(),
              "agencies": schemas.agencies_schema(), "checks": schemas.checks_schema(),
              "cell_dictionary": schemas.dictionary_schema(), "corrections": schemas.corrections_schema()}
    concat_csv(folder / "cells.csv", header(tables["cells"]), [f / "cells.csv" for f in body_years])
    concat_csv(folder / CORRECTIONS_CSV, header(tables["corrections"]),
               [f / CORRECTIONS_CSV for f in body_years if (f / CORRECTIONS_CSV).is_file()])
    write_csv(folder / "reports.csv", header(tables["reports"]), _report_rows(entries, counts))
    write_csv(folder / "agencies.csv", header(tables["agencies"]), [agencies[k] for k in sorted(agencies)])
    concat_csv(folder / "checks.csv", header(tables["checks"]), [f / "checks.csv" for f in body_years])
    write_csv(folder / urls.CELL_DICTIONARY, header(tables["cell_dictionary"]),
              [dictionary[k] for k in sorted(dictionary)])
    _write_body_year_schemas(folder)
    descriptor = _descriptor(entries, _resources(tables), created(list(manifest.values())))
    write_json(folder / urls.DESCRIPTOR, descriptor)
    readme = _readme(len(entries), len(published))
    (folder / "README.md").write_text(readme, encoding="utf-8")
    csv_package = {**descriptor, "resources": [r for r in descriptor["resources"] if r.get("format") == "csv"]}
    # The downloads made from the CSVs are independent and spend their time in C (Arrow and SQLite, zlib),
    # which lets go of the GIL: two threads overlap them.
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(2) as pool:
        made = [pool.submit(_sqlite_and_parquet, folder, tables),
                pool.submit(_zip_files, folder / urls.CORPUS_ZIP, folder,
                            [r["path"] for r in csv_package["resources"] if r["path"] != HEADLINE_CSV],
                            [(urls.DESCRIPTOR, json_bytes(csv_package)), ("README.md", readme.encode("utf-8"))])]
        for job in made:
            job.result()
    # The wide table is the SQLite view's rows (one rule, in SQL): written once the database is, and added to
    # the zip last.
    write_headline_csv(folder / "nianbao.sqlite", folder / HEADLINE_CSV)
    with zipfile.ZipFile(folder / urls.CORPUS_ZIP, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(fixed_zip_info(HEADLINE_CSV), (folder / HEADLINE_CSV).read_bytes())


def _write_body_year_schemas(folder: Path) -> None:
    """The Table Schemas of the body-year packages, one file each, which the site's copies of their descriptors
    name by URL (issue 18). This package keeps its own inline: it is one file, and its cell tables have a key
    to the dictionary that a body-year's have not."""
    for where, schema in schemas.body_year_schemas().items():
        (folder / where).parent.mkdir(exist_ok=True)
        write_json(folder / where, schema)


def _report_rows(entries: list[Entry], counts: dict[BodyYear, CheckCounts]) -> list[list]:
    """reports.csv: every source file, published or not, with why."""
    rows = []
    for e in entries:
        key = e.key
        made = counts[key] if e.status == "published" and key else CheckCounts.of(list(e.record.checks))
        notes = ([e.manifest.notes] if e.manifest.notes else []) + e.notes
        rows.append([e.file, e.agency.id, e.year, e.record.template, e.manifest.source_url, e.manifest.retrieved,
                     e.manifest.published, e.record.sha256 or None, e.status, e.reason, e.reason_code,
                     made.passed, made.failed, e.record.title, "|".join(notes), *_scope_columns(e.record.scope)])
    return rows


def _scope_columns(scope: Scope) -> list:
    """reports.csv `scope`, `scope_evidence`, `scope_found_in`, `scope_page`."""
    return [scope.kind, scope.evidence, scope.found_in, scope.where.page]


def _resources(tables: dict[str, dict]) -> list[dict]:
    """The six CSV tables, the SQLite database holding them and a Parquet copy of each."""
    resources = [
        resource("cells", "cells.csv", "全部单元格", "所有已发布机构年度的单元格（整洁格式）", tables["cells"]),
        resource("reports", "reports.csv", "源文件清单",
                 "每个源文件一行：处理状态（已发布、不是年报、待核对、重复）及原因", tables["reports"]),
        resource("agencies", "agencies.csv", "机构", "机构代码、名称、行政区划、层级", tables["agencies"]),
        resource("checks", "checks.csv", "检查结果", "所有已发布机构年度的检查结果", tables["checks"]),
        resource("cell_dictionary", urls.CELL_DICTIONARY, "数据字典", "单元格代码的中文与英文名称、单位",
                 tables["cell_dictionary"]),
        resource("corrections", CORRECTIONS_CSV, "人工核定", CORRECTIONS_DESCRIPTION, tables["corrections"]),
        resource("headline_figures", HEADLINE_CSV, "主要数字（宽表）",
                 "每个已发布的机构年度一行，每个主要数字一列（与网站图表、对比页相同的算法）", headline_schema()),
        resource("sqlite", "nianbao.sqlite", "SQLite 数据库",
                 f"与各 CSV 相同的六张表，另有视图 {VIEW}（每个机构年度一行的主要数字）", type="file", format="sqlite",
                 mediatype="application/vnd.sqlite3")]
    resources += [resource(f"{name}_parquet", f"{name}.parquet", f"{name}（Parquet）", "同名 CSV 的 Parquet 副本",
                           type="file", format="parquet") for name in tables]
    return resources


def _descriptor(entries: list[Entry], resources: list[dict], when: str | None) -> dict:
    descriptor = {
        "$schema": PROFILE, "name": "nianbao-all", "id": "/" + urls.CORPUS + urls.DESCRIPTOR,
        "title": "政府信息公开工作年度报告数据（全部）",
        "description": "Nianbao 读出的全部政府信息公开工作年度报告统计表数据、源文件清单、机构与数据字典。",
        "homepage": "/" + urls.CORPUS, "version": DATA_VERSION, "licenses": LICENSES,
        "sources": [source(e) for e in entries if e.status == "published"],
        "contributors": [{"title": PROJECT, "roles": ["processor"]}],
        "resources": resources,
    }
    if when:
        descriptor["created"] = when
    return descriptor


def _readme(documents: int, published: int) -> str:
    return "\n".join([
        "# 政府信息公开工作年度报告数据（全部）", "",
        f"- 源文件 {documents} 个，已发布机构年度 {published} 个。",
        "- `reports.csv`：每个源文件一行（已发布、不是年报、待核对、重复）及原因。",
        "- `cells.csv`：全部单元格；`checks.csv`：检查结果；`agencies.csv`：机构；`cell_dictionary.csv`：数据字典；"
        "`corrections.csv`：由人核定的单元格（依据、核定人、日期）。",
        f"- `nianbao.sqlite`：同样六张表的 SQLite 数据库，另有视图 `{VIEW}`（每个机构年度一行的主要数字）；"
        "`*.parquet`：各表的 Parquet 副本。",
        f"- `{urls.CORPUS_ZIP}`：六个 CSV、本说明和只列 CSV 的数据包描述（SQLite、Parquet 请单独下载）。",
        f"- `{urls.TABLE_SCHEMAS}`：各机关年度数据包各表的 Table Schema（每个表、每个表格版本一个文件）；"
        "网站上各机关年度的 `datapackage.json` 以网址引用它们，zip 里的仍内含。",
        "- CSV 为 UTF-8（带 BOM），可直接用 Excel 打开。", "",
        "数据以 CC BY 4.0 发布；报告原文版权归发布机关。", ""])


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


def _sqlite_and_parquet(folder: Path, schemas_by_table: dict[str, dict]) -> None:
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
        cur.execute(f"PRAGMA page_size = {SQLITE_PAGE_SIZE}")
        for name, schema in schemas_by_table.items():
            cur.execute(_create_table(name, schema))
            reader = _arrow_reader(folder / f"{name}.csv", schema)
            with pq.ParquetWriter(folder / f"{name}.parquet", reader.schema) as parquet:
                cur.adbc_ingest(name, pa.RecordBatchReader.from_batches(reader.schema, _also_to(parquet, reader)),
                                mode="append")
            for index in _indexes(name):
                cur.execute(index)
        cur.execute(headline_view())
        con.commit()


# 8 kB pages: the cells' and checks' rows (~170 bytes, much of it text) leave less unused at each page's end
# than at 4 kB; measured on 60 reports, 16 kB and 64 kB pages were no smaller.
SQLITE_PAGE_SIZE = 8192


def _create_table(table: str, schema: dict) -> str:
    """A table keyed by its schema's primary key, stored in that key's order (WITHOUT ROWID): the key's index
    is the table itself, not a second copy of the key columns (a quarter of the database was such indexes).
    The CSVs come in key order, so the rows are appended, never inserted between others."""
    columns = ", ".join(f'"{c}" {t}' for c, t in _sql_columns(schema))
    key = schema.get("primaryKey") or []
    if not key:
        return f'CREATE TABLE "{table}" ({columns})'
    keyed = ", ".join(f'"{c}"' for c in ([key] if isinstance(key, str) else key))
    return f'CREATE TABLE "{table}" ({columns}, PRIMARY KEY ({keyed})) WITHOUT ROWID'


def _indexes(table: str) -> list[str]:
    """Besides each table's key: cells by cell id, so `datasette nianbao.sqlite` (or any SQLite client) finds
    one cell across every body without reading the whole table."""
    return ['CREATE INDEX "cells_by_cell" ON "cells" ("cell_id", "year")'] if table == "cells" else []


def _also_to(parquet_writer: pq.ParquetWriter, reader: pa.RecordBatchReader) -> Iterator[pa.RecordBatch]:
    """The batches, each also written to Parquet on the way."""
    for batch in reader:
        parquet_writer.write_batch(batch)
        yield batch


def _arrow_reader(path: Path, schema: dict) -> pcsv.CSVStreamingReader:
    import pyarrow as pa
    import pyarrow.csv as pcsv
    types = {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
    column_types = {fld["name"]: types.get(fld["type"], pa.string()) for fld in schema["fields"]}
    return pcsv.open_csv(path, read_options=pcsv.ReadOptions(block_size=8 << 20),
                         parse_options=pcsv.ParseOptions(newlines_in_values=True),
                         convert_options=pcsv.ConvertOptions(
                             column_types=column_types, null_values=[""], strings_can_be_null=True,
                             true_values=["true"], false_values=["false"], quoted_strings_can_be_null=True))
