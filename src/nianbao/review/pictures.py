"""The picture of a work-list row: where the cell is in its source, as a person would look it up.

- a PDF's text layer: a crop of the page rendered by pdfium, the page's full width (the row's label shows) from
  the table's header down to the cell's row, the cell boxed in red (`Where.bbox` in points, y down);
- a scan: the same crop of the page image the OCR reader read (`read.scan.page_image`: bbox in its pixels);
- text, web pages, Word: the source lines (or table rows) around the cell, as text;
- a report that needs review: its first lines (its title, who writes it).
A file that cannot be read again gives no picture, never an error: the row still says where to look.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nianbao.model.document import Document, Table, TextBlock, Where
from nianbao.model.words import Reader
from nianbao.read import read_document
from nianbao.read.errors import Unreadable
from nianbao.review.rows import WorkRow
from nianbao.settle import WorkKind

if TYPE_CHECKING:
    from PIL import Image as PILImage

RENDER_SCALE = 2.0        # pixels per point of a PDF crop (144 dpi: small print stays legible)
PAD = 14.0                # pt above and below the cell's row
HEADER = 110.0            # pt above a table's first row read: its column headers (表四's three levels)
MAX_CROP = 300.0          # pt: a taller crop (header far above the row) shows the header and the row apart
GAP = 6.0                 # pt of grey between the header strip and the row strip
LINES_AROUND = 3          # source lines shown before and after the cell's line
OPENING_LINES = 6         # a report's first lines shown for a report that needs review
BOX = (220, 0, 0)         # the red of the box drawn round the cell


@dataclass(frozen=True)
class Picture:
    png: bytes | None = None      # a crop of the page (PDF, scan)
    lines: str = ""               # the source lines around the cell (text, web page, Word)


@dataclass(frozen=True)
class PageImage:
    image: PILImage.Image
    per_point: float          # pixels per point (pads and the header strip are in points)
    per_box_unit: float       # pixels per unit of a cell's bbox: points for a PDF, the image's pixels for a scan


class Pictures:
    """The picture of each row of one reports folder. Rows come file by file: each file is opened, and each of
    its pages rendered, once, and let go when the rows move on (a rendered page is ~6 MB)."""

    def __init__(self, reports_dir: Path):
        self.reports_dir = reports_dir
        self.documents: dict[str, Document | None] = {}
        self.pages: dict[tuple[str, int], PageImage | None] = {}
        self.file: str | None = None

    def of(self, row: WorkRow) -> Picture:
        if row.file != self.file:
            self.documents.clear()
            self.pages.clear()
            self.file = row.file
        if row.kind == WorkKind.DOCUMENT:     # its opening lines: the title and who writes (not a scan: OCR again)
            document = self._document(row.file) if row.reader != Reader.OCR else None
            return Picture(lines=opening_lines(document)) if document is not None else Picture()
        where = row.source
        if where.page is not None and where.bbox is not None and row.reader in (Reader.PDF, Reader.OCR):
            page = self._page(row.file, where.page, row.reader)
            return Picture(png=crop(page, where.bbox, row.table_top)) if page is not None else Picture()
        document = self._document(row.file)
        return Picture(lines=source_lines(document, where)) if document is not None else Picture()

    def _document(self, file: str) -> Document | None:
        if file not in self.documents:
            try:
                self.documents[file] = read_document(self.reports_dir / file)
            except (Unreadable, OSError):
                self.documents[file] = None
        return self.documents[file]

    def _page(self, file: str, number: int, reader: str) -> PageImage | None:
        key = (file, number)
        if key not in self.pages:
            try:
                self.pages[key] = (scan_page if reader == Reader.OCR else pdf_page)(self.reports_dir / file, number)
            except (Unreadable, OSError, IndexError, ValueError, ImportError):
                self.pages[key] = None
        return self.pages[key]


def pdf_page(path: Path, number: int) -> PageImage:
    """Page `number` of a PDF rendered by pdfium (rotation applied, as the text layer's boxes are), in colour."""
    from nianbao.read.pdf.pdfium import open_pdf
    document = open_pdf(path)
    try:
        if not 1 <= number <= len(document):
            raise IndexError(number)
        page = document[number - 1]
        try:
            return PageImage(page.render(scale=RENDER_SCALE).to_pil().convert("RGB"), RENDER_SCALE, RENDER_SCALE)
        finally:
            page.close()
    finally:
        document.close()


def scan_page(path: Path, number: int) -> PageImage:
    """Page `number` of a scan as the OCR reader read it: its cells' boxes are pixels of this image."""
    from PIL import Image

    from nianbao.read.scan import page_image
    gray, scale = page_image(path, number)
    return PageImage(Image.fromarray(gray).convert("RGB"), scale, 1.0)


def crop(page: PageImage, bbox: tuple[float, float, float, float], table_top: float | None) -> bytes:
    """The page's full width around the cell, from its table's header (when near; else a strip of it above) to
    below its row, the cell boxed in red: a PNG."""
    from PIL import ImageDraw

    unit, image = page.per_point, page.image
    x0, y0, x1, y1 = (round(v * page.per_box_unit) for v in bbox)
    row = (max(0, y0 - round(PAD * unit)), min(image.height, y1 + round(PAD * unit)))
    marked = image.copy()
    ImageDraw.Draw(marked).rectangle((x0 - 3, y0 - 3, x1 + 3, y1 + 3), outline=BOX, width=max(2, round(unit)))
    strips = [marked.crop((0, row[0], image.width, row[1]))]
    if table_top is not None:
        top = round(table_top * page.per_box_unit)
        header = (max(0, top - round(HEADER * unit)), top)
        if row[1] - header[0] <= MAX_CROP * unit:
            strips = [marked.crop((0, min(header[0], row[0]), image.width, row[1]))]
        elif header[1] <= row[0]:
            strips.insert(0, marked.crop((0, header[0], image.width, header[1])))
    out = _stacked(strips, round(GAP * unit)) if len(strips) > 1 else strips[0]
    buffer = io.BytesIO()
    out.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _stacked(strips: list[PILImage.Image], gap: int) -> PILImage.Image:
    from PIL import Image

    width = max(s.width for s in strips)
    out = Image.new("RGB", (width, sum(s.height for s in strips) + gap * (len(strips) - 1)), (200, 200, 200))
    y = 0
    for strip in strips:
        out.paste(strip, (0, y))
        y += strip.height + gap
    return out


def source_lines(document: Document, where: Where) -> str:
    """The lines around the cell's line (numbered, the cell's marked ▶), or its table's header and the rows around
    its row for a table with geometry (Word, web pages); empty when the reader gave neither."""
    if where.table is not None and where.row is not None:
        tables = [b for b in document.blocks if isinstance(b, Table)]
        if where.table < len(tables) and tables[where.table].kind == "grid":
            return _table_rows(tables[where.table], where.row)
    if where.line is None:
        return ""
    text = _line_texts(document)
    numbers = range(max(1, where.line - LINES_AROUND), where.line + LINES_AROUND + 1)
    return "\n".join(f"{'▶' if n == where.line else ' '} {n:>4}│ {text.get(n, '')}".rstrip() for n in numbers)


def opening_lines(document: Document) -> str:
    """The document's first lines of text (its title, often who writes it and for which year)."""
    lines = [b.text.strip() for b in document.blocks if isinstance(b, TextBlock) and b.text.strip()]
    return "\n".join(lines[:OPENING_LINES])


def _line_texts(document: Document) -> dict[int, str]:
    """Each numbered line's text: a text block's, or a table's cells printed on that line, side by side."""
    pieces: dict[int, list[str]] = {}
    for block in document.blocks:
        if isinstance(block, TextBlock) and block.where.line is not None:
            pieces.setdefault(block.where.line, []).append(block.text)
        elif isinstance(block, Table):
            for cell in block.cells:
                if cell.where.line is not None:
                    pieces.setdefault(cell.where.line, []).append(cell.text)
    return {n: " ".join(parts) for n, parts in pieces.items()}


def _table_rows(table: Table, row: int) -> str:
    """The table's first row (its header) and the rows around `row`, cells parted by │, the row marked ▶."""
    rows = table.rows()
    shown = sorted({0, *range(max(0, row - 1), min(len(rows), row + 2))})
    return "\n".join(f"{'▶' if n == row else ' '} {n + 1:>3}│ " + " │ ".join(c.text for c in rows[n]) for n in shown)
