"""What every data package descriptor shares: profile, version, licence, credits, resources, sources, dates."""

from __future__ import annotations

from nianbao.package.manifest import ManifestRow
from nianbao.package.resolve import Entry

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
DATA_VERSION = "1.2.0"
LICENSES = [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
             "title": "Creative Commons Attribution 4.0"}]
PROJECT = "Nianbao 年报"


def header(schema: dict) -> list[str]:
    """A table's CSV header: its schema's field names."""
    return [fld["name"] for fld in schema["fields"]]


def resource(name: str, path: str, title: str, description: str, schema: dict | None = None, **extra: object) -> dict:
    """A resource of a descriptor: a CSV table when `schema` is given, else as `extra` says (type, format …)."""
    r: dict[str, object] = {"name": name, "path": path, "title": title, "description": description}
    if schema is not None:
        r.update({"type": "table", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
                  "schema": schema})
    r.update(extra)
    return r


def source(e: Entry) -> dict:
    """The report a package was read from, as a descriptor source."""
    s = {"title": e.record.title or e.file}
    if e.manifest.source_url:
        s["path"] = e.manifest.source_url
    if e.manifest.published:
        s["version"] = e.manifest.published
    return s


def created(rows: list[ManifestRow]) -> str | None:
    """The latest publication or retrieval date the manifest gives (never the clock: same inputs, same bytes)."""
    dates = [d for r in rows for d in (r.published, r.retrieved) if d]
    return f"{max(dates)}T00:00:00Z" if dates else None
