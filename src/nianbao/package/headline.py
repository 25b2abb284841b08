"""The corpus SQLite's wide view `headline_figures`: one row per published body-year (its body's name, region code
and level, its template) and one column per headline measure of `templates/measures.yaml`, named by the measure's
id. Computed in SQL from the cells table by the site's rule (`nianbao.site.measures.value_of`): the cells a
measure takes are `Measure.takes` spelled as SQL; a blank counts 0; one missing or unreadable cell, or none at
all, makes the measure NULL (`nianbao.model.sums.counted`), never a smaller number.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from nianbao.files import write_csv
from nianbao.model.words import CellStatus, PackageStatus
from nianbao.package.descriptor import header
from nianbao.package.schemas import agencies_schema, f, reports_schema
from nianbao.templates import Measure, measures

VIEW = "headline_figures"
KNOWN = tuple(str(s) for s in CellStatus if s.known)      # value, blank: what a sum can count


def headline_view() -> str:
    """The CREATE VIEW statement."""
    columns = ",\n  ".join(f'f."{m.id}"' for m in measures())
    sums = ",\n    ".join(f'{_measure_sql(m)} AS "{m.id}"' for m in measures())
    taken = " OR ".join(_takes_sql(m) for m in measures())
    return f"""CREATE VIEW "{VIEW}" AS
SELECT r.agency_id, r.year, a.name, a.region_code, a.level, r.template,
  {columns}
FROM reports AS r
LEFT JOIN agencies AS a ON a.id = r.agency_id
LEFT JOIN (
  SELECT agency_id, year,
    {sums}
  FROM cells WHERE {taken}
  GROUP BY agency_id, year
) AS f ON f.agency_id = r.agency_id AND f.year = r.year
WHERE r.status = {_text(PackageStatus.PUBLISHED)}
ORDER BY r.agency_id, r.year"""


def _measure_sql(m: Measure) -> str:
    """NULL when the body-year has no cell the measure takes or one it cannot count; else the sum (blank = 0)."""
    takes, known = _takes_sql(m), ", ".join(_text(s) for s in KNOWN)
    return (f"CASE WHEN COUNT(CASE WHEN {takes} THEN 1 END) = 0"
            f" OR COUNT(CASE WHEN {takes} AND status NOT IN ({known}) THEN 1 END) > 0 THEN NULL"
            f" ELSE SUM(CASE WHEN {takes} AND status = {_text(CellStatus.VALUE)} THEN COALESCE(value, 0) ELSE 0 END)"
            " END")


def _takes_sql(m: Measure) -> str:
    """`Measure.takes` on cells.cell_id (table.row.column): an exact row, or a row starting with a prefix."""
    exact = [f"cell_id = {_text(f'{m.table}.{row}.{m.column}')}" for row in m.exact_rows]
    prefixed = [f"(cell_id GLOB {_text(f'{m.table}.{prefix}*.{m.column}')}"
                f" AND cell_id NOT GLOB {_text(f'{m.table}.{prefix}*.*.{m.column}')})" for prefix in m.row_prefixes]
    return "(" + " OR ".join(exact + prefixed) + ")"


def _text(value: str) -> str:
    """An SQL string literal. Ids are ASCII names without GLOB's special characters (measures.yaml's loader
    checks the measure ids; row, table and column ids are the templates')."""
    if any(c in value for c in "'[]?") or not value.isascii():
        raise ValueError(f"{value!r} cannot be a literal of the headline view")
    return f"'{value}'"


CSV = f"{VIEW}.csv"


def headline_schema() -> dict:
    """The view as a CSV table: the body-year's key and facts as reports.csv and agencies.csv define them, then
    one integer column per measure, titled in Chinese by measures.yaml."""
    reports = {fld["name"]: fld for fld in reports_schema()["fields"]}
    agencies = {fld["name"]: fld for fld in agencies_schema()["fields"]}
    fields = [reports["agency_id"], reports["year"], agencies["name"], agencies["region_code"], agencies["level"],
              reports["template"]]
    fields += [f(m.id, "integer", m.label, f"{m.label}（件）：{m.table} 表 {'、'.join(m.rows)} 行 {m.column} 列之和；"
                 "空白计 0，任一格未找到或无法识别则为空") for m in measures()]
    return {"fields": [{k: v for k, v in fld.items() if k != "constraints"} for fld in fields],
            "primaryKey": ["agency_id", "year"]}


def write_headline_csv(database: Path, path: Path) -> None:
    """headline_figures.csv: the view's rows, in its order, read back from the corpus SQLite."""
    con = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        rows = con.execute(f'SELECT * FROM "{VIEW}"').fetchall()
    finally:
        con.close()
    write_csv(path, header(headline_schema()), [list(r) for r in rows])
