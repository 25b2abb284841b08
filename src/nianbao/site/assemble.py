"""One site build around `mkdocs build`: the pages made from the data packages before it, the data files, sitemap,
feed, redirects and search index after it. The MkDocs plugin (site/plugin.py) calls the three steps at its
events, so `nianbao build` and a plain `mkdocs build` make the same site.

Order: write the generated pages into a staging folder (WORK/site-src) — `prepare`, at `on_config`; mkdocs renders
them with the hand-written pages of docs/ — `files`, at `on_files`; then copy every package file beside its page
(the URLs in contract.md), write the sitemap and feed from the reports' own dates, the redirects, and index with
Pagefind — `finish`, at `on_post_build`.
"""

from __future__ import annotations

import datetime
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nianbao.files import link_or_copy, move_to_trash
from nianbao.model import urls
from nianbao.site import settings
from nianbao.site.corpus import Corpus, Summaries, load_corpus
from nianbao.site.corrections_pages import CHANGELOG_MARK, changelog_corrections
from nianbao.site.descriptors import published_schemas, write_site_descriptor
from nianbao.site.error_report import error_reports
from nianbao.site.feeds import write_feed, write_sitemap
from nianbao.site.jobs import BuiltPage, is_body_page, page_jobs, source_name, write_pages
from nianbao.site.mkdocs_build import site_of, write_assets
from nianbao.site.page import SiteContext, scope_of_pages
from nianbao.site.redirects import read_redirects, write_redirects
from nianbao.site.reuse import PagePrint, Previous, fingerprints, link_reused, reusable, site_wide
from nianbao.site.search_index import bundles, index_bundles


@dataclass
class SiteInputs:
    packages: Path                        # the data packages on disk (the site never sees records in memory)
    reports: Path                         # the reports folder: source copies, redirects.csv
    work: Path                            # staging, caches and the search documents (OUT/build)
    synthetic: bool = False               # the corpus came from `nianbao synth`: every page says so
    workers: int = 1
    previous: Previous | None = None      # the live site, for an incremental build


@dataclass
class SiteSummary:
    pages: int
    body_years: int
    bodies: int
    seconds_mkdocs: float
    seconds_pagefind: float
    pages_made: int = 0                  # made and rendered this time (the others linked from the live site)
    # url → PagePrint.to_json() of each body and body-year page: what the next build's Previous reads
    page_prints: dict[str, dict[str, str | None]] = field(default_factory=dict)
    # the search bundles Pagefind indexed this time ("" the national one, else a province's two digits); the
    # others' documents had not changed
    search_indexed: list[str] = field(default_factory=list)


@dataclass
class _Prepared:
    ctx: SiteContext
    docs: Path
    prints: dict[str, str]
    reused: set[str]
    made: list[BuiltPage]
    rendering_started: float
    copies_from: Path | None           # the reports folder, or None when the site keeps no source copies


class SiteBuild:
    """One build of the site from `inputs`; `summary` is set once `finish` has run."""

    def __init__(self, inputs: SiteInputs):
        self.inputs = inputs
        self.summary: SiteSummary | None = None
        self._prepared: _Prepared | None = None

    @property
    def staging(self) -> Path:
        return self.inputs.work / "site-src"

    @property
    def islands(self) -> Path:
        return self.staging / "islands"

    def prepare(self, config: Any) -> None:
        """The generated pages into WORK/site-src/docs; with `previous`, a body or body-year page whose inputs
        did not change is not made again (`finish` links its files from the live site)."""
        inputs = self.inputs
        settings.apply(config, inputs.synthetic)
        ctx = SiteContext(self._load_corpus(), site_of(config), inputs.synthetic,
                          error_reports(config.repo_url, config.extra), settings.search_split_pages(config))
        docs = self._empty_staging()
        copies_from = inputs.reports if settings.source_copies(config) else None
        jobs = page_jobs(ctx.corpus)
        prints = fingerprints(ctx, copies_from, jobs, inputs.previous.packages if inputs.previous else {},
                              site_wide(ctx, settings.fingerprint(config)))
        reused = reusable(prints, inputs.previous)
        made = write_pages(ctx, copies_from, docs, self.islands, inputs.workers,
                           [job for job in jobs if not (is_body_page(job) and job.url(ctx.corpus) in reused)])
        write_assets(docs / settings.ASSETS, inputs.work / "cache")
        # mkdocs dates pages from SOURCE_DATE_EPOCH when set: the data's latest date, so a rebuild is byte-identical
        os.environ["SOURCE_DATE_EPOCH"] = str(_epoch(ctx.corpus.latest_date))
        self._prepared = _Prepared(ctx, docs, prints, reused, made, time.perf_counter(), copies_from)

    def hand_written(self, markdown: str, src_uri: str) -> str:
        """A hand-written page, with the corpus's corrections where it asks for them (the changelog)."""
        if CHANGELOG_MARK not in markdown:
            return markdown
        page_url = src_uri.removesuffix("index.md") if src_uri.endswith("index.md") else src_uri.removesuffix(".md") + "/"
        return markdown.replace(CHANGELOG_MARK, "\n\n" + changelog_corrections(self._ready().ctx, page_url) + "\n\n")

    def generated(self) -> list[Path]:
        """Every generated file, relative to the staging docs folder, sorted."""
        docs = self._ready().docs
        return sorted(p.relative_to(docs) for p in docs.rglob("*") if p.is_file())

    @property
    def docs(self) -> Path:
        return self._ready().docs

    def finish(self, site_dir: Path) -> SiteSummary:
        """After mkdocs: data files, sitemap, feed, redirects and search index into `site_dir`."""
        prepared = self._ready()
        seconds_mkdocs = time.perf_counter() - prepared.rendering_started
        ctx, corpus, previous = prepared.ctx, prepared.ctx.corpus, self.inputs.previous
        whole = link_reused(corpus, previous.site if previous else None, site_dir, prepared.reused)
        _copy_data(ctx, site_dir, prepared.copies_from, skip=whole)
        pages = _page_prints(prepared.made, prepared.reused, previous)
        write_sitemap(ctx, sorted((url, p.lastmod) for url, p in pages.items()), site_dir)
        write_feed(ctx, site_dir)
        write_redirects(site_dir, read_redirects(self.inputs.reports / "redirects.csv"), ctx.site_url)
        started = time.perf_counter()
        documents = {url: p.search_document for url, p in pages.items() if p.search_document}
        indexed = index_bundles(bundles(documents, scope_of_pages(corpus) if ctx.search_scopes else None),
                                self.inputs.work / "search", site_dir)
        seconds_pagefind = time.perf_counter() - started
        stored = {url: PagePrint(fp, pages[url].lastmod, pages[url].search_document).to_json()
                  for url, fp in prepared.prints.items()}
        self.summary = SiteSummary(len(pages), len(corpus.body_years), len(corpus.bodies), seconds_mkdocs,
                                   seconds_pagefind, pages_made=len(prepared.made), page_prints=stored,
                                   search_indexed=indexed)
        return self.summary

    def _ready(self) -> _Prepared:
        if self._prepared is None:
            raise RuntimeError("the site build was not prepared: the nianbao plugin's on_config did not run")
        return self._prepared

    def _load_corpus(self) -> Corpus:
        """The corpus on disk; with `previous`, unchanged packages summarised from the last build's summaries."""
        previous = self.inputs.previous
        summaries = Summaries(self.inputs.work / "cache", previous.packages) if previous is not None else None
        corpus = load_corpus(self.inputs.packages, summaries)
        if summaries is not None:
            summaries.save()
        return corpus

    def _empty_staging(self) -> Path:
        """An empty staging folder (the last one goes to the trash, which the build empties when done)."""
        move_to_trash(self.staging, self.inputs.work / "trash")
        docs = self.staging / "docs"
        docs.mkdir(parents=True)
        return docs


def _epoch(date: str | None) -> int:
    if not date:
        return 315532800   # 1980-01-01, as the packages' fixed zip time
    return int(datetime.datetime.fromisoformat(date).replace(tzinfo=datetime.timezone.utc).timestamp())


def _page_prints(made: list[BuiltPage], reused: set[str], previous: Previous | None) -> dict[str, BuiltPage]:
    """Every page of the site with its date and search document: the reused ones as the live site had them."""
    pages = {}
    for url in reused:
        old = previous.page(url) if previous is not None else None
        if old is not None:
            pages[url] = BuiltPage(url, old.lastmod, old.search_document)
    return pages | {page.url: page for page in made}


def _copy_data(ctx: SiteContext, site: Path, reports_dir: Path | None, skip: set[str]) -> None:
    """Every package file beside its page, the descriptor naming its schemas by URL; the corpus package and the
    body-year schemas at /data/; the source copy as source.<ext> (none when `reports_dir` is None: the site keeps
    no copies). The bodies in `skip` were linked whole from the live site, data files included."""
    corpus = ctx.corpus
    schemas = published_schemas(corpus.root / urls.CORPUS_FOLDER)
    for by in corpus.body_years:
        if by.agency_id in skip:
            continue
        folder = site / by.url
        folder.mkdir(parents=True, exist_ok=True)
        for f in sorted(by.folder.iterdir()):
            if not f.is_file() or (folder / f.name).exists():   # present: linked with its unchanged page
                continue
            if f.name == urls.DESCRIPTOR:
                write_site_descriptor(f, folder / f.name, by.tables, schemas, ctx.site)
            else:
                link_or_copy(f, folder / f.name)
        name = source_name(by, reports_dir)
        if reports_dir is not None and name and not (folder / name).exists():
            # copied, never linked: the reports folder is the user's, and may be edited in place
            shutil.copyfile(reports_dir / by.source["file"], folder / name)
    data = site / urls.CORPUS
    (data / urls.TABLE_SCHEMAS).mkdir(parents=True, exist_ok=True)
    folder = corpus.root / urls.CORPUS_FOLDER
    for where in sorted(f.name for f in folder.iterdir() if f.is_file()) + list(schemas):
        link_or_copy(folder / where, data / where)
