"""Pieces of a table across pages joined into one table, and a document's blocks in reading order.

A table cut by a page break continues at the top of the next page: its pieces are joined when their column
rules agree; a header repeated on the next page is dropped; digits wrapped onto the next page go back to their
row; a cell cut by the break is merged back only where the rules prove it (`attach`).
"""

from __future__ import annotations

import re

from nianbao.model.document import Block, GridCell, Table, TextBlock, Where
from nianbao.read.pdf.geometry import Cell, Line, PageContent, PageTable, join_lines
from nianbao.read.pdf.grid import nearest, positions

ALIGN = 4.0         # pt: column positions of two pieces of one table agree within this
_NUMBER = re.compile(r"^\s*[-+−]?[\d,.]+\s*$")
# A row label's own outline number: 四、 （七） 3. 1、 — a new row, not the rest of a cut one.
_OUTLINE = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+[、.．]|\d+\s*[、.．](?!\d))")


def pieces_to_chains(pages: list[PageContent]) -> list[list[PageTable]]:
    """Tables in reading order, a table continued at the top of the next page joined to its first piece:
    the first piece ends its page, the next begins its page, and their column rules agree."""
    chains: list[list[PageTable]] = []
    open_chain: list[PageTable] | None = None
    for page in pages:
        items = page.items()
        for n, item in enumerate(items):
            if not isinstance(item, PageTable):
                continue
            if n == 0 and open_chain is not None and same_columns(open_chain[-1], item):
                open_chain.append(item)
            else:
                chains.append([item])
        last = items[-1] if items else None
        open_chain = chains[-1] if isinstance(last, PageTable) and chains and chains[-1][-1] is last else None
    return chains


def same_columns(a: PageTable, b: PageTable) -> bool:
    if abs(a.bbox[0] - b.bbox[0]) > ALIGN or abs(a.bbox[2] - b.bbox[2]) > ALIGN:
        return False
    small, large = sorted((a.xs, b.xs), key=len)
    matched = sum(1 for x in small if any(abs(x - y) <= ALIGN for y in large))
    return matched >= 0.8 * len(small)


def chain_to_cells(chain: list[PageTable]) -> list[Cell]:
    """One table from its pieces: columns on the union of the pieces' rules, header rows repeated on a
    later page dropped, cells cut by a page break merged back (see `attach`)."""
    xs = positions([x for piece in chain for x in piece.xs])
    cells = _reindex(chain[0], xs)
    n_rows = chain[0].n_rows
    for piece in chain[1:]:
        part, part_rows = drop_repeated_header(cells, _reindex(piece, xs), piece.n_rows)
        cells, n_rows = attach(cells, n_rows, part, part_rows)
    return cells


def _reindex(piece: PageTable, xs: tuple[float, ...]) -> list[Cell]:
    out = []
    for c in piece.cells:
        col, end = nearest(xs, piece.xs[c.col]), nearest(xs, piece.xs[c.col + c.colspan])
        out.append(Cell(c.row, col, c.rowspan, max(1, end - col), c.text, c.page, c.bbox, c.top_drawn, c.bottom_drawn))
    return out


def _row_key(cells: list[Cell], row: int) -> tuple:
    return tuple(sorted((c.col, c.colspan, c.rowspan, "".join(c.text.split())) for c in cells if c.row == row))


def drop_repeated_header(table: list[Cell], part: list[Cell], part_rows: int) -> tuple[list[Cell], int]:
    """A piece starting with the table's own first rows (a header repeated on each page) loses them."""
    for k in range(min(6, part_rows - 1), 0, -1):
        if any(c.row < k < c.row + c.rowspan for c in part):
            continue        # the header would end inside a cell
        if all(_row_key(table, r) == _row_key(part, r) for r in range(k)) and any(c.text for c in part if c.row == 0):
            rest = [c for c in part if c.row >= k]
            for c in rest:
                c.row -= k
            return rest, part_rows - k
    return part, part_rows


def wrapped_digits(table: list[Cell], n_rows: int, first: list[Cell]) -> list[tuple[Cell, Cell]]:
    """Pairs (cell of the piece's first row, cell above it) when that first row is the rest of a row cut by
    the page: it holds only digits and blanks, each digit cell under a number of the labelled row above.
    A row with a label of its own, or numbers under a header, is a row of its own: nothing is returned."""
    above = [c for c in table if c.row + c.rowspan == n_rows]
    filled = [c for c in first if c.text.strip()]
    if not filled or any(not _NUMBER.match(c.text) for c in filled):
        return []
    if not any(c.text.strip() and not _NUMBER.match(c.text) for c in above):
        return []
    pairs = []
    for b in filled:
        a = next((a for a in above if a.col <= b.col and b.col + b.colspan <= a.col + a.colspan), None)
        if a is None or not _NUMBER.match(a.text):
            return []
        pairs.append((b, a))
    return pairs


def attach(table: list[Cell], n_rows: int, part: list[Cell], part_rows: int) -> tuple[list[Cell], int]:
    """Append a piece's rows; a cell of its first row continues the cell above it (same columns, ending on the
    previous page's last row) when the page break left a rule out there, and
    - others of that row kept theirs (Word and WPS leave out only the rules of cut cells), or
    - it is empty and one of the two spans several rows (the rest of a row-group label), or
    - no rule at all is printed at the break, no column has a number on both sides, no cell below starts
      with an outline number, and some column is empty on one side (a row broken across pages).
    With rules printed on both sides of the break nothing tells a cut cell from two cells, and they stay two:
    a cut label printed in both pieces ("（四）无" / "法提供"), an empty rest of a group label beside the next
    row's label, or an explicit blank under a header cell; each holds text of its own row."""
    first = [c for c in part if c.row == 0]
    wrapped = wrapped_digits(table, n_rows, first)
    if wrapped:
        # The page cut a row whose numbers wrapped ("77" / "1"): its digits go back to the cells above.
        for b, a in wrapped:
            a.text = join_lines([a.text, b.text])
        rest = [c for c in part if c.row > 0]
        for c in rest:
            c.row += n_rows - 1
        return table + rest, n_rows + part_rows - 1
    above = {(c.col, c.colspan): c for c in table if c.row + c.rowspan == n_rows}
    pairs = [(above.get((c.col, c.colspan)), c) for c in first]
    facing = [(a, b) for a, b in pairs if a is not None]     # cells of the first row with a cell above them
    b_open = [not b.top_drawn for _, b in pairs]
    a_open = [not a.bottom_drawn for a, _ in facing]
    split_row = (all(b_open) and all(a_open) and len(facing) == len(pairs)
                 and not any(_NUMBER.match(a.text) and _NUMBER.match(b.text) for a, b in facing)
                 and not any(_OUTLINE.match(b.text) for _, b in pairs)
                 and any(not a.text or not b.text for a, b in facing))
    merged = set()
    for a, b in facing:
        open_here = not b.top_drawn or not a.bottom_drawn
        partial = (not b.top_drawn and not all(b_open)) or (not a.bottom_drawn and not all(a_open))
        if split_row or partial or (open_here and not b.text and max(a.rowspan, b.rowspan) > 1):
            a.rowspan += b.rowspan
            a.text = join_lines([a.text, b.text])
            merged.add(id(b))
    for c in part:
        c.row += n_rows
    return table + [c for c in part if id(c) not in merged], n_rows + part_rows


# --- blocks in reading order ----------------------------------------------------------------------------

def pages_to_blocks(pages: list[PageContent]) -> tuple[list[Block], list[tuple[int, int]]]:
    """Text lines and tables page by page, top to bottom; a table joined across pages stands where it starts.
    Lines are numbered through the document (a line's box tells its type size); tables are numbered from 0."""
    chains = pieces_to_chains(pages)
    starts = {id(chain[0]): chain for chain in chains}
    blocks: list[Block] = []
    joins: list[tuple[int, int]] = []
    line_no = 0
    for page in pages:
        for item in page.items():
            if isinstance(item, Line):
                line_no += 1
                blocks.append(TextBlock(text=item.text, where=Where(page=page.number, line=line_no, bbox=item.bbox)))
            elif id(item) in starts:
                chain = starts[id(item)]
                k = sum(isinstance(b, Table) for b in blocks)
                blocks.append(_table_block(chain, k))
                joins.extend((a.page, b.page) for a, b in zip(chain, chain[1:]))
    return blocks, joins


def _table_block(chain: list[PageTable], k: int) -> Table:
    cells = sorted(chain_to_cells(chain), key=lambda c: (c.row, c.col))
    grid = tuple(GridCell(row=c.row, col=c.col, text=c.text, rowspan=c.rowspan, colspan=c.colspan,
                          where=Where(page=c.page, table=k, row=c.row, col=c.col, bbox=c.bbox)) for c in cells)
    return Table(cells=grid, kind="grid", where=Where(page=chain[0].page, table=k, bbox=chain[0].bbox))


__all__ = ["attach", "chain_to_cells", "drop_repeated_header", "pages_to_blocks", "pieces_to_chains", "same_columns",
           "wrapped_digits"]
