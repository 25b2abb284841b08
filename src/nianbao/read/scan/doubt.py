"""What the OCR reader is sure of, cell by cell: the recogniser's confidence, and doubts of its own.

A line read with letters taken for digits (O→0, l→1) is doubtful whatever the confidence. A table cell read
as neither number nor Chinese text ("0E", a speck read as "'"), holding ink read as nothing, or holding a
number read with confidence below `UNSURE` (on scans coarser than 150 dpi, most of those are wrong): such a cell
becomes the placeholder `UNREAD` (unreadable, in its own column, so its row still counts its cells and its
neighbours keep their columns) and says why in `where.doubt`. After the checks, `nianbao.checks.review` turns
low confidence, a doubt, an unreadable or missing cell, and a failed identity into the flag `review`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import NamedTuple

from nianbao.model.document import OcrWhere, Table, TextBlock, Where
from nianbao.model.values import parse_cell
from nianbao.read.pdf.geometry import PageTable

UNSURE = 0.7              # a number read with less confidence than this is not taken (most such reads are wrong)
UNREAD = "?"              # a placeholder (unreadable): what stands in a cell read as neither number nor text
_LOOKS_NUMERIC = re.compile(r"^[\dOolI|.,\-]+$")
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})
_NUMERIC = re.compile(r"^-?\d[\d,]*(?:\.\d+)?$")
_CJK = re.compile(r"[\u3400-\u9fff]")
_GLUED_NUMBER = re.compile(r"[\u3400-\u9fff][)）]?\s*\d[\d,.]*$")   # 行政许可58
_OUTLINE_NUMBER = re.compile(r"^\d{1,2}[.,、]$")   # "2." of "2.重复申请", its words cut off by a stroke taken for a rule


class Reading(NamedTuple):
    """A text line as the recogniser read it, its box in points and its page; `doubt` says why it is doubtful
    whatever its confidence ("" when it is not)."""

    page: int
    bbox: tuple[float, float, float, float]
    text: str
    confidence: float
    doubt: str = ""


def clean(text: str) -> str:
    """Fullwidth forms folded (NFKC); in a line that is a number apart from look-alike letters, O→0 and l/I/|→1."""
    text = unicodedata.normalize("NFKC", text).strip()
    if _LOOKS_NUMERIC.match(text):
        candidate = text.translate(_DIGIT_LOOKALIKES)
        if _NUMERIC.match(candidate):
            return candidate
    return text


def mark_unparsed_cells(tables: list[PageTable], readings: list[Reading], page: int) -> list[Reading]:
    """A table cell is where a number may be. One read without any Chinese character that is not a number, a
    blank or a placeholder ("0E", "1.0."), a number read with confidence below `UNSURE`, or ink the
    recogniser read as nothing, was not read: its text becomes the placeholder `UNREAD` (unreadable, in its
    own column, so its row still counts its cells, and never blank); a reading covering the cell says why, as
    the cell's doubt."""
    marks = []
    for table in tables:
        for cell in table.cells:
            why = _not_read(cell.text, [r for r in readings if _centre_in(r.bbox, cell.bbox)])
            if why:
                marks.append(Reading(page, cell.bbox, "", 1.0, why))
                cell.text = UNREAD
    return marks


def mark_unproven_splits(tables: list[PageTable], page: int) -> list[Reading]:
    """Two numbers side by side in a row, parted by a rule that neither the row above nor the row below has: a
    stroke of a digit taken for a rule may have cut one number in two ("31" as 3 | 1). Neither is taken (both
    `UNREAD`). A table of one row (the rest of a table atop a page) has no neighbour to ask and is left."""
    marks = []
    for table in tables:
        if table.n_rows < 2:
            continue
        starts = {(c.row + k, c.col) for c in table.cells for k in range(c.rowspan)}
        for a in table.cells:
            for b in table.cells:
                if (a.row, a.rowspan, b.rowspan) == (b.row, 1, 1) and a.col + a.colspan == b.col \
                        and not ({(a.row - 1, b.col), (a.row + 1, b.col)} & starts) \
                        and _is_number(a.text) and _is_number(b.text):
                    for cell in (a, b):
                        marks.append(Reading(page, cell.bbox, "", 1.0, f"read as {cell.text!r}, parted from "
                                                                       "its neighbour by a rule no other row has"))
                        cell.text = UNREAD
    return marks


def _is_number(text: str) -> bool:
    parsed = parse_cell(text)
    return parsed is not None and parsed.kind == "value"


def _not_read(text: str, inside: list[Reading]) -> str:
    """Why a cell's text, made of these readings, is no reading of it ("" when it is one)."""
    if not text:
        return "ink read as nothing" if inside else ""
    parsed = parse_cell(text)
    if parsed is None:
        if _GLUED_NUMBER.search(text):
            return f"read as {text!r}: a number in a label's cell (a rule between them lost)"
        if len(_CJK.findall(text)) >= 2 or _OUTLINE_NUMBER.match(text):
            return ""       # a label, or a piece of one
        # Nothing of a label: "0E", a speck, "一" for a dash, "一7WGLL".
        return f"read as {text!r}: not a number"
    if any(not r.text for r in inside):
        return f"read as {text!r}, more ink read as nothing"
    sure = min((r.confidence for r in inside if r.text), default=1.0)
    if parsed.kind == "value" and sure < UNSURE:
        return f"read as {text!r} with confidence {sure:.2f}"
    return ""


def _centre_in(box: tuple[float, float, float, float], cell: tuple[float, float, float, float]) -> bool:
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return cell[0] <= x <= cell[2] and cell[1] <= y <= cell[3]


# --- provenance -----------------------------------------------------------------------------------------

def with_provenance(block, readings: list[Reading], scale: float):
    """Boxes times `scale` (pixels for a scan, 1 where OCR read pages of a text PDF); table cells with the lowest
    confidence of the lines read inside them (none for cells on pages not read by OCR)."""
    if isinstance(block, TextBlock):
        return replace(block, where=_where_with_confidence(block.where, readings, scale))
    cells = tuple(replace(c, where=_where_with_confidence(c.where, readings, scale)) for c in block.cells)
    return Table(cells=cells, kind=block.kind, where=_in_pixels(block.where, scale))


def _in_pixels(where: Where, scale: float, confidence: float | None = None, doubt: str | None = None) -> OcrWhere:
    bbox = None
    if where.bbox is not None:
        x0, top, x1, bottom = (round(v * scale, 1) for v in where.bbox)
        bbox = (x0, top, x1, bottom)
    return OcrWhere(page=where.page, line=where.line, table=where.table, row=where.row, col=where.col,
                    bbox=bbox, confidence=None if confidence is None else round(confidence, 3), doubt=doubt)


def _where_with_confidence(where: Where, readings: list[Reading], scale: float) -> OcrWhere:
    """A cell's or text line's place, with the lowest confidence of the readings whose centre lies in its box,
    and their doubts."""
    if where.bbox is None:
        return _in_pixels(where, scale)
    x0, y0, x1, y1 = where.bbox
    inside = [r for r in readings if r.page == where.page
              and x0 <= (r.bbox[0] + r.bbox[2]) / 2 <= x1 and y0 <= (r.bbox[1] + r.bbox[3]) / 2 <= y1]
    doubts = "; ".join(dict.fromkeys(r.doubt for r in inside if r.doubt)) or None
    return _in_pixels(where, scale, min(r.confidence for r in inside) if inside else None, doubts)


__all__ = ["UNREAD", "OcrWhere", "Reading", "clean", "mark_unparsed_cells", "mark_unproven_splits", "with_provenance"]
