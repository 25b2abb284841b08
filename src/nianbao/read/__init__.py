"""Stage 1 — read: a file path becomes a `Document` (text blocks and tables with provenance).

Readers are chosen by file extension from a plain dict; each is a function `path -> Document`
that raises `Unreadable` with a one-sentence reason when the file cannot be read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from nianbao.model.document import Document
from nianbao.read import html, office, scan, text
from nianbao.read.errors import Unreadable

Reader = Callable[[Path], Document]

READERS: dict[str, Reader] = {
    ".txt": text.read,
    ".md": text.read,
    ".text": text.read,
    ".html": html.read,
    ".htm": html.read,
    ".shtml": html.read,
    ".pdf": scan.read_pdf,                 # the text layer; pages without one by OCR (issue 8)
    ".docx": office.read_docx,
    ".doc": office.read_legacy_word,
    ".wps": office.read_legacy_word,
    ".rtf": office.read_legacy_word,
    ".xlsx": office.read_spreadsheet,
    ".xls": office.read_spreadsheet,
    ".et": office.read_spreadsheet,
    **{suffix: scan.read_image for suffix in scan.IMAGE_SUFFIXES},   # page images: OCR (issue 8)
}


def read_document(path: Path) -> Document:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise Unreadable("unsupported-format",
                         f"Files of type '{path.suffix or '(none)'}' are not supported.")
    if path.stat().st_size == 0:
        raise Unreadable("empty-file", "The file is empty.")
    return reader(path)


__all__ = ["READERS", "Unreadable", "read_document"]
