"""The OCR reader's entry points: scanned PDFs (no text layer), the blank pages of a text PDF, page images.

Each page becomes the PDF reader's `PageContent` (in points, as if the page had a text layer), so tables cut by a
page break are joined and the rest of the pipeline sees the same `Document` as for a text PDF; the title and
other lines outside the tables are text blocks in reading order. Provenance: every box is in pixels of the
(deskewed) page image, and a table cell carries the recogniser's confidence (the lowest of its lines) and its
doubts (`doubt`), as an `OcrWhere`.

The optional extra `nianbao[ocr]` (rapidocr 3.x, which ships its ONNX models in the wheel and runs offline;
onnxruntime; OpenCV) is imported only when a scan is read.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from nianbao.model.document import Document
from nianbao.model.words import Reader
from nianbao.read.errors import Unreadable
from nianbao.read.pdf.geometry import PageContent
from nianbao.read.pdf.join import pages_to_blocks
from nianbao.read.pdf.pdfium import open_pdf
from nianbao.read.scan.doubt import Reading, with_provenance
from nianbao.read.scan.page import levelled, read_page_image

if TYPE_CHECKING:
    import numpy as np

DPI = 200                 # scanned PDF pages are rendered at this resolution
A4_WIDTH = 595.28         # pt: an image's short side is taken to be an A4 page's width
A4_RATIO = 297 / 210
NEEDS_EXTRA = "This is a scan and reading it needs OCR, which is not installed: pip install 'nianbao[ocr]'."
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


# --- entry points ---------------------------------------------------------------------------------------

def read_scanned_pdf(path: Path) -> Document:
    """A PDF without a text layer: every page rendered and read by OCR."""
    engine = load_engine()
    document = open_pdf(path)
    try:
        images = [_render(document[i]) for i in range(len(document))]
    finally:
        document.close()
    return _document(path, images, DPI / 72, engine, f"pdf: {len(images)} pages without a text layer, read by OCR "
                                                     f"at {DPI} dpi")


def read_blank_pages(path: Path, pages: list[PageContent], damaged: list[int]) -> list[Reading]:
    """In a PDF with a text layer, pages without one (a scanned page among printed ones) read by OCR, in place,
    where the extra is installed and OCR finds text on them; the readings, to give cells their confidence."""
    blank = [p.number for p in pages if not p.n_chars and p.number not in damaged]
    if not blank:
        return []
    try:
        engine = load_engine()
    except Unreadable:
        return []
    document = open_pdf(path)
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
    engine = load_engine()
    frames = [_at_most_ocr_dpi(frame) for frame in _image_pages(path)]
    images, n_frames = [page for image in frames for page in _pages_of(image)], len(frames)
    scale = min(images[0].shape) / A4_WIDTH
    cut = " (a long image cut into pages at blank rows; boxes are on those pages)" if len(images) > n_frames else ""
    return _document(path, images, scale, engine, f"image: {len(images)} page(s), read by OCR{cut}")


def page_image(path: Path, number: int) -> tuple[np.ndarray, float]:
    """Page `number` (1-based) of a scan as its reader read it — rendered at DPI (a PDF) or cut from the image,
    made white and level — and its pixels per point: the image a cell's `OcrWhere.bbox` is in pixels of
    (for `nianbao review`'s pictures). Raises IndexError for a page the scan does not have."""
    if path.suffix.lower() == ".pdf":
        document = open_pdf(path)
        try:
            gray, scale = _render(document[number - 1]), DPI / 72
        finally:
            document.close()
    else:
        images = [page for frame in _image_pages(path) for page in _pages_of(_at_most_ocr_dpi(frame))]
        gray, scale = images[number - 1], min(images[0].shape) / A4_WIDTH
    return levelled(gray, scale)[0], scale


def load_engine():
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
    from nianbao.read.scan import image as scan_image   # OpenCV: the `ocr` extra

    height, width = image.shape
    page_height = width * A4_RATIO
    if height < 1.5 * page_height:
        return [image]
    cuts = [0, *scan_image.page_cuts(image, page_height), height]
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
    blocks, joins = pages_to_blocks(pages)
    notes = [note, (f"ocr: boxes are pixels of the deskewed page images ({72 * scale:.0f} dpi); table cells "
                    "carry the OCR confidence")]
    notes.extend(f"page {n} turned {a:+.2f}° to level it" for n, a in enumerate(angles, start=1) if a)
    notes.extend(f"table continued across pages {a}-{b}" for a, b in joins)
    return Document(source=str(path), blocks=tuple(with_provenance(b, readings, scale) for b in blocks),
                    reader=Reader.OCR, pages=len(pages), notes=tuple(notes))


# --- one page -------------------------------------------------------------------------------------------


__all__ = ["DPI", "IMAGE_SUFFIXES", "NEEDS_EXTRA", "load_engine", "page_image", "read_blank_pages", "read_image",
           "read_scanned_pdf"]
