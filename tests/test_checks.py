"""Identity checks H1–H4 and the soft checks: each must fail when its arithmetic is broken."""

from decimal import Decimal

import pytest

from nianbao.checks import arithmetic, check_identity, identity_checks, soft_checks
from nianbao.model.record import Agency, CellValue
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


def all_identities(template):
    return [(template, i) for name in templates()[template].tables for i in variants()[name].identities]


CASES = all_identities("2019") + all_identities("2021")


@pytest.mark.parametrize("template,identity", CASES, ids=[f"{t}-{i.id}-{i.scope}" for t, i in CASES])
def test_identity_holds_then_fails_when_a_cell_is_off_by_one(template, identity):
    cells = consistent_cells(template)
    assert check_identity(identity, cells).ok is True
    broken = dict(cells)
    cid = identity.right[0]
    broken[cid] = CellValue(cells[cid].value + 1, "value", str(cells[cid].value + 1))
    check = check_identity(identity, broken)
    assert check.ok is False
    assert "≠" in check.detail
    assert cid in check.cells


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
    assert check.ok is None and "unreadable" in check.detail


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
    assert all(c.ok for c in found)
