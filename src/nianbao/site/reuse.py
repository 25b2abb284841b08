"""What an incremental build may reuse: a body or body-year page whose inputs have not changed is not made or
rendered again, its files are linked from the live site.

A page's fingerprint hashes what it is made from: its package(s), its body's row and years, the source copy's
name, and everything global to the site (code, theme versions, address, synthetic flag, mkdocs.yml).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from nianbao.files import link_or_copy, link_trees
from nianbao.site.corpus import Corpus
from nianbao.site.jobs import BodyJob, BodyPageJob, PageJob, is_body_page, source_name
from nianbao.site.page import SiteContext


@dataclass(frozen=True)
class PagePrint:
    """What the next build needs of a page: its fingerprint, its date for the sitemap, its search document."""
    fingerprint: str
    lastmod: str | None
    search_document: str | None

    def to_json(self) -> dict[str, str | None]:
        return {"fingerprint": self.fingerprint, "lastmod": self.lastmod, "search_document": self.search_document}

    @classmethod
    def from_json(cls, entry: object) -> PagePrint | None:
        """A stored print, or None for anything else (a state written by another version: pages made anew)."""
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            return None
        return cls(entry["fingerprint"], entry.get("lastmod"), entry.get("search_document"))


@dataclass
class Previous:
    """What an incremental build may reuse: the live site and the fingerprints its pages were made from."""
    site: Path
    pages: dict[str, object]             # url → PagePrint.to_json(), as the last build stored it
    packages: dict[str, str]             # "<agency id>/<year>" → package fingerprint (this build's)

    def page(self, url: str) -> PagePrint | None:
        return PagePrint.from_json(self.pages.get(url))


def site_wide(ctx: SiteContext, configuration: str) -> list:
    """What every page is made from besides its data: the code, the theme's versions, the address, the flag
    for synthetic data and the site's configuration (`settings.fingerprint`: name, theme, menu, …)."""
    import material
    import mkdocs

    from nianbao.model.version import code_version
    return [code_version("site", "package", "templates", "model"), mkdocs.__version__,
            getattr(material, "__version__", ""), ctx.site_url, ctx.synthetic, configuration]


def fingerprints(ctx: SiteContext, reports_dir: Path | None, jobs: list[PageJob], packages: dict[str, str],
                 everywhere: list) -> dict[str, str]:
    """url → fingerprint of every body and body-year page whose packages have fingerprints."""
    out = {}
    for job in jobs:
        if not is_body_page(job):
            continue
        payload = _payload(job, ctx.corpus, reports_dir, packages, everywhere)
        if payload is not None:                            # else no package fingerprint: always made
            out[job.url(ctx.corpus)] = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False,
                                                                 default=str).encode()).hexdigest()
    return out


def _payload(job: BodyPageJob, corpus: Corpus, reports_dir: Path | None, packages: dict[str, str],
             everywhere: list) -> list | None:
    """What a body or body-year page is made from; None when one of its packages has no fingerprint."""
    body = job.body(corpus)
    years = sorted(body.years)
    if isinstance(job, BodyJob):
        kind, inputs = "body", [packages.get(f"{body.id}/{y}") for y in years]
        if None in inputs:
            return None
    else:
        package = packages.get(f"{body.id}/{job.year}")
        if package is None:
            return None
        kind, inputs = "body_year", [package, source_name(job.body_year(corpus), reports_dir)]
    return [kind, everywhere, body.row, years, inputs]


def reusable(prints: dict[str, str], previous: Previous | None) -> set[str]:
    """The pages whose fingerprint is the live one's, with the live page still on disk."""
    if previous is None or not (previous.site / "index.html").is_file():
        return set()
    return {url for url, fp in prints.items()
            if (old := previous.page(url)) is not None and old.fingerprint == fp
            and (previous.site / url / "index.html").is_file()}


def link_reused(corpus: Corpus, live: Path | None, site_dir: Path, reused: set[str]) -> set[str]:
    """Link the reused pages' files from the live site. A body whose page and year pages are all reused is
    linked as one folder (with its data files and source copies), the others page by page. Returns the ids of
    the bodies linked whole."""
    if live is None:
        return set()
    urls = {body.id: [body.url, *(by.url for by in body.years.values())] for body in corpus.bodies.values()}
    whole = {body_id for body_id, pages in urls.items() if all(url in reused for url in pages)}
    link_trees([(live / corpus.bodies[i].url, site_dir / corpus.bodies[i].url) for i in sorted(whole)])
    for body_id, pages in sorted(urls.items()):
        if body_id not in whole:
            for url in pages:
                if url in reused:
                    _link_page_files(live / url, site_dir / url)
    return whole


def _link_page_files(source: Path, target: Path) -> None:
    """A page's own files (its HTML, chart specs, CSVs) from the live site; sub-pages are handled on their own."""
    target.mkdir(parents=True, exist_ok=True)
    for f in source.iterdir():
        if f.is_file() and not (target / f.name).exists():
            link_or_copy(f, target / f.name)
