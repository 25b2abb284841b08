"""One document, one record: file → Document → pieces → tables → cells → identify → checks → Record.

Nothing here knows about a corpus; reading many documents, the cache and the output folders are `nianbao.build`.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from nianbao.cells import extra_rows, lines_used, map_cells
from nianbao.checks import record_checks
from nianbao.checks.review import review_flags
from nianbao.identify.agency import identify_agency
from nianbao.identify.report import kind_of, title_of, year_of
from nianbao.identify.scope import scope_of
from nianbao.model.document import Document
from nianbao.model.normalize import canon
from nianbao.model.record import MISSING, Record
from nianbao.read import Unreadable, read_document
from nianbao.tables.locate import LocatedTable, locate_tables
from nianbao.tables.pieces import pieces_of
from nianbao.tables.sections import prose_sections
from nianbao.templates import TABLE_ORDER, TableSpec, template_for, templates, variants


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
    base = Record(source=source, sha256=sha, status="rejected", title=title, reader=document.reader,
                  notes=document.notes)
    anchored = sum(len(t.anchors) for t in located.values())
    kind = kind_of(title, text, anchored)
    if not kind.is_report:
        return replace(base, kind="other_document", reason_code=kind.code,
                       reason=f"Not an annual report: it is {kind.what}.")
    if not anchored:
        return replace(base, kind="annual_report", reason_code="tables-not-found",
                       reason="It reads like an annual report, but none of its three standard tables was found.")

    claimed_cells = map_cells(located, pieces, canon(text))
    unproven = any(t.version_unproven for t in located.values())
    template = None if unproven else template_for({t.spec.variant for t in located.values()})
    specs = _table_versions(template, located)
    cells = {cid: claimed_cells.get(cid, MISSING) for spec in specs for cid in spec.cell_ids}
    agency = identify_agency(title, text, filename, page_title=document.title)
    year, year_source = year_of(title, text, filename)
    sections = prose_sections(document, lines_used(claimed_cells), title or "")
    notes = (*document.notes, f"year from {year_source}",
             *(f"{t}: {located[t].spec.variant}, {len(located[t].anchors)} of {len(located[t].spec.rows)} rows found"
               for t in TABLE_ORDER if t in located))
    record = replace(base, notes=notes, status="ok", kind="annual_report", agency=agency, year=year,
                     template=template, tables={spec.table: spec.variant for spec in specs}, cells=cells, sections=sections,
                     extra_rows=tuple(extra_rows(located, pieces, claimed_cells)),
                     scope=scope_of(document, cells))
    record = replace(record, checks=tuple(record_checks(record)))
    return review_flags(record)   # --- OCR (issue 8): doubtful cells of a scan flagged `review`; others unchanged ---


def _table_versions(template: str | None, located: dict[str, LocatedTable]) -> list[TableSpec]:
    """The version of each table the record holds, in printed order: the one found, or for a table the document
    does not show, the detected template's (its cells are all `missing`)."""
    specs = []
    for table in TABLE_ORDER:
        if table in located:
            specs.append(located[table].spec)
        elif template in templates():
            specs.append(next(variants()[v] for v in templates()[template].tables if variants()[v].table == table))
    return specs


__all__ = ["extract_path", "extract_document"]
