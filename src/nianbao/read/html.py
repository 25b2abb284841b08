"""HTML reader: a web page becomes text blocks and true-grid tables (rowspan/colspan resolved).

Bytes → text: the declared charset (BOM, else `<meta charset>` / `<meta http-equiv content="…charset=…">` /
`<?xml encoding=…?>` in the first 4 KB) goes to `encoding.decode`, which reads gb2312/gbk as gb18030 so GBK-only
characters (堃, 镕) survive. Two corrections to the declaration: bytes that are valid UTF-8 (and not plain ASCII)
are UTF-8 whatever the page says, and a Western single-byte declaration (iso-8859-1, windows-1252, ascii) on a
Chinese report is ignored (it would decode anything into mojibake). The text is re-encoded as UTF-8 and parsed by
lxml with that encoding forced, so a `<meta>` cannot switch the parser to another one. Text without a single
tag (garbage that happens to decode, e.g. as GB18030) or without any text or table is `Unreadable("not-html")`.

What is read:
- Never read: script, style, noscript, template, iframe, svg, object/embed/canvas/media, form controls, and elements
  hidden by `hidden` or an inline `display:none` / `visibility:hidden` (inside a table: hidden rows and cells).
- Main content: among `article`, `main` and elements whose id or class is a usual content container (`#zoom`,
  `.TRS_Editor`, `.pages_content`, `#UCAP-CONTENT`, `.article`, `.content`, … see `_CONTENT_IDS/_CLASSES`),
  the one with the most text. The whole `body` is read instead when there is no such element, when it holds less
  than a fifth of the body's text, or when a table with report labels (规章, 自然人, 行政复议…) lies outside it.
- Site chrome, dropped wherever it is (outside tables): `header`, `nav`, `footer`, `aside`, `menu` elements and
  elements whose id/class contains nav, menu, header, footer, breadcrumb/crumb, sidebar, share, copyright,
  toolbar (or is the word top/foot/bottom) — except an element that contains the main content or a table with
  report labels. If dropping chrome would leave nothing, the page is read again without dropping it.

What comes out, in document order (`Where.line` = the 1-based sequence number of the block):
- a `TextBlock` per line of block-level text (p, div, h1–h6, li…, split at `<br>`); ASCII whitespace runs become
  one space, NBSP and ideographic spaces stay (normalising happens later); lines that are only spaces are dropped;
- a `Table(kind="grid")` per outermost `<table>` (its `<caption>` first, as a text line): cells at their origin
  row/column with their spans, `Where(table=k, row=r, col=c)` (all 0-based, as in the PDF and DOCX readers). Spans that
  are not positive integers count 1; a rowspan stops at the end of its row group; rows and columns in which no
  cell starts (empty `<tr>`s, columns only a span reaches) are removed and the spans over them shortened.
  Cell text keeps `<br>`/`<p>` breaks as newlines; a nested table's cells become lines of its cell. Rows and cells
  hidden by `display:none` are not part of the grid, nor is Word's closing `<tr height=0>` of empty cells.
Traditional-Chinese pages stay as printed.
"""

from __future__ import annotations

import codecs
import re
from bisect import bisect_left
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from nianbao.model.document import Block, Document, GridCell, Table, TextBlock, Where
from nianbao.model.normalize import strip_mirror_noise
from nianbao.model.words import Reader
from nianbao.read.encoding import decode
from nianbao.read.errors import Unreadable

# --- bytes → text ---------------------------------------------------------------------------------------

_BOM_NAMES = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
# Declarations ignored on a Chinese report page: Western single-byte sets decode any bytes into mojibake.
# (A page without a BOM that says utf-16 is ASCII-compatible: the HTML standard reads it as UTF-8, so do we.)
_IGNORED = re.compile(r"^(iso-?8859|latin|l1$|windows-125|cp125|us-?ascii$|ascii$|ansi)")


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares: its BOM, else a `<meta>` (or XML declaration) in the first 4 KB."""
    for bom, name in _BOM_NAMES:
        if data.startswith(bom):
            return name
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii").strip() if match else None


def _usable(declared: str | None, data: bytes) -> str | None:
    """The declaration to give `decode`, after the two corrections described in the module docstring."""
    if declared is None:
        return None
    key = declared.strip().lower().replace("_", "-")
    if key.startswith("utf-16") and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-8"
    if any(word in key for word in ("2312", "gbk", "936", "18030")):
        key = "gb18030"
    elif "big5" in key and "hkscs" not in key:
        key = "big5"
    if _IGNORED.match(key):
        return None
    if key not in ("utf-8", "utf8") and not data.isascii():
        try:
            data.decode("utf-8")
            return "utf-8"
        except UnicodeDecodeError:
            pass
    return key


# --- what to skip ---------------------------------------------------------------------------------------

_JUNK_TAGS = ("script", "style", "noscript", "template", "iframe", "frame", "frameset", "svg", "math", "object",
              "embed", "applet", "canvas", "audio", "video", "input", "select", "textarea", "button", "option",
              "optgroup", "datalist", "head")   # head: its <title> is read first; only the body is walked
_CHROME_TAGS = {"header", "nav", "footer", "aside", "menu"}
_CHROME_WORDS = re.compile(r"nav|menu|header|footer|breadcrumb|crumb|sidebar|side-bar|share|copyright|toolbar"
                           r"|tool-bar", re.I)
_CHROME_TOKENS = {"top", "foot", "bottom"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# Where Chinese government sites put the body of an article.
_CONTENT_TAGS = {"article", "main"}
_CONTENT_IDS = {"zoom", "ucap-content", "content", "article", "main", "maincontent", "main-content",
                "article-content", "articlecontent", "fontzoom", "artibody", "detail", "textcontent", "con"}
_CONTENT_CLASSES = {"trs_editor", "pages_content", "pages-content", "article", "article-content", "article_content",
                    "content", "main-content", "main_content", "zoom", "detail", "detail-content", "view",
                    "textcontent", "text-content", "wzxq", "xxgk_content"}

# Words only the report's own tables print (simplified and traditional).
_REPORT_WORDS = ("规章", "規章", "规范性文件", "規範性文件", "行政许可", "行政許可", "自然人", "予以公开", "予以公開",
                 "行政复议", "行政復議", "行政诉讼", "行政訴訟", "本年新收", "政府信息公开申请", "政府資訊公開申請")

_BLOCK_TAGS = {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
               "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
               "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p",
               "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
_MARKUP = re.compile(r"<[A-Za-z!?/]")
_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_ANY_SPACE = re.compile(r"\s+")


def read(path: Path) -> Document:
    data = path.read_bytes()
    text, encoding = decode(data, _usable(declared_charset(data), data))
    if not _MARKUP.search(text):
        raise Unreadable("not-html", "The file has no HTML markup.")
    root = _parse(strip_mirror_noise(text))
    title = _title(root)
    for junk in list(root.iter(*_JUNK_TAGS)):
        junk.drop_tree()
    body = root.find("body")
    if body is None:
        body = root
    if not _squashed(body) and not body.xpath(".//td|.//th"):
        raise Unreadable("not-html", "The file holds no HTML text or tables.")
    tables = [t for t in body.iter("table") if _is_report_table(t)]
    best = _best_content(body)
    main = body if best is None or _falls_back(best, body, tables) else best
    keep = set(tables) | ({best} if best is not None else set())
    for element in list(keep):
        keep.update(element.iterancestors())
    blocks = _Flow(keep=keep, chrome=True).blocks(main)
    if not blocks:
        blocks = _Flow(keep=keep, chrome=False).blocks(body)   # the chrome rules took everything: read it all
    if not blocks:
        raise Unreadable("not-html", "The file holds no HTML text or tables.")
    return Document(source=str(path), blocks=tuple(blocks), reader=Reader.HTML, title=title,
                    notes=(f"encoding: {encoding}",))


def _parse(text: str):
    # huge_tree: without it libxml2 silently drops everything nested deeper than 256 elements.
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True,
                                  huge_tree=True)
    try:
        return lxml_html.document_fromstring(text.replace("\x00", "").encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise Unreadable("not-html", "The file holds no HTML content.") from error


def _title(root) -> str | None:
    element = root.find("head/title")
    if element is None:
        element = root.find(".//title")
    if element is None:
        return None
    text = _ASCII_SPACE.sub(" ", element.text_content()).strip()
    return text or None


def _squashed(element) -> str:
    return _ANY_SPACE.sub("", element.text_content())


def _is_report_table(table) -> bool:
    text = _squashed(table)
    return any(word in text for word in _REPORT_WORDS)


def _is_content(element) -> bool:
    if element.tag in _CONTENT_TAGS:
        return True
    if (element.get("id") or "").strip().lower() in _CONTENT_IDS:
        return True
    return any(c in _CONTENT_CLASSES for c in (element.get("class") or "").lower().split())


def _best_content(body):
    """The content container with the most text (the first, i.e. outermost, on a tie), or None."""
    best, most = None, 0
    for element in body.iter():
        if isinstance(element.tag, str) and _is_content(element):
            size = len(_squashed(element))
            if size > most:
                best, most = element, size
    return best


def _falls_back(best, body, report_tables) -> bool:
    if len(_squashed(best)) * 5 < len(_squashed(body)):
        return True
    inside = set(best.iter("table"))
    return any(t not in inside for t in report_tables)


def _is_chrome(element) -> bool:
    if element.tag in _CHROME_TAGS:
        return True
    names = f"{element.get('id') or ''} {element.get('class') or ''}"
    if _CHROME_WORDS.search(names):
        return True
    return any(token in _CHROME_TOKENS for token in re.split(r"[^a-z0-9]+", names.lower()))


def _is_hidden(element) -> bool:
    return element.get("hidden") is not None or bool(_HIDDEN_STYLE.search(element.get("style") or ""))


# --- walking the tree -----------------------------------------------------------------------------------

class _Flow:
    """Text of an element in document order, cut into lines at block elements and <br>.

    In page mode (`cells=False`) outermost tables are kept whole and chrome/hidden elements skipped; in cell mode
    every element is walked, a nested table's rows and cells becoming lines.
    """

    def __init__(self, keep: set | frozenset = frozenset(), chrome: bool = False, cells: bool = False):
        self.keep = keep
        self.chrome = chrome
        self.cells = cells
        self.items: list = []      # lines (str) and, in page mode, table elements
        self.buffer: list[str] = []

    def blocks(self, element) -> list[Block]:
        self.walk(element)
        self.flush()
        out: list[Block] = []
        tables = 0
        for item in self.items:
            if isinstance(item, str):
                out.append(TextBlock(text=item, where=Where(line=len(out) + 1)))
                continue
            caption = item.find("caption")
            if caption is not None:
                for line in _Flow(cells=True).lines(caption):
                    out.append(TextBlock(text=line, where=Where(line=len(out) + 1)))
            cells = _grid(item, tables)
            if cells:
                out.append(Table(cells=cells, kind="grid", where=Where(line=len(out) + 1, table=tables)))
                tables += 1
        return out

    def lines(self, element) -> list[str]:
        self.walk(element)
        self.flush()
        return self.items

    def flush(self) -> None:
        line = _ASCII_SPACE.sub(" ", "".join(self.buffer)).strip(" ")
        self.buffer.clear()
        if line and (self.cells or line.strip()):
            self.items.append(line)

    def add(self, text: str | None) -> None:
        if text:
            self.buffer.append(text)

    def walk(self, root) -> None:
        """Depth-first, with an explicit stack: pages nest deeper than Python's recursion limit (unclosed <font>)."""
        stack: list = [root]
        while stack:
            item = stack.pop()
            if item is None:
                self.flush()             # the end of a block element
                continue
            if isinstance(item, str):
                self.add(item)           # a child's tail
                continue
            tag = item.tag
            if not isinstance(tag, str):
                continue
            if not self.cells and item not in self.keep and (_is_hidden(item) or self.chrome and _is_chrome(item)):
                continue
            if tag == "br":
                self.flush()
                continue
            if tag == "table" and not self.cells:
                self.flush()
                self.items.append(item)
                continue
            if tag == "pre":
                self.flush()
                for line in item.text_content().split("\n"):
                    self.add(line)
                    self.flush()
                continue
            block = tag in _BLOCK_TAGS
            if block:
                self.flush()
                stack.append(None)
            self.add(item.text)
            for child in reversed(item):
                if child.tail:
                    stack.append(child.tail)
                stack.append(child)


def _span(value: str | None, limit: int) -> int:
    """A rowspan/colspan attribute as browsers read it (leading digits); anything not ≥ 1 counts 1."""
    match = re.match(r"\s*\+?(\d+)", value or "")
    n = int(match.group(1)) if match else 1
    return min(max(n, 1), limit)


def _row_groups(table) -> list[list]:
    """The table's own rows (not a nested table's), grouped: thead groups first, tfoot groups last."""
    head: list = []
    middle: list = []
    foot: list = []
    loose: list | None = None
    for child in table:
        if child.tag == "tr":
            if loose is None:
                loose = []
                middle.append(loose)
            loose.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            loose = None
            rows = [tr for tr in child if tr.tag == "tr"]
            {"thead": head, "tbody": middle, "tfoot": foot}[child.tag].append(rows)
    return head + middle + foot


def _is_spacer(tr) -> bool:
    """Word's `<tr height=0>` of empty cells closing an exported table (`<![if !supportMisalignedColumns]>`)."""
    if (tr.get("height") or "").strip().lower() not in ("0", "0px"):
        return False
    return not any(_ANY_SPACE.sub("", cell.text_content()) for cell in tr if cell.tag in ("td", "th"))


def _grid(table, number: int) -> tuple[GridCell, ...]:
    placed = []                      # (row, col, rowspan, colspan, text)
    taken: set[tuple[int, int]] = set()
    base = 0
    for group in _row_groups(table):
        for i, tr in enumerate(group):
            if _is_hidden(tr) or _is_spacer(tr):
                continue
            r = base + i
            c = 0
            for cell in tr:
                if cell.tag not in ("td", "th") or _is_hidden(cell):
                    continue
                while (r, c) in taken:
                    c += 1
                rowspan = min(_span(cell.get("rowspan"), 65534), len(group) - i)
                colspan = _span(cell.get("colspan"), 1000)
                for dr in range(rowspan):
                    for dc in range(colspan):
                        taken.add((r + dr, c + dc))
                placed.append((r, c, rowspan, colspan, "\n".join(_Flow(cells=True).lines(cell))))
                c += colspan
        base += len(group)
    # Rows and columns where no cell starts carry nothing: remove them, shortening the spans over them.
    rows = sorted({p[0] for p in placed})
    cols = sorted({p[1] for p in placed})
    row_at = {r: k for k, r in enumerate(rows)}
    col_at = {c: k for k, c in enumerate(cols)}
    out = []
    for r, c, rowspan, colspan, text in placed:
        row, col = row_at[r], col_at[c]
        rowspan = bisect_left(rows, r + rowspan) - row
        colspan = bisect_left(cols, c + colspan) - col
        out.append(GridCell(row=row, col=col, text=text, rowspan=rowspan, colspan=colspan,
                            where=Where(table=number, row=row, col=col)))
    return tuple(out)
