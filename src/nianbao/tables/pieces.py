"""Stage 2a — a Document becomes one flat sequence of pieces in reading order.

A piece is a table cell (grid or delimited table: its position is proven, and an empty cell is an explicit
blank) or a whitespace-separated token of a text line (flattened text: empty cells have vanished). Labels
and values are told apart here, once; everything after works on pieces, whatever the reader was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property

from nianbao.model.document import Document, Table, TextBlock, Where
from nianbao.model.normalize import canon, strip_numbering
from nianbao.model.values import Parsed, parse_cell

_UNIT_WORDS = {"万元", "元", "件", "项"}
# Where a label glued to the row-group label starts: "三、本年度办理结果（一）予以公开".
_INNER_NUMBERING = re.compile(r"\([一二三四五六七八九十]+\)|(?<=[^\d.])\d+\.(?=\D)")


@dataclass(frozen=True)
class Piece:
    index: int
    text: str                 # as printed
    canon: str                # canonical form (see normalize.canon)
    value: Parsed | None      # None: a label or prose, not a value
    row: tuple[int, int] | None   # (block, row) of a table row; None for a token of a text line
    line: int                 # (block, row) or text line this piece belongs to, as a sequence number
    where: Where
    cut: bool = False         # the document's last token when its text stops mid-line: maybe a fragment
    grid: bool = False        # a cell of a grid table (true geometry): its column is proven

    @property
    def is_label(self) -> bool:
        return self.value is None

    @property
    def is_blank(self) -> bool:
        return self.value is not None and self.value.kind == "blank"

    @property
    def parsed(self) -> Parsed:
        """The value of a value piece; a label has none."""
        if self.value is None:
            raise ValueError(f"piece {self.index} is a label, not a value: {self.text!r}")
        return self.value

    @property
    def is_number(self) -> bool:
        return self.value is not None and self.value.kind != "blank"

    @cached_property
    def label_cores(self) -> tuple[str, ...]:
        """cores() of a label that is not prose; () for values and sentences (computed once)."""
        return self.cores() if self.is_label and not is_prose(self) else ()

    def cores(self) -> tuple[str, ...]:
        """The label text without outline numbers, from its start and from each inner outline number."""
        found = [strip_numbering(self.canon)]
        for match in _INNER_NUMBERING.finditer(self.canon):
            found.append(strip_numbering(self.canon[match.start():]))
        return tuple(dict.fromkeys(c for c in found if c))


def pieces_of(document: Document) -> list[Piece]:
    pieces: list[Piece] = []
    line_no = 0
    for b, block in enumerate(document.blocks):
        if isinstance(block, TextBlock):
            line_no += 1
            for token in _tokens(block.text):
                pieces.append(_piece(len(pieces), token, None, line_no, block.where, in_table=False))
        elif isinstance(block, Table):
            for r, row in enumerate(block.rows()):
                line_no += 1
                for cell in row:
                    pieces.append(_piece(len(pieces), cell.text, (b, r), line_no, cell.where, in_table=True,
                                         grid=block.kind == "grid"))
    if document.cut_mid_line and pieces:
        pieces[-1] = replace(pieces[-1], cut=True)
    return pieces


def _piece(index: int, text: str, row, line: int, where: Where, in_table: bool, grid: bool = False) -> Piece:
    value = parse_cell(text)
    if not in_table and value is not None and value.kind == "blank":
        value = None
    return Piece(index=index, text=text, canon=canon(text), value=value, row=row, line=line, where=where, grid=grid)


def _tokens(text: str) -> list[str]:
    """Whitespace tokens, with a unit written apart from its number put back on it ("63.28 万元")."""
    tokens: list[str] = []
    for token in text.split():
        if token in _UNIT_WORDS and tokens and parse_cell(tokens[-1]) is not None:
            tokens[-1] += token
        else:
            tokens.append(token)
    return tokens


def by_line(pieces: list[Piece]) -> list[list[Piece]]:
    """The pieces grouped by table row or text line, in reading order."""
    lines: dict[int, list[Piece]] = {}
    for p in pieces:
        lines.setdefault(p.line, []).append(p)
    return list(lines.values())


def is_prose(piece: Piece) -> bool:
    """A sentence, not a cell: ending like one, or long outside a table (a table cell may hold a long label
    with fill-in instructions, as provincial versions print)."""
    sentence = piece.canon.endswith(("。", ";")) or "。" in piece.canon[:-1]
    return piece.is_label and (sentence or (len(piece.canon) > 40 and piece.row is None))
