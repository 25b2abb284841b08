"""Stage 5 — package: extraction records → Frictionless data packages (per body-year and for the corpus).

Imports only earlier stages (model, templates, read, tables, cells, identify, checks) — never site or
pipeline: the caller extracts, this stage only lays out what it is given.

    build_packages(records, manifest, out_dir) -> Summary     # writes out_dir/datapackages atomically
"""

from __future__ import annotations

from nianbao.package.build import Summary, build_packages, write_packages
from nianbao.package.manifest import ManifestRow, add_manifest_row, read_manifest

__all__ = ["build_packages", "write_packages", "Summary", "ManifestRow", "read_manifest", "add_manifest_row"]
