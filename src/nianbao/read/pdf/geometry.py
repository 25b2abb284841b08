"""The PDF reader's public geometry: what a page is made of, and chars grouped into lines.

Coordinates are display coordinates (the page as a viewer shows it, /Rotate applied): x to the right, y down
from the top, in points, like pdfplumber's (x0, top, x1, bottom). The scan reader (`read.scan`) builds the same
values from page images, in points too, so the grid and join code applies to both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

MARGIN = 0.1        # fraction of the page height at top and bottom where page numbers stand
_PAGE_NUMBER = re.compile(r"^[-—–－~\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?"
                          r"[-—–－~\s]*$")
_ASCII_LETTER = re.compile(r"[A-Za-z]")


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



def edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict:
    """A rule as pdfplumber's edge dict ("h" or "v"), which its `merge_edges` takes."""
    return {"orientation": orientation, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top, "object_type": "line"}


def is_page_number(line: Line, height: float) -> bool:
    """A line in the top or bottom margin that is only a page number ("- 3 -", "第 3 页 共 6 页")."""
    in_margin = line.bbox[3] < MARGIN * height or line.bbox[1] > (1 - MARGIN) * height
    return in_margin and bool(_PAGE_NUMBER.match(line.text))


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




__all__ = ["Box", "Cell", "Char", "Grid", "Line", "PageContent", "PageTable", "chars_to_lines", "edge",
           "is_page_number", "join_lines", "line_of"]
