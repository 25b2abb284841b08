"""`reports/manifest.csv`: one row per document — where it came from and optional overrides.

Columns: file (path relative to the reports folder, POSIX slashes), source_url, retrieved, published
(ISO dates, YYYY-MM-DD), agency_id, year (overrides), notes.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from nianbao.files import append_csv_rows
from nianbao.model.ids import AGENCY_ID

COLUMNS = ("file", "source_url", "retrieved", "published", "agency_id", "year", "notes")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class ManifestRow:
    file: str
    source_url: str | None = None
    retrieved: str | None = None
    published: str | None = None
    agency_id: str | None = None
    year: int | None = None
    notes: str | None = None
    problems: tuple[str, ...] = ()   # malformed values, reported (never applied)


def read_manifest(path: Path) -> dict[str, ManifestRow]:
    """file → row; an absent manifest is an empty one."""
    if not path.exists():
        return {}
    out: dict[str, ManifestRow] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for raw in csv.DictReader(fh):
            row: dict[str, str | None] = {k: (v or "").strip() or None for k, v in raw.items() if k}
            file = row.get("file")
            if not file:
                continue
            problems = []
            for key in ("retrieved", "published"):
                if (date := row.get(key)) and not _DATE.match(date):
                    problems.append(f"manifest {key} {date!r} is not a YYYY-MM-DD date; ignored")
                    row[key] = None
            if (agency_id := row.get("agency_id")) and not AGENCY_ID.match(agency_id):
                problems.append(f"manifest agency_id {agency_id!r} is not <6- or 9-digit region code>-<sector>; ignored")
                row["agency_id"] = None
            year = None
            if year_text := row.get("year"):
                if re.fullmatch(r"\d{4}", year_text):
                    year = int(year_text)
                else:
                    problems.append(f"manifest year {year_text!r} is not a year; ignored")
            out[file] = ManifestRow(file=file, source_url=row.get("source_url"),
                                    retrieved=row.get("retrieved"), published=row.get("published"),
                                    agency_id=row.get("agency_id"), year=year, notes=row.get("notes"),
                                    problems=tuple(problems))
    return out


def add_manifest_row(path: Path, row: ManifestRow) -> None:
    """Append one row, writing the header first when the manifest is new. Existing rows are never rewritten
    (a hand-edited manifest stays as its author wrote it); a file already listed is refused."""
    if row.file in read_manifest(path):
        raise ValueError(f"{row.file} is already in {path.name}")
    append_csv_rows(path, COLUMNS, [["" if getattr(row, c) is None else str(getattr(row, c)) for c in COLUMNS]])
