"""A page of the site and the HTML pieces every page is built from.

A page is a folder URL (`agencies/310105-health/2020/`) with its Markdown, the chart specs and small CSV files
that sit beside it. Links between pages are relative, so the site works under any base path (GitHub Pages
project sites live under /<repo>/). Text that came from a report goes through `inert()`.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field

from nianbao.model.urls import SiteUrls
from nianbao.files import csv_bytes as plain_csv_bytes
from nianbao.site.charts import ChartFile
from nianbao.site.corpus import Body, BodyYear, Corpus
from nianbao.site.error_report import ErrorReports
from nianbao.site.islands import ISLAND
from nianbao.site.search_index import BODY_FILTER, PROSE_MARK, one_word_per_character
from nianbao.site.text import LEVELS, CheckWords, attr, grouped, number, scroll_box
from nianbao.templates import templates

LANGUAGE = "zh"          # theme.language in mkdocs.base.yml: the page language Pagefind indexes under
# No page lists more than this many rows: past it, lists are split by province or cut with the full data in a
# CSV, so a page's size and build cost stay flat however large the corpus grows.
LIST_LIMIT = 300
MIXED_TEMPLATE = "混合（两版表格都有）"   # a report whose tables are of both templates (templates.template_for)
# The pandas snippets' second way: nianbao.read_package types every column by the package's schema
READ_PACKAGE_NOTE = "# 或者用 nianbao：各列按数据包的字段类型读出（整数可空，金额为 Decimal，状态为分类）"


@dataclass
class Page:
    url: str                                   # '' for home, 'agencies/x/' …
    title: str                                 # plain text (escaped when written)
    body: str                                  # Markdown / HTML
    description: str = ""
    charts: list[ChartFile] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)   # small files beside the page
    meta: dict = field(default_factory=dict)
    lastmod: str | None = None                 # for the sitemap: a date the data gives, never the clock
    indexed: str = ""                          # the element with data-pagefind-body, if the page is searchable
    indexed_prose: str = ""                    # report prose, indexed too: only its province's bundle holds it

    @property
    def has_own_h1(self) -> bool:
        """The body has its <h1>: the theme adds none, and it is the search result's title."""
        return "<h1" in self.body

    def markdown(self) -> str:
        """Front matter and a placeholder: the body is HTML, put in after Markdown by site/islands.py."""
        front = {"title": self.title, "description": self.description or self.title, **self.meta}
        if self.has_own_h1:
            front["own_h1"] = True   # the theme adds no second one (overrides/partials/content.html)
        if not self.url:
            del front["title"]    # the home page's title is the site's name alone (Material adds it to every title)
        lines = ["---"] + [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in sorted(front.items())] + ["---", ""]
        return "\n".join(lines) + ISLAND + "\n"

    def html(self) -> str:
        return self.body.strip() + "\n"

    def search_document(self) -> str | None:
        """What Pagefind reads of this page, as a document of its own: the page's first h1 (Pagefind takes it
        as the result title: the theme's, or the page's own when it has one), the page language, and the
        data-pagefind-body element, which holds all the page's indexed text and filters. Pagefind then reads
        ~1 kB a page instead of the ~60 kB page — 20 s of every build at 10,000 reports. Its Chinese is one
        character to a word (search_index.one_word_per_character); tests/test_site.py checks that the index
        otherwise holds what Pagefind makes from the built pages. The report's prose comes last, after
        search_index.PROSE_MARK: a split site's national index leaves it out."""
        if not self.indexed:
            return None
        title = html.escape(self.title, quote=False)
        return one_word_per_character(
            f'<!doctype html>\n<html lang="{LANGUAGE}"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body>{'' if self.has_own_h1 else f'<h1>{title}</h1>'}\n{self.indexed}"
            f"{PROSE_MARK + self.indexed_prose if self.indexed_prose else ''}\n</body></html>\n")


class SiteContext:
    """What every page is made from: the corpus on disk, the site's address, and whether it is synthetic."""

    def __init__(self, corpus: Corpus, site: SiteUrls, synthetic: bool = False, errors: ErrorReports | None = None,
                 search_split_pages: int | None = None):
        self.corpus = corpus
        # the provinces of a split search index (none: one index); None as the threshold never splits
        self.search_scopes = search_scopes(corpus, search_split_pages) if search_split_pages is not None else []
        self.site = site
        self.errors = errors                # where a reader reports a wrong number (None: no link)
        self.site_name = site.name          # mkdocs.yml's site_name
        self.words = CheckWords(corpus.dictionary)
        self.synthetic = synthetic

    @property
    def site_url(self) -> str:
        return self.site.base

    def absolute(self, url: str) -> str:
        return self.site.absolute(url)


def up(url: str) -> str:
    """The relative path from a page at `url` back to the site root."""
    return "../" * url.count("/") if url else ""


def link(from_url: str, to_url: str, text: str) -> str:
    return f'<a href="{up(from_url)}{to_url}">{text}</a>'


def table(header: list[str], rows: list[list[str]], cls: str = "nb-list", attrs: str = "") -> str:
    """A list table; a column of numbers is set right-aligned in tabular figures (class nb-n, site.css)."""
    numeric = [_numeric_column([row[i] for row in rows if i < len(row)]) for i in range(len(header))]
    head = "".join(f"<th{_NUMERIC if numeric[i] else ''}>{h}</th>" for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(f"<td{_NUMERIC if i < len(numeric) and numeric[i] else ''}>{c}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    # rows of figures are not what people search for (they were most of the index): scroll_box leaves them out
    return scroll_box(f'<table class="{cls}"{attrs}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


_NUMERIC = ' class="nb-n"'
# What a table cell shows when it is a number: grouped digits (text.grouped), a share (25.0%), a file size.
_NUMBER = re.compile(r"-?\d[\d,]*(\.\d+)?\s?(%|KB|MB)?")
_TAGS = re.compile(r"<[^>]+>")


def _numeric_column(cells: list[str]) -> bool:
    """A column of numbers: each cell shows one, or "—" for a number that cannot be known."""
    shown = [_TAGS.sub("", c).strip() for c in cells]
    return any(_NUMBER.fullmatch(t) for t in shown) and all(_NUMBER.fullmatch(t) or t in ("—", "") for t in shown)


def facts_list(facts: list[tuple[str, str]]) -> str:
    """A definition list of (term, HTML) pairs: the facts at the top of a body or body-year page."""
    return '<dl class="nb-facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>"


def chart_block(chart: ChartFile, numbers: str) -> str:
    """A chart drawn as SVG, its caption with links to the CSV it draws and to its Vega-Lite spec, and under it
    an HTML table of the same numbers (for screen readers and for checking)."""
    links = f'<a href="{attr(chart.data_url)}">数据</a>，<a href="{chart.name}">图表定义</a>'
    return (f'<figure class="nb-figure"><div class="nb-chart" data-spec="{chart.name}">{chart.svg()}</div>'
            f"<figcaption>{attr(chart.description)}（{links}）</figcaption>{numbers}</figure>")


def template_name(template: object) -> str | None:
    """A report's template in words, with the notice that set it out; None for a template the data lacks."""
    spec = templates().get(str(template))
    if spec is not None:
        return f"{spec.id} 年版（{spec.notice}）"
    return MIXED_TEMPLATE if template == "mixed" else None


def level_name(level: str) -> str:
    return LEVELS.get(level or "", level or "未知")


def shown(value: object) -> str:
    """A figure in a table: grouped digits, or "—" when it cannot be known."""
    return "—" if value is None else grouped(value)


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    """CSV like the packages' (UTF-8 with BOM for Excel). Charts never read the first column, which the BOM
    touches, so every chart CSV starts with agency_id or scope."""
    return plain_csv_bytes(header, [[None if v is None else number(v) for v in row] for row in rows])


def search_filters(body: Body, years: list[int]) -> str:
    """Pagefind filters: body, year, province and level, each value in its attribute (an empty element): text
    in the element would become part of the indexed content and of every result's excerpt."""
    values = [(BODY_FILTER, body.name), *(("年度", str(y)) for y in years),
              ("省份", body.row.get("province") or "未知"), ("层级", level_name(body.row.get("level", "")))]
    return "".join(f'<span data-pagefind-filter="{key}:{attr(value)}"></span>' for key, value in values)


def source_date(by: BodyYear) -> str | None:
    """The report's own date (published, else retrieved): the page's date in the sitemap and feed."""
    return by.source.get("published") or by.source.get("retrieved") or None


def capped(rows: list, what: str, data_link: str) -> tuple[list, str]:
    """At most LIST_LIMIT rows, and a sentence saying where the rest are."""
    if len(rows) <= LIST_LIMIT:
        return rows, ""
    return rows[:LIST_LIMIT], (f"<p>这里列出前 {LIST_LIMIT} 个{what}（共 {grouped(len(rows))} 个）；全部见 {data_link}。</p>")


def split_by_province(corpus: Corpus) -> bool:
    """Whether the list of bodies is too long for one page (then each province has a page)."""
    return len(corpus.bodies) > LIST_LIMIT


@dataclass(frozen=True)
class SearchScope:
    """A province's full-text search index in a split site: its two digits (/pagefind/<code>/) and its name."""
    code: str
    name: str


def search_scopes(corpus: Corpus, split_pages: int) -> list[SearchScope]:
    """The provinces a search can be narrowed to, in code order; none while the searchable pages (every body's
    and body-year's) are at most `split_pages` (settings.search_split_pages): the site has one index then."""
    if len(corpus.bodies) + len(corpus.body_years) <= split_pages:
        return []
    return [SearchScope(code[:2], members[0].row.get("province") or "地区未知")
            for code, members in provinces(corpus).items()]


def scope_of_pages(corpus: Corpus) -> dict[str, str]:
    """url → the two digits of its province's search index, for every body and body-year page."""
    out = {}
    for code, members in provinces(corpus).items():
        for body in members:
            out[body.url] = code[:2]
            out.update((by.url, code[:2]) for by in body.years.values())
    return out


def provinces(corpus: Corpus) -> dict[str, list[Body]]:
    """Province code (2 digits + 0000) → its bodies; bodies without a region under "000000"."""
    out: dict[str, list[Body]] = defaultdict(list)
    for body in corpus.bodies.values():
        code = body.row.get("region_code") or ""
        out[code[:2] + "0000" if len(code) == 6 else "000000"].append(body)
    return dict(sorted(out.items()))
