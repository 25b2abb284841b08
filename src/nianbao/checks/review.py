"""Cells a person should look at, once the checks have run: on a record read by OCR, the cells the recogniser
was unsure of and the cells of every failed identity (a misread digit breaks the report's own sums).

It runs after the checks because it reads their outcome; the recogniser's confidence and doubts come with each
cell's `OcrWhere` from the scan reader.
"""

from __future__ import annotations

from dataclasses import replace

from nianbao.model.document import OcrWhere, Where
from nianbao.model.record import Record
from nianbao.model.words import Flag, Reader

REVIEW_BELOW = 0.9        # a cell read with less confidence than this is flagged `review`
REVIEW = Flag.REVIEW


def review_flags(record: Record) -> Record:
    """On a record read by OCR (in whole or in part), flag `review` every cell the recogniser was unsure of,
    every cell that came out `unreadable` or `missing` (a misread label or a lost rule does that), and every cell
    of a failed identity check (the report's own sums are the safety net: a misread digit breaks them).
    Records of other readers are returned unchanged."""
    if record.reader != Reader.OCR and not any(_confidence(c.where) is not None for c in record.cells.values()):
        return record
    doubtful = {cid for cid, c in record.cells.items()
                if _unsure(c.where) or c.status in ("unreadable", "missing")}
    for check in record.checks:
        if check.ok is False and check.severity == "hard":
            doubtful.update(check.cells)
    cells = {cid: replace(c, flags=(*c.flags, REVIEW)) if cid in doubtful and REVIEW not in c.flags else c
             for cid, c in record.cells.items()}
    return replace(record, cells=cells)


def _confidence(where: Where) -> float | None:
    return where.confidence if isinstance(where, OcrWhere) else None


def _unsure(where: Where) -> bool:
    """Read with less confidence than `REVIEW_BELOW`, or with a doubt whatever the confidence."""
    confidence = _confidence(where)
    return (confidence is not None and confidence < REVIEW_BELOW) or (isinstance(where, OcrWhere) and bool(where.doubt))


__all__ = ["REVIEW", "REVIEW_BELOW", "review_flags"]
