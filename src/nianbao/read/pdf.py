"""PDF reader (text layer): text lines and ruled tables, page by page, with a cell's page and box as provenance.

The chain, one small pure function per step (after pdfplumber's `edges → intersections → cells → tables`):

    page ─ page_to_chars ─────────────────────────────────────────────┐
         └ page_to_segments → segments_to_edges → edges_to_groups     │
             → group_to_grid → grid_to_boxes → boxes_to_table ←──────┘ (chars inside the grid)
    pieces of all pages → pieces_to_chains → chain_to_cells → Table blocks; other chars → chars_to_lines

Why pypdfium2 and not pdfplumber for the geometry: pdfplumber parses the whole page with pdfminer before it
gives any line (measured on the real reports: 100–125 ms per table page for `page.edges` + `page.chars`, so
30–65 ms per page over a report), while pypdfium2 gives chars and path objects in 3–8 ms per page. The
lines come from pypdfium2's path objects; pdfplumber's own `merge_edges` (snap + join) merges them. The rest
is written here because no library does it: pdfplumber's `intersections_to_cells` gives boxes without rows,
columns or spans and `cells_to_tables` drops one-cell tables; a table cut by a page break has no rule on its
cut side (closed here with implied rules); and pieces of one table on several pages must be joined.

Coordinates are display coordinates (the page as a viewer shows it, /Rotate applied): x to the right, y down
from the top, in points, like pdfplumber's (x0, top, x1, bottom).
"""

from __future__ import annotations

import ctypes
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.table import merge_edges

from nianbao.model.document import Block, Document, GridCell, Table, TextBlock, Where
from nianbao.read.errors import Unreadable

SNAP = 3.0          # pt: rules this close are one rule (pdfplumber's default snap and join tolerance)
MIN_GAP = 4.0       # pt: grid rows/columns thinner than this (double rules) fold into their neighbour
ALIGN = 4.0         # pt: column positions of two pieces of one table agree within this
THIN = 2.0          # pt: a filled shape this thin is a rule drawn as a rectangle
MARGIN = 0.1        # fraction of the page height at top and bottom where page numbers stand
# Labels of the three standard tables: a page holding one of them gets its ruling lines read.
TABLE_WORDS = ("信息内容", "第二十条", "本年制发件数", "本年新制作数量", "处理决定数量", "行政事业性收费",
               "申请人情况", "自然人", "本年新收", "上年结转", "予以公开", "不予公开", "无法提供", "不予处理",
               "其他处理", "结转下年度", "行政复议", "行政诉讼", "结果维持", "尚未审结")
_PAGE_NUMBER = re.compile(r"^[-—–－~\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?"
                          r"[-—–－~\s]*$")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_NUMBER = re.compile(r"^\s*[-+−]?[\d,.]+\s*$")
# A row label's own outline number: 四、 （七） 3. 1、 — a new row, not the rest of a cut one.
_OUTLINE = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+[、.．]|\d+\s*[、.．](?!\d))")
_EOF_WINDOW = 1024   # a complete PDF ends with %%EOF within its last kilobyte


class Char(NamedTuple):
    """A printed char and its line box (font ascent to descent)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float


class Line(NamedTuple):
    text: str
    bbox: tuple[float, float, float, float]


@dataclass(frozen=True)
class Grid:
    """A table's rules: xs/ys are the rule positions; (i, j) in h_rules = a rule on ys[i] over column j,
    (i, j) in v_rules = a rule on xs[j] over row i. `drawn` holds the h rules actually printed (not implied)."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    h_rules: frozenset[tuple[int, int]]
    v_rules: frozenset[tuple[int, int]]
    drawn: frozenset[tuple[int, int]]


class Box(NamedTuple):
    """A cell of a grid: its position, spans, and whether its top and bottom rules are printed (not implied)."""

    row: int
    col: int
    rowspan: int
    colspan: int
    top_drawn: bool
    bottom_drawn: bool


@dataclass
class Cell:
    """A cell of a table being assembled (mutable: joining pages extends spans and texts)."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    page: int
    bbox: tuple[float, float, float, float]
    top_drawn: bool = True
    bottom_drawn: bool = True


@dataclass
class PageTable:
    """One table as printed on one page."""

    page: int
    bbox: tuple[float, float, float, float]
    xs: tuple[float, ...]
    cells: list[Cell]
    n_rows: int


@dataclass
class PageContent:
    number: int
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[PageTable] = field(default_factory=list)
    n_chars: int = 0

    def items(self) -> list[Line | PageTable]:
        """Lines and tables top to bottom."""
        return sorted([*self.lines, *self.tables], key=lambda it: it.bbox[1])


# --- reading ---------------------------------------------------------------------------------------------

def read(path: Path) -> Document:
    pdf = _open(path)
    damaged: list[int] = []
    try:
        title = (pdf.get_metadata_dict().get("Title") or "").strip() or None
        pages: list[PageContent] = []
        for index in range(len(pdf)):
            try:
                pages.append(read_page(pdf, index, continues=_ends_in_table(pages[-1]) if pages else False))
            except pdfium.PdfiumError:
                damaged.append(index + 1)
                pages.append(PageContent(number=index + 1, height=0.0))
    finally:
        pdf.close()
    if len(damaged) == len(pages):
        raise Unreadable("corrupt-pdf", "The PDF is damaged and cannot be opened.")
    # --- OCR (issue 8): pages without a text layer are read by OCR where the `ocr` extra is installed ---
    from nianbao.read import ocr
    if not any(p.n_chars for p in pages):
        return ocr.read_scanned_pdf(path)
    readings = ocr.read_blank_pages(path, pages, damaged)
    # --- end OCR ---
    notes = [f"pdf: {len(pages)} pages"]
    if damaged:
        notes.append(f"pages that cannot be read (damaged): {', '.join(map(str, damaged))}")
    blank = [str(p.number) for p in pages if not p.n_chars and p.number not in damaged]
    if blank:
        notes.append(f"pages without text (scans, need OCR): {', '.join(blank)}")
    blocks, joins = pages_to_blocks(pages)
    notes.extend(f"table continued across pages {a}-{b}" for a, b in joins)
    if readings:   # OCR (issue 8): the cells read by OCR carry its confidence
        notes.append(f"pages read by OCR at {ocr.DPI} dpi: {', '.join(sorted({str(r.page) for r in readings}))}")
        blocks = [ocr.with_provenance(block, readings, 1.0) for block in blocks]
    return Document(source=str(path), blocks=tuple(blocks), reader="pdf",
                    title=title if title and re.search(r"[\u4e00-\u9fff]", title) else None,
                    pages=len(pages), notes=tuple(notes))


# What a file named .pdf turns out to be, by its first bytes (a PDF's header may follow up to 1 kB of junk).
_NOT_PDF = ((b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
            (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"), (b"PK\x03\x04", "a zip archive or Office file"),
            (b"\xd0\xcf\x11\xe0", "a legacy Office file"))


def _not_a_pdf(head: bytes) -> Unreadable | None:
    if b"%PDF-" in head:
        return None
    what = next((name for magic, name in _NOT_PDF if head.startswith(magic)), None)
    return Unreadable("not-pdf", f"The file is named .pdf but is not a PDF: it is {what}." if what
                      else "The file is named .pdf but is not a PDF: it has no PDF header.")


def _open(path: Path) -> pdfium.PdfDocument:
    with open(path, "rb") as handle:
        not_pdf = _not_a_pdf(handle.read(1024))
        if not_pdf:
            raise not_pdf
        handle.seek(0, 2)
        handle.seek(max(0, handle.tell() - 64 * 1024))
        tail = handle.read().rstrip(b"\x00\r\n\t \x0c")
    if b"%%EOF" not in tail[-_EOF_WINDOW:]:
        raise Unreadable("corrupt-pdf", "The PDF is damaged and cannot be opened.")
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise Unreadable("encrypted-pdf", "The PDF is protected by a password.") from None
        raise Unreadable("corrupt-pdf", "The PDF is damaged and cannot be opened.") from None
    if len(pdf) == 0:
        pdf.close()
        raise Unreadable("corrupt-pdf", "The PDF is damaged and cannot be opened.")
    return pdf


def read_page(pdf: pdfium.PdfDocument, index: int, continues: bool = False) -> PageContent:
    """One page: its text lines and its tables (ruling lines are read only where table labels are printed,
    or where the previous page ended inside a table)."""
    page = pdf[index]
    try:
        to_display, height = display_transform(page)
        textpage = page.get_textpage()
        try:
            chars = page_to_chars(textpage, to_display)
        finally:
            textpage.close()
        content = PageContent(number=index + 1, height=height, n_chars=len(chars))
        if chars and (continues or is_table_page(chars)):
            edges = segments_to_edges(page_to_segments(page, to_display))
            grids = [g for g in map(group_to_grid, edges_to_groups(edges)) if g is not None]
            content.tables, chars = grids_to_tables(grids, chars, content.number)
    finally:
        page.close()
    content.lines = [ln for ln in map(line_of, chars_to_lines(chars)) if not _is_page_number(ln, height)]
    return content


def _ends_in_table(page: PageContent) -> bool:
    items = page.items()
    return bool(items) and isinstance(items[-1], PageTable) and items[-1].bbox[3] > 0.75 * page.height


@lru_cache(maxsize=1)
def _table_words() -> tuple[str, ...]:
    from opencc_purepy import OpenCC   # mirror sites print Traditional characters
    s2t = OpenCC("s2t")
    return tuple(dict.fromkeys([*TABLE_WORDS, *(s2t.convert(w) for w in TABLE_WORDS)]))


def is_table_page(chars: list[Char]) -> bool:
    text = "".join(c.text for c in chars)
    return any(word in text for word in _table_words())


def _is_page_number(line: Line, height: float) -> bool:
    in_margin = line.bbox[3] < MARGIN * height or line.bbox[1] > (1 - MARGIN) * height
    return in_margin and bool(_PAGE_NUMBER.match(line.text))


# --- pypdfium2: chars and path segments in display coordinates ------------------------------------------

Point = Callable[[float, float], tuple[float, float]]


def display_transform(page: pdfium.PdfPage) -> tuple[Point, float]:
    """PDF user space → display space (origin top-left, y down, /Rotate applied); and the display height."""
    left, bottom, right, top = page.get_cropbox()
    rotation = page.get_rotation() % 360
    if rotation == 90:
        return (lambda x, y: (y - bottom, x - left)), right - left
    if rotation == 180:
        return (lambda x, y: (right - x, y - bottom)), top - bottom
    if rotation == 270:
        return (lambda x, y: (top - y, right - x)), right - left
    return (lambda x, y: (x - left, top - y)), top - bottom


def page_to_chars(textpage: pdfium.PdfTextPage, to_display: Point) -> list[Char]:
    """Printed characters; whitespace (pdfium's generated spaces and line breaks included) is left out:
    gaps and positions say where words and lines part.

    The box is pdfium's loose box (ascent to descent, so the chars of a line agree whatever their glyphs).
    Where a font's metrics are broken (loose boxes many times the page's usual size: seen on WPS vertical
    labels, where they spread over neighbouring cells) the glyph's own box stands in."""
    n = pdfium_c.FPDFText_CountChars(textpage)
    if n <= 0:
        return []
    units = (ctypes.c_ushort * (n + 1))()
    pdfium_c.FPDFText_GetText(textpage, 0, n, units)
    rect = pdfium_c.FS_RECTF()
    found: list[tuple[int, str, tuple[float, float, float, float]]] = []
    high = 0
    for i in range(n):
        code = units[i]
        if 0xD800 <= code < 0xDC00:         # a surrogate pair: keep the high half for the next unit
            high = code
            continue
        if 0xDC00 <= code < 0xE000 and high:
            code = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00)
        high = 0
        text = chr(code)
        if code == 0 or text.isspace() or text in "\ufffe\uffff":
            continue
        if not pdfium_c.FPDFText_GetLooseCharBox(textpage, i, rect):
            continue
        xa, ya = to_display(rect.left, rect.top)
        xb, yb = to_display(rect.right, rect.bottom)
        found.append((i, text, (min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb))))
    if not found:
        return []
    usual = sorted(box[3] - box[1] for _, _, box in found)[len(found) // 2]
    chars = []
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    for i, text, box in found:
        if max(box[2] - box[0], box[3] - box[1]) > 3 * usual and pdfium_c.FPDFText_GetCharBox(
                textpage, i, left, right, bottom, top):
            xa, ya = to_display(left.value, top.value)
            xb, yb = to_display(right.value, bottom.value)
            box = (min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb))
        chars.append(Char(text, *box))
    return chars


def page_to_segments(page: pdfium.PdfPage, to_display: Point) -> list[dict]:
    """Straight horizontal and vertical rules, as pdfplumber edge dicts.

    A stroked path gives each of its axis-parallel line segments; a filled path gives a rule only when it is
    thin (a rule drawn as a rectangle): filled boxes are cell shading or paragraph backgrounds. White or
    transparent ink is skipped. Paths inside form XObjects count, with the form's matrix applied."""
    out: list[dict] = []
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    x, y = ctypes.c_float(), ctypes.c_float()
    rgba = [ctypes.c_uint() for _ in range(4)]
    matrix = pdfium_c.FS_MATRIX()

    def matrix_of(obj) -> _Matrix:
        if not pdfium_c.FPDFPageObj_GetMatrix(obj, matrix):
            return (1, 0, 0, 1, 0, 0)
        return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)

    def inked(obj, getter) -> bool:
        if not getter(obj, *rgba):
            return True
        r, g, b, a = (v.value for v in rgba)
        return a > 0 and min(r, g, b) < 250

    def collect(obj, parent: _Matrix | None, depth: int) -> None:
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 8:
            form = matrix_of(obj) if parent is None else _compose(matrix_of(obj), parent)
            for i in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
                collect(pdfium_c.FPDFFormObj_GetObject(obj, i), form, depth + 1)
            return
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH or not pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
            return
        stroked = bool(stroke.value) and inked(obj, pdfium_c.FPDFPageObj_GetStrokeColor)
        filled = fill_mode.value != 0 and inked(obj, pdfium_c.FPDFPageObj_GetFillColor)
        if stroked or filled:
            own = matrix_of(obj)
            _path_segments(obj, own if parent is None else _compose(own, parent), stroked, filled, to_display, x, y, out)

    raw = page.raw
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        collect(pdfium_c.FPDFPage_GetObject(raw, i), None, 0)
    return out


_Matrix = tuple[float, float, float, float, float, float]


def _compose(inner: _Matrix, outer: _Matrix) -> _Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _path_segments(obj, m: _Matrix, stroked: bool, filled: bool, to_display: Point,
                   x: ctypes.c_float, y: ctypes.c_float, out: list[dict]) -> None:
    a, b, c, d, e, f = m
    points: list[tuple[tuple[float, float], int]] = []     # (display point, segment type)
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        if not pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
            continue
        point = to_display(a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        points.append((point, pdfium_c.FPDFPathSegment_GetType(segment)))
        if pdfium_c.FPDFPathSegment_GetClose(segment):
            start = next((p for p, kind in reversed(points) if kind == pdfium_c.FPDF_SEGMENT_MOVETO), points[0][0])
            points.append((start, pdfium_c.FPDF_SEGMENT_LINETO))
    if not points:
        return
    if stroked:     # straight pieces only: the points of a curve (a seal, a rounded corner) make no rule
        for (p0, _), (p1, kind) in zip(points, points[1:]):
            if kind == pdfium_c.FPDF_SEGMENT_LINETO:
                _add_segment(out, p0, p1)
    if filled:
        xs = [p[0] for p, _ in points]
        ys = [p[1] for p, _ in points]
        width, height = max(xs) - min(xs), max(ys) - min(ys)
        if height <= THIN < width:
            mid = (min(ys) + max(ys)) / 2
            _add_segment(out, (min(xs), mid), (max(xs), mid))
        elif width <= THIN < height:
            mid = (min(xs) + max(xs)) / 2
            _add_segment(out, (mid, min(ys)), (mid, max(ys)))


def _add_segment(out: list[dict], p0: tuple[float, float], p1: tuple[float, float]) -> None:
    (x0, y0), (x1, y1) = p0, p1
    if abs(y0 - y1) < 0.5 and abs(x0 - x1) >= 1:
        out.append(_edge("h", min(x0, x1), y0, max(x0, x1), y0))
    elif abs(x0 - x1) < 0.5 and abs(y0 - y1) >= 1:
        out.append(_edge("v", x0, min(y0, y1), x0, max(y0, y1)))


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict:
    return {"orientation": orientation, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top, "object_type": "line"}


# --- rules → grids → cells ------------------------------------------------------------------------------

def segments_to_edges(segments: list[dict]) -> list[dict]:
    """Snap nearly collinear rules together and join touching ones (pdfplumber's merge_edges)."""
    if not segments:
        return []
    return merge_edges(segments, SNAP, SNAP, SNAP, SNAP)


def _touch(h: dict, v: dict) -> bool:
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
            if _touch(edges[i], edges[j]):
                parent[find(i)] = find(j)
    groups: dict[int, list[dict]] = {}
    for i, edge in enumerate(edges):
        groups.setdefault(find(i), []).append(edge)
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
                out.append(_edge("h", lo, cut, hi, cut) if along == "v" else _edge("v", cut, lo, cut, hi))
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


def _positions(values: list[float]) -> tuple[float, ...]:
    """Distinct rule positions; positions closer than MIN_GAP are one (a double rule, a sliver column)."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] >= MIN_GAP:
            out.append(v)
    return tuple(out)


def _nearest(positions: tuple[float, ...], value: float) -> int:
    i = bisect_right(positions, value)
    if i > 0 and (i == len(positions) or value - positions[i - 1] <= positions[i] - value):
        return i - 1
    return i


def _rules(edges: list[dict], xs: tuple[float, ...], ys: tuple[float, ...]) -> tuple[set, set]:
    h_rules, v_rules = set(), set()
    for e in edges:
        if e["orientation"] == "h":
            i = _nearest(ys, e["top"])
            if abs(ys[i] - e["top"]) <= MIN_GAP:
                h_rules.update((i, j) for j in range(len(xs) - 1)
                               if e["x0"] <= xs[j] + SNAP and e["x1"] >= xs[j + 1] - SNAP)
        else:
            j = _nearest(xs, e["x0"])
            if abs(xs[j] - e["x0"]) <= MIN_GAP:
                v_rules.update((i, j) for i in range(len(ys) - 1)
                               if e["top"] <= ys[i] + SNAP and e["bottom"] >= ys[i + 1] - SNAP)
    return h_rules, v_rules


def group_to_grid(group: list[dict]) -> Grid | None:
    """The rule positions of one table and which grid segments carry a rule (printed or implied)."""
    implied = implied_edges(group)
    edges = segments_to_edges(group + implied) if implied else group
    xs = _positions([e["x0"] for e in edges if e["orientation"] == "v"])
    ys = _positions([e["top"] for e in edges if e["orientation"] == "h"])
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
    kept = [g for g in grids if not _is_frame(g, grids)]
    tables, outside = [], chars
    for grid in kept:
        boxes = grid_to_boxes(grid)
        table, outside = boxes_to_table(grid, boxes, outside, page)
        if table is not None:
            tables.append(table)
    return tables, outside


def _bbox(grid: Grid) -> tuple[float, float, float, float]:
    return grid.xs[0], grid.ys[0], grid.xs[-1], grid.ys[-1]


def _is_frame(grid: Grid, grids: list[Grid]) -> bool:
    x0, y0, x1, y1 = _bbox(grid)
    for other in grids:
        if other is grid:
            continue
        a0, b0, a1, b1 = _bbox(other)
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
        k = owner.get(i * n_cols + j) if 0 <= j < n_cols and 0 <= i < len(grid.ys) - 1 else None
        if k is None:
            outside.append(ch)
        else:
            inside[k].append(ch)
    if not any(inside):
        return None, chars
    cells = [Cell(row=b.row, col=b.col, rowspan=b.rowspan, colspan=b.colspan, page=page,
                  text=join_lines([line_of(ln).text for ln in chars_to_lines(inside[k])]),
                  bbox=(grid.xs[b.col], grid.ys[b.row], grid.xs[b.col + b.colspan], grid.ys[b.row + b.rowspan]),
                  top_drawn=b.top_drawn, bottom_drawn=b.bottom_drawn)
             for k, b in enumerate(boxes)]
    return PageTable(page=page, bbox=_bbox(grid), xs=grid.xs, cells=cells, n_rows=len(grid.ys) - 1), outside


# --- chars → lines --------------------------------------------------------------------------------------

def chars_to_lines(chars: list[Char]) -> list[list[Char]]:
    """Chars whose vertical centres agree (within half a char height) form a line, left to right."""
    lines: list[tuple[float, float, list[Char]]] = []   # (centre, height, chars)
    for ch in sorted(chars, key=lambda c: c.top + c.bottom):
        centre, height = (ch.top + ch.bottom) / 2, ch.bottom - ch.top
        if lines and abs(centre - lines[-1][0]) <= 0.5 * max(height, lines[-1][1]):
            c0, h0, members = lines[-1]
            members.append(ch)
            n = len(members)
            lines[-1] = (c0 + (centre - c0) / n, max(h0, height), members)
        else:
            lines.append((centre, height, [ch]))
    return [sorted(members, key=lambda c: c.x0) for _, _, members in lines]


def line_of(chars: list[Char]) -> Line:
    """A line's text (a space where the gap between two chars is wide) and its box.
    A char printed twice at the same place (simulated bold) counts once."""
    parts: list[str] = []
    previous: Char | None = None
    for ch in chars:
        if previous is not None:
            if ch.text == previous.text and abs(ch.x0 - previous.x0) < 1.0:
                continue
            if ch.x0 - previous.x1 > 0.3 * max(ch.bottom - ch.top, previous.bottom - previous.top):
                parts.append(" ")
        parts.append(ch.text)
        previous = ch
    bbox = (min(c.x0 for c in chars), min(c.top for c in chars), max(c.x1 for c in chars), max(c.bottom for c in chars))
    return Line("".join(parts), bbox)


def join_lines(texts: list[str]) -> str:
    """Lines of one cell joined without a separator (a label one char per line, a total wrapped "109"/"2"),
    except a space between two Latin letters."""
    out = ""
    for text in texts:
        if out and text and _ASCII_LETTER.match(out[-1]) and _ASCII_LETTER.match(text[0]):
            out += " "
        out += text
    return out


# --- pieces of a table across pages ---------------------------------------------------------------------

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
    xs = _positions([x for piece in chain for x in piece.xs])
    cells = _reindex(chain[0], xs)
    n_rows = chain[0].n_rows
    for piece in chain[1:]:
        part, part_rows = drop_repeated_header(cells, _reindex(piece, xs), piece.n_rows)
        cells, n_rows = attach(cells, n_rows, part, part_rows)
    return cells


def _reindex(piece: PageTable, xs: tuple[float, ...]) -> list[Cell]:
    out = []
    for c in piece.cells:
        col, end = _nearest(xs, piece.xs[c.col]), _nearest(xs, piece.xs[c.col + c.colspan])
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
    b_open = [not b.top_drawn for _, b in pairs]
    a_open = [not a.bottom_drawn for a, _ in pairs if a is not None]
    split_row = (all(b_open) and all(a_open) and all(a is not None for a, _ in pairs)
                 and not any(_NUMBER.match(a.text) and _NUMBER.match(b.text) for a, b in pairs)
                 and not any(_OUTLINE.match(b.text) for _, b in pairs)
                 and any(not a.text or not b.text for a, b in pairs))
    merged = set()
    for a, b in pairs:
        if a is None:
            continue
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


__all__ = ["read", "read_page", "pages_to_blocks"]
