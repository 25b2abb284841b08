"""The codes in model/words.py are the only ones the code writes: every reason code and cell flag written in
src/ is a member of its enum, every member is written somewhere, and every word list covers its enum."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from nianbao.model.words import (CELL_STATUS_WORDS, FLAG_WORDS, OUTCOME_WORDS, PACKAGE_STATUS_WORDS, READER_WORDS,
                                 REASON_WORDS, CellStatus, Flag, Outcome, PackageStatus, Reader, ReasonCode,
                                 cells_for_columns, flag_words, is_cells_for_columns)

SRC = Path(__file__).resolve().parent.parent / "src" / "nianbao"


def _trees() -> list[ast.AST]:
    return [ast.parse(p.read_text(encoding="utf-8")) for p in sorted(SRC.rglob("*.py"))]


def _text(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _name(node: ast.AST) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def reason_codes_written() -> set[str]:
    """Codes given to Unreadable(code, …), _rejected(job, code, …), Kind(ok, code, …), reason_code=…, and
    `….reason_code = …` (also inside a tuple assignment)."""
    found: set[str] = set()
    for tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                position = {"Unreadable": 0, "_rejected": 1, "Kind": 1}.get(_name(node.func))
                if position is not None and len(node.args) > position:
                    found.add(_text(node.args[position]) or "")
                found.update(_text(k.value) or "" for k in node.keywords if k.arg == "reason_code")
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    targets = target.elts if isinstance(target, ast.Tuple) else [target]
                    values = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
                    for t, v in zip(targets, values):
                        if _name(t) == "reason_code":
                            found.add(_text(v) or "")
                            if isinstance(v, ast.IfExp):
                                found.update({_text(v.body) or "", _text(v.orelse) or ""})
    return found - {""}


def test_every_reason_code_written_is_a_member():
    written = reason_codes_written()
    assert len(written) > 20
    assert written - set(ReasonCode) == set()


def test_every_reason_code_member_is_written_somewhere():
    text = "".join(p.read_text(encoding="utf-8") for p in SRC.rglob("*.py") if p.name != "words.py")
    unused = {code for code in ReasonCode if f'"{code}"' not in text and f"ReasonCode.{code.name}" not in text}
    assert unused == set()


def test_every_flag_member_is_written_and_no_flag_is_spelled_out_in_the_cells_stage():
    text = "".join(p.read_text(encoding="utf-8") for p in SRC.rglob("*.py") if p.name != "words.py")
    assert {f for f in Flag if f"Flag.{f.name}" not in text and f'"{f}"' not in text} == set()
    cells_stage = "".join(p.read_text(encoding="utf-8") for p in (SRC / "cells").glob("*.py"))
    assert {f for f in Flag if f'"{f}"' in cells_stage} == set()


def test_the_flag_of_a_row_that_does_not_fit_its_columns():
    assert cells_for_columns(5, 7) == "5-cells-for-7-columns" and is_cells_for_columns("5-cells-for-7-columns")
    assert not any(is_cells_for_columns(f) for f in Flag)


def test_word_lists_cover_their_enums():
    assert set(CELL_STATUS_WORDS) == set(CellStatus)
    assert set(OUTCOME_WORDS) == set(Outcome)
    assert set(FLAG_WORDS) == set(Flag)
    assert flag_words(cells_for_columns(5, 7)) == "原文这一行印了 5 格，表格有 7 列"
    assert set(PACKAGE_STATUS_WORDS) == set(PackageStatus)
    assert set(REASON_WORDS) == set(ReasonCode)
    assert set(READER_WORDS) == set(Reader)
    assert all(re.search(r"[\u4e00-\u9fff]", words) for words in [*REASON_WORDS.values(), *READER_WORDS.values()])


def test_every_document_names_its_reader_by_a_member():
    """Document(reader=…) in src/ is always a Reader member, so the site has words for it."""
    given = [kw.value for tree in _trees() for node in ast.walk(tree) if isinstance(node, ast.Call)
             and _name(node.func) == "Document" for kw in node.keywords if kw.arg == "reader"]
    assert len(given) >= 6
    assert all(isinstance(v, ast.Attribute) and _name(v.value) == "Reader" and v.attr in Reader.__members__
               for v in given), [ast.unparse(v) for v in given]


def test_codes_are_their_strings():
    assert CellStatus.BLANK == "blank" and f"{Flag.TEXT_CUT}" == "text-cut" and str(ReasonCode.WORK_PLAN) == "work-plan"
    assert [o.ok for o in Outcome] == [True, False, None, None]
    assert Outcome.published("", any_cell_unknown=True) is Outcome.UNKNOWN
    assert Outcome.published("", any_cell_unknown=False) is Outcome.SKIPPED
    assert Outcome.published("false", any_cell_unknown=True) is Outcome.FAILED


def test_the_site_words_a_published_check_by_its_outcome_not_by_its_english_detail():
    from nianbao.site.text import CheckWords

    words = CheckWords([])
    cells = "requests.granted.total requests.granted.natural_person"
    row = {"check_id": "H1", "scope": "requests.granted", "cells": cells, "detail": "2 = 2"}
    known = {"requests.granted.total": "blank", "requests.granted.natural_person": "value"}
    assert words.outcome({**row, "ok": "true"}, known) == "成立：2 = 2"
    assert words.outcome({**row, "ok": "false", "detail": "2 ≠ 3"}, known) == "不成立：2 ≠ 3"
    # An open check whose cells are all known was skipped, whatever its detail says.
    skipped = words.outcome({**row, "ok": "", "detail": "(any words)"}, known)
    assert skipped == OUTCOME_WORDS[Outcome.SKIPPED]
    unreadable = {**known, "requests.granted.natural_person": "unreadable"}
    assert words.outcome({**row, "ok": "", "detail": "not checked: 总计 is blank"}, unreadable) == (
        "无法核对：表三“granted”行“natural_person”列无法识别")


def test_the_site_names_the_years_and_the_line_a_cross_year_check_compares():
    """Seven X1 rows differ only by column, two X2 rows only by row: each says its years and its column or row,
    and a cell of another year is placed with its year (never as a raw dated id)."""
    from nianbao.model.ids import dated_cell, undated_cell
    from nianbao.site.text import SOFT_RULES, CheckWords

    def entry(cell_id: str, row_label: str, column_label: str) -> dict[str, str]:
        return {"cell_id": cell_id, "row": cell_id.split(".")[1], "group_label": "", "row_label": row_label,
                "column_label": column_label}

    words = CheckWords([entry("requests.carried_over.natural_person", "二、上年结转政府信息公开申请数量", "自然人"),
                        entry("requests.carried_forward.natural_person", "四、结转下年度继续办理", "自然人"),
                        entry("disclosure.normative.in_force", "行政规范性文件", "现行有效件数"),
                        entry("disclosure.normative.issued", "行政规范性文件", "本年制发件数"),
                        entry("disclosure.normative.repealed", "行政规范性文件", "本年废止件数")])
    x1 = {"check_id": "X1", "scope": "requests.natural_person 2023→2024",
          "cells": f"{dated_cell(2024, 'requests.carried_over.natural_person')} "
                   f"{dated_cell(2023, 'requests.carried_forward.natural_person')}"}
    assert words.rule(x1) == SOFT_RULES["X1"] + "（2023→2024 年，表三“自然人”列）"
    x2 = {"check_id": "X2", "scope": "disclosure.normative 2023→2024",
          "cells": " ".join([dated_cell(2024, "disclosure.normative.in_force"), dated_cell(2023, "disclosure.normative.in_force"),
                             dated_cell(2024, "disclosure.normative.issued"), dated_cell(2024, "disclosure.normative.repealed")])}
    assert words.rule(x2) == SOFT_RULES["X2"] + "（2023→2024 年，表二“行政规范性文件”行）"
    within = {"check_id": "S4", "scope": "requests.new.total", "cells": "requests.new.total"}
    assert words.rule(within) == SOFT_RULES["S4"]
    assert words.place(dated_cell(2023, "requests.carried_forward.natural_person")) == (
        "2023 年表三“四、结转下年度继续办理”行“自然人”列")
    assert undated_cell(dated_cell(2023, "requests.new.total")) == (2023, "requests.new.total")
    assert undated_cell("requests.new.total") == (None, "requests.new.total")
