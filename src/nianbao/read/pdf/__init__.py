"""PDF reader (text layer): text lines and ruled tables, page by page, with a cell's page and box as provenance.

The chain, one small pure function per step (after pdfplumber's `edges → intersections → cells → tables`):

    page ─ page_to_chars ─────────────────────────────────────────────┐                        (pdfium)
         └ page_to_segments → segments_to_edges → edges_to_groups     │                        (pdfium, grid)
             → group_to_grid → grid_to_boxes → boxes_to_table ←──────┘ (chars inside the grid) (grid)
    pieces of all pages → pieces_to_chains → chain_to_cells → Table blocks; other chars → chars_to_lines (join)

Modules: `pdfium` (the pypdfium2 calls), `geometry` (the public types and chars → lines, which the scan reader
uses too), `grid` (rules → one page's tables), `join` (tables across pages, blocks in reading order). Pages
without a text layer stay empty here: `read.scan.read_pdf`, the registry's reader for .pdf, reads them by OCR.
Coordinates are display coordinates in points (see `geometry`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium

from nianbao.model.document import Document
from nianbao.model.words import Reader
from nianbao.read.errors import Unreadable
from nianbao.read.pdf.geometry import Char, PageContent, PageTable, chars_to_lines, is_page_number, line_of
from nianbao.read.pdf.grid import edges_to_groups, grids_to_tables, group_to_grid, segments_to_edges
from nianbao.read.pdf.join import pages_to_blocks
from nianbao.read.pdf.pdfium import display_transform, open_pdf, page_to_chars, page_to_segments

# Labels of the three standard tables: a page holding one of them gets its ruling lines read.
TABLE_WORDS = ("信息内容", "第二十条", "本年制发件数", "本年新制作数量", "处理决定数量", "行政事业性收费",
               "申请人情况", "自然人", "本年新收", "上年结转", "予以公开", "不予公开", "无法提供", "不予处理",
               "其他处理", "结转下年度", "行政复议", "行政诉讼", "结果维持", "尚未审结")


@dataclass
class TextLayer:
    """A PDF read page by page from its text layer."""

    title: str | None           # the document information's Title, as stored
    pages: list[PageContent]    # one per page; a damaged page, or one without a text layer, is empty
    damaged: list[int]          # 1-based numbers of the pages pdfium could not read


def read(path: Path) -> Document:
    """A PDF from its text layer alone."""
    return to_document(path, read_text_layer(path))


def read_text_layer(path: Path) -> TextLayer:
    pdf = open_pdf(path)
    damaged: list[int] = []
    try:
        title = (pdf.get_metadata_dict().get("Title") or "").strip() or None
        pages: list[PageContent] = []
        for index in range(len(pdf)):
            try:
                pages.append(read_page(pdf, index, continues=_ends_in_table(pages[-1]) if pages else False))
            except pdfium.PdfiumError:
                damaged.append(index + 1)
                pages.append(PageContent(number=index + 1, height=0.0))
    finally:
        pdf.close()
    if len(damaged) == len(pages):
        raise Unreadable("corrupt-pdf", "The PDF is damaged and cannot be opened.")
    return TextLayer(title, pages, damaged)


def to_document(path: Path, layer: TextLayer) -> Document:
    """The pages' blocks in reading order, with notes on damaged and empty pages and tables joined across pages."""
    notes = [f"pdf: {len(layer.pages)} pages"]
    if layer.damaged:
        notes.append(f"pages that cannot be read (damaged): {', '.join(map(str, layer.damaged))}")
    blank = [str(p.number) for p in layer.pages if not p.n_chars and p.number not in layer.damaged]
    if blank:
        notes.append(f"pages without text (scans, need OCR): {', '.join(blank)}")
    blocks, joins = pages_to_blocks(layer.pages)
    notes.extend(f"table continued across pages {a}-{b}" for a, b in joins)
    title = layer.title
    return Document(source=str(path), blocks=tuple(blocks), reader=Reader.PDF,
                    title=title if title and re.search(r"[\u4e00-\u9fff]", title) else None,
                    pages=len(layer.pages), notes=tuple(notes))


def read_page(pdf: pdfium.PdfDocument, index: int, continues: bool = False) -> PageContent:
    """One page: its text lines and its tables (ruling lines are read only where table labels are printed,
    or where the previous page ended inside a table)."""
    page = pdf[index]
    try:
        to_display, height = display_transform(page)
        textpage = page.get_textpage()
        try:
            chars = page_to_chars(textpage, to_display)
        finally:
            textpage.close()
        content = PageContent(number=index + 1, height=height, n_chars=len(chars))
        if chars and (continues or is_table_page(chars)):
            edges = segments_to_edges(page_to_segments(page, to_display))
            grids = [g for g in map(group_to_grid, edges_to_groups(edges)) if g is not None]
            content.tables, chars = grids_to_tables(grids, chars, content.number)
    finally:
        page.close()
    content.lines = [ln for ln in map(line_of, chars_to_lines(chars)) if not is_page_number(ln, height)]
    return content


def _ends_in_table(page: PageContent) -> bool:
    items = page.items()
    return bool(items) and isinstance(items[-1], PageTable) and items[-1].bbox[3] > 0.75 * page.height


@lru_cache(maxsize=1)
def _table_words() -> tuple[str, ...]:
    from opencc_purepy import OpenCC   # mirror sites print Traditional characters
    s2t = OpenCC("s2t")
    return tuple(dict.fromkeys([*TABLE_WORDS, *(s2t.convert(w) for w in TABLE_WORDS)]))


def is_table_page(chars: list[Char]) -> bool:
    text = "".join(c.text for c in chars)
    return any(word in text for word in _table_words())


__all__ = ["TABLE_WORDS", "TextLayer", "is_table_page", "read", "read_page", "read_text_layer", "to_document"]
