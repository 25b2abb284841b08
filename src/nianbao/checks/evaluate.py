"""The one identity evaluator: sum(left) = sum(right) with a printed blank counting 0 and a missing or unreadable
cell leaving it unknown (`nianbao.model.sums.counted`).

Used by the identity checks (H1–H4, X1, X2 here and in package/crossyear) and by the re-pairing of detached rows
in cells/repair, which keeps a pairing only where the report's own sums prove it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nianbao.model.record import CellValue, Number
from nianbao.model.sums import counted
from nianbao.model.words import CellStatus, Outcome
from nianbao.templates import Identity


@dataclass(frozen=True)
class Evaluation:
    outcome: Outcome
    unknown: tuple[str, ...]            # cell ids missing or unreadable (absent counts as missing), in order
    left: tuple[Number, ...] = ()       # the numbers counted, when both sums could be computed
    right: tuple[Number, ...] = ()

    @property
    def computable(self) -> bool:
        return not self.unknown


def status_of(cells: Mapping[str, CellValue], cell_id: str) -> CellStatus:
    cell = cells.get(cell_id)
    return CellStatus.MISSING if cell is None else CellStatus(cell.status)


def evaluate(identity: Identity, cells: Mapping[str, CellValue]) -> Evaluation | None:
    """The identity on these cells; None when none of its cells is in the report (its table is absent)."""
    involved = identity.left + identity.right
    statuses = [status_of(cells, cid) for cid in involved]
    if all(s == CellStatus.MISSING for s in statuses):
        return None
    unknown = tuple(cid for cid, s in zip(involved, statuses) if not s.known)
    if identity.skip_blank_left and all(status_of(cells, cid) == CellStatus.BLANK for cid in identity.left):
        return Evaluation(Outcome.SKIPPED, unknown)
    if unknown:
        return Evaluation(Outcome.UNKNOWN, unknown)
    left = tuple(_number(cells[cid]) for cid in identity.left)
    right = tuple(_number(cells[cid]) for cid in identity.right)
    return Evaluation(Outcome.of(sum(left) == sum(right)), (), left, right)


def _number(cell: CellValue) -> Number:
    value = counted(cell.status, cell.value)
    assert value is not None and not isinstance(value, float), "only known cells of a record are counted"
    return value
