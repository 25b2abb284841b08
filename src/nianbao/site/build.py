"""Stage 6 — site: data packages on disk → Markdown pages and chart specs → mkdocs-material → Pagefind index.

Order: write pages into a staging folder (OUT/build/site-src), run `mkdocs build` into the new site folder
(OUT/.site.tmp), copy every package file beside its page (the URLs in contract.md), write the sitemap and feed
from the reports' own dates, index with Pagefind. The pipeline then swaps packages and site in together.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from nianbao.model import urls
from nianbao.files import link_or_copy, move_to_trash
from nianbao.site.corpus import Corpus, Summaries, load_corpus
from nianbao.site.feeds import write_feed, write_sitemap
from nianbao.site.jobs import BuiltPage, is_body_page, page_jobs, source_name, write_pages
from nianbao.site.mkdocs_build import NAV, run_mkdocs, write_assets, write_config
from nianbao.site.page import SiteContext
from nianbao.site.redirects import read_redirects, write_redirects
from nianbao.site.reuse import PagePrint, Previous, fingerprints, link_reused, reusable, site_wide
from nianbao.site.search_index import run_pagefind

__all__ = ["Previous", "SiteSummary", "build_site"]


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


def build_site(packages: Path, site_dir: Path, staging: Path, reports_dir: Path, hand_docs: Path | None = None,
               synthetic: bool = False, workers: int = 1, previous: Previous | None = None) -> SiteSummary:
    """The data packages in `packages` → a complete site in `site_dir` (the caller swaps it into place).

    `staging` receives the Markdown of the pages made this time and mkdocs.yml (kept for inspection). With
    `previous`, a body or body-year page whose inputs did not change is not made or rendered again: its files
    are linked from the live site; the index pages, sitemap, feed and search index are always made anew."""
    ctx = SiteContext(_load_corpus(packages, staging, previous), urls.SiteUrls.from_environment(), synthetic)
    corpus = ctx.corpus
    docs = _staging_docs(staging, hand_docs)
    jobs = page_jobs(corpus)
    prints = fingerprints(ctx, reports_dir, jobs, previous.packages if previous else {}, site_wide(ctx, NAV))
    reused = reusable(prints, previous)
    made = write_pages(ctx, reports_dir, docs, staging / "islands", workers,
                       [job for job in jobs if not (is_body_page(job) and job.url(corpus) in reused)])
    seconds_mkdocs = _render(ctx, staging, docs, site_dir)
    whole = link_reused(corpus, previous.site if previous else None, site_dir, reused)
    _copy_data(corpus, site_dir, reports_dir, skip=whole)
    pages = _page_prints(made, reused, previous)
    write_sitemap(ctx, sorted((url, p.lastmod) for url, p in pages.items()), site_dir)
    write_feed(ctx, site_dir)
    # --- redirects (site/redirects.py): old agency ids from reports/redirects.csv keep their pages and files ---
    write_redirects(site_dir, read_redirects(reports_dir / "redirects.csv"), ctx.site_url)
    # --- end of redirects ---
    started = time.perf_counter()
    run_pagefind({url: p.search_document for url, p in pages.items() if p.search_document},
                 staging.parent / "search", site_dir)
    seconds_pagefind = time.perf_counter() - started
    stored = {url: PagePrint(fingerprint, pages[url].lastmod, pages[url].search_document).to_json()
              for url, fingerprint in prints.items()}
    return SiteSummary(len(pages), len(corpus.body_years), len(corpus.bodies), seconds_mkdocs, seconds_pagefind,
                       pages_made=len(made), page_prints=stored)


def _load_corpus(packages: Path, staging: Path, previous: Previous | None) -> Corpus:
    """The corpus on disk; with `previous`, unchanged packages summarised from the last build's summaries."""
    summaries = Summaries(staging.parent / "cache", previous.packages) if previous is not None else None
    corpus = load_corpus(packages, summaries)
    if summaries is not None:
        summaries.save()
    return corpus


def _staging_docs(staging: Path, hand_docs: Path | None) -> Path:
    """An empty staging folder (the last one goes to the trash) holding the hand-written docs."""
    move_to_trash(staging, staging.parent / "trash")   # the pipeline empties the trash when the build is done
    docs = staging / "docs"
    docs.mkdir(parents=True)
    if hand_docs and hand_docs.is_dir():
        shutil.copytree(hand_docs, docs, dirs_exist_ok=True)
    return docs


def _render(ctx: SiteContext, staging: Path, docs: Path, site_dir: Path) -> float:
    """The theme's assets and mkdocs.yml staged, then mkdocs build into a fresh `site_dir`; its seconds."""
    write_assets(docs / "assets" / "nianbao", staging.parent / "cache")
    nav = NAV + ([("更新记录", "changelog.md")] if (docs / "changelog.md").exists() else [])
    if site_dir.exists():
        shutil.rmtree(site_dir)
    config = write_config(staging, docs, site_dir, ctx.site_url, nav, ctx.synthetic)
    started = time.perf_counter()
    run_mkdocs(config, ctx.corpus.latest_date)
    return time.perf_counter() - started


def _page_prints(made: list[BuiltPage], reused: set[str], previous: Previous | None) -> dict[str, BuiltPage]:
    """Every page of the site with its date and search document: the reused ones as the live site had them."""
    pages = {}
    for url in reused:
        old = previous.page(url) if previous is not None else None
        if old is not None:
            pages[url] = BuiltPage(url, old.lastmod, old.search_document)
    return pages | {page.url: page for page in made}


def _copy_data(corpus: Corpus, site: Path, reports_dir: Path, skip: set[str]) -> None:
    """Every package file beside its page; the corpus package at /data/; the source copy as source.<ext>.
    The bodies in `skip` were linked whole from the live site, data files included."""
    for by in corpus.body_years:
        if by.agency_id in skip:
            continue
        folder = site / by.url
        folder.mkdir(parents=True, exist_ok=True)
        for f in sorted(by.folder.iterdir()):
            if f.is_file() and not (folder / f.name).exists():   # present: linked with its unchanged page
                link_or_copy(f, folder / f.name)
        name = source_name(by, reports_dir)
        if name and not (folder / name).exists():
            # copied, never linked: the reports folder is the user's, and may be edited in place
            shutil.copyfile(reports_dir / by.source["file"], folder / name)
    data = site / urls.CORPUS
    data.mkdir(exist_ok=True)
    for f in sorted((corpus.root / urls.CORPUS_FOLDER).iterdir()):
        if f.is_file():
            link_or_copy(f, data / f.name)
