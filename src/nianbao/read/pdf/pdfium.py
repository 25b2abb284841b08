"""pypdfium2 calls: opening a PDF safely, and a page's chars and path segments in display coordinates.

Why pypdfium2 and not pdfplumber for the geometry: pdfplumber parses the whole page with pdfminer before it
gives any line (measured on the real reports: 100–125 ms per table page for `page.edges` + `page.chars`, so
30–65 ms per page over a report), while pypdfium2 gives chars and path objects in 3–8 ms per page.
"""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import Callable

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from nianbao.read import sniff
from nianbao.read.errors import Unreadable
from nianbao.read.pdf.geometry import Char, edge

THIN = 2.0          # pt: a filled shape this thin is a rule drawn as a rectangle
_EOF_WINDOW = 1024   # a complete PDF ends with %%EOF within its last kilobyte


def _not_a_pdf(head: bytes) -> Unreadable | None:
    if sniff.is_pdf(head):
        return None
    what = sniff.known_format(head)
    return Unreadable("not-pdf", f"The file is named .pdf but is not a PDF: it is {what}." if what
                      else "The file is named .pdf but is not a PDF: it has no PDF header.")


def open_pdf(path: Path) -> pdfium.PdfDocument:
    """The open document, or `Unreadable` (not a PDF, cut short, damaged, protected by a password)."""
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


# --- chars and path segments in display coordinates -----------------------------------------------------

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
        out.append(edge("h", min(x0, x1), y0, max(x0, x1), y0))
    elif abs(x0 - x1) < 0.5 and abs(y0 - y1) >= 1:
        out.append(edge("v", x0, min(y0, y1), x0, max(y0, y1)))


__all__ = ["Point", "display_transform", "open_pdf", "page_to_chars", "page_to_segments"]
