"""Stage 3 — give every cell of a located table its value, from the pieces after each row's anchor.

Positions are taken only where they are proven: by the cells of a table row, or by a count of numbers that
equals the row's count of columns. A row showing fewer numbers than columns, with nothing telling which cell
is empty, has all its cells marked unreadable: numbers are never shifted into other columns.
"""

from __future__ import annotations

from nianbao.cells.repair import distrust_blanks, pair_by_order
from nianbao.cells.values import RowValues, cells_of_row
from nianbao.model.document import Where
from nianbao.model.normalize import canon
from nianbao.model.record import MISSING, CellValue
from nianbao.model.words import Flag, cells_for_columns, is_cells_for_columns
from nianbao.tables.locate import Anchor, LocatedTable
from nianbao.tables.pieces import Piece, by_line, is_prose
from nianbao.templates import RowSpec


def assign_table(located: LocatedTable, pieces: list[Piece], doc_text: str,
                 claimed: set[int]) -> dict[str, CellValue]:
    """Cell id → value for every cell of the table's version (missing where no row was found)."""
    cells: dict[str, CellValue] = {cid: MISSING for cid in located.spec.cell_ids}
    good_pieces: set[int] = set()   # pieces that became the values of a row
    suspended: dict[str, list[Piece]] = {}   # rows held unreadable only for numbers found below them
    anchors = located.anchors
    borrowed: dict[str, set[int]] = {}   # rows of a label line whose numbers came from a bare row below it
    padded = _pads_rows(located, pieces)
    complete_rows = short_rows = 0    # rows showing all their cells, and fewer: does the text keep every cell?
    for i, anchor in enumerate(anchors):
        stop = anchors[i + 1].piece if i + 1 < len(anchors) else located.end
        row_index = located.spec.rows.index(anchor.row)
        next_index = located.spec.rows.index(anchors[i + 1].row) if i + 1 < len(anchors) else len(located.spec.rows)
        last_of_cut_text = located.open_end and i == len(anchors) - 1
        # Rows after the last label of a cut text were not printed at all: none of them gets numbers.
        gap_rows = () if last_of_cut_text else located.spec.rows[row_index + 1:next_index]
        if anchor.row.values_after_header:
            found = _values_after_header(pieces, anchor, stop, len(anchor.row.cell_ids), claimed)
            per_row = [(anchor.row, found)]
        else:
            per_row = _rows_between(pieces, anchor, stop, [anchor.row, *gap_rows])
        if padded:
            per_row = [(row, _padding_unproven(row, values)) for row, values in per_row]
        if last_of_cut_text and _runs_to_the_end(pieces, anchor, per_row):
            per_row = [(row, _cut_row(row, values, (complete_rows, short_rows))) for row, values in per_row]
        for row, values in per_row:
            complete_rows += not values.unreadable and len(values.pieces) == len(row.cell_ids)
            short_rows += values.unreadable and any(is_cells_for_columns(f) for f in values.flags)
            claimed.update(p.index for p in values.pieces)
            if not values.unreadable:
                good_pieces.update(p.index for p in values.pieces)
            elif Flag.UNEXPLAINED_NUMBERS_BELOW in values.flags and len(values.pieces) == len(row.cell_ids):
                suspended[row.id] = list(values.pieces)
            cells.update(cells_of_row(row, values, located, pieces, doc_text))
            if (not row.values_after_header and pieces[anchor.piece].row is None and values.pieces
                    and values.pieces[0].row is not None):
                borrowed[row.id] = {p.index for p in values.pieces}
    strays = _orphan_numbers(pieces, located, good_pieces)
    if strays:
        cells = {cid: _detached(cell) for cid, cell in cells.items()}
        # Where labels and numbers came apart, a label line's numbers taken from a row of bare numbers below
        # it are no more its own than the stray rows are: only the sums can pair them (pair_by_order).
        for row in located.spec.rows:
            if row.id in borrowed:
                good_pieces -= borrowed[row.id]
                cells.update({cid: CellValue(None, "unreadable", cells[cid].raw, None, cells[cid].where,
                                             (Flag.VALUES_DETACHED,)) for cid in row.cell_ids})
    if located.version_unproven:
        cells = {cid: _unproven(cell) for cid, cell in cells.items()}
    if all(p.value is None for p in pieces[located.start:located.end]):
        # Labels without a single value or cell boundary: the values were lost (a site stripped them),
        # nothing shows the cells were printed empty.
        cells = {cid: _lost(cell) for cid, cell in cells.items()}
    make = lambda row, values: cells_of_row(row, _fit(values, len(row.cell_ids)), located, pieces, doc_text)  # noqa: E731
    paired = pair_by_order(located, pieces, cells, good_pieces, make, suspended)
    if paired is not None:
        claimed.update(p.index for p in pieces[located.start:located.end] if not p.is_label)
        cells = paired
    return distrust_blanks(located.spec, cells) if strays else cells


def _orphan_numbers(pieces: list[Piece], located: LocatedTable, used: set[int]) -> bool:
    """Rows or lines of numbers inside the table that no row took: labels and numbers came apart."""
    return any(all(not p.is_label for p in line) and any(p.is_number and p.index not in used for p in line)
               for line in by_line(pieces[located.start:located.end]))


def _detached(cell: CellValue) -> CellValue:
    """A row printed without numbers is blank only when no stray numbers could be its own."""
    if cell.status == "blank" and Flag.NO_CELLS_PRINTED in cell.flags:
        return CellValue(None, "unreadable", cell.raw, None, cell.where, (Flag.VALUES_DETACHED,))
    return cell


def _pads_rows(located: LocatedTable, pieces: list[Piece]) -> bool:
    """Does the table write empty cells as `||` (merged cells flattened: `第二十条第（八）项 ||||`)? Then a `||` at
    the edge of a row may be padding rather than a cell."""
    return any(p.text == "" and p.row is not None and not p.grid for p in pieces[located.start:located.end])


def _padding_unproven(row: RowSpec, values: RowValues) -> RowValues:
    """In a table padding rows with `||`, a row showing exactly its columns with a `||` cell at an edge may have
    lost a cell and kept its padding: which cell is where, nothing proves. (`| |`, with a space, is a cell.)"""
    shown = values.pieces
    edge = [shown[0], shown[-1]] if shown else []
    if (values.unreadable or row.values_after_header or len(shown) != len(row.cell_ids) or shown[0].row is None
            or shown[0].grid
            or not any(p.text == "" for p in edge) or all(p.is_blank for p in shown)):
        return values
    return RowValues(shown, (*values.flags, Flag.PADDING_UNPROVEN), unreadable=True)


def _runs_to_the_end(pieces: list[Piece], anchor: Anchor, per_row: list[tuple[RowSpec, RowValues]]) -> bool:
    """Does the text stop in this row: its label or one of its values is the document's last piece? A row
    followed by more text (the cut fell in a later label) ended as printed."""
    last = len(pieces) - 1
    if all(p.is_label for p in pieces[anchor.piece:]):
        return True      # the text stops in the row's label ("（五）不予处理 | 1.", "1.属于国")
    return any(p.index == last for _, values in per_row for p in values.pieces)


def _cut_row(row: RowSpec, values: RowValues, evidence: tuple[int, int]) -> RowValues:
    """The last row of a table the text stops in: what is not shown is missing, never blank.

    A row cut short keeps the columns of what it shows only as one pipe row on one line with no empty cell
    among them (an empty one may be a merged cell's padding: `|  | 一、本年新收… |  |  | 3`), in a table where
    an earlier row showed all its cells and none showed fewer (`evidence`: complete rows, short rows): the
    text keeps every cell. Without cell boundaries (one cell per line or paragraph, Word's tab cells) an
    empty cell vanishes without a trace, so such a row proves no column. A row that shows all its columns
    keeps them, unless one of them is an empty cell.
    """
    n = len(row.cell_ids)
    if values.unreadable and not all(is_cells_for_columns(f) for f in values.flags):
        return values    # unread for another reason than its count of cells
    shown = list(values.pieces)
    if shown and shown[-1].cut and (len(shown) > n or (len(shown) > 1 and shown[-1].line != shown[-2].line)):
        shown.pop()      # a fragment that does not fit, or the start of the next label ("4" of "4.无正当理由…")
    padding = any(p.is_blank and not p.grid for p in shown)
    if len(shown) == n and not padding:
        return RowValues(tuple(shown), tuple(f for f in values.flags if not is_cells_for_columns(f)))
    if len(shown) > n:
        return values
    one_line = bool(shown) and shown[0].row is not None and all(
        p.row == shown[0].row and p.where.line == shown[0].where.line for p in shown)
    complete_rows, short_rows = evidence
    if not shown or (one_line and not padding and complete_rows and not short_rows):
        return RowValues(tuple(shown), (Flag.TEXT_CUT,), shown=len(shown))
    return RowValues(tuple(shown), (cells_for_columns(len(shown), n), Flag.TEXT_CUT), unreadable=True)


def _unproven(cell: CellValue) -> CellValue:
    """Two versions of the table fit the page: which column a number is in depends on which one it is."""
    if cell.status in ("value", "blank"):
        return CellValue(None, "unreadable", cell.raw, cell.unit, cell.where, (*cell.flags, Flag.VERSION_UNPROVEN))
    return cell


def _lost(cell: CellValue) -> CellValue:
    if cell.status == "blank" and Flag.NO_CELLS_PRINTED in cell.flags:
        return CellValue(None, "missing", None, None, Where(), (Flag.TABLE_WITHOUT_VALUES,))
    return cell


# --- gathering the pieces that hold a row's values -------------------------------------------------------

def _rows_between(pieces: list[Piece], anchor: Anchor, stop: int, rows: list[RowSpec]) -> list[tuple[RowSpec, RowValues]]:
    """Values for the anchored row and for rows without a label of their own up to the next anchor."""
    groups = _value_groups(pieces, anchor, stop)
    if len(rows) == 1 and pieces[anchor.piece].row is not None:
        values = _fit(_flatten(groups[:1]), len(rows[0].cell_ids))
        if any(p.is_number for group in groups[1:] for p in group):
            # A row of numbers with no label below this one and before the next row's label: part of this
            # row cut off (a row broken across pages, digits wrapped into it) or a row of its own — unproven.
            return [(rows[0], RowValues(values.pieces, (*values.flags, Flag.UNEXPLAINED_NUMBERS_BELOW), unreadable=True))]
        return [(rows[0], values)]
    if len(rows) == 1:
        return [(rows[0], _fit(_flatten(groups), len(rows[0].cell_ids)))]
    # Unlabeled rows (labels lost, replaced by stray cells) take the following groups one by one,
    # but only when there is exactly one group of values per row: otherwise their position is unproven.
    if len(groups) == len(rows):
        return [(row, _fit(list(group), len(row.cell_ids))) for row, group in zip(rows, groups)]
    if all(len(group) == 1 and group[0].row is None for group in groups) and len(groups) == len(rows[0].cell_ids):
        # One cell per line, as many lines as the anchored row has columns: its own, the rows after it unprinted.
        return [(rows[0], _fit(_flatten(groups), len(rows[0].cell_ids)))] + [(row, RowValues((), (Flag.ROW_NOT_FOUND,))) for row in rows[1:]]
    first = _fit(list(groups[0]) if groups else [], len(rows[0].cell_ids))
    return [(rows[0], first)] + [(row, RowValues((), (Flag.ROW_NOT_FOUND,))) for row in rows[1:]]


def _value_groups(pieces: list[Piece], anchor: Anchor, stop: int) -> list[tuple[Piece, ...]]:
    """Runs of value pieces after the anchor: one per table row, or one per line of flattened text.

    - the anchor's own row or line: its values after the label, up to the next label;
    - a later table row: a group if it holds no label at all (a row whose label was lost), else the end;
    - a later text line: label fragments are skipped (a label wrapped around its numbers), prose ends it.
    """
    groups: list[tuple[Piece, ...]] = []
    for unit in _units(pieces, anchor.piece, stop):
        if unit[0].index <= anchor.piece:
            after = [p for p in unit if p.index > anchor.piece]
            values: list[Piece] = []
            for p in after:
                if p.is_label:
                    if values or is_prose(p):
                        break
                    continue
                values.append(p)
            if values:
                groups.append(tuple(values))
            continue
        if unit[0].row is not None:
            if any(p.is_label for p in unit):
                break
            groups.append(tuple(unit))
            continue
        if any(is_prose(p) for p in unit):
            break
        values = [p for p in unit if not p.is_label]
        if values and _starts_another_row(unit, anchor):
            break
        if values:
            groups.append(tuple(values))
    return groups


def _starts_another_row(unit: list[Piece], anchor: Anchor) -> bool:
    """A text line with its own label before its numbers is another row (one no template row matched),
    unless that label is the wrapped tail of the anchored row's own label ("数量 12 0 0 …")."""
    lead = []
    for p in unit:
        if not p.is_label:
            break
        lead.append(p.canon)
    if not lead:
        return False
    text = "".join(lead)
    own = canon(anchor.row.label)
    return not (text in own or any(text in key for key in anchor.row.keys))


def _units(pieces: list[Piece], first: int, stop: int) -> list[list[Piece]]:
    """Table rows and text lines from the one holding piece `first` up to piece `stop`."""
    begin = first
    while begin > 0 and pieces[begin - 1].line == pieces[first].line:
        begin -= 1
    if stop < len(pieces) and pieces[stop].row is not None:
        # The next anchor's table row, with the empty merged cells before its label, is not ours.
        while stop > first + 1 and pieces[stop - 1].line == pieces[stop].line:
            stop -= 1
    units: list[list[Piece]] = []
    for p in pieces[begin:stop]:
        if units and units[-1][0].line == p.line:
            units[-1].append(p)
        else:
            units.append([p])
    return units


def _row_of(pieces: list[Piece], piece: Piece) -> list[Piece]:
    out = []
    i = piece.index
    while i > 0 and pieces[i - 1].row == piece.row:
        i -= 1
    while i < len(pieces) and pieces[i].row == piece.row:
        out.append(pieces[i])
        i += 1
    return out


def _flatten(groups) -> list[Piece]:
    return [p for g in groups for p in g]


def _values_after_header(pieces: list[Piece], anchor: Anchor, stop: int, count: int, claimed: set[int]) -> RowValues:
    """A table whose only value row sits under a multi-row header (table 四): the numbers after the header.

    PDF text order sometimes moves those numbers after the last section (seed 000): when the table holds no
    number at all, a line of exactly `count` numbers found later in the document is taken, and flagged.
    """
    found: list[Piece] = []
    for p in pieces[anchor.piece + 1:stop]:
        if p.is_label:
            if found and is_prose(p):
                break       # prose after the numbers: the table is over
            continue
        if p.row is None or any(q.is_number for q in _row_of(pieces, p)):
            found.append(p)
    if found:
        return _fit(found, count)
    strays = [line for line in by_line(pieces[stop:])
              if all(p.is_number for p in line) and not claimed & {p.index for p in line}]
    for line_pieces in strays:
        if len(line_pieces) == count:
            return RowValues(tuple(line_pieces), (Flag.VALUES_FOUND_AFTER_TABLE,))
    if strays:
        # Numbers after the report that might be this table's, but not as many as its cells: unproven.
        return RowValues(tuple(strays[0]), (cells_for_columns(len(strays[0]), count), Flag.VALUES_FOUND_AFTER_TABLE),
                         unreadable=True)
    return RowValues(())


def _fit(values: list[Piece], n: int) -> RowValues:
    """Match value pieces to a row's `n` columns; explicit blank cells beyond the columns are dropped."""
    values = list(values)
    flags: list[str] = []
    while len(values) > n and values[-1].is_blank:
        values.pop()
    while len(values) > n and values[0].is_blank:
        values.pop(0)
    if len(values) > n and values[0].row is not None and values[0].row == values[-1].row:
        # Cells of one table row beyond the columns stand at the left, where a lost label used to be.
        values = values[len(values) - n:]
        flags.append(Flag.STRAY_CELLS_IGNORED)
    if len(values) == n or not values:
        return RowValues(tuple(values), tuple(flags))
    return RowValues(tuple(values), (*flags, cells_for_columns(len(values), n)), unreadable=True)
