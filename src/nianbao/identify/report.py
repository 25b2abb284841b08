"""What a document is: its title, whether it is an annual report at all, and the year it reports on."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from nianbao.model.document import Document, TextBlock
from nianbao.model.normalize import canon, squash

_SECTION_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)])")
_REPORT_WORDS = ("年度报告", "年报", "工作报告")
_BODY_LINE = re.compile(r"^[(（]?.{2,30}(局|委|委员会|政府|办公厅|办公室|中心|院|厅|部|署|所|站|队|会|处|街道|镇|乡)[)）]?$")
# Web-page metadata lines printed under a title: not part of it.
_PAGE_META = ("发布日期", "发布时间", "成文日期", "生成日期", "发文字号", "发布机构", "主题分类", "信息来源", "来源:", "来源：", "索引号", "浏览次数", "字号", "打印本页", "分享到")
_PAGE_META_CANON = tuple(dict.fromkeys(canon(w) for w in _PAGE_META))   # Traditional mirrors print 索引號
_DISCLOSURE_WORDS = ("政府信息公开", "政务公开", "信息公开")
# The national format's six section headings (国办公开办函〔2021〕30号): a page whose title sits in the site
# chrome still shows them, and a report's own tables follow them.
_SECTION_HEADINGS = ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况", "行政复议", "存在的主要问题",
                     "其他需要报告的事项")
_HEADING_LINE = re.compile(r"^\s*[一二三四五六][、.．,，]")

# Documents that land in the same folders but are not annual reports: title word → what it is.
OTHER_DOCUMENTS = (
    ("工作要点", "work-plan", "a work plan (工作要点)"),
    ("工作计划", "work-plan", "a work plan (工作计划)"),
    ("实施方案", "work-plan", "an implementation plan (实施方案)"),
    ("公开指南", "guide", "a disclosure guide (政府信息公开指南)"),
    ("公开目录", "directory", "a disclosure directory (政府信息公开目录)"),
    ("通知", "notice", "a notice (通知)"),
    ("意见", "notice", "an opinion document (意见)"),
)

_YEAR = r"(20[0-3]\d)"


@dataclass(frozen=True)
class Kind:
    is_report: bool
    code: str | None = None     # why not: "work-plan", "not-annual-report"…
    what: str | None = None     # "a work plan (工作要点)"


def title_of(document: Document, max_lines: int = 4) -> str | None:
    """The title: the first short lines before the first section heading or prose paragraph, site chrome
    (page metadata, breadcrumbs, 长者版…) skipped, and nothing before the line naming the report but the body's
    name or the title's own first half (a spam line "2023年度十大…排行" is no part of it)."""
    lines: list[str] = []
    for block in document.blocks:
        if not isinstance(block, TextBlock):
            break
        text = block.text.strip()
        if not text or _is_chrome(text):
            continue
        if _SECTION_START.match(text) or len(squash(text)) > 45 or len(lines) >= max_lines:
            break
        if lines and (any(mark in text for mark in "，。；：,;") or text.startswith(("本报告", "根据", "按照"))):
            break   # a wrapped sentence of the opening paragraph, not a title line
        if any(w in "".join(lines) for w in _REPORT_WORDS) and not _BODY_LINE.match(squash(text)):
            break   # after "…年度报告" only the body's name (often in brackets) still belongs to the title
        lines.append(squash(text))
    naming = next((i for i, line in enumerate(lines) if any(w in canon(line) for w in _REPORT_WORDS)), None)
    if naming is not None:
        before = lines[:naming]
        while (before and any(ch.isdigit() for ch in before[0])
               and not any(w in canon(before[0]) for w in _DISCLOSURE_WORDS)):
            before.pop(0)
        lines = before + lines[naming:]
    title = "".join(lines)
    if not any(w in title for w in _REPORT_WORDS) and document.title:
        return squash(document.title)
    return title or (squash(document.title) if document.title else None)


_BREADCRUMB = re.compile(r"当前位置|您的位置|所在位置|首页\s*[>»›/]")
_CHROME_WORDS = ("长者版", "关怀版", "无障碍", "登录", "注册", "分享到", "打印", "关闭")


def _is_chrome(text: str) -> bool:
    """A line of the site around the report: page metadata, a breadcrumb, accessibility and sharing links."""
    short = canon(text)
    return (any(word in short for word in _PAGE_META_CANON) or bool(_BREADCRUMB.search(short))
            or (len(short) <= 20 and any(word in short for word in _CHROME_WORDS)))


def kind_of(title: str | None, text: str, anchored_rows: int) -> Kind:
    """An annual report names itself in its title or opening, or — title or not — shows the format's section
    headings and at least one row of its standard tables."""
    head = canon((title or "") + text[:300])
    title_c = canon(title or "")
    names_report = any(w in head for w in _REPORT_WORDS) and any(w in head for w in _DISCLOSURE_WORDS)
    for word, code, what in OTHER_DOCUMENTS:
        if word in title_c and not any(w in title_c for w in _REPORT_WORDS):
            return Kind(False, code, what)
    if names_report or anchored_rows >= 12 or (anchored_rows >= 1 and section_headings(text) >= 2):
        return Kind(True)
    return Kind(False, "not-annual-report", "not a government information-disclosure annual report")


def section_headings(text: str) -> int:
    """How many of the format's six section headings stand as headings (a numbered short line)."""
    found: set[str] = set()
    for line in text.splitlines():
        if len(line) > 60 or not _HEADING_LINE.match(line):
            continue
        short = canon(line)
        found.update(h for h in _SECTION_HEADINGS if h in short)
    return len(found)


def year_of(title: str | None, text: str, filename: str | None = None) -> tuple[int | None, str]:
    """The report year and where it came from, or None with what was found.

    Only the report's own words about itself count: its title (with or without 工作/年度), a sentence naming
    the report with its year (特向社会公布2020年…信息公开工作年度报告), its statistics period, the year that opens
    section 一, or a file name that names the report. A publication date, 索引号 or 成文日期 is never the year; nor is the year most
    often mentioned. When the title is silent and the other sources disagree, there is no year.
    """
    from_title = _named_year(title or "", report_words=_REPORT_WORDS)
    if from_title:
        return from_title, "title"
    found = {source: year for source, year in (("report's own words", _self_named_year(text)),
                                                ("statistics period", _period_year(text)),
                                                ("overview's opening", _overview_year(text)),
                                                ("file name", _named_year(filename or "", report_words=None)))
             if year}
    if len(set(found.values())) == 1:
        return next(iter(found.values())), " and ".join(found)
    if found:
        return None, "disagreeing sources: " + ", ".join(f"{source} {year}" for source, year in found.items())
    return None, "not found"


# A date (2021年1月20日, 2021-01-20, 2021.01.20, 2021/1/20): never a report year.
_DATE = re.compile(r"20[0-3]\d\s*(?:年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2})")
# A year as a title names it: 2020年, 2020年度, or bare digits right before the report's name (2020政府信息公开年报).
_NAMED_YEAR = re.compile(_YEAR + r"(?:\s*年度?(?!\s*\d{1,2}\s*月)|(?=[^\d\-/.:]{0,24}?(?:政府信息公开|政务公开|信息公开|年报|年度报告)))")
_REPORT_NAME = re.compile(r"(?:政府信息公开|政务公开|信息公开).{0,12}?(?:报告|年报)")


def _named_year(text: str, report_words: tuple[str, ...] | None) -> int | None:
    """The year a title names: `…2020年政府信息公开工作年度报告`, `2020年度…报告`, `2020政府信息公开年报`. Only in a
    text naming a report: with one of `report_words`, or (None) the full name of a disclosure report."""
    flat = _DATE.sub("#", squash(unicodedata.normalize("NFKC", text)))
    named = _REPORT_NAME.search(canon(flat)) if report_words is None else any(w in canon(flat) for w in report_words)
    if not named:
        return None
    years = {int(m.group(1)) for m in _NAMED_YEAR.finditer(flat) if not _glued_digit(flat, m.start())}
    return years.pop() if len(years) == 1 else None


def _glued_digit(text: str, at: int) -> bool:
    return at > 0 and text[at - 1].isdigit()


# No other year between the year and the report's name: "2022年度十大…排行…2024年…年度报告" names 2024.
_SELF_NAMED = re.compile(_YEAR + r"年度?(?:(?!20[0-3]\d)[^。;,，；]){0,30}?(?:政府信息公开|政务公开|信息公开)[^。;,，；]{0,10}?报告")


def _self_named_year(text: str) -> int | None:
    """A sentence of the opening naming the report with its year (the title sits in the site's chrome)."""
    opening = "\n".join(line for line in text[:4000].splitlines() if not _is_chrome(line))   # breadcrumbs name 年报 too
    flat = _DATE.sub("#", squash(unicodedata.normalize("NFKC", opening)))
    years = {int(m.group(1)) for m in _SELF_NAMED.finditer(canon(flat))}
    return years.pop() if len(years) == 1 else None


_OVERVIEW_HEADING = re.compile(r"^[一1][,.]?总体情况")
_OVERVIEW_OPENING = re.compile(r"^(?:\([一1]\)[^。]{0,12}[。.:])?" + _YEAR + r"年度?,")


def _overview_year(text: str) -> int | None:
    """The year that opens section 一 ("2020年,我乡明确专人负责…"): the report's account of its own year."""
    lines = iter(canon(line) for line in text[:8000].splitlines())
    for line in lines:
        if _OVERVIEW_HEADING.match(line):
            opening = next((following for following in lines if following), "")
            match = _OVERVIEW_OPENING.match(opening)
            return int(match.group(1)) if match else None
    return None


def _period_year(text: str) -> int | None:
    """"本报告所列数据的统计期限自 2020 年 1 月 1 日起至 2020 年 12 月 31 日止" (digits may run together)."""
    flat = canon(text[:6000])
    match = re.search(r"(?:统计|期限|时限|期间|区间)[^。]{0,12}?" + _YEAR + r"年1月1日[^。]{0,6}?至" + _YEAR
                      + r"年12月31日", flat)
    if match and match.group(1) == match.group(2):
        return int(match.group(1))
    match = re.search(r"统计期限自" + _YEAR, flat)
    return int(match.group(1)) if match else None
