"""DOCX reader: body paragraphs become text blocks, tables are rebuilt from the table XML as true grids.

Word stores a merged cell once: `w:gridSpan` widens a cell over grid columns, `w:vMerge` ("restart" then
continuation cells below) stretches it over rows, `w:gridBefore` leaves grid columns empty at a row's start.
python-docx's `row.cells` repeats a merged cell's text into every position it covers, which would print one
number several times; this reader walks `w:tbl/w:tr/w:tc` itself so every cell appears once, with its spans.

- Text: `w:t` runs (tracked insertions kept, deletions, hidden runs and field codes left out), `w:tab` as a
  tab, `w:br` as a newline; a cell's paragraphs are joined with newlines; a table nested in a cell becomes
  text of that cell (its rows on lines, its cells separated by spaces).
- Grid columns that hold no cell of their own are dropped: a column no cell starts in, or a (near) zero-width
  `w:gridCol`, as a .doc → .docx round trip adds.
- Safety: the zip is opened through `read.ooxml` (zip-bomb checks, byte limits, XML without entities or DTDs).

A legacy Word file, RTF or workbook merely named .docx never reaches this module: `office.read_docx` looks at the
bytes first and hands it to LibreOffice or the spreadsheet reader.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from nianbao.model.document import Block, Document, GridCell, Table, TextBlock, Where
from nianbao.model.words import Reader
from nianbao.read.errors import Unreadable
from nianbao.read.ooxml import Package, open_package, parse_xml, read_member

TINY_COLUMN = 30                       # twips (1/1440 inch, ≈ 0.5 mm): narrower grid columns hold nothing

_NS_MAIN = ("http://schemas.openxmlformats.org/wordprocessingml/2006/main",
            "http://purl.oclc.org/ooxml/wordprocessingml/main")
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_OFFICE_DOCUMENT = "/officeDocument"
_CORE_PROPERTIES = "/metadata/core-properties"
_OFF = {"0", "false", "off"}


def read(path: Path) -> Document:
    """A DOCX package (what a file named .docx really is, `office.read_docx` settles first)."""
    with open_package(path, "corrupt-docx", "Word document") as package:
        names = set(package.namelist())
        main = _part_by_type(package, _OFFICE_DOCUMENT) or "word/document.xml"
        if main not in names:
            raise Unreadable("corrupt-docx", "The file is a zip archive but holds no Word document text.")
        root = parse_xml(read_member(package, main, "corrupt-docx"), "corrupt-docx", "The Word document's text")
        core = _part_by_type(package, _CORE_PROPERTIES) or "docProps/core.xml"
        title = _core_title(package, core) if core in names else None
    return from_xml(root, source=str(path), title=title)


def is_workbook(path: Path) -> bool:
    """A zip that holds an Excel workbook and no Word document (a workbook saved under a Word name)."""
    with open_package(path, "corrupt-docx", "Word document") as package:
        names = set(package.namelist())
    return "word/document.xml" not in names and "xl/workbook.xml" in names


# --- the package -----------------------------------------------------------------------------------------

def _part_by_type(package: Package, kind: str) -> str | None:
    """The package part the root relationships name for `kind` (e.g. the main document)."""
    if "_rels/.rels" not in package.namelist():
        return None
    try:
        rels = parse_xml(read_member(package, "_rels/.rels", "corrupt-docx"), "corrupt-docx", "The package index")
    except Unreadable:
        return None
    for rel in rels.iter(_REL + "Relationship"):
        if (rel.get("Type") or "").endswith(kind) and rel.get("TargetMode") != "External":
            target = (rel.get("Target") or "").lstrip("/")
            return posixpath.normpath(target) if target else None
    return None


def _core_title(package: Package, name: str) -> str | None:
    try:
        core = parse_xml(read_member(package, name, "corrupt-docx"), "corrupt-docx", "The document properties")
    except Unreadable:
        return None
    for element in core.iter(_DC + "title"):
        text = " ".join((element.text or "").split())
        return text or None
    return None


# --- the document XML -----------------------------------------------------------------------------------

class _Tags:
    """Full tag names in the document's WordprocessingML namespace (transitional or strict): each attribute
    below is the namespaced name of the element of the same name."""

    body: str
    p: str
    r: str
    t: str
    tab: str
    br: str
    cr: str
    noBreakHyphen: str
    tbl: str
    tr: str
    tc: str
    tcPr: str
    trPr: str
    gridSpan: str
    vMerge: str
    hMerge: str
    gridBefore: str
    tblGrid: str
    gridCol: str
    sdt: str
    sdtContent: str
    customXml: str
    smartTag: str
    hyperlink: str
    ins: str
    moveFrom: str
    moveTo: str
    fldSimple: str
    rPr: str
    pPr: str
    vanish: str
    txbxContent: str
    altChunk: str
    sectPr: str
    dir: str
    bdo: str

    def __init__(self, namespace: str):
        w = "{%s}" % namespace
        self.ns = w
        for name in self.__annotations__:
            setattr(self, name, w + name)
        self.deleted = w + "del"
        self.val = w + "val"
        self.w = w + "w"


@dataclass
class _Context:
    notes: list[str] = field(default_factory=list)
    hidden_runs: int = 0
    covered_text: int = 0


def from_xml(root: etree._Element, source: str = "<docx>", title: str | None = None) -> Document:
    namespace = etree.QName(root).namespace
    if namespace not in _NS_MAIN:
        raise Unreadable("corrupt-docx", "The file's main part is not WordprocessingML text.")
    tags = _Tags(namespace)
    body = root.find(tags.body)
    if body is None:
        raise Unreadable("corrupt-docx", "The Word document has no body.")
    context = _Context()
    blocks: list[Block] = []
    line = 0
    for element in _body_items(body, tags):
        if element.tag == tags.p:
            line += 1
            text = _paragraph_text(element, tags, context).strip()
            if text:
                blocks.append(TextBlock(text=text, where=Where(line=line)))
        elif element.tag == tags.tbl:
            k = sum(isinstance(b, Table) for b in blocks)
            table = _table(element, k, tags, context)
            if table is not None:
                blocks.append(table)
        elif element.tag == tags.altChunk:
            context.notes.append("an embedded document (altChunk) was not read")
    if context.hidden_runs:
        context.notes.append(f"{context.hidden_runs} hidden text run(s) left out")
    if context.covered_text:
        context.notes.append(f"{context.covered_text} merged-over cell(s) held text Word does not show; left out")
    return Document(source=source, blocks=tuple(blocks), reader=Reader.DOCX, title=title, notes=tuple(context.notes))


def _body_items(parent: etree._Element, tags: _Tags):
    """Paragraphs, tables and embedded chunks in document order, through content controls and custom XML."""
    for child in parent:
        tag = child.tag
        if tag in (tags.p, tags.tbl, tags.altChunk):
            yield child
        elif tag in (tags.sdt, tags.customXml, tags.sdtContent, tags.ins, tags.moveTo):
            yield from _body_items(child if tag != tags.sdt else _sdt_content(child, tags), tags)


def _sdt_content(sdt: etree._Element, tags: _Tags) -> etree._Element:
    content = sdt.find(tags.sdtContent)
    return content if content is not None else etree.Element("empty")


def _paragraph_text(p: etree._Element, tags: _Tags, context: _Context) -> str:
    out: list[str] = []
    _inline_text(p, tags, context, out)
    return "".join(out)


def _inline_text(parent: etree._Element, tags: _Tags, context: _Context, out: list[str]) -> None:
    for child in parent:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag == tags.t:
            out.append(child.text or "")
        elif tag == tags.r:
            if _hidden(child, tags):
                context.hidden_runs += 1
                continue
            _inline_text(child, tags, context, out)
        elif tag == tags.tab:
            out.append("\t")
        elif tag in (tags.br, tags.cr):
            out.append("\n")
        elif tag == tags.noBreakHyphen:
            out.append("-")
        elif tag in (tags.rPr, tags.pPr, tags.deleted, tags.moveFrom):
            continue
        elif tag == _MC + "Fallback":
            continue                       # the same content again, for older readers
        elif tag == tags.txbxContent:
            parts = [_paragraph_text(p, tags, context).strip() for p in child.iter(tags.p)]
            text = "\n".join(p for p in parts if p)
            if text:
                out.append("\n" + text + "\n")
        else:
            _inline_text(child, tags, context, out)    # hyperlinks, insertions, smart tags, fields, drawings…


def _hidden(run: etree._Element, tags: _Tags) -> bool:
    props = run.find(tags.rPr)
    if props is None:
        return False
    vanish = props.find(tags.vanish)
    return vanish is not None and (vanish.get(tags.val) or "true").lower() not in _OFF


# --- tables ---------------------------------------------------------------------------------------------

@dataclass
class _Cell:
    row: int
    col: int
    colspan: int
    text: str
    rowspan: int = 1


def _table(tbl: etree._Element, k: int, tags: _Tags, context: _Context) -> Table | None:
    widths = _grid_widths(tbl, tags)
    cells: list[_Cell] = []
    last_at: dict[int, _Cell] = {}       # grid column → the last cell that started there
    for r, tr in enumerate(_children(tbl, tags.tr, tags)):
        col = _int_prop(tr.find(tags.trPr), tags.gridBefore, tags, 0)
        previous: _Cell | None = None
        for tc in _children(tr, tags.tc, tags):
            props = tc.find(tags.tcPr)
            span = max(1, _int_prop(props, tags.gridSpan, tags, 1))
            vmerge = props.find(tags.vMerge) if props is not None else None
            hmerge = props.find(tags.hMerge) if props is not None else None
            text = _cell_text(tc, tags, context)
            if hmerge is not None and (hmerge.get(tags.val) or "continue") != "restart" and previous is not None:
                previous.colspan += span              # legacy horizontal merge: widen the cell on the left
                if text:
                    context.covered_text += 1
                col += span
                continue
            if vmerge is not None and (vmerge.get(tags.val) or "continue") != "restart":
                above = last_at.get(col)
                if above is not None and above.row + above.rowspan == r:
                    above.rowspan += 1
                    if text:
                        context.covered_text += 1
                    col += span
                    previous = None
                    continue
            cell = _Cell(row=r, col=col, colspan=span, text=text)
            cells.append(cell)
            last_at[col] = cell
            previous = cell
            col += span
    if not cells:
        return None
    cells, dropped = _drop_empty_columns(cells, widths)
    if dropped:
        context.notes.append(f"table {k}: {dropped} grid column(s) without cells of their own dropped")
    grid = tuple(GridCell(row=c.row, col=c.col, text=c.text, rowspan=c.rowspan, colspan=c.colspan,
                          where=Where(table=k, row=c.row, col=c.col))
                 for c in sorted(cells, key=lambda c: (c.row, c.col)))
    return Table(cells=grid, kind="grid", where=Where(table=k))


def _children(parent: etree._Element, tag: str, tags: _Tags):
    """Direct children with `tag`, looking through content controls and custom XML wrapped around them."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in (tags.sdt, tags.customXml, tags.sdtContent, tags.ins):
            yield from _children(child if child.tag != tags.sdt else _sdt_content(child, tags), tag, tags)


def _int_prop(props: etree._Element | None, tag: str, tags: _Tags, default: int) -> int:
    if props is None:
        return default
    element = props.find(tag)
    if element is None:
        return default
    try:
        return int(float(element.get(tags.val) or default))
    except ValueError:
        return default


def _grid_widths(tbl: etree._Element, tags: _Tags) -> list[float]:
    grid = tbl.find(tags.tblGrid)
    if grid is None:
        return []
    widths = []
    for column in grid.iter(tags.gridCol):
        try:
            widths.append(float(column.get(tags.w) or 0))
        except ValueError:
            widths.append(0.0)
    return widths


def _cell_text(tc: etree._Element, tags: _Tags, context: _Context) -> str:
    parts: list[str] = []
    for element in _body_items(tc, tags):
        if element.tag == tags.p:
            parts.append(_paragraph_text(element, tags, context).strip())
        elif element.tag == tags.tbl:
            parts.append(_nested_text(element, tags, context))
    return "\n".join(p for p in parts if p).strip()


def _nested_text(tbl: etree._Element, tags: _Tags, context: _Context) -> str:
    lines = []
    for tr in _children(tbl, tags.tr, tags):
        texts = [_cell_text(tc, tags, context) for tc in _children(tr, tags.tc, tags)]
        line = " ".join(t.replace("\n", " ") for t in texts if t)
        if line:
            lines.append(line)
    return "\n".join(lines)


def _drop_empty_columns(cells: list[_Cell], widths: list[float]) -> tuple[list[_Cell], int]:
    """Remove grid columns that hold nothing of their own; renumber columns and spans."""
    n = max(max(c.col + c.colspan for c in cells), len(widths))
    starts = {c.col for c in cells}
    drop = {c for c in range(n) if c not in starts}
    if widths and sum(widths) > 0:
        drop |= {c for c, w in enumerate(widths) if w < TINY_COLUMN}
    for cell in cells:                        # never lose a cell with text
        spanned = range(cell.col, cell.col + cell.colspan)
        if cell.text and all(c in drop for c in spanned):
            drop -= set(spanned)
    if not drop:
        return cells, 0
    # Only columns inside the table's used width count as dropped (trailing grid columns are just unused).
    used = max(c.col + c.colspan for c in cells)
    dropped = len([c for c in drop if c < used])
    new_index: dict[int, int] = {}
    for c in range(n):
        if c not in drop:
            new_index[c] = len(new_index)
    kept: list[_Cell] = []
    for cell in cells:
        own = [c for c in range(cell.col, cell.col + cell.colspan) if c not in drop]
        if not own:
            continue                          # an empty cell wholly inside dropped columns
        kept.append(_Cell(row=cell.row, col=new_index[own[0]], colspan=len(own), text=cell.text,
                          rowspan=cell.rowspan))
    return kept, dropped


__all__ = ["from_xml", "is_workbook", "read"]
