"""Mutation harness (issue 14): every document with hand-checked truth, corrupted the ways real government pages
corrupt it — each family alone and 1–3 together, over 10,000 mutated documents — and never a wrong number or a
wrong year. A cell reported `value` equals the truth, a cell reported `blank` is blank in the truth; `missing`
and `unreadable` are unread, never wrong. A failure names subject, families, seed and cell; print the text with
`python -m nianbao.synth.mutation_runs SUBJECT SEED FAMILY...`."""

from __future__ import annotations

import dataclasses
import itertools
import os
import random
import re
from collections import defaultdict
from decimal import Decimal

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from nianbao.synth import mutation_runs as runs
from nianbao.synth import mutations as m

ALONE = 4             # seeds per document for each family alone
COMBINED = 40         # seeds per document for 1–3 families together
COMBINED_PAGES = 150  # the same for the real pages (short, and where the corruptions come from)
SUBJECTS = runs.subjects(ROOT)
BY_NAME = {s.name: s for s in SUBJECTS}


@pytest.fixture(scope="module")
def results():
    todo = runs.plan([s.name for s in SUBJECTS], ALONE, COMBINED, COMBINED_PAGES)
    return runs.run(ROOT, todo, workers=min(4, os.cpu_count() or 1))


def failures(results, keep) -> list[str]:
    """Wrong cells and years of the kept cases; a mutated document's misreads that the document as is already
    shows are left to the as-is test, so that each family's test shows what the family breaks."""
    as_is = {name: set(verdict.wrong) for (name, families, _), verdict in results if not families}
    out = []
    for (name, families, seed), verdict in results:
        if keep(families):
            known = as_is.get(name, set()) if families else set()
            out += [f"{' '.join((name, str(seed), *families))}: {w}" for w in verdict.wrong if w not in known]
    return out


def report(lines: list[str]) -> str:
    """The first 40 failures as `SUBJECT SEED FAMILY...: problem`; the prefix is the arguments that print the text."""
    documents = len({line.split(":")[0] for line in lines})
    return (f"{len(lines)} wrong cells or years in {documents} documents; print one with "
            f"`python -m nianbao.synth.mutation_runs SUBJECT SEED FAMILY...`:\n" + "\n".join(lines[:40]))


def test_at_least_ten_thousand_mutated_documents(results):
    assert sum(1 for (_, families, _), _ in results if families) >= 10_000


def test_documents_as_is_give_no_wrong_number_or_year(results):
    wrong = failures(results, lambda f: not f)
    assert not wrong, report(wrong)


@pytest.mark.parametrize("family", list(m.FAMILIES))
def test_each_family_alone_gives_no_wrong_number_or_year(results, family):
    wrong = failures(results, lambda f: f == (family,))
    assert not wrong, report(wrong)


def test_combined_families_give_no_wrong_number_or_year(results):
    wrong = failures(results, lambda f: len(f) > 1)
    assert not wrong, report(wrong)


def test_every_family_reads_something(results):
    """Read share per family (cells read right / truth cells): a reader that gives up on everything is not safe."""
    share = defaultdict(lambda: [0, 0])
    for (_, families, _), verdict in results:
        for family in families or ("as is",):
            share[family][0] += verdict.right
            share[family][1] += verdict.total
    low = {f: round(r / t, 3) for f, (r, t) in share.items() if r / t < 0.3}
    assert low == {}


# --- the property can fail --------------------------------------------------------------------------------

def shifted(record):
    """A broken reader: every value of the `requests.new` row moved one column to the right."""
    columns = ["natural_person", "business", "research", "nonprofit", "legal_services", "other_org", "total"]
    cells = dict(record.cells)
    for left, right in itertools.pairwise(columns):
        cells[f"requests.new.{right}"] = record.cells[f"requests.new.{left}"]
    return dataclasses.replace(record, cells=cells)


def test_a_reader_shifting_a_row_fails_the_property(monkeypatch):
    extract = runs.extract
    monkeypatch.setattr(runs, "extract", lambda text, filename: shifted(extract(text, filename)))
    todo = [c for c in runs.cases(["pipe_rows-2021-1", "002_cee7aa51eca5b7c3"], 1, 2) if "cut" not in c[1]]
    wrong = failures(runs.run(ROOT, todo), lambda f: True)
    assert any("requests.new.business" in w for w in wrong)


def test_a_reader_taking_the_publication_year_fails_the_property():
    subject = BY_NAME["pipe_rows-2021-1"]
    record = runs.extract(subject.text, subject.filename)
    assert runs.judge(record, subject).wrong == []
    assert runs.judge(dataclasses.replace(record, year=subject.year + 1), subject).wrong == \
        [f"year: want {subject.year} or None, got {subject.year + 1}"]


def test_a_zero_read_as_blank_and_a_blank_read_as_zero_are_wrong():
    subject = runs.Subject("s", "", 2021, {"disclosure.rules.issued": 0, "disclosure.rules.repealed": None}, "s.txt")
    record = runs.extract(BY_NAME["pipe_rows-2021-1"].text, "s.txt")
    cells = dict(record.cells)
    issued, repealed = cells["disclosure.rules.issued"], cells["disclosure.rules.repealed"]
    cells["disclosure.rules.issued"] = dataclasses.replace(issued, status="blank", value=None)
    cells["disclosure.rules.repealed"] = dataclasses.replace(repealed, status="value", value=0)
    wrong = runs.judge(dataclasses.replace(record, cells=cells, year=2021), subject).wrong
    assert [w.split(":")[0] for w in wrong] == ["disclosure.rules.issued", "disclosure.rules.repealed"]


# --- each mutation does what it says ---------------------------------------------------------------------

PIPES = BY_NAME["pipe_rows-2019-1"].text
CELL_LINES = BY_NAME["cell_per_line_pipe-2021-1"].text
WORD = BY_NAME["tab_cells-2021-1"].text


def apply(family: str, text: str, seed: int = 0) -> str:
    return m.mutate(text, (family,), seed)


def squash(text: str) -> str:
    return re.sub(r"[\s\u3000\u00a0]", "", text)


def numbers(text: str) -> list[str]:
    return re.findall(r"\d+", text)


def test_no_title_removes_the_title_lines():
    for seed in range(6):
        out = apply("no_title", PIPES, seed)
        first = out.split("\n")[0]
        assert first == "一、总体情况" or first == m.BREADCRUMB + "2020年政府信息公开工作年度报告"
        assert "上海市长宁区卫生健康委员会\n" not in out
        assert out.endswith(PIPES[PIPES.index("一、总体情况"):])
    assert {apply("no_title", PIPES, s).split("\n")[0] for s in range(6)} >= {"一、总体情况"}


def test_truncate_headers_cuts_the_labels():
    outs = [apply("truncate_headers", PIPES, seed) for seed in range(10)]
    assert all(o != PIPES and numbers(o) == numbers(PIPES) for o in outs)
    assert any("| 本年新 | 本年新 |" in o for o in outs)
    assert any("本年增/ |" in o for o in outs) and any("本年增\\减" in o for o in outs)
    traditional = BY_NAME["page-01"].text     # a Traditional mirror: 現行有效件數 → 現行有效件
    assert "現行有效件數" in traditional and any("現行有效件數" not in apply("truncate_headers", traditional, seed)
                                                 and "現行有效件" in apply("truncate_headers", traditional, seed)
                                                 for seed in range(6))


@pytest.mark.parametrize("text", [PIPES, CELL_LINES, WORD], ids=["pipe-rows", "cell-lines", "word-tabs"])
def test_separators_change_the_layout_and_keep_every_cell(text):
    outs = {apply("separators", text, seed) for seed in range(12)}
    assert len(outs) >= 3
    for out in outs:
        assert numbers(out) == numbers(text.replace("---", ""))
    assert any("\n||||" in o or "||||\n" in o for o in outs)                       # merged cells
    assert any("\n|\n" in o for o in outs)                                          # one cell per line
    assert any("\n\n规章\n\n" in o for o in outs)                                   # one cell per paragraph


@pytest.mark.parametrize("style", ["pipe", "cell_lines"])
def test_rows_survive_a_round_trip(style):
    rows = [["规章", "1", "", "3"], ["第二十条第（一）项", None, None, None], ["行政许可", "4"]]
    lines = m.render_rows(rows, style, random.Random(0))
    assert m.parse_rows(lines, "pipe") == rows


@pytest.mark.parametrize("text", [CELL_LINES, PIPES, WORD, BY_NAME["whitespace_rows-2021-1"].text],
                         ids=["cell-lines", "pipe-rows", "word-tabs", "pdf-text"])
def test_pad_adds_only_spaces_and_pads_some_cells(text):
    for seed in range(5):
        out = apply("pad", text, seed)
        assert squash(out) == squash(text) and out != text
        assert re.search(r"[\u3000\u00a0]\d", out) or re.search(r"\d[\u3000\u00a0]", out)


def test_drop_empty_removes_blank_cells_only():
    for text in (PIPES, CELL_LINES, WORD):
        out = apply("drop_empty", text)
        assert numbers(out) == numbers(text)
        assert not re.search(r"\|[ \u3000\u00a0]+\|", out) and "\n\u3000|" not in out and "\n\t\n" not in out
    assert "| 行政处罚 | 4 | 998 |" in apply("drop_empty", PIPES)


def test_cut_ends_the_text_inside_a_number_a_label_or_anywhere():
    outs = [apply("cut", PIPES, seed) for seed in range(30)]
    assert all(PIPES.startswith(o) and len(o) < len(PIPES) for o in outs)
    assert any(o[-1].isdigit() and PIPES[len(o)].isdigit() for o in outs)        # mid-number
    assert any("\u4e00" <= o[-1] <= "\u9fff" and "\u4e00" <= PIPES[len(o)] <= "\u9fff" for o in outs)


def test_traditional_converts_and_injects_pinyin_and_question_marks():
    outs = [apply("traditional", PIPES, seed) for seed in range(10)]
    assert all("年度報告" in o and "規" in o and "规章" not in o and numbers(o) == numbers(PIPES) for o in outs)
    assert any(re.search(r"[\u4e00-\u9fff]\([a-zàáèéìíòóùúǎěǐǒǔ]+\)", o) for o in outs)
    assert any("????" in o for o in outs)


def test_chrome_surrounds_the_report_with_site_lines():
    for seed in range(5):
        out = apply("chrome", PIPES, seed)
        lines = iter(out.split("\n"))
        assert all(line in lines for line in PIPES.split("\n"))    # the report's lines, in order
        extra = set(out.split("\n")) - set(PIPES.split("\n"))
        assert len(extra) >= 3


def test_article_lost_its_second_di():
    out = apply("article_no_di", PIPES)
    assert "第二十条第" not in out and re.search(r"第二十条[（(]一[）)]项", out)


def test_normative_label_drops_xingzheng():
    text = BY_NAME["pipe_rows-2021-1"].text
    assert "| 规范性文件 |" in apply("normative_label", text) and "行政规范性文件" not in apply("normative_label", text)


def test_scramble_headers_swaps_labels_and_keeps_the_values():
    outs = [apply("scramble_headers", PIPES, seed) for seed in range(6)]
    assert all(numbers(o) == numbers(PIPES) and sorted(o) == sorted(PIPES) for o in outs)
    assert any(o != PIPES for o in outs)


def test_drop_note_removes_the_first_header_cell_of_table_three():
    for text in (PIPES, CELL_LINES, WORD):
        out = apply("drop_note", text)
        assert "本列数据" not in out and "申请人情况" in out
    assert "\n| 申请人情况 |\n" in apply("drop_note", PIPES)


def test_mutations_are_deterministic_and_combine_one_to_three():
    assert m.mutate(PIPES, ("pad", "chrome", "cut"), 7) == m.mutate(PIPES, ("cut", "pad", "chrome"), 7)
    assert {len(m.combination(s)) for s in range(200)} == {1, 2, 3}


KEEP_NUMBERS = ["separators", "drop_empty", "scramble_headers", "truncate_headers", "article_no_di",
                "normative_label", "pad", "traditional"]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.sampled_from(SUBJECTS), st.sampled_from(KEEP_NUMBERS), st.integers(0, 10**6))
def test_families_other_than_cut_and_chrome_keep_the_tables_numbers(subject, family, seed):
    """Mutations that must not touch a number don't: the digits in the document stay the same, in order
    (a Markdown rule `|---|` may go)."""
    before = numbers(re.sub(r"[（(]本列数据[^）)]*[）)]", "", subject.text))
    after = numbers(re.sub(r"[（(]本列数据[^）)]*[）)]", "", m.mutate(subject.text, (family,), seed)))
    assert after == before


def test_judge_compares_money_as_numbers():
    assert runs.same_number(Decimal("340.5820"), 340.582) and not runs.same_number(Decimal("340.58"), 340.582)


def test_cells_printed_after_the_cut_line_are_gone_and_a_number_for_them_is_still_checked():
    subject = BY_NAME["cell_per_line_pipe-2021-1"]
    before = runs.extract(subject.text, subject.filename)
    line = before.cells["requests.new.natural_person"].where.line
    gone = runs.cut_away(subject.cells, before, line)
    assert "requests.new.natural_person" not in gone and "requests.new.business" in gone
    assert "disclosure.rules.issued" not in gone and "appeals.review.total" in gone
    cells = dict(before.cells)
    total = cells["appeals.review.total"]
    cells["appeals.review.total"] = dataclasses.replace(total, status="blank", value=None)
    assert runs.judge(dataclasses.replace(before, cells=cells), subject, gone).wrong == []
    cells["appeals.review.total"] = dataclasses.replace(total, value=(subject.cells["appeals.review.total"] or 0) + 1)
    assert runs.judge(dataclasses.replace(before, cells=cells), subject, gone).wrong[0].startswith("appeals.review.total")


def test_a_crashing_reader_is_a_failure_with_its_case(monkeypatch):
    def crash(text, filename):
        raise NameError("name '_cut_row' is not defined")
    monkeypatch.setattr(runs, "extract", crash)
    case, verdict = runs.run_case(ROOT, runs.Case("page-05", ("pad",), 3))
    assert case == ("page-05", ("pad",), 3) and verdict.wrong == ["error: NameError: name '_cut_row' is not defined"]
