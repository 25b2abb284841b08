"""The main job: a reports folder → records → OUT/datapackages (+ OUT/site), both swapped in together at the end."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from nianbao.build.cache import RecordCache, file_sha256
from nianbao.build.executor import Job, default_workers, extract_many
from nianbao.build.state import State, clear, swap
from nianbao.files import empty_trash, report_files
from nianbao.model.record import PackedRecord
from nianbao.model.urls import SiteUrls
from nianbao.package import Summary, read_manifest, read_states, states_json, write_packages_incrementally
from nianbao.package.state import PackageState
from nianbao.settle import CORRECTIONS_FILE
from nianbao.settle.apply import Settler, settle_records
from nianbao.settle.corrections import CorrectionsUnreadable, read_corrections

if TYPE_CHECKING:
    from nianbao.site.build import SiteSummary


@dataclass
class BuildOptions:
    executor: str = "process"          # process | serial | dask
    workers: int | None = None         # process pool size (default: one per core)
    scheduler: str | None = None       # dask.distributed scheduler address
    cache: bool = True                 # reuse extraction results under OUT/build/cache/
    site: bool = True
    synthetic: bool = False            # the corpus came from `nianbao synth`: every page says so
    site_config: Path | None = None    # the site's mkdocs.yml (default: the packaged one, no hand-written pages)


@dataclass
class BuildReport:
    summary: Summary
    seconds: dict[str, float] = field(default_factory=dict)    # stage → wall seconds
    cache_hits: int = 0
    extracted: int = 0                 # documents read this time (cache misses)
    packages_written: int = 0          # body-year packages written anew (the others reused unchanged)
    settled: int = 0                   # corrections applied from reports/corrections.csv (refused ones are problems)
    site: SiteSummary | None = None


def extract_corpus(reports_dir: Path, cache_dir: Path | None,
                   options: BuildOptions) -> tuple[list[tuple[str, PackedRecord]], int]:
    """(relative path, record) for every input in sorted order, and how many were read (cached ones are not)."""
    files = report_files(reports_dir)
    rels = [p.relative_to(reports_dir).as_posix() for p in files]
    sources = [f"reports/{rel}" for rel in rels]
    cache = RecordCache(cache_dir) if (cache_dir is not None and options.cache) else None
    records: list[PackedRecord | None] = [None] * len(files)
    shas: list[str | None] = [None] * len(files)
    if cache is not None:
        for i, path in enumerate(files):
            try:
                shas[i] = sha = file_sha256(path)
            except OSError:
                continue
            records[i] = cache.get(sha, sources[i])
    todo = [i for i, r in enumerate(records) if r is None]
    fresh = extract_many([Job(str(files[i]), sources[i]) for i in todo], options.executor,
                         options.workers, options.scheduler)
    for i, record in zip(todo, fresh):
        records[i] = record
        known = shas[i]
        if cache is not None and known:
            cache.put(known, sources[i], record)
    return list(zip(rels, records)), len(todo)   # type: ignore[arg-type]  # every slot is filled by now


def _configured_site(options: BuildOptions, build_dir: Path) -> SiteUrls | None:
    """The site's address and name as its mkdocs.yml gives them (the packages' citations name both, as the pages
    do); None without a site: $NIANBAO_SITE_URL's address and the default name."""
    if not options.site:
        return None
    from nianbao.site.mkdocs_build import DEFAULT_CONFIG, configured_site
    return configured_site(options.site_config or DEFAULT_CONFIG, build_dir / "site-config")


def _corrections(records: list[tuple[str, PackedRecord]], path: Path) -> tuple[Settler, list[str]]:
    """The corrections taken against the records; a file that cannot be read is a problem, not a failed build."""
    try:
        return settle_records(records, read_corrections(path)), []
    except CorrectionsUnreadable as exc:
        return settle_records(records, []), [str(exc)]


def folder_records(reports_dir: Path, out_dir: Path) -> list[tuple[str, PackedRecord]]:
    """The records of a reports folder as `nianbao build --out OUT` reads them (before corrections): from
    OUT/build/cache/ where it has them, the others read now and cached."""
    records, _ = extract_corpus(reports_dir, out_dir / "build" / "cache", BuildOptions())
    return records


def build(reports_dir: Path, out_dir: Path, options: BuildOptions | None = None) -> BuildReport:
    """Reports → records → OUT/datapackages (+ OUT/site), both swapped in together at the end.

    Everything is written beside the live output first (OUT/.datapackages.tmp, OUT/.site.tmp); only when both
    are complete are they renamed into place, so a build that fails or is killed leaves the previous packages
    and site as they were.
    """
    options = options or BuildOptions()
    out_dir.mkdir(parents=True, exist_ok=True)
    build_dir = out_dir / "build"
    timer = Timer()
    workers = 1 if options.executor == "serial" else (options.workers or default_workers())
    state = State(build_dir / "state")
    live, staged = out_dir / "datapackages", out_dir / ".datapackages.tmp"
    packages = _packages(reports_dir, out_dir, options, workers, timer, state)
    summary, package_state = packages.summary, packages.state
    release_freed_memory()   # the records are gone: the site stage, and the workers it forks, start small
    site = None
    site_staged = out_dir / ".site.tmp"
    if options.site:
        # Imported here: the site stage imports altair (≈ 0.6 s), which a --no-site build never needs.
        from nianbao.site.build import Previous, SiteInputs, build_site
        from nianbao.site.mkdocs_build import DEFAULT_CONFIG
        package_prints = {key: entry.fingerprint for key, entry in package_state.items()}
        previous = Previous(out_dir / "site", state.read("pages"), package_prints) if options.cache else None
        inputs = SiteInputs(staged, reports_dir, build_dir, options.synthetic, workers, previous)
        with timer("site"):
            site = build_site(inputs, options.site_config or DEFAULT_CONFIG, site_staged)
    with timer("swap"):
        state.forget()          # a build killed from here on is not trusted as a base for the next one
        trash = build_dir / "trash"
        swap(staged, live, trash)
        if options.site:
            swap(site_staged, out_dir / "site", trash)
        state.write("packages", states_json(package_state))
        if site is not None:
            state.write("pages", site.page_prints)
    empty_trash(trash)
    return BuildReport(summary, timer.seconds, packages.documents - packages.extracted, packages.extracted,
                       packages.written, packages.settled, site)


@dataclass
class _Packaged:
    summary: Summary
    state: dict[str, PackageState]   # for the next build (package.read_states)
    documents: int
    extracted: int              # read this time (the others came from the cache)
    written: int                # packages written anew
    settled: int                # corrections applied


def _packages(reports_dir: Path, out_dir: Path, options: BuildOptions, workers: int, timer: Timer,
              state: State) -> _Packaged:
    """Reports → records (read, or from the cache) → settled → OUT/.datapackages.tmp. The records live only in
    here: at 10,000 reports they are ~0.4 GB that the site stage, which reads the packages, never needs."""
    build_dir = out_dir / "build"
    with timer("extract"):
        records, extracted = extract_corpus(reports_dir, build_dir / "cache", options)
        # A person's corrections, on the records as read (the cache keeps the reader's own): the checks are made
        # again on the settled cells, and the packages see only the settled records.
        settler, unreadable = _corrections(records, reports_dir / CORRECTIONS_FILE)
        settled = settler.settled()
    live, staged = out_dir / "datapackages", out_dir / ".datapackages.tmp"
    with timer("packages"):
        clear(staged)
        summary, written, package_state = write_packages_incrementally(
            settled, read_manifest(reports_dir / "manifest.csv"), staged, live,
            read_states(state.read("packages")) if options.cache else {}, workers=workers,
            site=_configured_site(options, build_dir))
        summary.problems = (*summary.problems, *unreadable, *settler.problems())
    return _Packaged(summary, package_state, len(records), extracted, written, len(settler.applied))


def release_freed_memory() -> None:
    """Give the memory Python has freed back to the system. glibc keeps freed blocks in the process's heap for
    reuse, so after dropping 10,000 records the build would still hold their ~0.4 GB, and every worker forked
    from it would share that heap; malloc_trim hands the free pages back. Not glibc (musl, macOS): nothing."""
    import ctypes
    import ctypes.util
    import gc
    gc.collect()
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        if libc is not None and hasattr(libc, "malloc_trim"):
            libc.malloc_trim(0)
    except OSError:
        pass


class Timer:
    """Wall seconds per stage: `with timer("extract"): ...`."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = round(time.perf_counter() - start, 3)
