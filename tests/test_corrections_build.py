"""Issue 16 end to end, through `nianbao review --apply` and `nianbao build`: the seed cells the reader left unread
(长宁 2020 采购总金额, 普陀 2021 行政规范性文件) settled by a filled form are published with the mark and note on
the page and `source=correction` in the data; bad rows are refused with a reason and nothing else changes; the
checks use the settled values; a build with a new correction rewrites only the affected body-years (and their
neighbour years, for the cross-year checks); every package passes frictionless validation."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from conftest import ROOT, SEEDS
from conftest import read_csv_plain as read_csv
from nianbao.cli import main
from nianbao.settle import FORM_COLUMNS
from nianbao.synth import STYLES, make_truth

CHANGNING, PUTUO = "000_71ab3c7f20f67078.txt", "002_cee7aa51eca5b7c3.txt"
AMOUNT, NEW_TOTAL = "disclosure.procurement.amount", "requests.new.total"
NORMATIVE = ("disclosure.normative.issued", "disclosure.normative.repealed", "disclosure.normative.in_force")
HUANGPU = {year: f"huangpu-{year}.txt" for year in (2020, 2021, 2022)}
SETTLED_BODY_YEARS = {"310105-health/2020", "310107-health/2021"}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_reports(folder: Path) -> int:
    """The seed texts and one body over three years whose 2021 report prints "/" for 本年新收 总计; returns that
    total as the report meant it."""
    folder.mkdir(parents=True)
    for name in ("manifest.csv", "000_71ab3c7f20f67078.txt", "001_37eacbe6cb5bd91a.txt", PUTUO,
                 "003_e5463740bc1ab3aa.txt"):
        shutil.copy(SEEDS / name, folder / name)
    hidden = 0
    for year, name in HUANGPU.items():
        truth = make_truth("2019" if year == 2020 else "2021", seed=200 + year, blanks=0.0, year=year,
                           agency_name="上海市黄浦区卫生健康委员会")
        text = STYLES["pipe_rows"](truth)
        if year == 2021:
            hidden = truth.cells[NEW_TOTAL]
            text = re.sub(r"^(\| 一、本年新收[^\n]*\| )\d+ \|$", r"\1/ |", text, count=1, flags=re.M)
        (folder / name).write_text(text, encoding="utf-8")
    return hidden


def build(out: Path, reports: Path, *extra: str) -> str:
    result = CliRunner().invoke(main, ["build", "--reports", str(reports), "--out", str(out),
                                       "--config", str(ROOT / "mkdocs.yml"), *extra])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def written(output: str) -> int:
    return int(re.search(r"packages: (\d+) written", output).group(1))


def package_inodes(out: Path) -> dict[str, int]:
    """A reused package is hard-linked from the last build: its files keep their inode."""
    return {f"{p.parent.parent.name}/{p.parent.name}": p.stat().st_ino
            for p in (out / "datapackages").glob("*/*/datapackage.json") if p.parent.name.isdigit()}


def write_form(path: Path, rows: list[dict[str, str]]) -> None:
    """The review form as a person returns it: the Chinese headers, a title row above them."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["待核定的单元格"])
    codes = list(FORM_COLUMNS)
    sheet.append([FORM_COLUMNS[c] for c in codes])
    for row in rows:
        sheet.append([row.get(c) for c in codes])
    book.save(path)


def apply(form: Path, reports: Path) -> list[str]:
    result = CliRunner().invoke(main, ["review", "--reports", str(reports), "--apply", str(form)])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output.splitlines()


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: sha(p) for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Built once without corrections, then a filled form applied, then built again."""
    root = tmp_path_factory.mktemp("corrections")
    reports, out = root / "reports", root
    hidden = make_reports(reports)
    first = build(out, reports)
    before = package_inodes(out)
    checks_before = read_csv(out / "datapackages" / "310101-health" / "2021" / "checks.csv")
    return root, reports, out, hidden, first, before, checks_before


@pytest.fixture(scope="module")
def applied(corpus):
    root, reports, out, hidden, *_ = corpus
    import os
    cwd = os.getcwd()
    os.chdir(root)      # `review --apply` reads the documents through the build's cache of the default --out (here)
    try:
        folder_before = snapshot(reports)
        good = [{"sha256": sha(reports / CHANGNING), "cell_id": AMOUNT, "value": "31774000元",
                 "note": "原文第4页采购总金额单位为元", "by": "张三"}]
        good += [{"sha256": sha(reports / PUTUO), "cell_id": cid, "value": 0,
                  "note": "原文此行只印两格；对照原网页，三格均为0", "by": "张三"} for cid in NORMATIVE]
        good += [{"sha256": sha(reports / HUANGPU[2021]), "cell_id": NEW_TOTAL, "value": hidden,
                  "note": "原文此格印作“/”，对照原网页补录", "by": "李四"}]
        bad = [{"sha256": sha(reports / CHANGNING), "cell_id": "disclosure.procurement.total", "value": 1, "note": "x", "by": "张三"},
               {"sha256": sha(reports / PUTUO), "cell_id": NEW_TOTAL, "value": "三十二", "note": "x", "by": "张三"},
               {"sha256": hashlib.sha256(b"an older copy").hexdigest(), "cell_id": AMOUNT, "value": "3177.4", "note": "x", "by": "张三"}]
        write_form(root / "review.xlsx", good + bad + [{"sha256": sha(reports / PUTUO), "cell_id": NEW_TOTAL}])
        lines = apply(root / "review.xlsx", reports)
        written_file = (reports / "corrections.csv").read_bytes()
        write_form(root / "bad.xlsx", bad)
        bad_lines = apply(root / "bad.xlsx", reports)
        folder_after = snapshot(reports)
    finally:
        os.chdir(cwd)
    second = build(out, reports)
    return lines, bad_lines, written_file, folder_before, folder_after, second


def test_bad_rows_are_refused_with_a_reason_and_nothing_else_changes(corpus, applied):
    reports = corpus[1]
    lines, bad_lines, written_file, before, after, _ = applied
    assert lines[-1] == "8 filled rows: 5 added to corrections.csv, 3 refused"      # the row with no value is not filled
    refused = lines[:-1]
    assert len(refused) == 3 and all(line.startswith("review.xlsx row ") for line in refused)
    assert "no cell 'disclosure.procurement.total'" in refused[0]
    assert "'三十二' is not a number" in refused[1]
    assert "No document in the reports folder has these bytes" in refused[2]
    assert bad_lines[-1] == "3 filled rows: 0 added to corrections.csv, 3 refused"
    assert (reports / "corrections.csv").read_bytes() == written_file                # the bad form changed nothing
    assert {k: v for k, v in after.items() if k != "corrections.csv"} == before      # nor any other file
    rows = list(csv.DictReader((reports / "corrections.csv").open(encoding="utf-8")))
    assert [(r["cell_id"], r["value"], r["by"]) for r in rows][:2] == [(AMOUNT, "3177.4", "张三"), (NORMATIVE[0], "0", "张三")]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["date"]) and r["file"] for r in rows)


def test_settled_cells_are_published_with_their_source_and_note(corpus, applied):
    out = corpus[2]
    cells = {r["cell_id"]: r for r in read_csv(out / "datapackages" / "310105-health" / "2020" / "cells.csv")}
    amount = cells[AMOUNT]
    assert (amount["value"], amount["status"], amount["raw"], amount["source"]) == ("3177.4", "value", "31774000", "correction")
    assert {r["source"] for cid, r in cells.items() if cid != AMOUNT} == {"reader"}
    report = json.loads((out / "datapackages" / "310105-health" / "2020" / "report.json").read_text(encoding="utf-8"))
    settlement = report["cells"][AMOUNT]["settlement"]
    assert settlement["kind"] == "supplied" and settlement["reader_status"] == "unreadable"
    assert report["cells"][AMOUNT]["flags"] == ["unit-unknown"]          # what the reader saw stays
    putuo = {r["cell_id"]: r for r in read_csv(out / "datapackages" / "310107-health" / "2021" / "cells.csv")}
    assert all(putuo[cid]["source"] == "correction" and putuo[cid]["raw"] == "0 0" for cid in NORMATIVE)
    corrections = read_csv(out / "datapackages" / "all" / "corrections.csv")
    assert len(corrections) == 5 and {r["note"] for r in corrections} >= {"原文第4页采购总金额单位为元"}
    book = openpyxl.load_workbook(out / "datapackages" / "310105-health" / "2020" / "310105-health-2020.xlsx")
    comments = [c.comment.text for ws in book.worksheets for row in ws.iter_rows() for c in row if c.comment]
    assert comments == ["人工核定（补录）：原文第4页采购总金额单位为元（张三，" + corrections[0]["date"] + "）"]


def test_the_page_marks_a_settled_number_and_gives_its_note(corpus, applied):
    site = corpus[2] / "site"
    page = lxml_html.fromstring((site / "agencies" / "310105-health" / "2020" / "index.html").read_bytes())
    td = page.xpath(f'//td[@data-cell="{AMOUNT}"]')[0]
    mark = td.xpath('.//sup[@class="nb-sm"]/a')[0]
    assert td.text_content().strip() == "3,177.4核1" and mark.get("href") == "#settled-1"
    note = page.xpath('//li[@id="settled-1"]')[0].text_content()
    assert "原文第4页采购总金额单位为元" in note and "补录" in note and "张三" in note and "31774000" in note
    unmarked = [t for t in page.xpath("//td[@data-cell]") if t.xpath(".//sup") and t is not td]
    assert unmarked == []
    quality = lxml_html.fromstring((site / "quality" / "index.html").read_bytes()).text_content()
    assert "由人对照原文核定的单元格共 5 格（补录 5 格" in quality
    changelog = lxml_html.fromstring((site / "changelog" / "index.html").read_bytes()).text_content()
    assert "原文第4页采购总金额单位为元" in changelog and "nianbao:corrections" not in changelog


def test_checks_use_the_settled_values(corpus, applied):
    out, checks_before = corpus[2], corpus[6]
    involved = [c for c in checks_before if NEW_TOTAL in c["cells"].split()]
    assert involved and all(c["ok"] == "" for c in involved)               # unknown while the total was unread
    after = read_csv(out / "datapackages" / "310101-health" / "2021" / "checks.csv")
    assert [c["ok"] for c in after if NEW_TOTAL in c["cells"].split()] == ["true"] * len(involved)


def test_a_build_with_a_correction_rewrites_only_the_affected_packages(corpus, applied):
    root, reports, out, _, first, before, _ = corpus
    second = applied[-1]
    assert written(first) == len(before)
    changed = {k for k, inode in package_inodes(out).items() if before.get(k) != inode}
    huangpu = {f"310101-health/{year}" for year in HUANGPU}                # 2021 and its two neighbour years
    assert changed == SETTLED_BODY_YEARS | huangpu and written(second) == len(changed) == 5
    # pages: the two untouched body-years' pages and their bodies' pages are linked from the live site unchanged
    assert re.search(r"; \d+ made, 4 unchanged\)", second)
    assert "5 cells settled by a person" in second
    with (reports / "corrections.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"{sha(reports / HUANGPU[2022])},{HUANGPU[2022]},{NEW_TOTAL},1,误读：对照原文,王五,2026-12-06\n")
        fh.write(f"{'0' * 64},gone.txt,{NEW_TOTAL},1,对照原文,王五,2026-12-06\n")      # a file no longer there
    third = build(out, reports, "--no-site")
    assert written(third) == 2                                             # 2022 and its neighbour 2021
    assert "corrections.csv row 8: requests.new.total: refused: No document in the reports folder" in third
    assert "6 cells settled by a person" in third


def test_cross_year_checks_use_the_settled_values(corpus, applied):
    """X1: 2022's 上年结转 against 2021's 结转下年度 as a person corrected it (a misreading, said so)."""

    _, reports, out, *_ = corpus
    def x1_total(year: int) -> str:
        checks = read_csv(out / "datapackages" / "310101-health" / str(year) / "checks.csv")
        return next(c["ok"] for c in checks if c["check_id"] == "X1" and "requests.carried_over.total" in c["cells"])
    assert x1_total(2022) == "false"          # the generated years are not chained
    over = {r["cell_id"]: r for r in read_csv(out / "datapackages" / "310101-health" / "2022" / "cells.csv")}
    meant = over["requests.carried_over.total"]["value"]
    with (reports / "corrections.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"{sha(reports / HUANGPU[2021])},{HUANGPU[2021]},requests.carried_forward.total,{meant},"
                 "程序误读：对照原文,王五,2026-12-07\n")
    build(out, reports, "--no-site")
    assert x1_total(2022) == "true"


def test_frictionless_validate_passes_on_every_package(corpus, applied):
    result = CliRunner().invoke(main, ["validate", str(corpus[2] / "datapackages")])
    assert result.exit_code == 0, result.output
    assert re.search(r"\d+ packages checked, .*\b0 invalid", result.output)


@pytest.fixture(scope="module")
def settled_site(corpus, applied):
    import threading

    from nianbao.site.serve import make_server
    httpd = make_server(corpus[2] / "site", "127.0.0.1", 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_marked_page_passes_wcag_aa_and_keeps_numbers_on_one_line(settled_site, watch, width):
    from test_accessibility import AXE, LAYOUT, RUN_AXE, SCREENSHOTS, WCAG_AA
    page = watch.page
    page.set_viewport_size({"width": width, "height": 844 if width < 600 else 800})
    page.goto(settled_site + "agencies/310105-health/2020/")
    page.wait_for_load_state("networkidle")
    layout = page.evaluate(LAYOUT)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#settled").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"body-year-settled-{width}.png"), full_page=True)
    assert layout["overflow"] == 0 and layout["tall"] == [], layout
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(RUN_AXE, WCAG_AA) == []


def test_the_work_list_as_nianbao_review_writes_it_filled_in_and_applied(tmp_path, monkeypatch):
    """The seed cells appear on the work list; filled in as it stands (Chinese headers, pictures, the guide
    sheet) and applied, they go into corrections.csv and leave the next work list."""
    from nianbao.settle import FORM_SHEET
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("manifest.csv", CHANGNING, PUTUO):
        shutil.copy(SEEDS / name, reports / name)
    monkeypatch.chdir(tmp_path)

    def work_list() -> dict[str, tuple]:
        result = CliRunner().invoke(main, ["review", "--reports", "reports", "--out", "review.xlsx"])
        assert result.exit_code == 0, result.output
        book = openpyxl.load_workbook(tmp_path / "review.xlsx")
        sheet = book[FORM_SHEET]
        at = {cell.value: i for i, cell in enumerate(sheet[1])}
        return {row[at[FORM_COLUMNS["cell_id"]]].value: (book, sheet, row, at) for row in sheet.iter_rows(min_row=2)}

    listed = work_list()
    assert {AMOUNT, *NORMATIVE} <= set(listed)
    book, sheet, _, at = listed[AMOUNT]
    answers = {AMOUNT: "31774000元", **{cid: 0 for cid in NORMATIVE}}
    for cid, value in answers.items():
        row = listed[cid][2]
        row[at[FORM_COLUMNS["value"]]].value = value
        row[at[FORM_COLUMNS["note"]]].value = "对照原文核定"
        row[at[FORM_COLUMNS["by"]]].value = "张三"
    book.save(tmp_path / "filled.xlsx")
    result = CliRunner().invoke(main, ["review", "--reports", "reports", "--apply", "filled.xlsx"])
    assert result.output.splitlines() == ["4 filled rows: 4 added to corrections.csv, 0 refused"], result.output
    rows = read_csv(reports / "corrections.csv")
    assert sorted((r["cell_id"], r["value"]) for r in rows) == sorted((cid, "3177.4" if cid == AMOUNT else "0")
                                                                      for cid in answers)
    assert not set(answers) & set(work_list())
