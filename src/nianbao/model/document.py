"""The document model every reader produces: text blocks and tables, each piece with provenance.

A reader turns a file into a `Document`; nothing after the read stage looks at the file again.
Tables come in two kinds:
- `grid`: true geometry (HTML, DOCX, PDF ruling lines): every cell has its row, column and spans.
- `delimited`: rows of cells whose boundaries the text proves (`| a | b |`, tab-indented Word cells),
  but whose spans are unknown: a cell's column is its position in the row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Where:
    """Where a piece was found in its file. It travels with the piece to the record's cell (`CellValue.where`);
    only `to_json` (the record's JSON, the package's `where` column) turns it into a dict, leaving out what is None.

    Bases and units:
    - `page`: 1-based page of a PDF or scan; None for every other reader.
    - `table`: 0-based index of the table in the document, in reading order, for every reader that sees tables
      (PDF, scan, DOCX, .doc/.wps/.rtf, spreadsheet, HTML); a table joined across PDF pages keeps one index.
    - `row`, `col`: 0-based grid position where a cell starts (its spans are on the `GridCell`).
    - `line`: 1-based, but each reader counts something different:
      text (.txt/.md, delimited tables too): the line of the file;
      HTML: the block in document order (text lines, captions and tables each count one);
      DOCX (and .doc/.wps/.rtf converted to DOCX): the paragraph of the body (empty ones counted, tables not);
      PDF and scans: the text line through the document (lines inside tables are not counted).
      Compare lines only within one document.
    - `bbox`: (x0, top, x1, bottom), y down from the page's top: in PDF points (display space, /Rotate applied)
      for a PDF's text layer; in pixels of the page image for a scan (`OcrWhere`). JSON rounds it to 0.1.
    """

    page: int | None = None
    line: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    bbox: tuple[float, float, float, float] | None = None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for name in ("page", "line", "table", "row", "col"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.bbox is not None:
            out["bbox"] = [round(v, 1) for v in self.bbox]
        return out


@dataclass(frozen=True)
class OcrWhere(Where):
    """Where a piece was read by OCR (a scan, or a page of a PDF without a text layer): `bbox` is in pixels of the
    page image (in points where OCR read a page of a text PDF); `confidence` is the recogniser's, 0–1, rounded
    to 3 decimals as published (so the review threshold sees what a reader sees)."""

    confidence: float | None = None
    doubt: str | None = None      # why a cell is doubtful whatever the confidence: lookalikes, text not a number

    def to_json(self) -> dict[str, object]:
        out = super().to_json()
        if self.confidence is not None:
            out["confidence"] = self.confidence
        if self.doubt:
            out["doubt"] = self.doubt
        return out


@dataclass(frozen=True)
class GridCell:
    row: int
    col: int
    text: str
    where: Where
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Table:
    cells: tuple[GridCell, ...]
    kind: Literal["grid", "delimited"]
    where: Where = Where()

    @property
    def n_rows(self) -> int:
        return max((c.row + c.rowspan for c in self.cells), default=0)

    def rows(self) -> list[list[GridCell]]:
        """Cells that start in each row, left to right (covered positions of a span are not repeated)."""
        out: list[list[GridCell]] = [[] for _ in range(self.n_rows)]
        for cell in self.cells:
            out[cell.row].append(cell)
        return [sorted(r, key=lambda c: c.col) for r in out]

    def text(self) -> str:
        return "\n".join(" ".join(c.text for c in row) for row in self.rows())


@dataclass(frozen=True)
class TextBlock:
    """A line (text), paragraph (DOCX, HTML) or text line of a page (PDF)."""

    text: str
    where: Where


Block = TextBlock | Table


@dataclass(frozen=True)
class Document:
    source: str
    blocks: tuple[Block, ...]
    reader: str
    title: str | None = None          # a title the container declares (HTML <title>, DOCX core title)
    pages: int | None = None
    notes: tuple[str, ...] = field(default=())  # what the reader noticed (encoding used, conversions)
    # The text stops in the middle of a line (a web archive kept only the page's first characters): its last
    # token may be a fragment, "12" cut to "1".
    cut_mid_line: bool = False

    def text(self) -> str:
        """All text in reading order, tables included (for detection, not for table parsing)."""
        parts = []
        for block in self.blocks:
            parts.append(block.text if isinstance(block, TextBlock) else block.text())
        return "\n".join(parts)
