"""Stage 4 — check: the report's own accounting (H1–H4) and plausibility warnings (S1–S4).

A failed check means a misread or an error in the source: it is reported, never "fixed".
Each check names its cells and shows its arithmetic in one line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal

from nianbao.checks.evaluate import evaluate, status_of
from nianbao.model.normalize import squash
from nianbao.model.record import Agency, CellValue, Check, Number, Record
from nianbao.model.words import CELL_STATUS_WORDS, LEVEL_WORDS, Level, Outcome
from nianbao.templates import Identity, TableSpec, variants


def record_checks(record: Record) -> list[Check]:
    """A record's own checks: the identities of the tables it holds, then the plausibility warnings. Made by
    extract on the cells as read, and again by the settle stage on the cells a person settled."""
    specs = [variants()[variant] for variant in record.tables.values()]
    return (identity_checks(specs, record.cells)
            + soft_checks(record.cells, record.agency, record.sections.get("overview", "")))


def identity_checks(specs: list[TableSpec], cells: Mapping[str, CellValue]) -> list[Check]:
    checks = []
    for spec in specs:
        for identity in spec.identities:
            check = check_identity(identity, cells)
            if check is not None:
                checks.append(check)
    return checks


def check_identity(identity: Identity, cells: Mapping[str, CellValue]) -> Check | None:
    """The identity as a published check; None when its table is not in the report at all."""
    evaluation = evaluate(identity, cells)
    if evaluation is None:
        return None
    involved = identity.left + identity.right
    if evaluation.outcome is Outcome.SKIPPED:
        return Check(identity.id, identity.scope, Outcome.SKIPPED, "not checked: 总计 is blank", "hard", involved)
    if evaluation.outcome is Outcome.UNKNOWN:
        return Check(identity.id, identity.scope, Outcome.UNKNOWN, cannot_check(evaluation.unknown, cells), "hard",
                     involved)
    ok = evaluation.outcome is Outcome.HELD
    return Check(identity.id, identity.scope, evaluation.outcome, arithmetic(evaluation.left, evaluation.right, ok),
                 "hard", involved)


def cannot_check(unknown: Sequence[str], cells: Mapping[str, CellValue]) -> str:
    """'无法核对：a 未找到，b 无法辨认' (a cell absent from the report is missing): the detail of an unknown
    outcome, in the words the site uses for cell statuses."""
    return "无法核对：" + "，".join(f"{cid} {CELL_STATUS_WORDS[status_of(cells, cid)]}" for cid in unknown)


def arithmetic(left: Sequence[Number], right: Sequence[Number], ok: bool) -> str:
    """'12 + 0 = 12 + 0', or '10 + 1 + 0 + 0 ≠ 0 (11 ≠ 0)' when the sums differ."""
    text = f"{' + '.join(map(_num, left))} {'=' if ok else '≠'} {' + '.join(map(_num, right))}"
    if not ok and (len(left) > 1 or len(right) > 1):
        text += f" ({_num(sum(left))} ≠ {_num(sum(right))})"
    return text


def _num(value: Number) -> str:
    return str(value.normalize() if isinstance(value, Decimal) else value).replace("+", "")


# --- soft checks: plausibility, reported as warnings ------------------------------------------------------

_COUNTY_OR_LOWER = {Level.COUNTY, Level.TOWNSHIP}


def soft_checks(cells: dict[str, CellValue], agency: Agency, overview: str) -> list[Check]:
    return [*_published_le_made(cells), *_items_not_negative(cells), *_county_rules(cells, agency),
            *_prose_contradictions(cells, overview)]


def _published_le_made(cells):
    # S1 (template 2019): documents newly published this year cannot outnumber those newly made.
    for row in ("rules", "normative"):
        made, published = cells.get(f"disclosure.{row}.made"), cells.get(f"disclosure.{row}.published")
        if _printed(made) and _printed(published):
            ok = published.value <= made.value
            yield Check("S1", f"disclosure.{row}", Outcome.of(ok),
                        f"{published.value} {'≤' if ok else '>'} {made.value}", "soft",
                        (f"disclosure.{row}.published", f"disclosure.{row}.made"))


def _items_not_negative(cells):
    # S2 (template 2019): last year's items plus this year's change cannot be negative.
    for row in ("licensing", "other_services", "penalty", "coercion", "fees"):
        prev, change = cells.get(f"disclosure.{row}.prev_items"), cells.get(f"disclosure.{row}.item_change")
        if _printed(prev) and _printed(change):
            total = prev.value + change.value
            ok = total >= 0
            yield Check("S2", f"disclosure.{row}", Outcome.of(ok),
                        f"{prev.value} + ({change.value}) = {total} {'≥' if ok else '<'} 0", "soft",
                        (f"disclosure.{row}.prev_items", f"disclosure.{row}.item_change"))


def _county_rules(cells, agency: Agency):
    # S3: county and lower bodies cannot make 规章 (only provinces and districted cities can).
    if agency.level not in _COUNTY_OR_LOWER:
        return
    for cid in ("disclosure.rules.issued", "disclosure.rules.made", "disclosure.rules.in_force",
                "disclosure.rules.public_total"):
        cell = cells.get(cid)
        if _printed(cell) and cell.value != 0:
            yield Check("S3", cid, Outcome.FAILED, f"{LEVEL_WORDS[agency.level]}机关报告了规章 {cell.value} 件", "soft",
                        (cid,))


_NONE_RECEIVED = re.compile(r"(未收到|没有收到|无)(政府信息公开|依申请公开)?申请")
_RECEIVED = re.compile(r"(?:收到|受理)(?:政府信息公开|依申请公开)?申请(?:共计?)?(\d+)件")


def _prose_contradictions(cells, overview: str):
    # S4: figures written in 一、总体情况 that contradict table 三.
    new = cells.get("requests.new.total")
    if not _printed(new) or not overview:
        return
    text = squash(overview)
    if _NONE_RECEIVED.search(text) and new.value > 0:
        yield Check("S4", "requests.new.total", Outcome.FAILED,
                    f"“总体情况”说未收到申请，表三“本年新收”为 {new.value} 件", "soft",
                    ("requests.new.total",))
    match = _RECEIVED.search(text)
    if match and int(match.group(1)) != new.value:
        yield Check("S4", "requests.new.total", Outcome.FAILED,
                    f"“总体情况”说收到申请 {match.group(1)} 件，表三“本年新收”为 {new.value} 件", "soft",
                    ("requests.new.total",))


def _printed(cell: CellValue | None) -> bool:
    """A printed number: the soft checks judge only numbers, never a blank counted as 0."""
    return cell is not None and cell.status == "value" and cell.value is not None
