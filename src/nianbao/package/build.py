"""Write the data packages: one per body-year in datapackages/<agency-id>/<year>/, the corpus in datapackages/all/.

Everything is derived from the records and the manifest only — never from the clock — so the same inputs
give byte-identical outputs. `created` is the latest publication/retrieval date the manifest gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nianbao.model import urls
from nianbao.model.record import PackedRecord, Record
from nianbao.package.body_year import write_body_year
from nianbao.package.corpus import write_corpus
from nianbao.package.manifest import ManifestRow
from nianbao.package.resolve import BodyYear, Entry, published, resolve
from nianbao.package.rows import agency_rows, dictionary_rows
from nianbao.package.state import PackageState, Reuse, fingerprint, record_digest
from nianbao.package.yearchecks import BodyYearChecks, CheckCounts


@dataclass
class Summary:
    documents: int = 0
    published: int = 0          # body-year packages
    rejected: int = 0
    needs_review: int = 0
    duplicates: int = 0
    errors: int = 0
    failed_checks: int = 0
    problems: tuple[str, ...] = ()   # one line per document not published (with why), and per manifest slip

    def line(self) -> str:
        return (f"{self.documents} documents: {self.published} published, {self.rejected} rejected, "
                f"{self.needs_review} needing review, {self.duplicates} duplicates, {self.errors} errors; "
                f"{self.failed_checks} failed checks")


def write_packages_incrementally(records: Sequence[tuple[str, Record | PackedRecord]], manifest: dict[str, ManifestRow], root: Path,
                                 previous: Path, known: dict[str, PackageState], workers: int = 1,
                                 site: urls.SiteUrls | None = None) -> tuple[Summary, int, dict[str, PackageState]]:
    """Write the packages into `root` (a new folder), taking each body-year whose inputs did not change from
    `previous` (the live packages) instead of writing it again. A body-year's fingerprint covers its record,
    its neighbour years' records (the cross-year checks), its agency row, manifest row, the site's URL and the
    packaging code; `known` holds the state of each live body-year ("<agency id>/<year>"). Returns the summary,
    how many body-years were written, and the state of the new packages (the caller keeps it once they are live)."""
    reuse = Reuse(previous, known)
    summary = write_packages(records, manifest, root, reuse, workers, site)
    return summary, reuse.written, reuse.state


@dataclass(frozen=True)
class _Job:
    """A body-year package to write."""

    key: BodyYear
    agency_row: list
    folder: Path


def write_packages(records: Sequence[tuple[str, Record | PackedRecord]], manifest: dict[str, ManifestRow], root: Path,
                   reuse: Reuse | None = None, workers: int = 1, site: urls.SiteUrls | None = None) -> Summary:
    """`site`: where the pages will be (the citations give absolute URLs); by default $NIANBAO_SITE_URL's."""
    site = site or urls.SiteUrls.from_environment()
    entries = resolve(records, manifest)
    entries_by_key = published(entries)
    agencies = agency_rows(entries)
    dictionary = dictionary_rows()
    counts: dict[BodyYear, CheckCounts] = {}
    prints: dict[BodyYear, str] = {}
    jobs = []
    digests = {key: record_digest(e) for key, e in entries_by_key.items()}   # each is also a neighbour's input
    for key in sorted(entries_by_key):
        prints[key] = fingerprint(entries_by_key, digests, key, agencies[key[0]], site)
        taken = reuse.take(key, prints[key]) if reuse is not None else None
        if taken is not None:
            counts[key] = taken
        else:
            jobs.append(_Job(key, agencies[key[0]], root / key[0] / str(key[1])))
    if reuse is not None:
        reuse.link(root)
    year_checks = BodyYearChecks(entries_by_key, {job.key for job in jobs})
    for job in jobs:
        counts[job.key] = CheckCounts.of(year_checks[job.key])
        if reuse is not None:
            reuse.wrote(job.key, prints[job.key], counts[job.key])
    _write_body_years(jobs, year_checks, site, workers)
    write_corpus(entries, entries_by_key, counts, agencies, dictionary, manifest, root / urls.CORPUS_FOLDER)
    return _summary(entries, entries_by_key, counts, manifest)


def _summary(entries: list[Entry], published: dict[BodyYear, Entry], counts: dict[BodyYear, CheckCounts],
             manifest: dict[str, ManifestRow]) -> Summary:
    s = Summary(documents=len(entries), published=len(published))
    for e in entries:
        s.rejected += e.status == "rejected"
        s.needs_review += e.status == "needs_review"
        s.duplicates += e.status == "duplicate"
        s.errors += e.status == "error"
    s.failed_checks = sum(made.failed for made in counts.values())
    listed = {e.file for e in entries}
    s.problems = tuple([f"{e.file}: {e.status}: {e.reason}" for e in entries if e.status != "published"]
                       + [f"{e.file}: {n}" for e in entries for n in e.manifest.problems]
                       + [f"manifest.csv lists {f}, which is not in the reports folder"
                          for f in sorted(manifest) if f not in listed])
    return s


@dataclass(frozen=True)
class _Work:
    """What forked workers write; inherited through fork, never pickled."""

    jobs: list[_Job]
    checks: BodyYearChecks
    site: urls.SiteUrls


_WORK: _Work | None = None


def _write_body_years(jobs: list[_Job], year_checks: BodyYearChecks, site: urls.SiteUrls, workers: int) -> None:
    """Each body-year's folder is independent of the others: write them in `workers` forked processes."""
    global _WORK
    _WORK = _Work(jobs, year_checks, site)
    try:
        if workers <= 1 or len(jobs) < 8:
            for i in range(len(jobs)):
                _write_job(i)
            return
        import multiprocessing
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for _ in pool.imap_unordered(_write_job, range(len(jobs)), chunksize=8):
                pass
    finally:
        _WORK = None


def _write_job(i: int) -> None:
    assert _WORK is not None
    job = _WORK.jobs[i]
    write_body_year(job.key, _WORK.checks.published[job.key], _WORK.checks[job.key], job.agency_row,
                    job.folder, _WORK.site)
