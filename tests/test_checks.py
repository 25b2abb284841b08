"""Identity checks H1–H4 and the soft checks: each must fail when its arithmetic is broken."""

import random
from decimal import Decimal

import pytest

from nianbao.checks import arithmetic, check_identity, identity_checks, soft_checks
from nianbao.extract import extract_document
from nianbao.model.record import Agency, CellValue
from nianbao.model.words import Outcome
from nianbao.read.text import from_text
from nianbao.synth import STYLES, make_truth
from nianbao.synth.truth import with_cells
from nianbao.templates import templates, variants


def consistent_cells(template: str) -> dict[str, CellValue]:
    """A table set whose identities all hold: 5 new requests from natural persons, all granted."""
    cells = {}
    for name in templates()[template].tables:
        for cid in variants()[name].cell_ids:
            cells[cid] = CellValue(0, "value", "0")
    for cid in ("requests.new.natural_person", "requests.new.total", "requests.granted.natural_person",
                "requests.granted.total", "requests.total.natural_person", "requests.total.total"):
        cells[cid] = CellValue(5, "value", "5")
    for cid in ("appeals.review.upheld", "appeals.review.total"):
        cells[cid] = CellValue(2, "value", "2")
    return cells


def nonzero_cells(template: str, seed: int = 1) -> dict[str, int]:
    """Every identity cell of the template non-zero, every identity holding: each cell off by one shows.

    Cells on the left of an identity (and the `new` row of H3, new + carried_over = total + carried_forward)
    are solved from the others, which are drawn from 1–9; an identity with one unsolved cell solves it."""
    rng = random.Random(f"nonzero-{template}-{seed}")
    identities = [i for name in templates()[template].tables for i in variants()[name].identities]
    solved_later = {i.left[0] for i in identities}
    values: dict[str, int] = {cid: rng.randint(1, 9) for i in identities for cid in i.left + i.right
                              if cid not in solved_later}
    while len(solved_later - set(values)):
        progress = False
        for identity in identities:
            open_ = [c for c in identity.left + identity.right if c not in values]
            if len(open_) != 1:
                continue
            cid = open_[0]
            known_left = sum(values.get(c, 0) for c in identity.left)
            known_right = sum(values.get(c, 0) for c in identity.right)
            values[cid] = known_right - known_left if cid in identity.left else known_left - known_right
            progress = True
        assert progress, "the identities leave cells unsolved"
    assert all(v > 0 for v in values.values()), "draw again: a solved cell is not positive"
    return values


def nonzero_report(template: str) -> dict[str, CellValue]:
    cells = consistent_cells(template)
    cells.update({cid: CellValue(v, "value", str(v)) for cid, v in nonzero_cells(template).items()})
    return cells


def all_identities(template):
    return [(template, i) for name in templates()[template].tables for i in variants()[name].identities]


CASES = all_identities("2019") + all_identities("2021")


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_nonzero_data_is_consistent_and_nonzero(template):
    cells = nonzero_report(template)
    involved = {cid for _, i in all_identities(template) for cid in i.left + i.right}
    assert involved and all(cells[cid].value != 0 for cid in involved)
    checks = identity_checks([variants()[n] for n in templates()[template].tables], cells)
    assert len(checks) == len(all_identities(template)) and all(c.ok is True for c in checks)


@pytest.mark.parametrize("template,identity", CASES, ids=[f"{t}-{i.id}-{i.scope}" for t, i in CASES])
def test_identity_fails_when_any_cell_is_off_by_one(template, identity):
    """Every cell of left + right, one more and one less, on data where no cell is 0."""
    cells = nonzero_report(template)
    assert check_identity(identity, cells).ok is True
    for cid in identity.left + identity.right:
        for delta in (1, -1):
            broken = dict(cells)
            broken[cid] = CellValue(cells[cid].value + delta, "value", str(cells[cid].value + delta))
            check = check_identity(identity, broken)
            assert check.ok is False, (cid, delta, check.detail)
            assert check.outcome is Outcome.FAILED
            assert "≠" in check.detail
            assert cid in check.cells


# --- end to end: a rendered report with one printed number changed ---------------------------------------

def _extract_text(text: str):
    return extract_document(from_text(text), "<text>", "0" * 64)


def _nonzero_truth(template: str):
    truth = make_truth(template, seed=5)
    return with_cells(truth, dict(nonzero_cells(template)))


CHANGED = [("2021", "requests.new.business", 1), ("2021", "requests.total.total", -1),
           ("2021", "appeals.litigation_direct.corrected", 1), ("2019", "requests.granted.research", -1),
           ("2019", "requests.carried_forward.other_org", 1), ("2019", "appeals.review.total", 1)]


@pytest.mark.parametrize("template,cell_id,delta", CHANGED, ids=[f"{t}-{c}{d:+d}" for t, c, d in CHANGED])
def test_a_changed_printed_number_fails_exactly_the_checks_through_it(template, cell_id, delta):
    truth = _nonzero_truth(template)
    record = _extract_text(STYLES["pipe_rows"](truth))
    hard = [c for c in record.checks if c.severity == "hard"]
    assert hard and all(c.ok is True for c in hard), [c for c in hard if c.ok is not True]
    changed = with_cells(truth, {cell_id: truth.cells[cell_id] + delta})
    record = _extract_text(STYLES["pipe_rows"](changed))
    assert record.cells[cell_id].value == truth.cells[cell_id] + delta
    through = {(i.id, i.scope) for _, i in all_identities(template) if cell_id in i.left + i.right}
    failed = {(c.id, c.scope) for c in record.checks if c.severity == "hard" and c.ok is False}
    held = {(c.id, c.scope) for c in record.checks if c.severity == "hard" and c.ok is True}
    assert through and failed == through
    assert len(held) + len(failed) == len(all_identities(template))


def test_all_identities_of_a_consistent_report_hold():
    for template in ("2019", "2021"):
        specs = [variants()[n] for n in templates()[template].tables]
        checks = identity_checks(specs, consistent_cells(template))
        assert checks and all(c.ok for c in checks)
        assert {c.id for c in checks} == {"H1", "H2", "H3", "H4"}


def test_blank_counts_as_zero_but_unreadable_cannot_be_checked():
    cells = consistent_cells("2021")
    h4 = next(i for i in variants()["appeals"].identities if i.scope == "appeals.review")
    cells["appeals.review.corrected"] = CellValue(None, "blank", "")
    assert check_identity(h4, cells).ok is True
    cells["appeals.review.corrected"] = CellValue(None, "unreadable", "/")
    check = check_identity(h4, cells)
    assert check.ok is None and check.detail == "无法核对：appeals.review.corrected 无法识别"


def test_h1_skips_rows_whose_total_is_blank():
    cells = consistent_cells("2021")
    h1 = next(i for i in variants()["requests-2021"].identities if i.scope == "requests.granted")
    cells["requests.granted.total"] = CellValue(None, "blank", "")
    check = check_identity(h1, cells)
    assert check.ok is None and check.detail == "not checked: 总计 is blank"


def test_detail_shows_the_arithmetic():
    assert arithmetic([12, 0], [12, 0], True) == "12 + 0 = 12 + 0"
    assert arithmetic([0], [10, 1, 0, 0], False) == "0 ≠ 10 + 1 + 0 + 0 (0 ≠ 11)"
    assert arithmetic([Decimal("1.50")], [Decimal("1.5")], True) == "1.5 = 1.5"


def test_soft_checks_fire_on_implausible_values():
    cells = consistent_cells("2019")
    cells["disclosure.rules.made"] = CellValue(1, "value", "1")
    cells["disclosure.rules.published"] = CellValue(3, "value", "3")
    cells["disclosure.penalty.prev_items"] = CellValue(2, "value", "2")
    cells["disclosure.penalty.item_change"] = CellValue(-5, "value", "减5")
    county = Agency(level="county")
    found = {(c.id, c.scope): c for c in soft_checks(cells, county, "本年度未收到政府信息公开申请。")}
    assert found[("S1", "disclosure.rules")].ok is False
    assert found[("S2", "disclosure.penalty")].detail == "2 + (-5) = -3 < 0"
    assert found[("S2", "disclosure.penalty")].ok is False
    assert found[("S3", "disclosure.rules.made")].ok is False
    assert found[("S4", "requests.new.total")].ok is False
    assert all(c.severity == "soft" for c in found.values())


def test_soft_checks_quiet_on_plausible_values():
    cells = consistent_cells("2019")
    found = soft_checks(cells, Agency(level="province"), "本年度收到政府信息公开申请5件。")
    assert sorted({c.id for c in found}) == ["S1", "S2"] and len(found) == 7     # S3, S4 speak only on a fault
    assert all(c.ok is True for c in found)
