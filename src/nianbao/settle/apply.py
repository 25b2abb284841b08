"""Applying corrections to the records of a reports folder: after extraction (the extraction cache keeps what
the reader made), before the packages — so every check, the report's own and the cross-year ones, runs on the
settled values."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from nianbao.checks import record_checks
from nianbao.model.record import CellValue, PackedRecord, Record, unpack
from nianbao.settle import CORRECTIONS_FILE
from nianbao.settle.corrections import Correction
from nianbao.settle.rules import Refused, changed_file, complete, duplicate, settle_cell

Records = Sequence[tuple[str, Record | PackedRecord]]     # (path in the reports folder, record), as the build has them


@dataclass
class Settler:
    """Takes corrections one by one against the records; `settled()` gives the records with them applied."""

    records: Records
    applied: list[Correction] = field(default_factory=list)
    refused: list[tuple[Correction, Refused]] = field(default_factory=list)
    _by_sha: dict[str, list[int]] = field(default_factory=dict)
    _first_row: dict[tuple[str, str], int] = field(default_factory=dict)
    _cells: dict[int, dict[str, CellValue]] = field(default_factory=lambda: defaultdict(dict))
    _unpacked: dict[int, Record] = field(default_factory=dict)     # each record a correction names, unpacked once

    def __post_init__(self) -> None:
        by_sha: dict[str, list[int]] = defaultdict(list)
        for i, (_, record) in enumerate(self.records):
            if record.sha256:
                by_sha[record.sha256].append(i)
        self._by_sha = dict(by_sha)

    def file_of(self, sha256: str) -> str | None:
        """The path of the (first) document with these bytes."""
        found = self._by_sha.get(sha256)
        return self.records[found[0]][0] if found else None

    def take(self, c: Correction) -> Refused | None:
        """Apply `c` (to every document with its bytes: a duplicate file is the same report), or say why not."""
        refused = self._judge(c)
        if isinstance(refused, Refused):
            self.refused.append((c, refused))
            return refused
        for i in self._by_sha[c.sha256]:
            self._cells[i][c.cell_id] = refused
        self._first_row[c.key] = c.row
        self.applied.append(c)
        return None

    def _judge(self, c: Correction) -> CellValue | Refused:
        problem = complete(c)
        if problem is not None:
            return problem
        if c.sha256 not in self._by_sha:
            return changed_file(c)
        if c.key in self._first_row:
            return duplicate(c, self._first_row[c.key])
        return settle_cell(c, self._record(self._by_sha[c.sha256][0]))

    def _record(self, i: int) -> Record:
        if i not in self._unpacked:
            self._unpacked[i] = unpack(self.records[i][1])
        return self._unpacked[i]

    def settled(self) -> list[tuple[str, Record | PackedRecord]]:
        """The records, each one a correction touched with its settled cells and its checks made again."""
        out = list(self.records)
        for i, cells in self._cells.items():
            path, was = out[i]
            record = self._record(i)
            record = replace(record, cells={**record.cells, **cells})
            record = replace(record, checks=tuple(record_checks(record)))
            out[i] = (path, PackedRecord(record) if isinstance(was, PackedRecord) else record)
        return out

    def problems(self, source: str = CORRECTIONS_FILE) -> list[str]:
        """One line per refused correction, as the build lists its other problems."""
        return [f"{source} row {c.row}: {c.cell_id or '(no cell id)'}: refused: {why.reason}" for c, why in self.refused]


def settle_records(records: Records, corrections: list[Correction]) -> Settler:
    settler = Settler(records)
    for c in corrections:
        settler.take(c)
    return settler
