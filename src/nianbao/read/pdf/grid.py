"""Rules → grids → cells with spans → one page's tables (after pdfplumber's `edges → intersections → cells`).

pdfplumber's own `merge_edges` (snap + join) merges the rules; the rest is written here because no library does
it: pdfplumber's `intersections_to_cells` gives boxes without rows, columns or spans and `cells_to_tables` drops
one-cell tables; and a table cut by a page break has no rule on its cut side (closed here with implied rules).
"""

from __future__ import annotations

from bisect import bisect_right

from pdfplumber.table import merge_edges

from nianbao.read.pdf.geometry import Box, Cell, Char, Grid, PageTable, chars_to_lines, edge, join_lines, line_of

SNAP = 3.0          # pt: rules this close are one rule (pdfplumber's default snap and join tolerance)
MIN_GAP = 4.0       # pt: grid rows/columns thinner than this (double rules) fold into their neighbour


def segments_to_edges(segments: list[dict]) -> list[dict]:
    """Snap nearly collinear rules together and join touching ones (pdfplumber's merge_edges)."""
    if not segments:
        return []
    return merge_edges(segments, SNAP, SNAP, SNAP, SNAP)


def touch(h: dict, v: dict) -> bool:
    return (h["x0"] - SNAP <= v["x0"] <= h["x1"] + SNAP) and (v["top"] - SNAP <= h["top"] <= v["bottom"] + SNAP)


def edges_to_groups(edges: list[dict]) -> list[list[dict]]:
    """Rules that cross or touch, transitively: one group per table."""
    parent = list(range(len(edges)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hs = [i for i, e in enumerate(edges) if e["orientation"] == "h"]
    vs = [i for i, e in enumerate(edges) if e["orientation"] == "v"]
    for i in hs:
        for j in vs:
            if touch(edges[i], edges[j]):
                parent[find(i)] = find(j)
    groups: dict[int, list[dict]] = {}
    for i, rule in enumerate(edges):
        groups.setdefault(find(i), []).append(rule)
    return [g for g in groups.values() if any(e["orientation"] == "h" for e in g)
            and any(e["orientation"] == "v" for e in g)]


def implied_edges(group: list[dict]) -> list[dict]:
    """Rules a page break left out: where several rules of one direction end on one line and at least one
    of them ends in the air (no crossing rule there), the table was cut there: close it along that line."""
    out = []
    for along, across in (("v", "h"), ("h", "v")):
        ends = []   # (coordinate of the cut line, position along it, ends in the air?)
        crossing = [e for e in group if e["orientation"] == across]
        for e in group:
            if e["orientation"] != along:
                continue
            for end in (("top", "bottom") if along == "v" else ("x0", "x1")):
                if along == "v":
                    pos, cut = e["x0"], e[end]
                    dangling = not any(abs(h["top"] - cut) <= SNAP and h["x0"] - SNAP <= pos <= h["x1"] + SNAP
                                       for h in crossing)
                else:
                    pos, cut = e["top"], e[end]
                    dangling = not any(abs(v["x0"] - cut) <= SNAP and v["top"] - SNAP <= pos <= v["bottom"] + SNAP
                                       for v in crossing)
                ends.append((cut, pos, dangling))
        for cluster in _clusters(sorted(ends), SNAP):
            if len(cluster) >= 2 and any(d for _, _, d in cluster):
                cut = sum(c for c, _, _ in cluster) / len(cluster)
                lo, hi = min(p for _, p, _ in cluster), max(p for _, p, _ in cluster)
                out.append(edge("h", lo, cut, hi, cut) if along == "v" else edge("v", cut, lo, cut, hi))
    return out


def _clusters(items: list[tuple], gap: float) -> list[list[tuple]]:
    """Consecutive sorted items whose first fields lie within `gap` of the previous one."""
    out: list[list[tuple]] = []
    for item in items:
        if out and item[0] - out[-1][-1][0] <= gap:
            out[-1].append(item)
        else:
            out.append([item])
    return out


def positions(values: list[float]) -> tuple[float, ...]:
    """Distinct rule positions; positions closer than MIN_GAP are one (a double rule, a sliver column)."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] >= MIN_GAP:
            out.append(v)
    return tuple(out)


def nearest(positions: tuple[float, ...], value: float) -> int:
    i = bisect_right(positions, value)
    if i > 0 and (i == len(positions) or value - positions[i - 1] <= positions[i] - value):
        return i - 1
    return i


def _rules(edges: list[dict], xs: tuple[float, ...], ys: tuple[float, ...]
           ) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    h_rules: set[tuple[int, int]] = set()
    v_rules: set[tuple[int, int]] = set()
    for e in edges:
        if e["orientation"] == "h":
            i = nearest(ys, e["top"])
            if abs(ys[i] - e["top"]) <= MIN_GAP:
                h_rules.update((i, j) for j in range(len(xs) - 1)
                               if e["x0"] <= xs[j] + SNAP and e["x1"] >= xs[j + 1] - SNAP)
        else:
            j = nearest(xs, e["x0"])
            if abs(xs[j] - e["x0"]) <= MIN_GAP:
                v_rules.update((i, j) for i in range(len(ys) - 1)
                               if e["top"] <= ys[i] + SNAP and e["bottom"] >= ys[i + 1] - SNAP)
    return h_rules, v_rules


def group_to_grid(group: list[dict]) -> Grid | None:
    """The rule positions of one table and which grid segments carry a rule (printed or implied)."""
    implied = implied_edges(group)
    edges = segments_to_edges(group + implied) if implied else group
    xs = positions([e["x0"] for e in edges if e["orientation"] == "v"])
    ys = positions([e["top"] for e in edges if e["orientation"] == "h"])
    if len(xs) < 2 or len(ys) < 2:
        return None
    h_rules, v_rules = _rules(edges, xs, ys)
    drawn, _ = _rules(group, xs, ys) if implied else (h_rules, v_rules)
    return Grid(xs, ys, frozenset(h_rules), frozenset(v_rules), frozenset(drawn))


def grid_to_boxes(grid: Grid) -> list[Box]:
    """Cells with spans: grid units not parted by a rule belong to one cell.

    Units are joined across every missing rule; a joined region that is not a rectangle (a rule missing
    at a corner) is cut back into one cell per grid row."""
    n_rows, n_cols = len(grid.ys) - 1, len(grid.xs) - 1
    parent = list(range(n_rows * n_cols))

    def find(u: int) -> int:
        while parent[u] != u:
            parent[u] = parent[parent[u]]
            u = parent[u]
        return u

    for i in range(n_rows):
        for j in range(n_cols):
            if j + 1 < n_cols and (i, j + 1) not in grid.v_rules:
                parent[find(i * n_cols + j)] = find(i * n_cols + j + 1)
            if i + 1 < n_rows and (i + 1, j) not in grid.h_rules:
                parent[find(i * n_cols + j)] = find((i + 1) * n_cols + j)
    regions: dict[int, list[tuple[int, int]]] = {}
    for u in range(n_rows * n_cols):
        regions.setdefault(find(u), []).append(divmod(u, n_cols))
    boxes = []
    for units in regions.values():
        rows = [i for i, _ in units]
        cols = [j for _, j in units]
        r0, r1, c0, c1 = min(rows), max(rows) + 1, min(cols), max(cols) + 1
        if len(units) == (r1 - r0) * (c1 - c0):
            boxes.append(_box(grid, r0, r1, c0, c1))
            continue
        for r in range(r0, r1):
            for run in _runs(sorted(j for i, j in units if i == r)):
                boxes.append(_box(grid, r, r + 1, run[0], run[-1] + 1))
    return sorted(boxes)


def _runs(values: list[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for v in values:
        if out and v == out[-1][-1] + 1:
            out[-1].append(v)
        else:
            out.append([v])
    return out


def _box(grid: Grid, r0: int, r1: int, c0: int, c1: int) -> Box:
    return Box(r0, c0, r1 - r0, c1 - c0, all((r0, j) in grid.drawn for j in range(c0, c1)),
               all((r1, j) in grid.drawn for j in range(c0, c1)))


def grids_to_tables(grids: list[Grid], chars: list[Char], page: int) -> tuple[list[PageTable], list[Char]]:
    """Tables with their cell texts, and the chars left outside every table.

    A frame is not a table: a grid holding another grid, or a single box over most of the page."""
    kept = [g for g in grids if not is_frame(g, grids)]
    tables, outside = [], chars
    for grid in kept:
        boxes = grid_to_boxes(grid)
        table, outside = boxes_to_table(grid, boxes, outside, page)
        if table is not None:
            tables.append(table)
    return tables, outside


def grid_bbox(grid: Grid) -> tuple[float, float, float, float]:
    return grid.xs[0], grid.ys[0], grid.xs[-1], grid.ys[-1]


def is_frame(grid: Grid, grids: list[Grid]) -> bool:
    x0, y0, x1, y1 = grid_bbox(grid)
    for other in grids:
        if other is grid:
            continue
        a0, b0, a1, b1 = grid_bbox(other)
        if x0 - SNAP <= a0 and a1 <= x1 + SNAP and y0 - SNAP <= b0 and b1 <= y1 + SNAP:
            return True
    return len(grid.xs) == 2 and len(grid.ys) == 2 and (y1 - y0) > 300 and (x1 - x0) > 300


def boxes_to_table(grid: Grid, boxes: list[Box], chars: list[Char], page: int) -> tuple[PageTable | None, list[Char]]:
    """Put each char in the cell holding the centre of its box; cell text is its lines top to bottom."""
    n_cols = len(grid.xs) - 1
    owner: dict[int, int] = {}
    for k, box in enumerate(boxes):
        for i in range(box.row, box.row + box.rowspan):
            for j in range(box.col, box.col + box.colspan):
                owner[i * n_cols + j] = k
    inside: list[list[Char]] = [[] for _ in boxes]
    outside: list[Char] = []
    for ch in chars:
        j = bisect_right(grid.xs, (ch.x0 + ch.x1) / 2) - 1
        i = bisect_right(grid.ys, (ch.top + ch.bottom) / 2) - 1
        held_by = owner.get(i * n_cols + j) if 0 <= j < n_cols and 0 <= i < len(grid.ys) - 1 else None
        if held_by is None:
            outside.append(ch)
        else:
            inside[held_by].append(ch)
    if not any(inside):
        return None, chars
    cells = [Cell(row=b.row, col=b.col, rowspan=b.rowspan, colspan=b.colspan, page=page,
                  text=join_lines([line_of(ln).text for ln in chars_to_lines(inside[k])]),
                  bbox=(grid.xs[b.col], grid.ys[b.row], grid.xs[b.col + b.colspan], grid.ys[b.row + b.rowspan]),
                  top_drawn=b.top_drawn, bottom_drawn=b.bottom_drawn)
             for k, b in enumerate(boxes)]
    return PageTable(page=page, bbox=grid_bbox(grid), xs=grid.xs, cells=cells, n_rows=len(grid.ys) - 1), outside




__all__ = ["MIN_GAP", "SNAP", "boxes_to_table", "edges_to_groups", "grid_bbox", "grid_to_boxes", "grids_to_tables",
           "group_to_grid", "implied_edges", "is_frame", "nearest", "positions", "segments_to_edges", "touch"]
