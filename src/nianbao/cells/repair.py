"""Re-pairing rows whose labels came apart from their numbers, only where the report's own sums prove it.

Some conversions print a table's labels in one place and its rows of numbers in another (seen in Markdown
made from PDFs). Where the rows left without numbers and the rows of numbers left without a label are
equally many, they are paired in printed order — and the pairing is kept only if every identity of the
table that touches a paired cell then holds. Each paired cell carries the flag `paired-by-order`.
"""

from __future__ import annotations

from nianbao.checks.evaluate import evaluate
from nianbao.model.record import CellValue
from nianbao.model.words import CellStatus, Flag, Outcome
from nianbao.tables.locate import LocatedTable
from nianbao.tables.pieces import Piece, by_line
from nianbao.templates import Identity, RowSpec


def pair_by_order(located: LocatedTable, pieces: list[Piece], cells: dict[str, CellValue],
                  good_pieces: set[int], make_cells, suspended: dict[str, list[Piece]]) -> dict[str, CellValue] | None:
    """The table's cells with detached rows re-paired, or None when the pairing is not proven.

    `suspended` rows had their own numbers but were held unreadable because a row of numbers stood
    below them; if those numbers are another row's, proven by the sums, the suspended rows are whole again.
    """
    spec = located.spec
    widths = {len(row.cell_ids) for row in spec.rows}
    if len(widths) != 1 or not spec.identities:
        return None
    width = widths.pop()
    restored = [row for row in spec.rows if row.id in suspended]
    good_pieces = good_pieces | {p.index for row in restored for p in suspended[row.id]}
    lost = [row for row in spec.rows if not row.values_after_header and row.id not in suspended
            and _without_values(row, cells)]
    orphans = _orphan_rows(pieces, located, good_pieces, width)
    if not lost or len(lost) != len(orphans):
        return None
    paired = dict(cells)
    for row in restored:
        paired.update(make_cells(row, suspended[row.id]))
    for row, values in zip(lost, orphans):
        for cid, cell in make_cells(row, values).items():
            paired[cid] = CellValue(cell.value, cell.status, cell.raw, cell.unit, cell.where,
                                    (*cell.flags, Flag.PAIRED_BY_ORDER))
    touched = {cid for row in [*lost, *restored] for cid in row.cell_ids}
    through = [i for i in spec.identities if touched & set(i.left + i.right)]
    if not all(_holds(identity, paired) for identity in through):
        return None
    # Each re-paired row must be placed by a sum that can be computed: a sum left open proves nothing.
    proven = [i for i in through if _computable(i, paired)]
    if all(any(set(row.cell_ids) & set(i.left + i.right) for i in proven) for row in [*lost, *restored]):
        return paired
    return None


def _computable(identity: Identity, cells: dict[str, CellValue]) -> bool:
    """Every cell of the identity is known (a value or a blank)."""
    evaluation = evaluate(identity, cells)
    return evaluation is not None and evaluation.computable


def distrust_blanks(spec, cells: dict[str, CellValue]) -> dict[str, CellValue]:
    """With stray numbers in the table that no row took, a cell printed empty is no proven blank where the
    report's own sums contradict it: it may be where a stray number belongs (a conversion moved it)."""
    out = dict(cells)
    for identity in spec.identities:
        if _holds(identity, cells):
            continue
        for cid in identity.left + identity.right:
            cell = cells.get(cid)
            if cell is not None and cell.status == CellStatus.BLANK:
                out[cid] = CellValue(None, CellStatus.UNREADABLE, cell.raw, None, cell.where,
                                     (*cell.flags, Flag.VALUES_DETACHED))
    return out


def _without_values(row: RowSpec, cells: dict[str, CellValue]) -> bool:
    found = [cells.get(cid) for cid in row.cell_ids]
    return all(c is None or not CellStatus(c.status).known or Flag.VALUES_DETACHED in c.flags for c in found)


def _orphan_rows(pieces: list[Piece], located: LocatedTable, good_pieces: set[int], width: int) -> list[list[Piece]]:
    """Rows or lines holding exactly `width` values that no row took, with no label a row matched."""
    anchored = {a.piece for a in located.anchors}
    out = []
    for line in by_line(pieces[located.start:located.end]):
        values = [p for p in line if not p.is_label]
        if any(p.index in anchored for p in line) or any(p.index in good_pieces for p in values):
            continue
        labels_before = [p for p in line if p.is_label]
        if labels_before and line[0].row is None:
            continue    # a text line with words: a sentence or a header, not a row of the table
        if len(values) == width and any(p.is_number for p in values):
            out.append(values)
    return out


def _holds(identity: Identity, cells: dict[str, CellValue]) -> bool:
    """Not contradicted by the sums: an identity that cannot be computed, or is skipped, does not count."""
    evaluation = evaluate(identity, cells)
    return evaluation is None or evaluation.outcome is not Outcome.FAILED
