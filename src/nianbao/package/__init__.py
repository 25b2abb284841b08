"""Stage 5 — package: extraction records → Frictionless data packages (per body-year and for the corpus).

Imports only earlier stages (model, templates, read, tables, cells, identify, checks) — never site or
pipeline: the caller extracts, this stage only lays out what it is given.

    write_packages_incrementally(records, manifest, new_root, live_root, known) -> (Summary, written, state)

`known` and `state`: per live body-year, a `PackageState`; `read_states` and `states_json` convert them from
and to what the caller keeps on disk.
"""

from __future__ import annotations

from nianbao.package.build import Summary, write_packages, write_packages_incrementally
from nianbao.package.manifest import ManifestRow, add_manifest_row, read_manifest
from nianbao.package.state import PackageState, read_states, states_json

__all__ = ["write_packages_incrementally", "write_packages", "Summary", "ManifestRow", "read_manifest",
           "add_manifest_row", "PackageState", "read_states", "states_json"]
