"""The corpus SQLite's `headline_figures` view: one row per published body-year whose numbers are the site's own
(`value_of`, through the site's BodyYear), a blank counting 0 and a missing or unreadable cell making the
measure NULL."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao.cli import main
from nianbao.site.corpus import BodyYear
from nianbao.templates import cell_index, measures

from conftest import ROOT, read_csv_plain

LICENSING_ROW = "行政许可 20 0 1891\n"                                   # 长宁 2020: table 二's 行政许可 row
NEW_REQUESTS_ROW = "一、本年新收政府信息公开申请数量 0 0 0 0 0 0 0\n"        # 川汇 2020: table 三's first row


@pytest.fixture(scope="module")
def datapackages(tmp_path_factory) -> Path:
    """The bundled reports, one with a row deleted (its cells missing), one with a row not a number (unreadable)."""
    reports = tmp_path_factory.mktemp("headline") / "reports"
    shutil.copytree(ROOT / "reports", reports)
    for name, row, becomes in [("000_71ab3c7f20f67078.txt", LICENSING_ROW, ""),
                               ("001_37eacbe6cb5bd91a.txt", NEW_REQUESTS_ROW, NEW_REQUESTS_ROW.replace(" 0\n", " 甲\n"))]:
        text = (reports / name).read_text(encoding="utf-8")
        assert text.count(row) == 1
        (reports / name).write_text(text.replace(row, becomes), encoding="utf-8")
    out = reports.parent / "out"
    result = CliRunner().invoke(main, ["build", "--reports", str(reports), "--out", str(out), "--no-site"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return out / "datapackages"


def view(datapackages: Path) -> list[dict]:
    with sqlite3.connect(datapackages / "all" / "nianbao.sqlite") as con:
        con.row_factory = sqlite3.Row
        return [dict(row) for row in con.execute("SELECT * FROM headline_figures")]


def test_one_row_per_published_body_year_with_its_body(datapackages):
    rows = view(datapackages)
    assert list(rows[0]) == ["agency_id", "year", "name", "region_code", "level", "template",
                             *(m.id for m in measures())]
    reports = [r for r in read_csv_plain(datapackages / "all" / "reports.csv") if r["status"] == "published"]
    assert [(r["agency_id"], r["year"], r["template"]) for r in rows] == sorted(
        (r["agency_id"], int(r["year"]), r["template"]) for r in reports)
    agencies = {a["id"]: a for a in read_csv_plain(datapackages / "all" / "agencies.csv")}
    for row in rows:
        body = agencies[row["agency_id"]]
        assert (row["name"], row["region_code"], row["level"]) == (body["name"], body["region_code"], body["level"])


def test_the_views_numbers_are_the_sites(datapackages):
    rows = view(datapackages)
    for row in rows:
        site = BodyYear(row["agency_id"], row["year"], datapackages / row["agency_id"] / str(row["year"]), {})
        assert {m.id: row[m.id] for m in measures()} == {m.id: v for m, v in site.figures}, row["agency_id"]


def cells_of(datapackages: Path, agency_id: str, cell_prefix: str) -> set[str]:
    return {c["status"] for c in read_csv_plain(datapackages / "all" / "cells.csv")
            if c["agency_id"] == agency_id and c["cell_id"].startswith(cell_prefix)}


def test_missing_or_unreadable_makes_the_measure_null_and_a_blank_counts_0(datapackages):
    rows = {row["agency_id"]: row for row in view(datapackages)}
    assert cells_of(datapackages, "310105-health", "disclosure.licensing.") == {"missing"}
    assert rows["310105-health"]["licensing_decisions"] is None and rows["310105-health"]["penalty_decisions"] == 193
    assert cells_of(datapackages, "411602-health", "requests.new.") == {"unreadable"}
    assert rows["411602-health"]["requests_new"] is None and rows["411602-health"]["requests_carried_over"] == 0
    assert cells_of(datapackages, "310107-health", "requests.withheld_") == {"blank"}
    assert rows["310107-health"]["withheld"] == 0
    assert (rows["310105-health"]["unavailable"], rows["310105-health"]["other_outcomes"]) == (3, 6), "rows by prefix"


def test_every_row_a_measure_names_is_a_row_of_the_templates():
    """A typo in measures.yaml would make a measure unknown everywhere, silently: each row must take a cell."""
    cell_ids = list(cell_index())
    for m in measures():
        for row in m.rows:
            one_row = replace(m, rows=(row,))
            assert any(one_row.takes(cid) for cid in cell_ids), (m.id, row)


def test_the_wide_csv_is_the_view_with_a_schema_in_chinese(datapackages):
    """headline_figures.csv (in the corpus package and its zip): the view's rows exactly, NULL as an empty field,
    each measure column titled by measures.yaml's label."""
    import json
    import zipfile

    folder = datapackages / "all"
    con = sqlite3.connect(folder / "nianbao.sqlite")
    view = con.execute("SELECT * FROM headline_figures").fetchall()
    con.close()
    rows = read_csv_plain(folder / "headline_figures.csv")
    assert [[("" if v is None else str(v)) for v in r] for r in view] == [list(r.values()) for r in rows]
    assert any(v == "" for r in rows for v in r.values())                  # the NULL of the damaged report
    resource = next(r for r in json.loads((folder / "datapackage.json").read_text())["resources"]
                    if r["path"] == "headline_figures.csv")
    titles = {f["name"]: f["title"] for f in resource["schema"]["fields"]}
    assert all(titles[m.id] == m.label for m in measures()) and resource["schema"]["primaryKey"] == ["agency_id", "year"]
    with zipfile.ZipFile(folder / "nianbao-all.zip") as zf:
        assert zf.read("headline_figures.csv") == (folder / "headline_figures.csv").read_bytes()
