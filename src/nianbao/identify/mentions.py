"""Names of bodies printed in a string, and which of them is the publishing body.

A mention is a body type of ``sectors.yaml`` with the region printed right before it (a county chain, a
township, a region in brackets), or a township name standing alone (河包镇2020年…报告), which stands for its
government. Names merely cited in the prose never count: ``mask`` blanks them out first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.identify import townships
from nianbao.identify.names import CJK, bodies, config, generic_pattern
from nianbao.identify.regions import Chain, admin_chains, best, near_match, regions

_LEVEL_WORDS = "省市区县州旗盟"
_SUBJECT_AFTER = ("按照", "根据", "认真", "坚持", "高度", "始终", "深入", "全面", "积极", "紧紧", "严格", "在", "以", "进一步",
                  "通过", "主动", "共")
_SUBJECT_BEFORE = re.compile(r"(?:现将|报告|年度|年\(|现公开|现公布|公布|编制|发布|涵盖|\d{4}年度?|编制单位:?|来源:?)$")
_WEB_AFTER = ("网", "门户", "官网", "公报", "官方", "微信", "政务")
# 本县/本市 name the place more often than the author (本市卫生健康事业): only 我 counts for them
_SELF_REF = re.compile(r"我(委|局|办|厅|署|县|区|市|街道|镇|乡)|本(委|局|办|街道|镇|乡)")
_GOV_TAIL = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:办公室|委员会|中心|局|馆|院)")
_NOT_IN_NAME = set("的和与及在对向从为是了将把被等、各全本我该年度于")
# Cited names: another document's title (unless it is this report), the object of 根据/按照/依据, and the
# superior body under whose guidance the work was done.
# The verb itself stays: it still marks the name before it as the subject (川汇区卫健委按照…).
_CITED = (re.compile(r"《[^《》]*》"),
          re.compile(r"(?<=根据|按照|依据|依照|遵照)[^，。；：,;:!?！？\n]{0,40}"),
          re.compile(r"(?<=在)[^，。；,;\n]{1,30}?(?:领导|指导|部署|监督)下"))
MASK = "□"
_VERB_BEFORE_NAME = re.compile(r"(?:现将|公布|公开|发布|编制|涵盖|总结|联系|来源|单位|报告|指导|领导)$")
# A unit of a township (大路镇卫生院2020年…报告) is not the township's government.
_TOWN_UNIT = re.compile(r"[\u4e00-\u9fff]{0,4}?(?:院|所|站|学校|小学|中学|中心|馆|队|委员会|办公室|局)"
                        r"(?=\d|年|政府信息|关于|$|[^\u4e00-\u9fff])")


@dataclass
class Mention:
    name: str                 # region as printed + full body type (a bare township: as printed)
    body: str                 # full body type, township/vertical prefix excluded
    sector: str | None
    chain: Chain | None
    national: bool
    start: int
    end: int
    printed: str              # the characters as printed (for signature lines)
    after: str                # a few characters after the name

    @property
    def township(self) -> bool:
        return self.chain is not None and self.chain.township is not None


def mask(s: str) -> str:
    """``s`` with every cited name blanked (same length, so positions and lines stay)."""
    for pattern in _CITED:
        s = pattern.sub(lambda m: m.group() if m.group().endswith("报告》") else MASK * len(m.group()), s)
    return s


# ------------------------------------------------------------------------------------------- chains


def chain_before(s: str, end: int, need_street: bool) -> Chain | None:
    """The region printed right before a body type at ``end``: admin chain, township, or in brackets."""
    options: list[Chain] = []
    if not need_street:
        options += admin_chains(s, end)
        if (bracketed := _bracketed(s, end)) is not None:
            options.append(bracketed)
    if (town := town_chain(s, end, need_street)) is not None:
        options.append(town)
    return best(options)


def town_chain(s: str, end: int, need_street: bool = False, min_len: int = 2, known_only: bool = False) -> Chain | None:
    """A township segment ending at ``end``, with the county chain printed before it if any."""
    suffix = next((x for x in townships.TOWN_SUFFIXES if s.startswith(x, end - len(x))), None)
    if suffix is None or (need_street and suffix != "街道"):
        return None
    # a known township name wins; with a county printed before it, only the places in that county
    known = []
    for seg_start in townships.starts_of_names(s, end):
        admin = _county_before(s, seg_start)
        if admin is not None or (end - seg_start >= min_len + 1 and _name_boundary(s, seg_start)):
            known.append((seg_start, admin))
    for seg_start, admin in sorted(known, key=lambda sa: (sa[1] is None, sa[0])):
        towns = townships.lookup(s[seg_start:end])
        if admin is None:
            return Chain(seg_start, "township", tuple(t.code for t in towns), False, township=s[seg_start:end])
        inside = townships.under(towns, admin.codes)
        if inside:
            return Chain(admin.start, "township", tuple(t.code for t in inside), True, township=s[seg_start:end])
    if known_only:
        return None
    # an unknown township under a known county: the county's code, no township code
    for width in range(1, 9):
        seg_start = end - len(suffix) - width
        if seg_start < 0 or not CJK.match(s[seg_start:end]):
            break
        admin = best([c for c in admin_chains(s, seg_start) if c.level in ("county", "prefecture")])
        if admin is not None:
            return Chain(admin.start, admin.level, admin.codes, admin.parent_printed, township=s[seg_start:end])
    return None


def _county_before(s: str, pos: int) -> Chain | None:
    """The county chain printed before a township, also across 人民政府 (越秀区人民政府北京街道办事处)."""
    admin = best([c for c in admin_chains(s, pos) if c.level != "township"])
    if admin is None and s.startswith("人民政府", pos - 4):
        admin = best([c for c in admin_chains(s, pos - 4) if c.level in ("county", "prefecture")])
    return admin


def without_contained(found: list[Mention]) -> list[Mention]:
    """Mentions that are not part of a longer one (越秀区人民政府 inside 越秀区人民政府北京街道办事处)."""
    contained = set()
    reach, reach_span = -1, None      # the furthest end of a span starting at or before this one
    for m in sorted(found, key=lambda m: (m.start, -m.end)):
        if reach >= m.end and reach_span != (m.start, m.end):
            contained.add(id(m))
        if m.end > reach:
            reach, reach_span = m.end, (m.start, m.end)
    return [m for m in found if id(m) not in contained]


def _name_boundary(s: str, pos: int) -> bool:
    """A name may start at ``pos``: not in the middle of a longer name (龙岗镇 inside 黄龙岗镇)."""
    return (pos == 0 or not CJK.match(s[pos - 1]) or s[pos - 1] in _NOT_IN_NAME
            or bool(_VERB_BEFORE_NAME.search(s, max(0, pos - 2), pos)))


def _unknown_township(s: str, end: int) -> int | None:
    """Where a township segment no data knows starts before ``end`` (新造镇 of 新造镇人民政府), if any."""
    suffix = next((x for x in townships.TOWN_SUFFIXES if s.startswith(x, end - len(x))), None)
    if suffix is None:
        return None
    start = end - len(suffix)
    while start > 0 and end - len(suffix) - start < 6 and CJK.match(s[start - 1]) and s[start - 1] not in _NOT_IN_NAME:
        start -= 1
    return start if end - len(suffix) - start >= 2 else None


def _bracketed(s: str, end: int) -> Chain | None:
    """武汉经济技术开发区(汉南区)卫生健康局: the region in brackets, the name from the zone before them."""
    if end < 3 or s[end - 1] != ")":
        return None
    open_at = s.rfind("(", max(0, end - 12), end - 1)
    inner = s[open_at + 1:end - 1] if open_at >= 0 else ""
    whole = [c for c in admin_chains(inner, len(inner)) if c.start == 0] if inner else []
    region = best(whole)
    if region is None:
        return None
    start = open_at
    while start > 0 and open_at - start < 14 and CJK.match(s[start - 1]):
        start -= 1
    name_start = next((p for p in range(start, open_at) if _region_starts(s, p)), None)
    if name_start is None:
        name_start = start if start == 0 or not CJK.match(s[start - 1]) else open_at
    return Chain(name_start, region.level, region.codes, region.parent_printed or name_start < open_at)


def _region_starts(s: str, pos: int) -> bool:
    r = regions()
    return any(s[pos:pos + n] in index for index, lens in ((r.province_index, r.province_lens),
               (r.city_index, r.city_lens), (r.county_index, r.county_lens)) for n in lens)


# ----------------------------------------------------------------------------------------- mentions


def mentions(s: str, allow_near: bool, allow_generic: bool, allow_bare: bool = True) -> list[Mention]:
    pattern, forms = bodies()
    national = config()["national"]
    matches = list(pattern.finditer(s))
    out: list[Mention] = []
    skip_next = False
    for i, m in enumerate(matches):
        if skip_next:
            skip_next = False
            continue
        body = forms[m.group()]
        start, end = m.start(), m.end()
        full, sector = body.full, body.sector
        # 人民政府 directly followed by another body (…区人民政府国有资产监督管理委员会): the latter is the body
        if sector == "gov" and full != "办事处":
            if i + 1 < len(matches) and matches[i + 1].start() == end:
                nxt = forms[matches[i + 1].group()]
                if nxt.sector not in ("gov", "gov-office") and not nxt.short:
                    full, sector = full + nxt.full, nxt.sector
                    end = matches[i + 1].end()
                    skip_next = True
            elif (tail := _GOV_TAIL.match(s, end)) and _NOT_IN_NAME.isdisjoint(tail.group()):
                full, sector, end = full + tail.group(), None, tail.end()   # …市人民政府地方志办公室
        chain = chain_before(s, start, need_street=(full == "办事处"))
        if chain is None and allow_near and full != "办事处":
            chain = near_match(s, start)
        if full == "办事处" and chain is None:
            continue
        is_national = False
        name_start = start
        if chain is None:
            level_word = start > 0 and s[start - 1] in _LEVEL_WORDS
            # a bare level word may stand for the region (市科委, 区卫生健康局); 政府 alone never names a
            # body, and in the prose neither does a body type with nothing before it
            if body.short and (body.form == "政府" or not level_word):
                continue
            if level_word:
                name_start = start - 1
            prefix = next((p for p in national["prefixes"] if s.startswith(p, start - len(p))), None)
            is_national = bool(prefix) or full in national["bodies"] or full.endswith(tuple(national["body_suffixes"]))
            if prefix:
                name_start = start - len(prefix)
            elif allow_bare and (town_start := _unknown_township(s, start)) is not None:
                name_start = town_start   # a township the data does not know: its name as printed, no code
            elif not is_national and not level_word and not allow_bare:
                continue
            elif not allow_bare and level_word and sector in ("gov", "gov-office") and not _subject(s, name_start, end):
                continue   # 区委、区政府的要求: a superior government named in passing
            region_printed = s[name_start:start]
        else:
            name_start = chain.start
            region_printed = s[name_start:start]
            if chain.near:
                cut = len(region_printed) - len(chain.near.printed)
                region_printed = region_printed[:cut] + chain.near.corrected
            vertical = next((v for v in national["vertical_prefixes"] if s.startswith(v, name_start - len(v))), None)
            if vertical:
                region_printed = vertical + region_printed
                name_start -= len(vertical)
        out.append(Mention(region_printed + full, full, sector, chain, is_national, name_start, end,
                           s[name_start:end], s[end:end + 4]))
    if allow_generic and not any(m.chain for m in out):
        out += _generic_mentions(s)
    return out


def town_mentions(s: str, min_len: int = 3) -> list[Mention]:
    """Township names printed without a body type after them (河包镇2020年…): their government."""
    pattern, _ = bodies()
    out = []
    for m in re.finditer("街道|苏木|镇|乡", s):
        end = m.end()
        if pattern.match(s, end) or s.startswith(("街道", "镇", "乡"), end) or _TOWN_UNIT.match(s, end):
            continue
        chain = town_chain(s, end, min_len=min_len - 1, known_only=True)
        if chain is None or chain.level != "township" or chain.township is None:
            continue
        body = "办事处" if chain.township.endswith("街道") else "人民政府"
        out.append(Mention(s[chain.start:end], body, "gov", chain, False, chain.start, end,
                           s[chain.start:end], s[end:end + 4]))
    return out


def _generic_mentions(s: str) -> list[Mention]:
    """Region + a body type no sector lists (上海市长宁区地方志办公室): sector None."""
    out = []
    for m in generic_pattern().finditer(s):
        for width in range(11):
            pos = m.start() - width
            if pos < 0 or not CJK.match(s[pos:m.end()]):
                break
            chain = chain_before(s, pos, need_street=False)
            if chain is not None and chain.township is None:
                body = s[pos:m.end()]
                out.append(Mention(s[chain.start:m.end()], body, None, chain, False, chain.start, m.end(),
                                   s[chain.start:m.end()], s[m.end():m.end() + 4]))
                break
    return out


# --------------------------------------------------------------------------------------------- pick


def _subject(s: str, start: int, end: int) -> bool:
    """The name is the subject of its sentence, or the object of 现将/公布…报告 (the report's own words)."""
    after = s[end:end + 6]
    return (after.startswith(_SUBJECT_AFTER) or bool(re.match(r"\d{4}年", after))
            or bool(_SUBJECT_BEFORE.search(s[max(0, start - 8):start])))


def self_reference(s: str) -> str | None:
    """What the report calls itself: 我局 → 局, 我镇/本镇 → 镇 (the most frequent of the kind that occurs)."""
    counts: dict[str, int] = {}
    for m in _SELF_REF.finditer(s):
        kind = m.group(1) or m.group(2)
        counts[kind] = counts.get(kind, 0) + 1
    for group in (("委", "局", "办", "厅", "署"), ("镇", "乡", "街道"), ("县", "区", "市")):
        hits = {k: v for k, v in counts.items() if k in group}
        if hits:
            return max(hits, key=lambda k: hits[k])
    return None


def fits_self(m: Mention, ref: str | None) -> bool:
    body = m.body
    if ref is None:
        return False
    if ref in ("镇", "乡", "街道"):
        return m.chain is not None and m.chain.township is not None and m.chain.township.endswith(ref)
    if ref == "委":
        return body.endswith(("委员会", "委"))
    if ref == "办":
        return body.endswith(("办公室", "办公厅", "办"))
    if ref in ("局", "厅", "署"):
        return body.endswith((ref, "总" + ref))
    return body in ("人民政府", "办事处") and not m.township   # 我县/我区/我市: the government itself


def _fullness(m: Mention) -> tuple[bool, bool]:
    """Which printing of one body names it best: with its body type (not an address), then with its parents."""
    return m.name.endswith(m.body), m.chain is not None and m.chain.parent_printed


def pick(found: list[Mention], s: str, lines: set[str], prose: bool) -> Mention | None:
    """The mention most likely to be the publishing body (several bodies are named in most reports)."""
    if not found:
        return None
    ref = self_reference(s) if prose else None
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    best_of: dict[str, Mention] = {}
    for m in found:
        standalone = m.printed in lines
        subject = _subject(s, m.start, m.end)
        web = (m.after.startswith(_WEB_AFTER) or m.after.startswith(("http", "www"))
               or s[max(0, m.start - 3):m.start].endswith(("网站(", "网(")))
        contact = s[max(0, m.start - 2):m.start].endswith("与") and s.startswith("联系", m.end)
        if prose and m.national and not (standalone or subject):
            continue
        if prose and web and not fits_self(m, ref):
            continue   # 某某市人民政府门户网站: the site where the report appears, not its author
        # a name standing alone on a line is a title or a signature: the strongest sign there is
        score = 1.0 + (6.0 if standalone else 0.0) + (2.0 if subject else 0.0) - (4.0 if web else 0.0)
        score -= 2.0 if contact else 0.0   # 请与某某办公室联系: the contact desk, often an office of the body
        score += 3.0 if fits_self(m, ref) else 0.0
        # one township printed with and without its county is one body: the county-printed name is kept
        key = m.chain.township + m.body if m.chain is not None and m.chain.township is not None else m.name
        scores[key] = scores.get(key, 0.0) + score
        first.setdefault(key, m.start)
        if key not in best_of or _fullness(m) > _fullness(best_of[key]):
            best_of[key] = m
    if not scores:
        return None

    def rank(key: str):
        m = best_of[key]
        has_region = 2 if m.chain is not None else (1 if m.national else 0)
        return (-has_region, -scores[key], first[key])

    return best_of[min(scores, key=rank)]
