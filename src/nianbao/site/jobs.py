"""The pages of a build as jobs, and their making: each job makes one page, which is written into the staging
folder (Markdown for mkdocs, its HTML body as an island, its chart specs and files beside it).

A body's page and a body-year's page are made from that body's packages only, so an incremental build may link
them from the live site instead (site/reuse.py); every page about the whole corpus is made anew each build.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard

from nianbao.model.urls import SOURCE_COPY_STEM
from nianbao.site.body_pages import agencies_page, body_page, region_page
from nianbao.site.body_year_page import body_year_page
from nianbao.site.charts import spec_json
from nianbao.site.compare_pages import compare_index, compare_page
from nianbao.site.corpus import Body, BodyYear, Corpus
from nianbao.site.coverage_page import coverage_page
from nianbao.site.corpus_pages import dictionary_page, downloads_page, home_page, quality_page, search_page
from nianbao.site.page import Page, SiteContext, provinces, split_by_province

# A report's own markup must never run on this site's origin: web-page sources are hosted as plain text.
ACTIVE_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".svg", ".xml", ".js", ".mjs"}


@dataclass(frozen=True)
class CorpusPageJob:
    """A page about the whole corpus (home, lists, compare, quality …): made anew every build."""
    make: Callable[[SiteContext], Page]

    def page(self, ctx: SiteContext, reports_dir: Path | None) -> Page:
        return self.make(ctx)


@dataclass(frozen=True)
class BodyJob:
    """A body's page, made from its packages of every year."""
    body_id: str

    def body(self, corpus: Corpus) -> Body:
        return corpus.bodies[self.body_id]

    def url(self, corpus: Corpus) -> str:
        return self.body(corpus).url

    def page(self, ctx: SiteContext, reports_dir: Path | None) -> Page:
        return body_page(ctx, self.body(ctx.corpus))


@dataclass(frozen=True)
class BodyYearJob:
    """A body-year's page, made from its package and the name of its source copy."""
    body_id: str
    year: int

    def body(self, corpus: Corpus) -> Body:
        return corpus.bodies[self.body_id]

    def body_year(self, corpus: Corpus) -> BodyYear:
        return corpus.bodies[self.body_id].years[self.year]

    def url(self, corpus: Corpus) -> str:
        return self.body_year(corpus).url

    def page(self, ctx: SiteContext, reports_dir: Path | None) -> Page:
        by = self.body_year(ctx.corpus)
        try:
            return body_year_page(ctx, self.body(ctx.corpus), by, source_name(by, reports_dir))
        finally:
            by.release()


PageJob = CorpusPageJob | BodyJob | BodyYearJob
BodyPageJob = BodyJob | BodyYearJob            # the pages an incremental build may reuse


def is_body_page(job: PageJob) -> TypeGuard[BodyPageJob]:
    return isinstance(job, (BodyJob, BodyYearJob))


def page_jobs(corpus: Corpus) -> list[PageJob]:
    """Every page of the site, corpus pages first."""
    jobs: list[PageJob] = [CorpusPageJob(make) for make in (home_page, agencies_page, compare_index, quality_page,
                                                            coverage_page, dictionary_page, downloads_page, _search_page)]
    jobs += [CorpusPageJob(functools.partial(compare_page, year=year)) for year in corpus.years]
    if split_by_province(corpus):
        jobs += [CorpusPageJob(functools.partial(region_page, code=code)) for code in provinces(corpus)]
    for body in corpus.bodies.values():
        jobs.append(BodyJob(body.id))
        jobs += [BodyYearJob(body.id, year) for year in sorted(body.years)]
    return jobs


def _search_page(ctx: SiteContext) -> Page:
    return search_page(ctx.search_scopes)


def source_name(by: BodyYear, reports_dir: Path | None) -> str | None:
    """The hosted copy of the source document: `source.<ext>` beside the page, if the file is at hand
    (`source.html.txt` for a web page, so a browser shows its code instead of running it). None when the site
    keeps no copies (`reports_dir` None: see settings.source_copies)."""
    name = by.source.get("file")
    if reports_dir is None or not name or not (reports_dir / name).is_file():
        return None
    suffix = Path(name).suffix.lower()
    return SOURCE_COPY_STEM + suffix + (".txt" if suffix in ACTIVE_SUFFIXES else "")


@dataclass(frozen=True)
class BuiltPage:
    """What the build keeps of a page of the site (made now, or reused from the live site): 10,000 pages of
    HTML are never held in memory at once."""
    url: str
    lastmod: str | None
    search_document: str | None


@dataclass(frozen=True)
class _Work:
    ctx: SiteContext
    reports_dir: Path | None
    docs: Path
    islands: Path
    jobs: list[PageJob]


_WORK: _Work | None = None   # inherited by forked workers, never pickled


def write_pages(ctx: SiteContext, reports_dir: Path | None, docs: Path, islands: Path, workers: int,
                jobs: list[PageJob]) -> list[BuiltPage]:
    """Make and write these pages; pages are independent, so `workers` forked processes share them."""
    global _WORK
    _WORK = _Work(ctx, reports_dir, docs, islands, jobs)
    try:
        if workers <= 1 or len(jobs) < 50:
            return [_write_job(i) for i in range(len(jobs))]
        import multiprocessing
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return list(pool.imap(_write_job, range(len(jobs)), chunksize=16))
    finally:
        _WORK = None


def _write_job(i: int) -> BuiltPage:
    work = _WORK
    assert work is not None, "write_pages sets the work before any job runs"
    page = work.jobs[i].page(work.ctx, work.reports_dir)
    _write_page(work.docs, work.islands, page)
    return BuiltPage(page.url, page.lastmod, page.search_document())


def _write_page(docs: Path, islands: Path, page: Page) -> None:
    folder = docs / page.url
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.md").write_text(page.markdown(), encoding="utf-8")
    (islands / page.url).mkdir(parents=True, exist_ok=True)
    (islands / page.url / "index.html").write_text(page.html(), encoding="utf-8")
    for chart in page.charts:
        (folder / chart.name).write_text(spec_json(chart) + "\n", encoding="utf-8")
    for name, data in page.files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
