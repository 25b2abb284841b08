"""The prose sections 一、总体情况, 五、存在的主要问题及改进情况 and 六、其他需要报告的事项, kept as text."""

from __future__ import annotations

from nianbao.model.document import Document, TextBlock
from nianbao.model.normalize import canon, squash
from nianbao.templates import section_specs

# section id → words of its heading; table headings only end the prose before them.
SECTIONS = {sid: section.keys for sid, section in section_specs().items()}
_TABLE_HEADINGS = ("主动公开政府信息", "收到和处理政府信息公开申请", "行政复议、行政诉讼", "行政复议,行政诉讼")
_MAX_HEADING = 45


def prose_sections(document: Document, skip_lines: set[int], title: str) -> dict[str, str]:
    """Section id → its text (lines joined with newlines), without table numbers that landed in the prose."""
    lines = [b for b in document.blocks if isinstance(b, TextBlock)]
    current: str | None = None
    out: dict[str, list[str]] = {key: [] for key in SECTIONS}
    for n, block in enumerate(lines):
        text = block.text.strip()
        if not text or block.where.line in skip_lines:
            continue
        heading = _heading_of(text)
        if heading is not None:
            current = heading if heading in SECTIONS else None
            continue
        if current is None and squash(text) in title:
            continue
        if current is None and not any(out.values()) and not _seen_table(lines[:n]):
            current = "overview"    # a report that starts its overview without a heading
        if current is not None:
            out[current].append(text)
    return {key: "\n".join(parts) for key, parts in out.items()}


def _heading_of(text: str) -> str | None:
    short = canon(text)
    if len(short) > _MAX_HEADING:
        return None
    for key, words in SECTIONS.items():
        if any(w in short for w in words):
            return key
    if any(canon(w) in short for w in _TABLE_HEADINGS):
        return "table"
    return None


def _seen_table(blocks: list[TextBlock]) -> bool:
    return any(_heading_of(b.text.strip()) == "table" for b in blocks)
