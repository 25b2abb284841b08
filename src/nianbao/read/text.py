"""Plain text (and Markdown) reader: text flattened from web pages, PDFs and Word.

Lines whose cell boundaries the text itself proves become `delimited` tables:
- pipe rows: `| 规章 | 0 | 0 | 0 |` (leading pipe optional; Markdown `|---|` rules skipped);
- one cell per line ending in ` |`, a lone `|` (or `||||`) line closing the row;
- Word's tab-indented export: one cell per line starting with a tab, a blank line closing the row.
Everything else stays a line of text (`TextBlock`), to be read as a stream of tokens later.
"""

from __future__ import annotations

import re
from pathlib import Path

from nianbao.model.document import Block, Document, GridCell, Table, TextBlock, Where
from nianbao.model.normalize import strip_mirror_noise
from nianbao.model.values import BLANK, parse_cell
from nianbao.model.words import Reader
from nianbao.read.encoding import decode

_MD_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_PIPES_ONLY = re.compile(r"^[|｜\s]+$")
# Page numbers left in flattened text ("— 3 —", "- 12 -", "第 3 页 共 9 页"): not content.
_PAGE_NUMBER = re.compile(r"^[-—–－]+\s*\d{1,4}\s*[-—–－]+$|^第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$")
# Site chrome a saved page prints between paragraphs, even between the cells of a table: whole lines only.
_CHROME = re.compile(r"^[【\[]?(?:分享到|打印本页|打印|关闭窗口|关闭|返回顶部|收藏|扫一扫(?:在手机打开当前页)?|"
                     r"字号[:：]?\s*[大中小\s]*|[大中小](?:\s+[大中小]){2}|上一篇|下一篇|长者版|关怀版|无障碍(?:阅读)?)[】\]]?$")


def read(path: Path) -> Document:
    text, encoding = decode(path.read_bytes())
    return from_text(text, source=str(path), notes=(f"encoding: {encoding}",))


def from_text(text: str, source: str = "<text>", notes: tuple[str, ...] = ()) -> Document:
    cleaned = strip_mirror_noise(text)
    if cleaned != text:
        notes = (*notes, "mirror-site noise removed (injected pinyin, ? runs)")
    lines = cleaned.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    last_line = cleaned.rsplit("\n", 1)[-1]
    # Stopped mid-line: after a character of a cell, or inside an empty cell ("\t" with its text cut away).
    cut = bool(last_line) and last_line[-1] not in "|｜" and (not last_line[-1].isspace() or not last_line.strip())
    return Document(source=source, blocks=tuple(segment(lines)), reader=Reader.TEXT, notes=notes, cut_mid_line=cut)


def segment(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    rows: list[list[tuple[str, int]]] = []   # the delimited table being built: cells with line numbers
    open_row: list[tuple[str, int]] = []     # cells of a row still receiving cells
    mode: str | None = None                  # "pipe-cells" or "tab-cells" while a row is open

    def close_row():
        nonlocal open_row, mode
        if open_row:
            rows.append(open_row)
        open_row, mode = [], None

    pipe_lines: list[tuple[int, str, int]] = []   # (row index, text, line) of whole pipe rows, split at the end

    def close_table():
        close_row()
        if rows:
            _split_pipe_rows(rows, pipe_lines)
            blocks.append(_table(rows))
            rows.clear()
            pipe_lines.clear()

    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if _is_tab_cell(line):
            if mode not in (None, "tab-cells"):
                close_row()
            mode = "tab-cells"
            open_row.append((line.strip(" \t") or " ", number))
            continue
        if mode == "tab-cells" and stripped and not _has_pipe(stripped):
            # A line without its tab inside a tab-cell row continues the cell above (a wrapped cell).
            text, first = open_row[-1]
            open_row[-1] = (text + stripped, first)
            continue
        if not stripped:
            if mode == "tab-cells":
                close_row()
            elif mode is None and _is_spaced_empty_paragraph(lines, number - 1):
                close_table()
                blocks.append(_table([[(" ", number)]]))
            continue
        if _PAGE_NUMBER.match(stripped) or _CHROME.match(stripped):
            continue
        if _PIPES_ONLY.match(stripped) and not _is_blank_cell_line(line):
            close_row()
            continue
        if _MD_RULE.match(stripped):
            continue
        if _has_pipe(stripped):
            cells = [" "] if _is_blank_cell_line(line) else _split_pipes(stripped)
            if len(cells) == 1 and (not stripped.startswith(("|", "｜")) or _is_blank_cell_line(line)):
                if mode not in (None, "pipe-cells") or _label_after_values(open_row, cells[0]):
                    close_row()
                mode = "pipe-cells"
                open_row.append((cells[0], number))
                continue
            close_row()
            pipe_lines.append((len(rows), stripped, number))
            rows.append([])
            continue
        close_table()
        blocks.append(TextBlock(text=line, where=Where(line=number)))
    close_table()
    return blocks


def _is_blank_cell_line(line: str) -> bool:
    """' |' or '\u3000|' is an empty cell in one-cell-per-line text; a bare '|' closes the row."""
    body = line.rstrip("\r\n")
    return body.endswith(("|", "｜")) and body.count("|") + body.count("｜") == 1 and body[:-1] != "" \
        and body[:-1].strip() == ""


def _is_spaced_empty_paragraph(lines: list[str], i: int) -> bool:
    """One cell per paragraph, paragraphs apart by empty lines: a paragraph holding only a space (an HTML
    &nbsp;) between two empty lines is an empty cell. A line of spaces used as a separator is not."""
    return lines[i] != "" and 0 < i < len(lines) - 1 and lines[i - 1] == "" and lines[i + 1] == ""


def _label_after_values(row: list[tuple[str, int]], cell: str) -> bool:
    """A label cell after value cells starts the next row: some pages print no lone `|` between rows."""
    return parse_cell(cell) is None and any(parse_cell(text) not in (None, BLANK) for text, _ in row)


def _is_tab_cell(line: str) -> bool:
    return line.lstrip(" ").startswith("\t")


def _has_pipe(text: str) -> bool:
    return "|" in text or "｜" in text


def _split_pipe_rows(rows: list[list[tuple[str, int]]], pipe_lines: list[tuple[int, str, int]]) -> None:
    """Split whole pipe rows once the table is complete: whether a leading '|' is a border or follows an
    empty first cell depends on how the table's other rows are written."""
    with_border = sum(1 for _, text, _ in pipe_lines if text.startswith(("|", "｜")))
    borders = with_border * 2 >= len(pipe_lines)
    for index, text, line in pipe_lines:
        rows[index] = [(c, line) for c in _split_pipes(text, leading_border=borders)]


def _split_pipes(text: str, leading_border: bool = True) -> list[str]:
    """Cells of a pipe row, stripped; an empty cell written with a space (`| |`) keeps one space, so that it
    can be told from `||`, which some pages write for the padding of a merged cell. Every other empty cell of
    this reader (tab cells, `　|` lines, space paragraphs) is written " ": only `||` gives ""."""
    parts = [p.strip() or p[:1] for p in text.replace("｜", "|").split("|")]
    if text.startswith(("|", "｜")) and leading_border:
        parts = parts[1:]
    if text.endswith(("|", "｜")):
        parts = parts[:-1]
    return parts


def _table(rows: list[list[tuple[str, int]]]) -> Table:
    cells = []
    for r, row in enumerate(rows):
        for c, (text, line) in enumerate(row):
            cells.append(GridCell(row=r, col=c, text=text, where=Where(line=line)))
    return Table(cells=tuple(cells), kind="delimited", where=Where(line=rows[0][0][1]))
