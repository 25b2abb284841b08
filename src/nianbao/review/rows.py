"""The work list's rows: from the resolved entries of a reports folder, what a person must settle — the unread
and doubtful cells and the cells of failed identities of every published report, and every report that needs
review (settled in manifest.csv; the list only shows it, with its candidates)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from nianbao.model.document import Where
from nianbao.model.record import CellValue, Check, Record, unpack
from nianbao.model.values import number_text
from nianbao.model.words import (
    CELL_STATUS_WORDS,
    PACKAGE_STATUS_WORDS,
    PLACEMENT_FLAGS,
    REASON_WORDS,
    CellStatus,
    PackageStatus,
    flag_words,
)
from nianbao.model.ids import undated_cell
from nianbao.package.resolve import Entry, published
from nianbao.package.yearchecks import BodyYearChecks
from nianbao.package.rows import dictionary_rows
from nianbao.package.schemas import dictionary_schema
from nianbao.settle import WorkKind
from nianbao.site.tables import provenance
from nianbao.site.text import CheckWords
from nianbao.templates import cell_index, variants

Settled = set[tuple[str, str]]          # (sha256, cell id) of the rows of corrections.csv

@dataclass(frozen=True)
class WorkRow:
    """One row of the form. `source` and `reader` say where the cell is in its file, for its picture."""

    kind: WorkKind
    file: str
    sha256: str
    body: str
    year: int | None
    cell_id: str = ""
    label: str = ""
    printed: str = ""
    status: str = ""
    flags: str = ""
    where: str = ""
    candidates: str = ""
    source: Where = Where()
    reader: str | None = None
    table_top: float | None = None     # the top of the cell's table on its page (a crop shows its header)
    checks: tuple[str, ...] = field(default=())

    def form_values(self) -> dict[str, str]:
        """The form's columns this row fills (FORM_COLUMNS codes); the picture and the person's columns aside."""
        return {"file": self.file, "sha256": self.sha256, "body": self.body,
                "year": "" if self.year is None else str(self.year), "cell_id": self.cell_id, "label": self.label,
                "printed": self.printed, "status": self.status,
                "flags": "；".join(x for x in (self.flags, *self.checks) if x), "where": self.where,
                "candidates": self.candidates}


def work_rows(entries: list[Entry], settled: Settled) -> list[WorkRow]:
    """Every row, report by report in file order; within a report, cells in printed order. A report's checks
    are the ones its package publishes: its own and the cross-year ones with its neighbour years."""
    words = check_words()
    by_key = published(entries)
    checks = BodyYearChecks(by_key, set(by_key))
    out: list[WorkRow] = []
    for e in entries:
        if e.status == PackageStatus.NEEDS_REVIEW:
            out.append(document_row(e))
        elif e.status == PackageStatus.PUBLISHED and e.key is not None:
            out.extend(cell_rows(e, unpack(e.record), settled, words, checks[e.key]))
    return out


def document_row(e: Entry) -> WorkRow:
    """A report that needs review: why, what manifest.csv must say, and the candidates for its body."""
    return WorkRow(WorkKind.DOCUMENT, e.file, e.record.sha256, _body(e), e.year,
                   status=PACKAGE_STATUS_WORDS[PackageStatus.NEEDS_REVIEW],
                   flags=REASON_WORDS.get(e.reason_code or "", e.reason or ""),
                   where=_manifest_says(e), candidates=candidates_text(e.agency.candidates), reader=e.record.reader)


def candidates_text(candidates: tuple[dict, ...]) -> str:
    """Each candidate body on its own line: its id (what manifest.csv's agency_id takes), name and region."""
    return "\n".join(" ".join(str(c[k]) for k in ("id", "name", "region") if c.get(k)) for c in candidates)


def _manifest_says(e: Entry) -> str:
    """Which column of manifest.csv settles the report, in words."""
    code = e.reason_code
    if code in ("agency-ambiguous", "agency-unknown"):
        return f"manifest.csv 中 {e.file} 一行的 agency_id 列" + ("：填写候选之一" if e.agency.candidates else "")
    if code == "year-unknown":
        return f"manifest.csv 中 {e.file} 一行的 year 列：填写报告所属年度"
    if code == "manifest-contradicts":
        return f"manifest.csv 中 {e.file} 一行的 agency_id / year 列：与报告本身不符，请核对"
    if code == "body-year-clash":
        return "同一机关同一年度有多份报告：移走其余几份，或在 manifest.csv 中更正其机关或年度"
    return "manifest.csv"


def cell_rows(e: Entry, rec: Record, settled: Settled, words: CheckWords,
              checks: list[Check] | None = None) -> list[WorkRow]:
    """The unread and doubtful cells of one published report and the cells of its failed identities (`checks`,
    by default the record's own), in printed order; a cell in both is listed once, with every failed identity
    it is in. Cells settled in corrections.csv are left out."""
    failed = failed_identities(rec.checks if checks is None else checks, e.year)
    order = printed_order(rec)
    printed, reached = printed_tables(rec), set(order[:last_printed(rec, order) + 1])
    out = []
    for cid in order:
        cell = rec.cells.get(cid)
        kind = _kind(cell, cid.partition(".")[0] in printed and cid in reached, cid in failed)
        if kind is None or cell is None or (rec.sha256, cid) in settled:
            continue
        out.append(_cell_row(e, rec, cid, cell, kind, [_check_text(c, words) for c in failed.get(cid, [])]))
    return out


def failed_identities(checks: list[Check] | tuple[Check, ...], year: int | None) -> dict[str, list[Check]]:
    """Cell id → the failed identities it is in (a soft check's failure is no misreading). Of a cross-year
    check's cells (dated: "2023:requests.carried_forward.total") only this year's: the other year's report
    lists its own."""
    out: dict[str, list[Check]] = {}
    for check in checks:
        if check.ok is False and check.severity == "hard":
            for dated in check.cells:
                cell_year, cid = undated_cell(dated)
                if cell_year is None or cell_year == year:
                    out.setdefault(cid, []).append(check)
    return out


def printed_order(rec: Record) -> list[str]:
    """The record's cell ids as its tables print them (tables in the report's order), then any others."""
    ordered = [cid for variant in rec.tables.values() if variant in variants()
               for cid in variants()[variant].cell_ids]
    known = set(ordered)
    return [cid for cid in ordered if cid in rec.cells] + sorted(cid for cid in rec.cells if cid not in known)


def printed_tables(rec: Record) -> set[str]:
    """The tables the document printed a cell of: a table never found has only missing cells."""
    return {cid.partition(".")[0] for cid, c in rec.cells.items() if c.status != CellStatus.MISSING}


def last_printed(rec: Record, order: list[str]) -> int:
    """The index in `order` of the last cell the document printed (-1 for none). A text that stops early (a web
    archive keeps a page's first characters) never reached the cells after it: they are not asked for, one by
    one; a missing cell before it is a row the reader did not find in the text it has."""
    return max((i for i, cid in enumerate(order) if rec.cells[cid].status != CellStatus.MISSING), default=-1)


def _kind(cell: CellValue | None, shown: bool, in_failed_check: bool) -> WorkKind | None:
    """Unreadable, or missing inside the printed part of a table: unread. A value with a doubt: doubtful."""
    if cell is None:
        return None
    status = CellStatus(cell.status)
    if status == CellStatus.UNREADABLE or (status == CellStatus.MISSING and shown):
        return WorkKind.UNREAD
    if status.known and any(flag not in PLACEMENT_FLAGS for flag in cell.flags):
        return WorkKind.DOUBTFUL
    return WorkKind.FAILED_CHECK if in_failed_check else None


def _cell_row(e: Entry, rec: Record, cid: str, cell: CellValue, kind: WorkKind, checks: list[str]) -> WorkRow:
    return WorkRow(kind, e.file, rec.sha256, _body(e), e.year, cid, label_of(cid), printed_text(cell),
                   CELL_STATUS_WORDS.get(cell.status, cell.status),
                   "；".join(flag_words(f) for f in cell.flags), provenance({"where": cell.where.to_json()}),
                   source=cell.where, reader=rec.reader, table_top=_table_top(rec, cell.where),
                   checks=tuple(checks))


def printed_text(cell: CellValue) -> str:
    """What the document printed there: its raw text, else the number read (a blank prints as nothing)."""
    if cell.raw is not None:
        return cell.raw
    return number_text(cell.value) if cell.value is not None else ""


def label_of(cell_id: str) -> str:
    """表二 政府集中采购 采购总金额（万元）: the table, the data dictionary's label and the unit a value is in."""
    found = cell_index().get(cell_id)
    if found is None:
        return cell_id
    spec, _, column = found
    label = _dictionary()[cell_id]["label"]
    return f"{spec.short_name} {label}" + (f"（{column.unit}）" if column.unit else "")


def _table_top(rec: Record, where: Where) -> float | None:
    """The highest top of the cells read in the same table on the same page: where the table's body begins."""
    if where.bbox is None or where.table is None:
        return None
    tops = [c.where.bbox[1] for c in rec.cells.values() if c.where.bbox is not None
            and c.where.table == where.table and c.where.page == where.page]
    return min(tops, default=None)


def _body(e: Entry) -> str:
    name, agency_id = e.agency.name or "", e.agency.id or ""
    return f"{name}（{agency_id}）" if name and agency_id else name or agency_id


def _check_text(check: Check, words: CheckWords) -> str:
    """A failed identity as the site words it: the rule in Chinese, then its arithmetic."""
    rule = words.rule({"check_id": check.id, "scope": check.scope, "cells": " ".join(check.cells)})
    return f"勾稽关系 {check.id} 不成立：{rule or check.scope}：{check.detail}"


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, dict[str, str]]:
    names = [f["name"] for f in dictionary_schema()["fields"]]
    return {cid: dict(zip(names, map(str, row))) for cid, row in dictionary_rows().items()}


def check_words() -> CheckWords:
    """The site's wording of the checks, from the data dictionary (`nianbao add` and the work list use it)."""
    return CheckWords(list(_dictionary().values()))
