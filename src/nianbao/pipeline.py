"""The only module that imports every stage: file → Document → pieces → tables → cells → checks → Record."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from nianbao.cells import extra_rows, lines_used, map_cells
from nianbao.checks import identity_checks, soft_checks
from nianbao.identify.agency import identify_agency
from nianbao.identify.report import kind_of, title_of, year_of
from nianbao.model.document import Document
from nianbao.model.normalize import canon
from nianbao.model.record import MISSING, Agency, Record
from nianbao.package import ManifestRow, add_manifest_row, build_packages, read_manifest
from nianbao.read import Unreadable, read_document
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
    except Unreadable as exc:
        return Record(source=source, sha256=sha, status="rejected", reason=exc.reason, reason_code=exc.code)
    try:
        return extract_document(document, source, sha, filename=path.name)
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
    if anchored < 3:
        return Record(**base, status="rejected", kind="annual_report", reason_code="tables-not-found",
                      reason="It reads like an annual report, but none of its three standard tables was found.")

    claimed_cells = map_cells(located, pieces, canon(text))
    template = template_for({t.spec.variant for t in located.values()})
    cells = _all_cells(template, located, claimed_cells)
    agency = identify_agency(title, text, filename)
    year, year_source = year_of(title, text, filename)
    sections = prose_sections(document, lines_used(claimed_cells), title or "")
    specs = [t.spec for t in located.values()]
    checks = identity_checks(specs, cells) + soft_checks(cells, agency, sections.get("overview", ""))
    notes = (*document.notes, f"year from {year_source}",
             *(f"{t}: {located[t].spec.variant}, {len(located[t].anchors)} of {len(located[t].spec.rows)} rows found"
               for t in TABLE_ORDER if t in located))
    return Record(**{**base, "notes": notes}, status="ok", kind="annual_report", agency=agency, year=year,
                  template=template, cells=cells, checks=tuple(checks), sections=sections,
                  extra_rows=tuple(extra_rows(located, pieces, claimed_cells)))


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


def build_corpus(reports_dir: Path, out_dir: Path):
    """The main job: every report under `reports_dir` (sorted) → records → data packages under `out_dir`."""
    files = sorted((p for p in reports_dir.rglob("*") if p.is_file() and _is_report(p, reports_dir)),
                   key=lambda p: p.relative_to(reports_dir).as_posix())
    records = []
    for path in files:
        rel = path.relative_to(reports_dir).as_posix()
        records.append((rel, extract_path(path, source=f"reports/{rel}")))
    return build_packages(records, read_manifest(reports_dir / "manifest.csv"), out_dir)


def add_report(file: Path, reports_dir: Path, url: str | None, retrieved: str | None = None,
               published: str | None = None, notes: str | None = None) -> tuple[Path, Record]:
    """Register a new report: copy it under `reports_dir`, add its manifest row, and say what was detected."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    target = reports_dir / file.name
    if target.exists() and target.read_bytes() != file.read_bytes():
        raise ValueError(f"{target} exists with other content; rename the new file")
    manifest = reports_dir / "manifest.csv"
    add_manifest_row(manifest, ManifestRow(file=file.name, source_url=url, retrieved=retrieved,
                                           published=published, notes=notes))
    if not target.exists():
        shutil.copyfile(file, target)
    return target, extract_path(target, source=f"reports/{file.name}")


def _is_report(path: Path, root: Path) -> bool:
    """Every file under the reports folder is an input, except hidden ones, the manifest and a README."""
    rel = path.relative_to(root)
    if any(part.startswith(".") for part in rel.parts):
        return False
    return not (len(rel.parts) == 1 and (rel.name == "manifest.csv" or rel.name.upper().startswith("README")))


__all__ = ["extract_path", "extract_document", "build_corpus", "add_report", "Agency"]
