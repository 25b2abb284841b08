"""OCR reader: scanned PDFs (pages without a text layer) and page images (.png .jpg .jpeg .tif .tiff).

    page image ─ paper made white ─ deskew ─ rules (OpenCV, in the tables' connected ink; strokes of text
               │                                 left out) → the PDF reader's grid code (rules → grids → spans)
               └ text ink (no shadows, seals, rules) → text lines → rapidocr's recogniser (one batch per page)
                 → "chars" put into the cell whose box holds them; a cell read as no number is unreadable

Each page becomes the PDF reader's `PageContent` (in points, as if the page had a text layer), so tables cut by a
page break are joined and the rest of the pipeline sees the same `Document` as for a text PDF; the title and
other lines outside the tables are text blocks in reading order. Provenance: every box is in pixels of the
(deskewed) page image, and a table cell carries the recogniser's confidence (the lowest of its lines) and its
doubts (`ocr_doubt`); `review_flags` turns them into the flag `review` on a record's cells.

Why the recogniser alone, without rapidocr's text detector: the grid already says where the text is, and
cutting cell ink into lines by its row profile is ~10× faster than detecting text on the whole page.
The optional extra `nianbao[ocr]` (rapidocr 3.x, which ships its ONNX models in the wheel and runs offline;
onnxruntime; OpenCV) is imported only when a scan is read.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING

from nianbao.model.document import Document
from nianbao.read import pdf
from nianbao.read.errors import Unreadable
from nianbao.read.ocr_doubt import (
    REVIEW,
    OcrWhere,
    Reading,
    clean,
    mark_unparsed_cells,
    mark_unproven_splits,
    review_flags,
    with_provenance,
)

if TYPE_CHECKING:
    import numpy as np

DPI = 200                 # scanned PDF pages are rendered at this resolution
A4_WIDTH = 595.28         # pt: an image's short side is taken to be an A4 page's width
A4_RATIO = 297 / 210
MIN_TABLE_WIDTH = 72.0    # pt: narrower crossing strokes are a character, not a table
MIN_TABLE_HEIGHT = 14.0
FREE_TEXT_MIN = 0.5       # a line outside the tables read with less confidence than this is not text
NEEDS_EXTRA = "This is a scan and reading it needs OCR, which is not installed: pip install 'nianbao[ocr]'."
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


# --- entry points ---------------------------------------------------------------------------------------

def read_scanned_pdf(path: Path) -> Document:
    """A PDF without a text layer: every page rendered and read by OCR."""
    engine = _engine()
    document = pdf._open(path)
    try:
        images = [_render(document[i]) for i in range(len(document))]
    finally:
        document.close()
    return _document(path, images, DPI / 72, engine, f"pdf: {len(images)} pages without a text layer, read by OCR "
                                                     f"at {DPI} dpi")


def read_blank_pages(path: Path, pages: list[pdf.PageContent], damaged: list[int]) -> list[Reading]:
    """In a PDF with a text layer, pages without one (a scanned page among printed ones) read by OCR, in place,
    where the extra is installed and OCR finds text on them; the readings, to give cells their confidence."""
    blank = [p.number for p in pages if not p.n_chars and p.number not in damaged]
    if not blank:
        return []
    try:
        engine = _engine()
    except Unreadable:
        return []
    document = pdf._open(path)
    readings: list[Reading] = []
    try:
        for number in blank:
            content, found, _ = read_page_image(_render(document[number - 1]), number, DPI / 72, engine)
            if content.n_chars:
                pages[number - 1] = content
                readings.extend(found)
    finally:
        document.close()
    return readings


def read_image(path: Path) -> Document:
    """A page image (a multi-page TIFF gives one page per frame)."""
    engine = _engine()
    frames = [_at_most_ocr_dpi(frame) for frame in _image_pages(path)]
    images, n_frames = [page for image in frames for page in _pages_of(image)], len(frames)
    scale = min(images[0].shape) / A4_WIDTH
    cut = " (a long image cut into pages at blank rows; boxes are on those pages)" if len(images) > n_frames else ""
    return _document(path, images, scale, engine, f"image: {len(images)} page(s), read by OCR{cut}")


def _engine():
    """rapidocr's engine (cached), or the reason a scan cannot be read without the `ocr` extra."""
    try:
        import cv2  # noqa: F401 — the grid code needs it
        from rapidocr import RapidOCR  # noqa: F401
    except ImportError:
        raise Unreadable("ocr-not-installed", NEEDS_EXTRA) from None
    return _cached_engine()


@lru_cache(maxsize=1)
def _cached_engine():
    from rapidocr import RapidOCR
    return RapidOCR(params={"Global.log_level": "error", "Global.use_det": False, "Global.use_cls": False,
                            "Rec.rec_batch_num": 8,
                            # the shortest width a line is padded to: most lines are one cell's number
                            "Rec.rec_img_shape": [3, 48, 96]})


def _render(page) -> np.ndarray:
    try:
        return page.render(scale=DPI / 72, grayscale=True).to_numpy().squeeze()
    finally:
        page.close()


def _image_pages(path: Path) -> list[np.ndarray]:
    import numpy as np
    from PIL import Image, ImageSequence, UnidentifiedImageError
    try:
        with Image.open(path) as image:
            return [np.asarray(frame.convert("L")) for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError):
        raise Unreadable("corrupt-image", "The image is damaged and cannot be opened.") from None


def _at_most_ocr_dpi(image: np.ndarray) -> np.ndarray:
    """An image finer than DPI (taking its short side for an A4 width) is scaled down to DPI: the recogniser
    reads lines 48 pixels high anyway, and finding rules and lines costs as many pixels as there are."""
    import cv2
    factor = DPI / 72 / (min(image.shape) / A4_WIDTH)
    return cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA) if factor < 0.9 else image


def _pages_of(image: np.ndarray) -> list[np.ndarray]:
    """A long image of A4 pages one under another (how reports are posted on social media) parts into its pages
    so that page numbers fall in margins and tables cut by a page break are joined, as in a PDF."""
    from nianbao.read import grid as grid_image

    height, width = image.shape
    page_height = width * A4_RATIO
    if height < 1.5 * page_height:
        return [image]
    cuts = [0, *grid_image.page_cuts(image, page_height), height]
    return [image[a:b] for a, b in pairwise(cuts)]


def _document(path: Path, images: list[np.ndarray], scale: float, engine, note: str) -> Document:
    pages, readings, angles = [], [], []
    for number, gray in enumerate(images, start=1):
        content, found, angle = read_page_image(gray, number, scale, engine)
        pages.append(content)
        readings.extend(found)
        angles.append(angle)
    if not any(p.n_chars for p in pages):
        if path.suffix.lower() == ".pdf":
            raise Unreadable("scanned-pdf", "The PDF has no text layer (a scan) and OCR found no text on it.")
        raise Unreadable("no-text-found", "OCR found no text in the image.")
    blocks, joins = pdf.pages_to_blocks(pages)
    notes = [note, (f"ocr: boxes are pixels of the deskewed page images ({72 * scale:.0f} dpi); table cells "
                    "carry the OCR confidence")]
    notes.extend(f"page {n} turned {a:+.2f}° to level it" for n, a in enumerate(angles, start=1) if a)
    notes.extend(f"table continued across pages {a}-{b}" for a, b in joins)
    return Document(source=str(path), blocks=tuple(with_provenance(b, readings, scale) for b in blocks),
                    reader="ocr", pages=len(pages), notes=tuple(notes))


# --- one page -------------------------------------------------------------------------------------------

def read_page_image(gray: np.ndarray, number: int, scale: float,
                    engine) -> tuple[pdf.PageContent, list[Reading], float]:
    """A page image → its lines and tables (in points, scale = pixels per point), the readings, the skew fixed."""
    from nianbao.read import grid as grid_image

    gray, angle = grid_image.deskew(grid_image.flatten(gray, scale))
    segments, ink, rule_pixels = grid_image.rules(gray, scale)
    edges = pdf.segments_to_edges(crossing_only([_edge(s, scale) for s in segments]))
    grids = [g for g in map(pdf.group_to_grid, pdf.edges_to_groups(edges)) if g is not None and _table_sized(g)]
    tables = [g for g in grids if not pdf._is_frame(g, grids)]
    table_boxes = [_pixel_box(pdf._bbox(t), scale, round(2 * scale)) for t in tables]   # rule ends stick out
    text_ink = grid_image.without_rules(ink, rule_pixels, table_boxes)
    boxes = text_boxes(text_ink, tables, scale)
    readings = recognise(engine, gray, boxes, number, scale)
    chars = [pdf.Char(r.text, *r.bbox) for r in readings if r.text]
    not_text = {pdf.Char(r.text, *r.bbox) for r in readings if r.confidence < FREE_TEXT_MIN}
    height = gray.shape[0] / scale
    content = pdf.PageContent(number=number, height=height)
    content.tables, outside = pdf.grids_to_tables(tables, chars, number)
    readings = readings + mark_unparsed_cells(content.tables, readings, number) \
        + mark_unproven_splits(content.tables, number)
    # Outside the tables, what the recogniser barely believes is no text (a seal, a picture, specks).
    outside = [c for c in outside if c not in not_text]
    content.n_chars = len(outside) + sum(bool(c.text) for t in content.tables for c in t.cells)
    content.lines = [ln for ln in map(pdf.line_of, pdf.chars_to_lines(outside))
                     if not pdf._is_page_number(ln, height)]
    return content, readings, angle


def crossing_only(edges: list[dict]) -> list[dict]:
    """Rules that touch a rule of the other direction. A long stroke of a character (丨 in 12 pt prose) is
    ink like a short rule; left in, rules snap to it (pdfplumber snaps chains of nearby rules together)."""
    hs = [e for e in edges if e["orientation"] == "h"]
    vs = [e for e in edges if e["orientation"] == "v"]
    return ([h for h in hs if any(pdf._touch(h, v) for v in vs)]
            + [v for v in vs if any(pdf._touch(h, v) for h in hs)])


def _table_sized(grid: pdf.Grid) -> bool:
    """Crossing strokes of large characters (a title's 工, 口, 生) also make a grid, but a table is ruled
    along its top and bottom over (nearly) its whole width, and is wider than a few characters."""
    width = grid.xs[-1] - grid.xs[0]

    def ruled(i: int) -> float:
        return sum(grid.xs[j + 1] - grid.xs[j] for j in range(len(grid.xs) - 1) if (i, j) in grid.h_rules) / width

    return (width >= MIN_TABLE_WIDTH and grid.ys[-1] - grid.ys[0] >= MIN_TABLE_HEIGHT
            and min(ruled(0), ruled(len(grid.ys) - 1)) >= 0.9)


def _pixel_box(bbox: tuple[float, float, float, float], scale: float, margin: int = 0):
    from nianbao.read import grid as grid_image
    x0, y0, x1, y1 = (round(v * scale) for v in bbox)
    return grid_image.Box(max(0, x0 - margin), max(0, y0 - margin), x1 + margin, y1 + margin)


def _edge(segment, scale: float) -> dict:
    if segment.orientation == "h":
        y = segment.at / scale
        return pdf._edge("h", segment.a0 / scale, y, segment.a1 / scale, y)
    x = segment.at / scale
    return pdf._edge("v", x, segment.a0 / scale, x, segment.a1 / scale)


def text_boxes(text_ink: np.ndarray, tables: list[pdf.Grid], scale: float) -> list:
    """Boxes of text lines in pixels: one per line of each table cell, and the free text around the tables."""
    from nianbao.read import grid as grid_image

    regions = []                      # (box, split lines at wide gaps?)
    free = text_ink.copy()
    for table in tables:
        for box in pdf.grid_to_boxes(table):
            x0, y0 = table.xs[box.col] * scale, table.ys[box.row] * scale
            x1, y1 = table.xs[box.col + box.colspan] * scale, table.ys[box.row + box.rowspan] * scale
            regions.append((grid_image.Box(round(x0) + 1, round(y0) + 1, round(x1) - 1, round(y1) - 1), False))
        x0, y0, x1, y1 = _pixel_box(pdf._bbox(table), scale, round(2 * scale))   # rule ends stick out
        free[y0:y1, x0:x1] = 0
    free = grid_image.text_only(free, scale)
    height, width = text_ink.shape
    regions.append((grid_image.Box(0, 0, width, height), True))
    source = {True: free, False: text_ink}
    banded = [(box, split, grid_image.bands(source[split], box)) for box, split in regions]
    line_height = _line_height([b for _, _, found in banded for b in found], scale)
    out = []
    for box, split, found in banded:
        for top, bottom in grid_image.join_thin_bands(found, line_height):
            for piece in grid_image.pieces_in_band(source[split], box, top, bottom, line_height, split):
                if max(piece.x1 - piece.x0, piece.y1 - piece.y0) >= 0.35 * line_height:   # not a speck
                    out.append(piece)
    return out


def _line_height(found: list[tuple[int, int]], scale: float) -> float:
    """The page's usual text line height in pixels (bands of single strokes left out)."""
    tall = [b - a for a, b in found if b - a >= 5 * scale]
    return float(median(tall)) if tall else 9 * scale


def recognise(engine, gray: np.ndarray, boxes: list, page: int, scale: float) -> list[Reading]:
    from nianbao.read import grid as grid_image

    if not boxes:
        return []
    crops = [grid_image.crop_for_ocr(gray, box, pad=max(4, round(2 * scale))) for box in boxes]
    result = engine.recognize_txt(crops)
    out = []
    for b, text, score in zip(boxes, result.txts, result.scores):
        cleaned = clean(text)
        folded = unicodedata.normalize("NFKC", text).strip()
        doubt = f"read as {folded!r}: letters taken for digits" if cleaned != folded else ""
        out.append(Reading(page, (b.x0 / scale, b.y0 / scale, b.x1 / scale, b.y1 / scale), cleaned, float(score),
                           doubt))
    return out


__all__ = ["IMAGE_SUFFIXES", "NEEDS_EXTRA", "REVIEW", "OcrWhere", "read_blank_pages", "read_image", "read_scanned_pdf", "review_flags", "with_provenance"]
