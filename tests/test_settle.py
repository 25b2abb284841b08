"""The settle stage's rules (issue 16): which corrections settle a cell and which are refused, with why; a settled
cell keeps what the document showed; the checks are made again on the settled values; a source's own printed
error is never corrected."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import SEEDS
from nianbao.extract import extract_path
from nianbao.model.record import Record
from nianbao.model.words import CellSource, SettlementKind
from nianbao.settle.apply import settle_records
from nianbao.settle.corrections import Correction, append_corrections, read_corrections
from nianbao.settle.rules import Refusal, Refused, settle_cell, value_in_column
from nianbao.templates import cell_index

CHANGNING = "000_71ab3c7f20f67078.txt"      # 长宁 2020: 采购总金额 printed 31774000 with no unit
PUTUO = "002_cee7aa51eca5b7c3.txt"          # 普陀 2021: 行政规范性文件 prints two cells for three columns
HONGZE_2023 = "hongze-gov-2023.pdf"         # 表四: 行政复议 and 复议后起诉 totals printed 0 (the source's error)
AMOUNT = "disclosure.procurement.amount"


@pytest.fixture(scope="module")
def records() -> dict[str, Record]:
    return {name: extract_path(SEEDS / name, source=f"reports/{name}") for name in (CHANGNING, PUTUO, HONGZE_2023)}


def correction(record: Record, cell_id: str, value: str, note: str = "原文第4页采购总金额单位为元", **extra) -> Correction:
    return Correction(**{"sha256": record.sha256, "file": Path(record.source).name, "cell_id": cell_id,
                         "value": value, "note": note, "by": "张三", "date": "2026-12-06", "row": 2, **extra})


def column(cell_id: str):
    return cell_index()[cell_id][2]


@pytest.mark.parametrize("text, cell_id, expected", [
    ("31774000元", AMOUNT, Decimal("3177.4")),          # money is published in 万元
    ("3177.4", AMOUNT, Decimal("3177.4")),              # a person's money without a unit is already 万元
    ("3177.4万元", AMOUNT, Decimal("3177.4")),
    ("1,325", "requests.new.total", 1325),
    ("12件", "requests.new.total", 12),
    ("减3", "disclosure.licensing.item_change", -3),    # 本年增/减 may be negative
])
def test_values_are_normalised_by_the_readers_rules(text, cell_id, expected):
    assert value_in_column(text, column(cell_id), cell_id) == expected


@pytest.mark.parametrize("text, cell_id, code", [
    ("三千", "requests.new.total", Refusal.NOT_A_NUMBER),
    ("/", "requests.new.total", Refusal.NOT_A_NUMBER),
    ("1.5", "requests.new.total", Refusal.NOT_A_WHOLE_NUMBER),
    ("12元", "requests.new.total", Refusal.WRONG_UNIT),       # money in a count
    ("12件", AMOUNT, Refusal.WRONG_UNIT),                     # a count in money
    ("-3", "requests.new.total", Refusal.NEGATIVE),
    ("-3", AMOUNT, Refusal.NEGATIVE),
])
def test_values_the_data_dictionary_does_not_allow_are_refused(text, cell_id, code):
    refused = value_in_column(text, column(cell_id), cell_id)
    assert isinstance(refused, Refused) and refused.code == code
    assert refused.reason.endswith(".") and repr(text) in refused.reason


def test_an_unread_cell_is_supplied_and_keeps_what_the_document_showed(records):
    record = records[CHANGNING]
    before = record.cells[AMOUNT]
    assert before.status == "unreadable" and before.raw == "31774000"
    cell = settle_cell(correction(record, AMOUNT, "31774000元"), record)
    assert not isinstance(cell, Refused)
    assert (cell.value, cell.status, cell.source) == (Decimal("3177.4"), "value", CellSource.CORRECTION)
    assert (cell.raw, cell.where, cell.flags) == (before.raw, before.where, before.flags)
    s = cell.settlement
    assert s is not None and s.kind == SettlementKind.SUPPLIED and s.reader_status == "unreadable"
    assert cell.to_json()["source"] == "correction" and cell.to_json()["settlement"]["note"] == "原文第4页采购总金额单位为元"
    assert "source" not in before.to_json()           # a reader's cell says nothing: the contract's record is unchanged


def test_a_read_cell_is_corrected_only_as_a_misreading(records):
    record = records[PUTUO]
    cell_id = "requests.new.total"
    read = record.cells[cell_id]
    assert read.status == "value"
    other = str(read.value + 1)
    refused = settle_cell(correction(record, cell_id, other, note="应为这个数"), record)
    assert isinstance(refused, Refused) and refused.code == Refusal.AS_PRINTED
    cell = settle_cell(correction(record, cell_id, other, note="程序误读了这一格"), record)
    assert not isinstance(cell, Refused) and cell.settlement is not None
    assert cell.settlement.kind == SettlementKind.CORRECTED and cell.settlement.reader_value == read.value
    same = settle_cell(correction(record, cell_id, str(read.value), note="程序误读"), record)
    assert isinstance(same, Refused) and same.code == Refusal.NO_CHANGE


def test_a_sources_own_printed_error_is_never_corrected(records):
    """洪泽 2023 表四 prints 0 as the 行政复议 total of 11: the correction is refused, the failed H4 stays."""
    record = records[HONGZE_2023]
    total = record.cells["appeals.review.total"]
    assert (total.status, total.value, total.raw) == ("value", 0, "0")
    assert any(c.id == "H4" and c.ok is False for c in record.checks)
    refused = settle_cell(correction(record, "appeals.review.total", "11", note="原表总计印为0，各项之和为11"), record)
    assert isinstance(refused, Refused) and refused.code == Refusal.AS_PRINTED
    assert "prints '0'" in refused.reason and "source's own printed error" in refused.reason
    settled = settle_records([(HONGZE_2023, record)], [correction(record, "appeals.review.total", "11", note="原表总计印为0")])
    assert settled.applied == [] and settled.settled()[0][1] is record


def test_bad_rows_are_refused_with_one_reason_each(records):
    record = records[CHANGNING]
    good = correction(record, AMOUNT, "3177.4")
    rows = [good,
            replace(good, row=3),                                   # the same cell again
            correction(record, "disclosure.procurement.nope", "1", row=4),
            correction(record, "requests.new.total", "很多", row=5),
            replace(good, sha256=hashlib.sha256(b"changed").hexdigest(), row=6),
            replace(good, cell_id="requests.new.total", value="1", note="", by="", row=7),
            replace(good, cell_id="requests.new.total", value="1", date="2026/12/06", row=8)]
    settler = settle_records([(CHANGNING, record)], rows)
    assert settler.applied == [good]
    assert [why.code for _, why in settler.refused] == [Refusal.DUPLICATE, Refusal.UNKNOWN_CELL, Refusal.NOT_A_NUMBER,
                                                        Refusal.CHANGED_FILE, Refusal.INCOMPLETE, Refusal.BAD_DATE]
    problems = settler.problems()
    assert len(problems) == 6 and all(p.startswith("corrections.csv row ") for p in problems)
    assert "on line 2" in problems[0] and "no note (why) and no by (who)" in problems[4]


def test_checks_are_made_again_on_the_settled_values(records):
    """A total the reader could not read leaves its identities unknown; supplied, they hold (or fail) on it."""
    record = records[PUTUO]
    cell_id = "requests.new.total"
    truth = record.cells[cell_id]
    unread = replace(record, cells={**record.cells, cell_id: replace(truth, value=None, status="unreadable")})
    from nianbao.checks import record_checks
    unread = replace(unread, checks=tuple(record_checks(unread)))
    involved = [c for c in unread.checks if cell_id in c.cells]
    assert involved and all(c.ok is None for c in involved)
    settled = settle_records([(PUTUO, unread)], [correction(unread, cell_id, str(truth.value), note="原文此格模糊，对照原网页")])
    (_, after), = settled.settled()
    again = {(c.id, c.scope): c.ok for c in after.checks if cell_id in c.cells}
    assert again == {(c.id, c.scope): c.ok for c in record.checks if cell_id in c.cells}
    assert all(ok is True for ok in again.values())
    wrong = settle_records([(PUTUO, unread)], [correction(unread, cell_id, str(truth.value + 5), note="对照原网页")])
    assert any(c.ok is False for c in wrong.settled()[0][1].checks if cell_id in c.cells)


def test_the_file_is_appended_to_never_rewritten(tmp_path, records):
    path = tmp_path / "corrections.csv"
    first = correction(records[CHANGNING], AMOUNT, "3177.4")
    append_corrections(path, [first])
    written = path.read_bytes()
    assert written.decode().splitlines()[0] == "sha256,file,cell_id,value,note,by,date"
    second = correction(records[PUTUO], "disclosure.normative.issued", "0", note="原文此行少印一格，对照原网页为0")
    append_corrections(path, [second])
    assert path.read_bytes().startswith(written)
    assert [(c.cell_id, c.row) for c in read_corrections(path)] == [(AMOUNT, 2), ("disclosure.normative.issued", 3)]


# --- the filled review form (nianbao review --apply) ------------------------------------------------------

def test_a_csv_form_under_the_codes_with_its_own_dates(tmp_path, records):
    from nianbao.settle.form import apply_filled
    record = records[CHANGNING]
    form = tmp_path / "filled.csv"
    form.write_text("sha256,cell_id,value,note,by,date,label\n"
                    f"{record.sha256},{AMOUNT},\"31,774,000元\",原文第4页采购总金额单位为元,张三,2026-11-30,采购总金额\n"
                    f"{record.sha256},requests.new.total,,,,,（未填：不是答案）\n", encoding="utf-8")
    result = apply_filled(form, tmp_path, [(CHANGNING, record)], today="2026-12-06")
    assert result.lines() == ["1 filled rows: 1 added to corrections.csv, 0 refused"]
    (row,) = read_corrections(tmp_path / "corrections.csv")
    assert (row.value, row.date, row.file, row.row) == ("3177.4", "2026-11-30", CHANGNING, 2)


def test_spreadsheet_numbers_and_dates_are_read_as_a_person_typed_them(tmp_path, records):
    import datetime

    import openpyxl

    from nianbao.settle import FORM_COLUMNS
    from nianbao.settle.form import read_form
    book = openpyxl.Workbook()
    book.active.append([FORM_COLUMNS["sha256"], FORM_COLUMNS["cell_id"], FORM_COLUMNS["value"], "核定日期"])
    book.active.append(["a" * 64, AMOUNT, 3177.4, datetime.datetime(2026, 12, 1)])
    book.active.append(["a" * 64, "requests.new.total", 12.0, None])
    book.save(tmp_path / "form.xlsx")
    rows = read_form(tmp_path / "form.xlsx")
    assert [(r.value, r.date, r.row) for r in rows] == [("3177.4", "2026-12-01", 2), ("12", "", 3)]


@pytest.mark.parametrize("name, content, says", [
    ("form.txt", b"x", "must be the review list's .xlsx or a .csv"),
    ("form.xlsx", b"not a zip", "cannot be read as an XLSX workbook"),
    ("form.csv", "文件,说明\nx,y\n".encode(), "no sheet has a header with the columns sha256, cell_id, value"),
])
def test_a_form_that_cannot_be_read_changes_nothing_and_says_why(tmp_path, records, name, content, says):
    from nianbao.settle.form import apply_filled
    (tmp_path / name).write_bytes(content)
    result = apply_filled(tmp_path / name, tmp_path, [(CHANGNING, records[CHANGNING])])
    (line,) = result.lines()
    assert line.startswith(f"{name}: ") and says in line
    assert not (tmp_path / "corrections.csv").exists()


def test_the_forms_rows_are_judged_against_the_corrections_already_made(tmp_path, records):
    from nianbao.settle.form import apply_filled
    record = records[CHANGNING]
    append_corrections(tmp_path / "corrections.csv", [correction(record, AMOUNT, "3177.4")])
    before = (tmp_path / "corrections.csv").read_bytes()
    form = tmp_path / "again.csv"
    form.write_text(f"sha256,cell_id,value,note,by\n{record.sha256},{AMOUNT},3177.4,再核一次,李四\n", encoding="utf-8")
    result = apply_filled(form, tmp_path, [(CHANGNING, record)])
    assert "is already settled (by the row on line 2)" in result.lines()[0]
    assert (tmp_path / "corrections.csv").read_bytes() == before


def test_an_unreadable_corrections_file_is_one_sentence_not_a_crash(tmp_path, records):
    from nianbao.build.driver import BuildOptions, build
    from nianbao.settle.form import apply_filled
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / CHANGNING).write_bytes((SEEDS / CHANGNING).read_bytes())
    (reports / "corrections.csv").write_bytes("sha256,cell_id\n".encode("gbk") + "长宁".encode("gbk") + b",x\n")
    report = build(reports, tmp_path / "out", BuildOptions(executor="serial", site=False))
    assert report.summary.published == 1 and report.settled == 0
    assert "corrections.csv cannot be read as a UTF-8 CSV file (UnicodeDecodeError), so no correction is applied." \
        in report.summary.problems
    form = tmp_path / "form.csv"
    form.write_text(f"sha256,cell_id,value,note,by\n{records[CHANGNING].sha256},{AMOUNT},1,x,y\n", encoding="utf-8")
    result = apply_filled(form, reports, [(CHANGNING, records[CHANGNING])])
    assert result.lines() == [f"form.csv: {result.problem}"] and "cannot be read as a UTF-8 CSV" in result.lines()[0]
