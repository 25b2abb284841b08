"""The one rule for the report's own sums: a printed blank counts 0, a missing or unreadable cell makes the sum
unknown — and an accounting identity (sum(left) = sum(right)) evaluated by it.

Used by the identity checks (checks/), the re-pairing of detached rows that the sums must prove (cells/repair,
a stage before checks/, hence here below every stage), the cross-year checks (package/) and the site's
measures, which read cells back from report.json as dicts (hence `counted` takes a status and a value).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Protocol

from nianbao.model.record import CellValue, Number
from nianbao.model.words import CellStatus, Outcome


def counted(status: str, value: Number | float | None) -> Number | float | None:
    """What a cell counts for in a sum: its number, 0 for a printed blank, None when it cannot be known."""
    if not CellStatus(status).known:
        return None
    return value if status == CellStatus.VALUE and value is not None else 0


class Sums(Protocol):
    """An identity: its cell ids either side, and whether a blank left side means "not checked"."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    skip_blank_left: bool


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


def evaluate(identity: Sums, cells: Mapping[str, CellValue]) -> Evaluation | None:
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
    assert value is not None, "only known cells are counted"
    return value  # type: ignore[return-value]
