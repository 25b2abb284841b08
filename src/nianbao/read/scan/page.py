"""One page image → its lines and tables, in points, as the PDF reader's `PageContent`, and the readings.

    page image ─ paper made white ─ deskew ─ rules (OpenCV, in the tables' connected ink; strokes of text
               │                                 left out) → the PDF reader's grid code (rules → grids → spans)
               └ text ink (no shadows, seals, rules) → text lines → rapidocr's recogniser (one batch per page)
                 → "chars" put into the cell whose box holds them; a cell read as no number is unreadable

Why the recogniser alone, without rapidocr's text detector: the grid already says where the text is, and
cutting cell ink into lines by its row profile is ~10× faster than detecting text on the whole page.
"""

from __future__ import annotations

import unicodedata
from statistics import median
from typing import TYPE_CHECKING

from nianbao.read.pdf.geometry import Char, Grid, PageContent, chars_to_lines, edge, is_page_number, line_of
from nianbao.read.pdf.grid import (
    edges_to_groups,
    grid_bbox,
    grid_to_boxes,
    grids_to_tables,
    group_to_grid,
    is_frame,
    segments_to_edges,
    touch,
)
from nianbao.read.scan.doubt import Reading, clean, mark_unparsed_cells, mark_unproven_splits

if TYPE_CHECKING:
    import numpy as np

# `image` (OpenCV, numpy) comes with the `ocr` extra: it is imported inside the functions, when a scan is read.

MIN_TABLE_WIDTH = 72.0    # pt: narrower crossing strokes are a character, not a table
MIN_TABLE_HEIGHT = 14.0
FREE_TEXT_MIN = 0.5       # a line outside the tables read with less confidence than this is not text


def read_page_image(gray: np.ndarray, number: int, scale: float,
                    engine) -> tuple[PageContent, list[Reading], float]:
    """A page image → its lines and tables (in points, scale = pixels per point), the readings, the skew fixed."""
    from nianbao.read.scan import image

    gray, angle = levelled(gray, scale)
    segments, ink, rule_pixels = image.rules(gray, scale)
    edges = segments_to_edges(crossing_only([_edge(s, scale) for s in segments]))
    grids = [g for g in map(group_to_grid, edges_to_groups(edges)) if g is not None and _table_sized(g)]
    tables = [g for g in grids if not is_frame(g, grids)]
    table_boxes = [_pixel_box(grid_bbox(t), scale, round(2 * scale)) for t in tables]   # rule ends stick out
    text_ink = image.without_rules(ink, rule_pixels, table_boxes)
    boxes = text_boxes(text_ink, tables, scale)
    readings = recognise(engine, gray, boxes, number, scale)
    chars = [Char(r.text, *r.bbox) for r in readings if r.text]
    not_text = {Char(r.text, *r.bbox) for r in readings if r.confidence < FREE_TEXT_MIN}
    height = gray.shape[0] / scale
    content = PageContent(number=number, height=height)
    content.tables, outside = grids_to_tables(tables, chars, number)
    readings = readings + mark_unparsed_cells(content.tables, readings, number) \
        + mark_unproven_splits(content.tables, number)
    # Outside the tables, what the recogniser barely believes is no text (a seal, a picture, specks).
    outside = [c for c in outside if c not in not_text]
    content.n_chars = len(outside) + sum(bool(c.text) for t in content.tables for c in t.cells)
    content.lines = [ln for ln in map(line_of, chars_to_lines(outside))
                     if not is_page_number(ln, height)]
    return content, readings, angle


def levelled(gray: np.ndarray, scale: float) -> tuple[np.ndarray, float]:
    """The page as the recogniser reads it: paper made white, then turned level; and the angle it was turned by.
    Cells' boxes (`OcrWhere.bbox`) are pixels of this image."""
    from nianbao.read.scan import image

    return image.deskew(image.flatten(gray, scale))


def crossing_only(edges: list[dict]) -> list[dict]:
    """Rules that touch a rule of the other direction. A long stroke of a character (丨 in 12 pt prose) is
    ink like a short rule; left in, rules snap to it (pdfplumber snaps chains of nearby rules together)."""
    hs = [e for e in edges if e["orientation"] == "h"]
    vs = [e for e in edges if e["orientation"] == "v"]
    return ([h for h in hs if any(touch(h, v) for v in vs)]
            + [v for v in vs if any(touch(h, v) for h in hs)])


def _table_sized(grid: Grid) -> bool:
    """Crossing strokes of large characters (a title's 工, 口, 生) also make a grid, but a table is ruled
    along its top and bottom over (nearly) its whole width, and is wider than a few characters."""
    width = grid.xs[-1] - grid.xs[0]

    def ruled(i: int) -> float:
        return sum(grid.xs[j + 1] - grid.xs[j] for j in range(len(grid.xs) - 1) if (i, j) in grid.h_rules) / width

    return (width >= MIN_TABLE_WIDTH and grid.ys[-1] - grid.ys[0] >= MIN_TABLE_HEIGHT
            and min(ruled(0), ruled(len(grid.ys) - 1)) >= 0.9)


def _pixel_box(bbox: tuple[float, float, float, float], scale: float, margin: int = 0):
    from nianbao.read.scan import image

    x0, y0, x1, y1 = (round(v * scale) for v in bbox)
    return image.Box(max(0, x0 - margin), max(0, y0 - margin), x1 + margin, y1 + margin)


def _edge(segment, scale: float) -> dict:
    if segment.orientation == "h":
        y = segment.at / scale
        return edge("h", segment.a0 / scale, y, segment.a1 / scale, y)
    x = segment.at / scale
    return edge("v", x, segment.a0 / scale, x, segment.a1 / scale)


def text_boxes(text_ink: np.ndarray, tables: list[Grid], scale: float) -> list:
    """Boxes of text lines in pixels: one per line of each table cell, and the free text around the tables."""
    from nianbao.read.scan import image

    regions = []                      # (box, split lines at wide gaps?)
    free = text_ink.copy()
    for table in tables:
        for cell in grid_to_boxes(table):
            x0, y0 = table.xs[cell.col] * scale, table.ys[cell.row] * scale
            x1, y1 = table.xs[cell.col + cell.colspan] * scale, table.ys[cell.row + cell.rowspan] * scale
            regions.append((image.Box(round(x0) + 1, round(y0) + 1, round(x1) - 1, round(y1) - 1), False))
        x0, y0, x1, y1 = _pixel_box(grid_bbox(table), scale, round(2 * scale))   # rule ends stick out
        free[y0:y1, x0:x1] = 0
    free = image.text_only(free, scale)
    height, width = text_ink.shape
    regions.append((image.Box(0, 0, width, height), True))
    source = {True: free, False: text_ink}
    banded = [(box, split, image.bands(source[split], box)) for box, split in regions]
    line_height = _line_height([b for _, _, found in banded for b in found], scale)
    out = []
    for box, split, found in banded:
        for top, bottom in image.join_thin_bands(found, line_height):
            for piece in image.pieces_in_band(source[split], box, top, bottom, line_height, split):
                if max(piece.x1 - piece.x0, piece.y1 - piece.y0) >= 0.35 * line_height:   # not a speck
                    out.append(piece)
    return out


def _line_height(found: list[tuple[int, int]], scale: float) -> float:
    """The page's usual text line height in pixels (bands of single strokes left out)."""
    tall = [b - a for a, b in found if b - a >= 5 * scale]
    return float(median(tall)) if tall else 9 * scale


def recognise(engine, gray: np.ndarray, boxes: list, page: int, scale: float) -> list[Reading]:
    from nianbao.read.scan import image

    if not boxes:
        return []
    crops = [image.crop_for_ocr(gray, box, pad=max(4, round(2 * scale))) for box in boxes]
    result = engine.recognize_txt(crops)
    out = []
    for b, text, score in zip(boxes, result.txts, result.scores):
        cleaned = clean(text)
        folded = unicodedata.normalize("NFKC", text).strip()
        doubt = f"read as {folded!r}: letters taken for digits" if cleaned != folded else ""
        out.append(Reading(page, (b.x0 / scale, b.y0 / scale, b.x1 / scale, b.y1 / scale), cleaned, float(score),
                           doubt))
    return out



__all__ = ["crossing_only", "read_page_image", "recognise", "text_boxes"]
