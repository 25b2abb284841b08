"""Scans: PDFs without a text layer, the scanned pages of a text PDF, and page images, read by OCR.

It stands on the PDF reader's public geometry, grid and join code (a scanned page becomes the same
`PageContent` as a printed one); the PDF reader knows nothing of it. `read_pdf` is the registry's reader for
.pdf: the text layer first (`read.pdf`), OCR for the pages without one. Modules: `reader` (entry points, the OCR
engine), `page` (one page image → lines and tables), `image` (OpenCV: rules, deskew, text lines), `doubt`
(confidence, doubts and the flag `review`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from nianbao.model.document import Document
from nianbao.read import pdf
from nianbao.read.scan.doubt import with_provenance
from nianbao.read.scan.reader import (
    DPI,
    IMAGE_SUFFIXES,
    NEEDS_EXTRA,
    load_engine,
    page_image,
    read_blank_pages,
    read_image,
    read_scanned_pdf,
)


def read_pdf(path: Path) -> Document:
    """A PDF: its text layer, and its pages without one read by OCR where the `ocr` extra is installed (all of
    them when no page has text); the cells read by OCR carry its confidence."""
    layer = pdf.read_text_layer(path)
    if not any(p.n_chars for p in layer.pages):
        return read_scanned_pdf(path)
    readings = read_blank_pages(path, layer.pages, layer.damaged)
    document = pdf.to_document(path, layer)
    if not readings:
        return document
    note = f"pages read by OCR at {DPI} dpi: {', '.join(sorted({str(r.page) for r in readings}))}"
    return replace(document, blocks=tuple(with_provenance(block, readings, 1.0) for block in document.blocks),
                   notes=(*document.notes, note))


__all__ = ["DPI", "IMAGE_SUFFIXES", "NEEDS_EXTRA", "load_engine", "page_image", "read_image", "read_pdf",
           "read_scanned_pdf"]
