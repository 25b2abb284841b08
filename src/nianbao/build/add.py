"""`nianbao add`: register one new report in the reports folder and say what was detected in it."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

from nianbao.extract import extract_path
from nianbao.identify.agency import resolve_agency
from nianbao.model.record import Record
from nianbao.package import ManifestRow, add_manifest_row


def add_report(file: Path, reports_dir: Path, url: str | None, retrieved: str | None = None,
               published: str | None = None, notes: str | None = None, agency: str | None = None,
               year: int | None = None, force: bool = False) -> tuple[Path, Record]:
    """Register a new report: copy it under `reports_dir`, add its manifest row, and say what was detected.

    `agency` (a body's name or an agency id) and `year` are the publisher's word: they go into the manifest's
    agency_id and year columns. Refused with a ValueError, nothing copied or written: a URL that is not a web
    address, a name that does not resolve to exactly one agency id, and, unless `force`, a rejected document."""
    if url is not None and not _is_web_address(url):
        raise ValueError(f"--url must be the report's web address (http:// or https://), not {url!r}.")
    agency_id = resolve_agency(agency).id if agency else None
    if year is not None and not 1990 <= year <= 2100:
        raise ValueError(f"year {year} is not a report year.")
    target = reports_dir / file.name
    if target.exists() and target.read_bytes() != file.read_bytes():
        raise ValueError(f"{target} exists with other content; rename the new file")
    record = extract_path(file, source=f"reports/{file.name}")
    if record.status != "ok" and not force:
        raise ValueError(f"{file.name} is not added: {record.reason} (--force adds it anyway).")
    reports_dir.mkdir(parents=True, exist_ok=True)
    manifest = reports_dir / "manifest.csv"
    add_manifest_row(manifest, ManifestRow(file=file.name, source_url=url, retrieved=retrieved,
                                           published=published, agency_id=agency_id, year=year, notes=notes))
    if not target.exists():
        shutil.copyfile(file, target)
    return target, record


def _is_web_address(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)
