"""Reading one printed cell: number, sign, unit — or blank, or unreadable, or not a value at all.

Rules (data dictionary): NFKC, strip all whitespace inside the cell, `1,325` → 1325, `+1`/`增1`/`增加1` → 1,
`减3`/`-3`/`−3` → -3, `63.28万元` → 63.28 万元, `3405820元` → 340.582 万元 (money columns only).
A blank is not zero. Text that stands where a number should ("减", "/", "-") is unreadable, never 0.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from nianbao.model.normalize import squash

# Dashes and separators to ASCII; 萬 (a Traditional mirror's 万元) to 万, which NFKC leaves alone.
_DASHES = str.maketrans({"−": "-", "－": "-", "—": "-", "–": "-", "﹣": "-", "，": ",", "．": ".", "萬": "万"})
_NUMBER = re.compile(
    r"^(?P<sign>增加|增|减少|减|\+|-)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<unit>万元|元|件|项|个|条|次)?$"
)
# What bodies print in a cell instead of a number. Each is kept as raw text with status unreadable.
_PLACEHOLDERS = {"-", "--", "---", "/", "//", "\\", "增", "减", "增减", "+", "无", "x", "X", "xx", "XX", "*", "×",
                 "…", "...", "?", "？", "空"}
_NUMBER_WITH_NOTE = re.compile(r"^[+\-]?\d[\d,.]*(?:万元|元|件|项)?\(.*\)?$")
_LABEL_NUMBERING = re.compile(r"^\d+[.,、]")

Kind = Literal["value", "blank", "unreadable"]


@dataclass(frozen=True)
class Parsed:
    kind: Kind
    value: int | Decimal | None = None
    unit: str | None = None        # the unit printed in the cell, if any


BLANK = Parsed("blank")


def parse_cell(raw: str) -> Parsed | None:
    """Classify printed cell text; None means it is not a value at all (a label or prose)."""
    text = squash(unicodedata.normalize("NFKC", raw)).translate(_DASHES)
    if not text:
        return BLANK
    match = _NUMBER.match(text)
    if match:
        return Parsed("value", _signed(match["num"], match["sign"]), match["unit"])
    if text in _PLACEHOLDERS:
        return Parsed("unreadable")
    if _NUMBER_WITH_NOTE.match(text) and not _LABEL_NUMBERING.match(text):
        return Parsed("unreadable")
    return None


def _signed(digits: str, sign: str | None) -> int | Decimal:
    digits = digits.replace(",", "")
    number: int | Decimal = Decimal(digits) if "." in digits else int(digits)
    return -number if sign in ("减", "减少", "-") else number


def to_wanyuan(value: int | Decimal, unit: str | None) -> Decimal:
    """Money in 万元, the unit every money cell is published in."""
    amount = Decimal(value)
    if unit == "元":
        amount = amount / Decimal(10000)
    return amount.normalize() if amount != amount.to_integral_value() else amount.quantize(Decimal(1))


def number_text(value: object) -> str:
    """A number as CSV text: integers as is, money without exponent (1.5E+2 → 150)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
