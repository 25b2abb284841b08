"""`nianbao review`: read a reports folder as `nianbao build` does, and write the work list a person fills."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from nianbao.build.driver import BuildOptions, extract_corpus
from nianbao.files import write_atomically
from nianbao.package import read_manifest
from nianbao.package.resolve import resolve
from nianbao.review.form import form_bytes
from nianbao.review.pictures import Pictures
from nianbao.review.rows import Settled, WorkRow, work_rows
from nianbao.settle import CORRECTIONS_FILE, WorkKind
from nianbao.settle.corrections import CorrectionsUnreadable, read_corrections


@dataclass
class WorkSummary:
    out_file: Path
    rows: Counter[WorkKind] = field(default_factory=Counter)
    documents: int = 0            # reports read
    extracted: int = 0            # of them read afresh (not from the build cache)

    def line(self) -> str:
        counts = ", ".join(f"{self.rows[kind]} {kind.value}" for kind in WorkKind)
        return (f"work list: {sum(self.rows.values())} rows ({counts}) from {self.documents} reports "
                f"({self.extracted} read, {self.documents - self.extracted} from the build cache) → {self.out_file}")


def write_work_list(reports_dir: Path, out_file: Path, cache_dir: Path | None = None) -> WorkSummary:
    """The work list of `reports_dir` written to `out_file` (an XLSX form). Records come from the build cache in
    `cache_dir` where it has them (a build's OUT/build/cache), else are read; statuses are settled as the build
    settles them (manifest, duplicates, clashes). Cells already in corrections.csv are left out."""
    options = BuildOptions(cache=cache_dir is not None and cache_dir.is_dir())   # read as the build reads
    records, extracted = extract_corpus(reports_dir, cache_dir if options.cache else None, options)
    entries = resolve(records, read_manifest(reports_dir / "manifest.csv"))
    rows = work_rows(entries, settled_cells(reports_dir / CORRECTIONS_FILE))
    try:
        write_atomically(out_file, work_list_bytes(rows, reports_dir))
    except OSError as exc:
        raise WorkListError(f"cannot write {out_file} ({exc.strerror or type(exc).__name__}).") from None
    return WorkSummary(out_file, Counter(row.kind for row in rows), len(records), extracted)


def work_list_bytes(rows: list[WorkRow], reports_dir: Path) -> bytes:
    pictures = Pictures(reports_dir)
    return form_bytes(rows, [pictures.of(row) for row in rows])


class WorkListError(Exception):
    """The work list cannot be written: one sentence why."""


def settled_cells(corrections: Path) -> Settled:
    """(sha256, cell id) of every row of corrections.csv: cells a person has settled already (read by the one
    reader of that file, the settle stage's)."""
    try:
        return {(row.sha256, row.cell_id) for row in read_corrections(corrections)}
    except CorrectionsUnreadable as exc:
        raise WorkListError(str(exc)) from None
