"""What a document is: its title, whether it is an annual report at all, and the year it reports on."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from nianbao.model.document import Document, TextBlock
from nianbao.model.normalize import canon, squash

_SECTION_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)])")
_REPORT_WORDS = ("年度报告", "年报", "工作报告")
_BODY_LINE = re.compile(r"^[(（]?.{2,30}(局|委|委员会|政府|办公厅|办公室|中心|院|厅|部|署|所|站|队|会|处|街道|镇|乡)[)）]?$")
# Web-page metadata lines printed under a title: not part of it.
_PAGE_META = ("发布日期", "发布时间", "信息来源", "来源:", "来源：", "索引号", "浏览次数", "字号", "打印本页", "分享到")
_DISCLOSURE_WORDS = ("政府信息公开", "政务公开", "信息公开")

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
    """The title: the first short lines before the first section heading or prose paragraph."""
    lines: list[str] = []
    for block in document.blocks:
        if not isinstance(block, TextBlock):
            break
        text = block.text.strip()
        if not text:
            continue
        if _SECTION_START.match(text) or len(squash(text)) > 45 or len(lines) >= max_lines:
            break
        if lines and (any(mark in text for mark in "，。；：,;") or text.startswith(("本报告", "根据", "按照"))):
            break   # a wrapped sentence of the opening paragraph, not a title line
        if any(w in "".join(lines) for w in _REPORT_WORDS) and not _BODY_LINE.match(squash(text)):
            break   # after "…年度报告" only the body's name (often in brackets) still belongs to the title
        if any(word in text for word in _PAGE_META):
            if lines:
                break
            continue
        lines.append(squash(text))
    title = "".join(lines)
    if not any(w in title for w in _REPORT_WORDS) and document.title:
        return squash(document.title)
    return title or (squash(document.title) if document.title else None)


def kind_of(title: str | None, text: str, anchored_rows: int) -> Kind:
    head = canon((title or "") + text[:300])
    title_c = canon(title or "")
    names_report = any(w in head for w in _REPORT_WORDS) and any(w in head for w in _DISCLOSURE_WORDS)
    for word, code, what in OTHER_DOCUMENTS:
        if word in title_c and not any(w in title_c for w in _REPORT_WORDS):
            return Kind(False, code, what)
    if names_report or anchored_rows >= 12:
        return Kind(True)
    return Kind(False, "not-annual-report", "not a government information-disclosure annual report")


def year_of(title: str | None, text: str, filename: str | None = None) -> tuple[int | None, str]:
    """The report year and where it came from: title, statistics period, prose, or file name."""
    for source, found in (("title", _year_in(title or "")),
                          ("statistics period", _period_year(text)),
                          ("opening prose", _prose_year(text)),
                          ("file name", _year_in(filename or ""))):
        if found:
            return found, source
    return None, "not found"


def _year_in(text: str) -> int | None:
    text = unicodedata.normalize("NFKC", text)
    match = re.search(_YEAR + r"\s*年", squash(text)) or re.search(r"(?<!\d)" + _YEAR + r"(?!\d)", squash(text))
    return int(match.group(1)) if match else None


def _period_year(text: str) -> int | None:
    # "本报告所列数据的统计期限自 2020 年 1 月 1 日起至 2020 年 12 月 31 日止" (digits may run together).
    flat = squash(unicodedata.normalize("NFKC", text))
    match = re.search(r"统计期限自" + _YEAR, flat) or re.search(r"自" + _YEAR + r"年1月1日起至" + _YEAR, flat)
    return int(match.group(1)) if match else None


def _prose_year(text: str) -> int | None:
    flat = squash(unicodedata.normalize("NFKC", text[:3000]))
    years = Counter(int(y) for y in re.findall(_YEAR + r"年度?[,，]", flat))
    years.update(int(y) for y in re.findall(_YEAR + r"年度", flat))
    if not years:
        return None
    return years.most_common(1)[0][0]
