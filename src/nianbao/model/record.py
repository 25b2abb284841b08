"""The canonical extraction record: one per input document (the contract's JSON object)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from nianbao.model.document import Where
from nianbao.model.words import CellSource, CellStatus, Outcome, ReportScope, ScopePlace, SettlementKind

Status = CellStatus | Literal["value", "blank", "missing", "unreadable"]   # readers write the code strings
Number = int | Decimal


@dataclass(frozen=True)
class Settlement:
    """A person's correction of one cell (reports/corrections.csv, applied by the settle stage): why, who, when,
    and what the reader had made of the cell before (its value, status and unit; raw, where and flags stay on
    the cell itself)."""

    kind: SettlementKind
    note: str
    by: str
    date: str                        # YYYY-MM-DD
    reader_value: Number | None
    reader_status: Status
    reader_unit: str | None = None

    def to_json(self) -> dict:
        return {"kind": self.kind, "note": self.note, "by": self.by, "date": self.date,
                "reader_value": _json_number(self.reader_value), "reader_status": self.reader_status,
                "reader_unit": self.reader_unit}


@dataclass(frozen=True)
class CellValue:
    value: Number | None
    status: Status
    raw: str | None = None
    unit: str | None = None
    where: Where = Where()       # typed up to the package boundary: only to_json makes it a dict
    # Extension of the contract: why a cell is doubtful, e.g. "unit-unknown", "2-cells-for-3-columns".
    flags: tuple[str, ...] = ()
    # Extension of the contract: set when a person settled the cell; `value` and `status` are then the settled
    # ones, and `raw`, `where` and `flags` still what the document showed.
    settlement: Settlement | None = None

    @property
    def source(self) -> CellSource:
        return CellSource.READER if self.settlement is None else CellSource.CORRECTION

    def to_json(self) -> dict:
        out = {
            "value": _json_number(self.value),
            "status": self.status,
            "raw": self.raw,
            "unit": self.unit,
            "where": self.where.to_json(),
        }
        if self.flags:
            out["flags"] = list(self.flags)
        if self.settlement is not None:     # a cell without `source` was read by the reader
            out["source"] = self.source
            out["settlement"] = self.settlement.to_json()
        return out


MISSING = CellValue(value=None, status="missing")


@dataclass(frozen=True)
class Check:
    id: str
    scope: str
    outcome: Outcome
    detail: str
    severity: Literal["hard", "soft"] = "hard"
    cells: tuple[str, ...] = ()

    @property
    def ok(self) -> bool | None:
        """As published: True held, False failed, None unknown or skipped."""
        return self.outcome.ok

    def to_json(self) -> dict:
        return {"id": self.id, "scope": self.scope, "ok": self.ok, "detail": self.detail,
                "severity": self.severity, "cells": list(self.cells)}


@dataclass(frozen=True)
class Agency:
    id: str | None = None
    name: str | None = None
    region_code: str | None = None
    region: str | None = None
    sector: str | None = None
    candidates: tuple[dict, ...] = ()
    level: str | None = None

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "region_code": self.region_code,
                "region": self.region, "sector": self.sector, "level": self.level,
                "candidates": list(self.candidates)}


@dataclass(frozen=True)
class Scope:
    """What the report's figures count (ReportScope), with the report's own words that say so: UNKNOWN has
    none. `count` is the number that sentence gives, when it gives one."""
    kind: ReportScope = ReportScope.UNKNOWN
    evidence: str | None = None
    found_in: ScopePlace | None = None
    where: Where = Where()
    count: int | None = None

    def to_json(self) -> dict:
        return {"scope": self.kind, "evidence": self.evidence, "found_in": self.found_in,
                "where": self.where.to_json(), "count": self.count}


@dataclass(frozen=True)
class Record:
    source: str
    sha256: str
    status: Literal["ok", "rejected", "error"]
    reason: str | None = None
    reason_code: str | None = None
    kind: str | None = None
    agency: Agency = Agency()
    year: int | None = None
    template: str | None = None
    cells: dict[str, CellValue] = field(default_factory=dict)
    checks: tuple[Check, ...] = ()
    sections: dict[str, str] = field(default_factory=dict)
    title: str | None = None
    reader: str | None = None
    notes: tuple[str, ...] = ()
    extra_rows: tuple[dict, ...] = ()   # rows no template knows, kept as printed (see cells.extra_rows)
    # The version each table was read with (table → variant, e.g. "disclosure" → "disclosure-2019-hubei"), in
    # printed order: every later stage lays the table out from it instead of guessing it again from cell ids.
    tables: dict[str, str] = field(default_factory=dict)
    scope: Scope = Scope()              # what the figures count: the body alone or its whole area

    def to_json(self) -> dict:
        return {
            "tables": self.tables,
            "scope": self.scope.to_json(),
            "extra_rows": list(self.extra_rows),
            "source": self.source,
            "sha256": self.sha256,
            "status": self.status,
            "reason": self.reason,
            "reason_code": self.reason_code,
            "kind": self.kind,
            "title": self.title,
            "reader": self.reader,
            "agency": self.agency.to_json(),
            "year": self.year,
            "template": self.template,
            "cells": {k: v.to_json() for k, v in self.cells.items()},
            "checks": [c.to_json() for c in self.checks],
            "sections": self.sections,
            "notes": list(self.notes),
        }

    def to_json_line(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _json_number(value: Number | None):
    """Money is Decimal inside; JSON gets the shortest float that prints the same digits."""
    if isinstance(value, Decimal):
        as_int = int(value)
        return as_int if value == as_int else float(value)
    return value


class PackedRecord:
    """A record kept pickled, with its small fields at hand: about a quarter of the memory of the record itself.

    A build of 10,000 reports holds every record at once (to resolve duplicates, clashes and cross-year checks);
    unpacked that is ~1.3 GB, packed ~0.35 GB. It reads like a `Record`: the small fields are attributes, and
    any other attribute (cells, checks, sections, to_json …) comes from the unpickled record — so a caller that
    needs several of those should call `unpack()` once.
    """

    SMALL = ("source", "sha256", "status", "reason", "reason_code", "kind", "agency", "year", "template", "title",
             "reader", "notes", "scope")
    __slots__ = ("data", *SMALL)

    def __init__(self, record: Record):
        import pickle
        self.data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        for name in self.SMALL:
            object.__setattr__(self, name, getattr(record, name))

    def unpack(self) -> Record:
        import pickle
        return pickle.loads(self.data)

    def __getattr__(self, name: str):
        if name.startswith("__") or name in PackedRecord.__slots__:   # pickle's probes, or a slot not yet set
            raise AttributeError(name)
        return getattr(self.unpack(), name)


def unpack(record: "Record | PackedRecord") -> Record:
    return record.unpack() if isinstance(record, PackedRecord) else record
