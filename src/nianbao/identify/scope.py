"""What a report's figures count — the body alone or its whole area — read only from the report's own words.

A city government's report often counts the whole city (全市共受理政府信息公开申请3119件): its departments and
districts are in its figures, and a sum that adds their own reports counts them twice. The words that say so
are data (scope.yaml). A sentence giving a count that is neither table 三's 本年新收 nor 本年新收 + 上年结转
describes something else and is not evidence about the tables. The overview is everything before the first
table caption (二、主动公开政府信息情况): the prose sections' split may set aside a line a table claimed. Never a silent guess: without evidence, or with
evidence both ways, the scope is UNKNOWN — never BODY.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from nianbao.model.document import Document, TextBlock, Where
from nianbao.model.normalize import canon, squash
from nianbao.model.record import CellValue, Scope
from nianbao.model.words import ReportScope, ScopePlace

HERE = Path(__file__).resolve().parent
# The cells whose sum a count may be: 本年新收申请 and 上年结转申请 (table 三's 总计 column).
NEW_REQUESTS, CARRIED_OVER = "requests.new.total", "requests.carried_over.total"
_SENTENCE_END = re.compile(r"(?<=[。；;！!？?])")
_MAX_CAPTION = 60


@dataclass(frozen=True)
class Phrases:
    """scope.yaml, compiled: one pattern per scope for sentences (with a count) and one for captions."""
    sentence: dict[ReportScope, re.Pattern[str]]
    caption_words: tuple[str, ...]
    subjects: dict[ReportScope, tuple[str, ...]]


@lru_cache(maxsize=1)
def phrases() -> Phrases:
    data = yaml.safe_load((HERE / "scope.yaml").read_text(encoding="utf-8"))
    gap = f"[^。;!?]{{0,{int(data['gap'])}}}?"
    verbs = "|".join(map(re.escape, (canon(v) for v in data["verbs"])))
    subjects = {ReportScope.AREA: tuple(canon(w) for w in data["area_words"]),
                ReportScope.BODY: tuple(canon(w) for w in data["body_words"])}
    sentence = {scope: re.compile(f"(?:{'|'.join(map(re.escape, words))}){gap}(?:{verbs}){gap}申请{gap}"
                                  r"(\d[\d,]*)件") for scope, words in subjects.items()}
    return Phrases(sentence, tuple(canon(w) for w in data["caption_words"]), subjects)


@dataclass(frozen=True)
class Said:
    """One place where the report says what it counts."""
    scope: ReportScope
    text: str
    found_in: ScopePlace
    where: Where
    count: int | None


def scope_of(document: Document, cells: dict[str, CellValue]) -> Scope:
    """The report's scope: the sentences of its overview that count requests, and its table captions."""
    said = overview_sentences(document) + captions(document)
    counts = table_counts(cells)
    fitting = [s for s in said if s.count is None or not counts or s.count in counts]
    for group in ([s for s in fitting if s.count is not None], fitting):
        kinds = {s.scope for s in group}
        if len(kinds) == 1:
            chosen = group[0]
            return Scope(chosen.scope, chosen.text, chosen.found_in, chosen.where, chosen.count)
        if kinds:
            return Scope()      # the report says both: which one its tables count is not known
    return Scope()


def overview_sentences(document: Document) -> list[Said]:
    """Every sentence before the first table caption (section 一 and the opening) that counts requests of the
    body alone or of the whole area."""
    text, starts = "", []
    for block in overview_blocks(document):
        starts.append((len(text), block.where))
        text += squash(block.text)
    found, at = [], 0
    for sentence in _SENTENCE_END.split(text):
        where = max((s for s in starts if s[0] <= at), key=lambda s: s[0], default=(0, Where()))[1]
        at += len(sentence)
        short = canon(sentence)
        for scope, pattern in phrases().sentence.items():
            match = pattern.search(short)
            if match:
                count = int(match.group(1).replace(",", ""))
                found.append(Said(scope, sentence, ScopePlace.OVERVIEW, Where(page=where.page, line=where.line), count))
    return found


def overview_blocks(document: Document) -> list[TextBlock]:
    """The text blocks before the first table caption (all of them when there is none)."""
    blocks = [b for b in document.blocks if isinstance(b, TextBlock)]
    end = next((n for n, b in enumerate(blocks) if _is_caption(b)), len(blocks))
    return blocks[:end]


def _is_caption(block: TextBlock) -> bool:
    return len(squash(block.text)) <= _MAX_CAPTION and any(w in canon(block.text) for w in phrases().caption_words)


def captions(document: Document) -> list[Said]:
    """Every caption of a statistics table that names the body alone or the whole area."""
    found = []
    for block in document.blocks:
        if not isinstance(block, TextBlock) or not _is_caption(block):
            continue
        short = canon(block.text)
        for scope, words in phrases().subjects.items():
            if any(word in short for word in words):
                where = Where(page=block.where.page, line=block.where.line)
                found.append(Said(scope, squash(block.text), ScopePlace.CAPTION, where, None))
    return found


def table_counts(cells: dict[str, CellValue]) -> set[int]:
    """The counts a sentence about the tables may give: 本年新收, and 本年新收 + 上年结转; none if unknown."""
    new, carried = cells.get(NEW_REQUESTS), cells.get(CARRIED_OVER)
    if new is None or new.status != "value" or new.value is None:
        return set()
    counts = {int(new.value)}
    if carried is not None and carried.status in ("value", "blank"):
        counts.add(int(new.value) + int(carried.value or 0))
    return counts
