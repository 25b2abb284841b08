"""The only module that imports every stage: file → Document → pieces → tables → cells → checks → Record."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from nianbao.cells import extra_rows, lines_used, map_cells
from nianbao.checks import identity_checks, soft_checks
from nianbao.identify.agency import identify_agency
from nianbao.identify.report import kind_of, title_of, year_of
from nianbao.model.document import Document
from nianbao.model.normalize import canon
from nianbao.model.record import MISSING, Agency, PackedRecord, Record
from nianbao.package import ManifestRow, Summary, add_manifest_row, read_manifest, write_packages_incrementally
from nianbao.package.writers import empty_trash, move_to_trash, write_atomically
from nianbao.read import Unreadable, read_document
from nianbao.read.scan import review_flags   # OCR (issue 8)
from nianbao.tables.locate import locate_tables
from nianbao.tables.pieces import pieces_of
from nianbao.tables.sections import prose_sections
from nianbao.templates import TABLE_ORDER, template_for, templates, variants


def extract_path(path: Path, source: str | None = None) -> Record:
    """One record for one file, whatever happens: a bad file is rejected with a reason, a bug is an error."""
    source = source or str(path)
    try:
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        return Record(source=source, sha256="", status="rejected", reason_code="cannot-open",
                      reason=f"The file cannot be opened ({exc.strerror or type(exc).__name__}).")
    try:
        document = read_document(path)
        return extract_document(document, source, sha, filename=path.name)
    except Unreadable as exc:
        return Record(source=source, sha256=sha, status="rejected", reason=exc.reason, reason_code=exc.code)
    except MemoryError:
        raise   # the executor's memory guard reports it
    except Exception as exc:  # noqa: BLE001 — a bug must not stop the other files; the record says what broke
        return Record(source=source, sha256=sha, status="error", reason_code="internal-error",
                      reason=f"Nianbao failed on this file ({type(exc).__name__}: {exc}).")


def extract_document(document: Document, source: str, sha: str, filename: str | None = None) -> Record:
    pieces = pieces_of(document)
    located = locate_tables(pieces)
    title = title_of(document)
    text = document.text()
    base = dict(source=source, sha256=sha, title=title, reader=document.reader, notes=document.notes)
    anchored = sum(len(t.anchors) for t in located.values())
    kind = kind_of(title, text, anchored)
    if not kind.is_report:
        return Record(**base, status="rejected", kind="other_document", reason_code=kind.code,
                      reason=f"Not an annual report: it is {kind.what}.")
    if not anchored:
        return Record(**base, status="rejected", kind="annual_report", reason_code="tables-not-found",
                      reason="It reads like an annual report, but none of its three standard tables was found.")

    claimed_cells = map_cells(located, pieces, canon(text))
    unproven = any(t.version_unproven for t in located.values())
    template = None if unproven else template_for({t.spec.variant for t in located.values()})
    cells = _all_cells(template, located, claimed_cells)
    agency = identify_agency(title, text, filename, page_title=document.title)
    year, year_source = year_of(title, text, filename)
    sections = prose_sections(document, lines_used(claimed_cells), title or "")
    specs = [t.spec for t in located.values()]
    checks = identity_checks(specs, cells) + soft_checks(cells, agency, sections.get("overview", ""))
    notes = (*document.notes, f"year from {year_source}",
             *(f"{t}: {located[t].spec.variant}, {len(located[t].anchors)} of {len(located[t].spec.rows)} rows found"
               for t in TABLE_ORDER if t in located))
    record = Record(**{**base, "notes": notes}, status="ok", kind="annual_report", agency=agency, year=year,
                    template=template, cells=cells, checks=tuple(checks), sections=sections,
                    extra_rows=tuple(extra_rows(located, pieces, claimed_cells)))
    return review_flags(record)   # --- OCR (issue 8): doubtful cells of a scan flagged `review`; others unchanged ---


def _all_cells(template: str | None, located, found):
    """Every cell of the detected template's tables, `missing` where the document did not show it."""
    wanted: list[str] = []
    for table in TABLE_ORDER:
        if table in located:
            wanted.extend(located[table].spec.cell_ids)
        elif template in templates():
            spec = next(variants()[v] for v in templates()[template].tables if variants()[v].table == table)
            wanted.extend(spec.cell_ids)
    return {cid: found.get(cid, MISSING) for cid in wanted}


@dataclass
class BuildOptions:
    executor: str = "process"          # process | serial | dask
    workers: int | None = None         # process pool size (default: one per core)
    scheduler: str | None = None       # dask.distributed scheduler address
    cache: bool = True                 # reuse extraction results under OUT/build/cache/
    site: bool = True
    synthetic: bool = False            # the corpus came from `nianbao synth`: every page says so
    hand_docs: Path | None = None      # hand-written pages (docs/: changelog)


@dataclass
class BuildReport:
    summary: Summary
    seconds: dict[str, float] = field(default_factory=dict)    # stage → wall seconds
    cache_hits: int = 0
    extracted: int = 0                 # documents read this time (cache misses)
    packages_written: int = 0          # body-year packages written anew (the others reused unchanged)
    site: object | None = None         # SiteSummary


def list_inputs(reports_dir: Path) -> list[Path]:
    return sorted((p for p in reports_dir.rglob("*") if p.is_file() and _is_report(p, reports_dir)),
                  key=lambda p: p.relative_to(reports_dir).as_posix())


def extract_corpus(reports_dir: Path, cache_dir: Path | None, options: BuildOptions) -> tuple[list, int]:
    """(relative path, record) for every input, in sorted order; cached records are not re-read."""
    from nianbao.cache import RecordCache, file_sha256
    from nianbao.executor import Job, extract_many

    files = list_inputs(reports_dir)
    rels = [p.relative_to(reports_dir).as_posix() for p in files]
    cache = RecordCache(cache_dir) if (cache_dir is not None and options.cache) else None
    records: list[PackedRecord | None] = [None] * len(files)
    shas: list[str | None] = [None] * len(files)
    if cache is not None:
        for i, path in enumerate(files):
            try:
                shas[i] = file_sha256(path)
            except OSError:
                continue
            records[i] = cache.get(shas[i], f"reports/{rels[i]}")
    todo = [i for i, r in enumerate(records) if r is None]
    fresh = extract_many([Job(str(files[i]), f"reports/{rels[i]}") for i in todo], options.executor,
                         options.workers, options.scheduler)
    for i, record in zip(todo, fresh):
        records[i] = record
        if cache is not None and shas[i]:
            cache.put(shas[i], f"reports/{rels[i]}", record)
    return list(zip(rels, records)), len(todo)


def build(reports_dir: Path, out_dir: Path, options: BuildOptions | None = None) -> BuildReport:
    """The main job: reports → records → OUT/datapackages (+ OUT/site), both swapped in together at the end.

    Everything is written beside the live output first (OUT/.datapackages.tmp, OUT/.site.tmp); only when both
    are complete are they renamed into place, so a build that fails or is killed leaves the previous packages
    and site as they were.
    """
    from nianbao.executor import default_workers

    options = options or BuildOptions()
    out_dir.mkdir(parents=True, exist_ok=True)
    build_dir = out_dir / "build"
    timer = _Timer()
    workers = 1 if options.executor == "serial" else (options.workers or default_workers())
    with timer("extract"):
        records, extracted = extract_corpus(reports_dir, build_dir / "cache", options)
    live, staged = out_dir / "datapackages", out_dir / ".datapackages.tmp"
    state = _State(build_dir / "state")
    with timer("packages"):
        _clear(staged)
        summary, written, package_state = write_packages_incrementally(
            records, read_manifest(reports_dir / "manifest.csv"), staged, live,
            state.read("packages") if options.cache else {}, workers=workers)
    site = None
    site_staged = out_dir / ".site.tmp"
    if options.site:
        from nianbao.site.build import Previous, build_site
        package_prints = {key: entry[0] for key, entry in package_state.items()}
        previous = Previous(out_dir / "site", state.read("pages"), package_prints) if options.cache else None
        with timer("site"):
            site = build_site(staged, site_staged, build_dir / "site-src", reports_dir, options.hand_docs,
                              synthetic=options.synthetic, workers=workers, previous=previous)
    with timer("swap"):
        state.forget()          # a build killed from here on is not trusted as a base for the next one
        trash = build_dir / "trash"
        _swap(staged, live, trash)
        if options.site:
            _swap(site_staged, out_dir / "site", trash)
        state.write("packages", package_state)
        if site is not None:
            state.write("pages", site.page_prints)
    empty_trash(trash)
    return BuildReport(summary, timer.seconds, len(records) - extracted, extracted, written, site)


class _State:
    """Fingerprints of what is live (packages, pages), kept under OUT/build/state/ for the next build.

    Written only after the swap and removed just before it, so they always describe the live output: a build
    killed in between leaves no state, and the next build makes everything anew."""

    def __init__(self, folder: Path):
        self.folder = folder

    def read(self, name: str) -> dict:
        try:
            return json.loads((self.folder / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def write(self, name: str, data: dict) -> None:
        write_atomically(self.folder / f"{name}.json",
                         (json.dumps(data, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"))

    def forget(self) -> None:
        for name in ("packages", "pages"):
            (self.folder / f"{name}.json").unlink(missing_ok=True)


class _Timer:
    def __init__(self):
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = round(time.perf_counter() - start, 3)


def _clear(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)


def _swap(staged: Path, live: Path, trash: Path) -> None:
    """Rename the finished output into place; the previous one is moved into `trash` first."""
    move_to_trash(live, trash)
    staged.rename(live)


def add_report(file: Path, reports_dir: Path, url: str | None, retrieved: str | None = None,
               published: str | None = None, notes: str | None = None, agency: str | None = None,
               year: int | None = None) -> tuple[Path, Record]:
    """Register a new report: copy it under `reports_dir`, add its manifest row, and say what was detected.

    `agency` (a body's name or an agency id) and `year` are the publisher's word: they go into the manifest's
    agency_id and year columns. A name that does not resolve to exactly one agency id is refused (ValueError)."""
    from nianbao.identify.agency import resolve_agency

    agency_id = resolve_agency(agency).id if agency else None
    if year is not None and not 1990 <= year <= 2100:
        raise ValueError(f"year {year} is not a report year.")
    reports_dir.mkdir(parents=True, exist_ok=True)
    target = reports_dir / file.name
    if target.exists() and target.read_bytes() != file.read_bytes():
        raise ValueError(f"{target} exists with other content; rename the new file")
    manifest = reports_dir / "manifest.csv"
    add_manifest_row(manifest, ManifestRow(file=file.name, source_url=url, retrieved=retrieved,
                                           published=published, agency_id=agency_id, year=year, notes=notes))
    if not target.exists():
        shutil.copyfile(file, target)
    return target, extract_path(target, source=f"reports/{file.name}")


def _is_report(path: Path, root: Path) -> bool:
    """Every file under the reports folder is an input, except hidden ones, the manifest and a README."""
    rel = path.relative_to(root)
    if any(part.startswith(".") for part in rel.parts):
        return False
    return not (len(rel.parts) == 1 and (rel.name in ("manifest.csv", "redirects.csv")
                                         or rel.name.upper().startswith("README")))


__all__ = ["extract_path", "extract_document", "extract_corpus", "build", "BuildOptions", "BuildReport", "add_report",
           "Agency"]
