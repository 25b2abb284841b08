"""The package stage and `nianbao build`: Frictionless-valid, deterministic packages whose numbers are the
extraction record's, with manifest overrides, duplicates and cross-year checks."""

from __future__ import annotations

import ast
import csv
import json
import re
import shutil
import sqlite3
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao.cli import main
from nianbao.extract import extract_path

from conftest import CORPUS, read_csv_plain, tree_hashes

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"
PACKAGE_SRC = ROOT / "src" / "nianbao" / "package"
ALLOWED = {"files", "model", "templates", "read", "tables", "cells", "identify", "checks", "package"}
CHANGNING = "000_71ab3c7f20f67078.txt"
REAL_PDFS = ("hongze-gov-2023.pdf", "hongze-gov-2024.pdf", "huaian-gov-2024.pdf")   # tests/data/corpus/real
PUTUO = "002_cee7aa51eca5b7c3.txt"


def build(reports: Path, out: Path) -> Path:
    result = CliRunner().invoke(main, ["build", "--reports", str(reports), "--out", str(out)])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return out / "datapackages"


def read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path} has no UTF-8 BOM"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def copy_reports(tmp: Path, manifest_edit=None) -> Path:
    dest = tmp / "reports"
    shutil.copytree(REPORTS, dest)
    if manifest_edit is not None:
        path = dest / "manifest.csv"
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        rows = manifest_edit(rows)
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=["file", "source_url", "retrieved", "published", "agency_id",
                                                    "year", "notes"])
            writer.writeheader()
            writer.writerows(rows)
    return dest


def set_manifest(file: str, **values):
    def edit(rows):
        for row in rows:
            if row["file"] == file:
                row.update(values)
        return rows
    return edit


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build(REPORTS, tmp_path_factory.mktemp("out"))


@pytest.fixture(scope="module")
def reports_rows(built) -> dict[str, dict]:
    return {r["file"]: r for r in read_csv(built / "all" / "reports.csv")}


def packages(root: Path) -> list[Path]:
    return sorted(root.rglob("datapackage.json"))


# ------------------------------------------------------------------------------------------ structure


def test_package_imports_only_earlier_stages():
    for path in sorted(PACKAGE_SRC.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name == "nianbao" or name.startswith("nianbao."):
                    stage = name.split(".")[1] if "." in name else None
                    assert stage in ALLOWED, f"{path.name} imports {name}"


def test_bundled_reports_and_manifest():
    """The five seed documents and the three real PDFs of tests/data/corpus/real, byte for byte, each with its
    manifest row. The PDFs name their body and year themselves, so the manifest leaves both open; a missing
    source address is said in the note. Notes are published in reports.csv (说明): Chinese, never English working notes."""
    rows = {r["file"]: r for r in read_csv_plain(REPORTS / "manifest.csv")}
    files = sorted(p.name for p in REPORTS.iterdir() if p.is_file() and p.name not in ("manifest.csv", "redirects.csv"))
    assert sorted(rows) == files
    assert [f for f in files if not f.endswith(".pdf")] == sorted(p.name for p in REPORTS.glob("00[0-4]_*.txt"))
    assert [f for f in files if f.endswith(".pdf")] == list(REAL_PDFS)
    for name in REAL_PDFS:
        assert (REPORTS / name).read_bytes() == (CORPUS / "real" / name).read_bytes(), name
        assert rows[name]["agency_id"] == rows[name]["year"] == ""
        assert rows[name]["source_url"].startswith("http") or "未查到" in rows[name]["notes"], rows[name]
    for row in rows.values():
        assert not re.search(r"[A-Za-z]+ [A-Za-z]+", row["notes"]), row


# ------------------------------------------------------------------------------------------ validity


def test_every_package_is_frictionless_valid(built):
    import frictionless
    found = packages(built)
    assert len(found) == 8   # the corpus + seven body-years: four from the seed texts, three from the real PDFs
    for descriptor in found:
        report = frictionless.validate(str(descriptor))
        assert report.valid, (descriptor, report.flatten(["rowNumber", "fieldName", "type", "note"]))


def test_layout_and_descriptors(built):
    folder = built / "310105-health" / "2020"
    names = {p.name for p in folder.iterdir()}
    for expected in ("cells.csv", "disclosure.csv", "requests.csv", "appeals.csv", "checks.csv", "report.json",
                     "310105-health-2020.xlsx", "datapackage.json", "310105-health-2020.zip"):
        assert expected in names
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["$schema"].startswith("https://datapackage.org/profiles/2.0/")
    assert descriptor["id"] == "/agencies/310105-health/2020/datapackage.json"
    assert "created" not in descriptor   # the bundled manifest gives no dates; the clock is never used
    for resource in descriptor["resources"]:
        assert resource["name"].isascii() and resource["name"] == resource["name"].lower()
        for field in resource.get("schema", {}).get("fields", []):
            assert field["name"].isascii()
            assert any("\u4e00" <= ch <= "\u9fff" for ch in field["title"] + field["description"]), field
    zipped = zipfile.ZipFile(folder / "310105-health-2020.zip")
    assert {"README.md", "CITATION.txt", "datapackage.json", "cells.csv", "310105-health-2020.xlsx"} <= set(zipped.namelist())
    assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in zipped.infolist())
    citation = zipped.read("CITATION.txt").decode()
    assert "@misc{nianbao-310105-health-2020" in citation
    # The page's wording, with the page's absolute URL (the default site URL here: NIANBAO_SITE_URL is unset).
    page = "http://127.0.0.1:8000/agencies/310105-health/2020/"
    assert f"长宁区卫生健康委员会. 2020年政府信息公开工作年度报告（数据）. 年报 Nianbao 整理, 数据版本 1.2.0. {page}" in citation
    assert f"  url = {{{page}}}," in citation and "  year = {2021}," in citation
    assert "长宁区" in zipped.read("README.md").decode()


# ------------------------------------------------------------------------------------------ numbers


def test_numbers_equal_the_extraction_record(built, reports_rows):
    checked = 0
    for file, row in reports_rows.items():
        if row["status"] != "published":
            continue
        record = extract_path(REPORTS / file)
        cells = {r["cell_id"]: r for r in read_csv(built / row["agency_id"] / row["year"] / "cells.csv")}
        assert set(cells) == set(record.cells)
        for cid, cell in record.cells.items():
            assert cells[cid]["status"] == cell.status, cid
            if cell.status == "value":
                assert float(cells[cid]["value"]) == float(cell.value), cid
            else:
                assert cells[cid]["value"] == ""
            checked += 1
        report = json.loads((built / row["agency_id"] / row["year"] / "report.json").read_text(encoding="utf-8"))
        assert report["cells"] == record.to_json()["cells"]
        checks = read_csv(built / row["agency_id"] / row["year"] / "checks.csv")
        assert [(c["check_id"], c["scope"]) for c in checks][:len(record.checks)] == [(c.id, c.scope) for c in record.checks]
    assert checked > 600


def test_changning_2020_new_requests_is_12_everywhere(built):
    folder = built / "310105-health" / "2020"
    cells = {r["cell_id"]: r for r in read_csv(folder / "cells.csv")}
    assert cells["requests.new.total"]["value"] == "12"
    requests = {r["row"]: r for r in read_csv(folder / "requests.csv")}
    assert requests["new"]["total"] == "12"
    assert requests["new"]["label"] == "一、本年新收政府信息公开申请数量"
    corpus = {(r["agency_id"], r["year"], r["cell_id"]): r for r in read_csv(built / "all" / "cells.csv")}
    assert corpus[("310105-health", "2020", "requests.new.total")]["value"] == "12"

    import openpyxl
    sheet = openpyxl.load_workbook(folder / "310105-health-2020.xlsx")["三、收到和处理政府信息公开申请情况"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = next(r for r in rows if r[0] == "项目")
    new = next(r for r in rows if r[0] == "一、本年新收政府信息公开申请数量")
    assert new[header.index("总计")] == 12

    con = sqlite3.connect(built / "all" / "nianbao.sqlite")
    value, kind = con.execute("SELECT value, typeof(value) FROM cells WHERE agency_id='310105-health' AND year=2020 "
                              "AND cell_id='requests.new.total'").fetchone()
    ok = con.execute("SELECT DISTINCT typeof(ok) FROM checks WHERE ok IS NOT NULL").fetchall()
    con.close()
    assert (value, kind) == (12, "integer")          # a whole number keeps SQLite's integer form, not 12.0
    assert ok == [("integer",)]


# ------------------------------------------------------------------------------------------ determinism


def test_two_builds_are_byte_identical(built, tmp_path):
    again = build(REPORTS, tmp_path)
    assert tree_hashes(built) == tree_hashes(again)


def test_rebuild_replaces_the_old_packages(tmp_path):
    out = build(REPORTS, tmp_path)
    (out / "stale.txt").write_text("old", encoding="utf-8")
    out = build(REPORTS, tmp_path)
    assert not (out / "stale.txt").exists()
    assert not any(p.name.startswith(".datapackages") for p in tmp_path.iterdir())


# ------------------------------------------------------------------------------------------ statuses


def test_every_input_listed_once(reports_rows):
    inputs = sorted(p.name for p in REPORTS.iterdir() if p.is_file() and p.name not in ("manifest.csv", "redirects.csv"))
    assert sorted(reports_rows) == inputs
    assert reports_rows["004_22d319edf1e93240.txt"]["status"] == "rejected"
    assert "work plan" in reports_rows["004_22d319edf1e93240.txt"]["reason"]


def test_putuo_published_with_the_manifest_override(built, reports_rows):
    row = reports_rows[PUTUO]
    assert (row["status"], row["agency_id"], row["year"]) == ("published", "310107-health", "2021")
    assert "机关 310107-health 由清单指定（原文所指有 2 个候选）" in row["notes"]
    assert not re.search(r"[A-Za-z]+ [A-Za-z]+", row["notes"]), row["notes"]     # reports.csv publishes it as 说明
    agencies = {r["id"]: r for r in read_csv(built / "all" / "agencies.csv")}
    assert agencies["310107-health"]["name"] == "上海市普陀区卫生健康局"
    assert agencies["310107-health"]["province"] == "上海市"


def test_putuo_needs_review_without_the_override(tmp_path):
    reports = copy_reports(tmp_path, set_manifest(PUTUO, agency_id=""))
    out = build(reports, tmp_path / "out")
    row = {r["file"]: r for r in read_csv(out / "all" / "reports.csv")}[PUTUO]
    assert row["status"] == "needs_review"
    assert "310107-health" in row["reason"] and "330903-health" in row["reason"]
    assert not (out / "310107-health").exists() and not (out / "330903-health").exists()


def test_no_manifest_at_all(tmp_path):
    reports = copy_reports(tmp_path)
    (reports / "manifest.csv").unlink()
    out = build(reports, tmp_path / "out")
    statuses = {r["file"]: r["status"] for r in read_csv(out / "all" / "reports.csv")}
    assert statuses[PUTUO] == "needs_review" and statuses[CHANGNING] == "published"


def test_contradicting_manifest_year_is_not_applied(tmp_path):
    reports = copy_reports(tmp_path, set_manifest(CHANGNING, year="2019"))
    out = build(reports, tmp_path / "out")
    row = {r["file"]: r for r in read_csv(out / "all" / "reports.csv")}[CHANGNING]
    assert row["status"] == "needs_review" and row["year"] == "2020"
    assert "contradicts" in row["reason"] and "2019" in row["reason"]
    assert not (out / "310105-health").exists()


def test_contradicting_manifest_agency_is_not_applied(tmp_path):
    reports = copy_reports(tmp_path, set_manifest(CHANGNING, agency_id="310106-health"))
    out = build(reports, tmp_path / "out")
    row = {r["file"]: r for r in read_csv(out / "all" / "reports.csv")}[CHANGNING]
    assert row["status"] == "needs_review" and "310106-health" in row["reason"]


def test_created_comes_from_the_manifest(tmp_path):
    reports = copy_reports(tmp_path, set_manifest(CHANGNING, published="2021-01-29", retrieved="2025-05-02"))
    out = build(reports, tmp_path / "out")
    one = json.loads((out / "310105-health" / "2020" / "datapackage.json").read_text(encoding="utf-8"))
    assert one["created"] == "2025-05-02T00:00:00Z"
    corpus = json.loads((out / "all" / "datapackage.json").read_text(encoding="utf-8"))
    assert corpus["created"] == "2025-05-02T00:00:00Z"       # the latest date in the manifest


def test_duplicates_published_once_and_both_listed(tmp_path):
    reports = copy_reports(tmp_path)
    shutil.copy(reports / CHANGNING, reports / "zz-copy.txt")
    out = build(reports, tmp_path / "out")
    rows = {r["file"]: r for r in read_csv(out / "all" / "reports.csv")}
    assert rows[CHANGNING]["status"] == "published"
    assert rows["zz-copy.txt"]["status"] == "duplicate" and CHANGNING in rows["zz-copy.txt"]["reason"]
    keys = {(r["agency_id"], r["year"], r["cell_id"]) for r in read_csv(out / "all" / "cells.csv")}
    assert len([k for k in keys if k[:2] == ("310105-health", "2020")]) == len(extract_path(REPORTS / CHANGNING).cells)


def test_two_reports_for_one_body_year_need_review(tmp_path):
    reports = copy_reports(tmp_path)
    text = (reports / CHANGNING).read_text(encoding="utf-8")
    (reports / "zz-other.txt").write_text(text + "\n附：更正版\n", encoding="utf-8")
    out = build(reports, tmp_path / "out")
    rows = {r["file"]: r for r in read_csv(out / "all" / "reports.csv")}
    assert rows[CHANGNING]["status"] == rows["zz-other.txt"]["status"] == "needs_review"
    assert "2 different reports" in rows[CHANGNING]["reason"]
    assert not (out / "310105-health").exists()


# ------------------------------------------------------------------------------------------ real PDFs


def test_real_pdfs_published_with_hongze_in_two_years_and_its_cross_year_checks(built, reports_rows):
    """The bundled real PDFs: 淮安市 2024 and 洪泽区 2023 and 2024, whose cross-year checks hold and whose 2023
    table 四 breaks its own identity twice as printed (the source's error, published as printed)."""
    assert {(reports_rows[f]["status"], reports_rows[f]["agency_id"], reports_rows[f]["year"]) for f in REAL_PDFS} == {
        ("published", "320813-gov", "2023"), ("published", "320813-gov", "2024"), ("published", "320800-gov", "2024")}
    assert sorted(p.name for p in (built / "320813-gov").iterdir()) == ["2023", "2024"]
    for year in ("2023", "2024"):
        checks = read_csv(built / "320813-gov" / year / "checks.csv")
        x1 = [c for c in checks if c["check_id"] == "X1"]
        x2 = [c for c in checks if c["check_id"] == "X2"]
        assert len(x1) == 7 and all(c["ok"] == "true" for c in x1), x1
        assert x2 and all(c["ok"] == "true" for c in x2), x2
        assert all("2023→2024" in c["scope"] for c in x1 + x2)
    checks_2023 = read_csv(built / "320813-gov" / "2023" / "checks.csv")
    failed_h4 = {c["scope"] for c in checks_2023 if c["check_id"] == "H4" and c["ok"] == "false"}
    assert failed_h4 == {"appeals.review", "appeals.litigation_after_review"}
    cells_2023 = {r["cell_id"]: r for r in read_csv(built / "320813-gov" / "2023" / "cells.csv")}
    assert [(cells_2023[f"{scope}.total"]["status"], cells_2023[f"{scope}.total"]["value"])
            for scope in sorted(failed_h4)] == [("value", "0"), ("value", "0")]        # read, and kept as printed
    corpus = read_csv(built / "all" / "checks.csv")
    assert {c["check_id"] for c in corpus if c["agency_id"] == "320813-gov"} >= {"X1", "X2"}
    assert any(c["check_id"] == "H4" and c["ok"] == "false" and c["year"] == "2023" for c in corpus)
    agencies = {r["id"]: r for r in read_csv(built / "all" / "agencies.csv")}
    assert agencies["320813-gov"]["name"] == "淮安市洪泽区人民政府"
    assert agencies["320813-gov"]["short_names"] == "洪泽区人民政府"
    dated = json.loads((built / "320813-gov" / "2024" / "datapackage.json").read_text(encoding="utf-8"))
    undated = json.loads((built / "320813-gov" / "2023" / "datapackage.json").read_text(encoding="utf-8"))
    assert dated["created"] == "2025-02-14T00:00:00Z" and "created" not in undated     # the manifest's dates


def test_corpus_zip_sqlite_and_parquet(built):
    import pyarrow.parquet as pq

    zipped = zipfile.ZipFile(built / "all" / "nianbao-all.zip")
    tables = {"cells.csv", "reports.csv", "agencies.csv", "checks.csv", "cell_dictionary.csv", "corrections.csv"}
    csvs = tables | {"headline_figures.csv"}          # the wide table: the SQLite view's rows
    assert set(zipped.namelist()) == csvs | {"datapackage.json", "README.md"}
    assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in zipped.infolist())
    for name in csvs:                                   # the zip holds the very files published beside it
        assert zipped.read(name) == (built / "all" / name).read_bytes()
    inside = json.loads(zipped.read("datapackage.json"))
    assert {r["path"] for r in inside["resources"]} == csvs      # a package complete in itself
    outside = json.loads((built / "all" / "datapackage.json").read_text(encoding="utf-8"))
    assert {"nianbao.sqlite", "cells.parquet"} <= {r["path"] for r in outside["resources"]}
    con = sqlite3.connect(built / "all" / "nianbao.sqlite")
    for name in tables:
        rows = read_csv(built / "all" / name)
        assert pq.read_table(built / "all" / f"{name[:-4]}.parquet").num_rows == len(rows)
        assert con.execute(f'SELECT count(*) FROM "{name[:-4]}"').fetchone()[0] == len(rows)


def test_corpus_sqlite_finds_a_body_year_and_a_cell_by_index(built):
    """Queries people run (`datasette nianbao.sqlite`): one body-year, or one cell across every body."""
    con = sqlite3.connect(built / "all" / "nianbao.sqlite")
    plans = {query: " ".join(str(step[-1]) for step in con.execute(f"EXPLAIN QUERY PLAN {query}"))
             for query in ("SELECT value FROM cells WHERE agency_id = '310105-health' AND year = 2020",
                           "SELECT agency_id, value FROM cells WHERE cell_id = 'requests.new.total'",
                           "SELECT * FROM checks WHERE agency_id = '310105-health' AND year = 2020",
                           "SELECT name FROM agencies WHERE id = '310105-health'")}
    assert all("USING INDEX" in plan or "USING COVERING INDEX" in plan for plan in plans.values()), plans


def test_build_prints_a_summary_and_rejects_a_missing_folder(tmp_path):
    reports = copy_reports(tmp_path, set_manifest(PUTUO, agency_id=""))
    result = CliRunner().invoke(main, ["build", "--reports", str(reports), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert "8 documents: 6 published, 1 rejected, 1 needing review" in result.stdout
    # 洪泽区 2023's two printed H4 errors and 2024's S4 (its prose says 17 requests, its table 95)
    assert "3 failed checks" in result.stdout
    missing = CliRunner().invoke(main, ["build", "--reports", str(tmp_path / "nowhere"), "--out", str(tmp_path)])
    assert missing.exit_code == 2


# --- a generated corpus of 200 reports ---------------------------------------------------------------------

DISTRICTS = ["上海市黄浦区", "上海市徐汇区", "上海市静安区", "上海市闵行区", "杭州市西湖区", "杭州市上城区",
             "南京市玄武区", "南京市秦淮区", "苏州市姑苏区", "无锡市梁溪区", "武汉市江岸区", "武汉市洪山区",
             "成都市武侯区", "成都市锦江区", "广州市越秀区", "广州市天河区", "深圳市福田区", "深圳市南山区",
             "西安市雁塔区", "西安市碑林区", "郑州市金水区", "济南市历下区", "青岛市市南区", "长沙市岳麓区",
             "合肥市蜀山区", "福州市鼓楼区", "厦门市思明区", "昆明市五华区", "贵阳市南明区", "南昌市东湖区",
             "太原市小店区", "石家庄市长安区", "沈阳市和平区", "大连市中山区", "长春市朝阳区", "哈尔滨市南岗区",
             "兰州市城关区", "银川市兴庆区", "西宁市城东区", "海口市龙华区"]
YEARS = {2019: "2019", 2020: "2019", 2021: "2021", 2022: "2021", 2023: "2021"}
TEXT_STYLES = ["pipe_rows", "markdown_table", "tab_cells", "whitespace_rows", "html_table"]


def _generated():
    """(style, truth, body number) of the 200 generated reports."""
    from nianbao.synth import make_truth

    for b, district in enumerate(DISTRICTS):
        for y, (year, template) in enumerate(YEARS.items()):
            style = TEXT_STYLES[(b + y) % len(TEXT_STYLES)]
            truth = make_truth(template, seed=b * 10 + y, blanks=0.05, year=year, agency_name=f"{district}卫生健康委员会")
            yield style, truth, b


@pytest.fixture(scope="module")
def generated_corpus(tmp_path_factory) -> Path:
    """40 bodies × 5 years, rendered in five styles, with a few blank cells; truths are consistent."""
    from nianbao.synth import INFO, STYLES

    reports = tmp_path_factory.mktemp("generated-reports")
    rows = []
    for style, truth, b in _generated():
        year = truth.year
        name = f"{b:02d}-{year}{INFO[style].suffix}"
        (reports / name).write_text(STYLES[style](truth), encoding="utf-8")
        rows.append(f"{name},https://example.gov.cn/{b}/{year}.html,{year + 1}-02-01,{year + 1}-01-20,,,generated")
    (reports / "manifest.csv").write_text("file,source_url,retrieved,published,agency_id,year,notes\n"
                                          + "\n".join(rows) + "\n", encoding="utf-8")
    return build(reports, tmp_path_factory.mktemp("generated-out"))


def test_generated_corpus_of_200_reports_is_frictionless_valid(generated_corpus):
    import frictionless

    rows = read_csv(generated_corpus / "all" / "reports.csv")
    assert len(rows) == 200
    assert {r["status"] for r in rows} == {"published"}, [r["reason"] for r in rows if r["status"] != "published"][:3]
    found = packages(generated_corpus)
    assert len(found) == 201          # 200 body-years + the corpus
    for descriptor in found:
        report = frictionless.validate(str(descriptor))
        assert report.valid, (descriptor, report.flatten(["rowNumber", "fieldName", "type", "note"]))


def test_generated_corpus_of_200_reports_publishes_its_truth(generated_corpus):
    """Every cell of the 200 packages is its truth's (status and value), and every identity holds."""
    from nianbao.synth import INFO, expected_cells

    files = {r["file"]: (r["agency_id"], int(r["year"])) for r in read_csv(generated_corpus / "all" / "reports.csv")}
    published: dict[tuple[str, int], dict[str, tuple[str, str]]] = {}
    for row in read_csv(generated_corpus / "all" / "cells.csv"):
        published.setdefault((row["agency_id"], int(row["year"])), {})[row["cell_id"]] = (row["status"], row["value"])
    wrong, n, expected = [], 0, {}
    for style, truth, b in _generated():
        body_year = files[f"{b:02d}-{truth.year}{INFO[style].suffix}"]
        want = expected[body_year] = expected_cells(truth, blanks_visible=INFO[style].blanks_visible)
        got = published[body_year]
        assert set(got) == set(want), body_year
        for cid, (status, value) in want.items():
            n += 1
            shown = (got[cid][0], None if got[cid][1] == "" else Decimal(got[cid][1]))
            if shown != (status, None if value is None else Decimal(str(value))):
                wrong.append((body_year, cid, got[cid], (status, value)))
    assert len(published) == 200 and n > 200 * 150
    assert wrong == [], wrong[:10]
    # Every identity holds, except where a cell is rightly unread (a blank that left no trace in its style).
    hard = [c for c in read_csv(generated_corpus / "all" / "checks.csv") if c["check_id"].startswith("H")]
    assert len(hard) > 200 * 40 and "false" not in {c["ok"] for c in hard}
    for c in hard:
        statuses = {expected[(c["agency_id"], int(c["year"]))][cid][0] for cid in c["cells"].split()}
        assert (c["ok"] == "true") == (statuses <= {"value", "blank"}), c


def test_add_registers_a_report_and_shows_what_was_detected(tmp_path):
    source = REPORTS / PUTUO
    reports = tmp_path / "reports"
    result = CliRunner().invoke(main, ["add", str(source), "--url", "https://example.gov.cn/putuo/2021.html",
                                       "--retrieved", "2022-02-01", "--reports", str(reports)])
    assert result.exit_code == 0, result.output
    assert (reports / PUTUO).read_bytes() == source.read_bytes()
    rows = read_csv_plain(reports / "manifest.csv")
    assert rows == [{"file": PUTUO, "source_url": "https://example.gov.cn/putuo/2021.html", "retrieved": "2022-02-01",
                     "published": "", "agency_id": "", "year": "", "notes": ""}]
    assert "candidates: 310107-health, 330903-health" in result.output
    assert "year: 2021" in result.output
    again = CliRunner().invoke(main, ["add", str(source), "--url", "https://example.gov.cn/x.html", "--reports",
                                      str(reports)])
    assert again.exit_code == 2 and "already in manifest.csv" in again.output


# ------------------------------------------------------------------------------ the table as printed


def _printed():
    from nianbao.templates import variants
    from nianbao.templates.printed import printed_table
    return [(spec, printed_table(name)) for name, spec in variants().items()]


def test_printed_grid_holds_every_cell_once():
    """CSV and XLSX: each cell id of the table version in exactly one (row, field) of the grid."""
    for spec, table in _printed():
        placed = [cid for row in table.rows for cid in row.cells.values()]
        assert sorted(placed) == sorted(spec.cell_ids), spec.variant
        names = [col.name for col in table.columns]
        assert len(names) == len(set(names)) and all(name.isascii() for name in names), spec.variant
        for row in table.rows:
            assert set(row.cells) <= set(names), (spec.variant, row.row.id)


def test_printed_blocks_hold_every_cell_once_in_printed_order():
    """HTML: the body rows of the blocks give every cell id once, in the template's printed order."""
    for spec, table in _printed():
        shown = [cid for block in table.blocks for row in block.rows for cid in row.cell_ids]
        assert shown == list(spec.cell_ids), spec.variant


def _widths(rows) -> list[int]:
    """The width of each row of label cells, counting cells spanning down from rows above."""
    widths, carried = [], [0] * (len(rows) + 8)
    for i, row in enumerate(rows):
        widths.append(carried[i] + sum(cell.colspan for cell in row))
        for cell in row:
            for below in range(i + 1, i + cell.rowspan):
                carried[below] += cell.colspan
    return widths


def test_printed_header_spans_are_as_wide_as_the_body():
    """Every header row and body row of a block spans the same number of columns: no span miscounted."""
    from nianbao.templates.printed import HeaderCell
    for spec, table in _printed():
        for block in table.blocks:
            body = [(*row.labels, *(HeaderCell(cid) for cid in row.cell_ids)) for row in block.rows]
            assert len(set(_widths(list(block.header)) + _widths(body))) == 1, (spec.variant, block)


def test_printed_headers_as_the_templates_print_them():
    from nianbao.templates import short_names
    from nianbao.templates.printed import printed_table
    assert short_names() == {"disclosure": "表二", "requests": "表三", "appeals": "表四"}
    assert printed_table("disclosure-2021").title == "二、主动公开政府信息情况"
    appeals = printed_table("appeals")
    assert [c.label for c in appeals.blocks[0].header[0]] == ["行政复议", "行政诉讼 · 未经复议直接起诉", "行政诉讼 · 复议后起诉"]
    assert [c.colspan for c in appeals.blocks[0].header[0]] == [5, 5, 5]
    requests = printed_table("requests-2021")
    spans = [(c.label, c.colspan, c.rowspan) for c in requests.blocks[0].header[1]]
    assert spans == [("自然人", 1, 2), ("法人或其他组织", 5, 1), ("总计", 1, 2)]
    assert [col.name for col in appeals.columns][:2] == ["review_upheld", "review_corrected"]


def test_package_state_round_trips_and_refuses_other_shapes():
    from nianbao.package import PackageState, read_states, states_json
    from nianbao.package.yearchecks import CheckCounts
    states = {"310105-health/2020": PackageState("f" * 64, CheckCounts(passed=40, failed=2))}
    assert read_states(json.loads(json.dumps(states_json(states)))) == states
    # An older build's positional form, or a wrong type: that package is written anew.
    assert read_states({"a/2020": ["f", 40, 2], "b/2020": {"fingerprint": "f", "passed": "40", "failed": 2}}) == {}


def test_a_package_is_written_anew_when_the_site_url_changes():
    """CITATION.txt holds the page's absolute URL: a package made for another site URL is not reused."""
    from nianbao.model.record import Agency, Record
    from nianbao.model.urls import SiteUrls
    from nianbao.package.manifest import ManifestRow
    from nianbao.package.resolve import Entry
    from nianbao.package.state import fingerprint, record_digest
    key = ("310105-health", 2020)
    entry = Entry(file="a.txt", record=Record(source="a.txt", sha256="0" * 64, status="ok"),
                  manifest=ManifestRow(file="a.txt"), agency=Agency(id=key[0]), year=key[1])
    published, digests = {key: entry}, {key: record_digest(entry)}

    def made_for(base: str) -> str:
        return fingerprint(published, digests, key, [key[0]], SiteUrls(base))
    assert made_for("https://example.org/") == made_for("https://example.org/")
    assert made_for("https://example.org/") != made_for("https://example.org/nianbao/")
