"""A version for code: the hash of a set of stage folders' source and data files.

Caches and incremental builds key their entries on it, so a change to the code they depend on invalidates
them by itself; nobody has to remember to bump a number.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = (".py", ".yaml", ".yml", ".json", ".csv", ".html", ".css", ".js")


@lru_cache(maxsize=None)
def code_version(*parts: str) -> str:
    """Stage folders (e.g. "read") or top-level modules (e.g. "extract.py") under src/nianbao/."""
    from nianbao import __version__

    digest = hashlib.sha256(__version__.encode())
    files: list[Path] = []
    for part in parts:
        target = PACKAGE_ROOT / part
        files += [p for p in target.rglob("*") if p.is_file() and p.suffix in SUFFIXES] if target.is_dir() else [target]
    for path in sorted(set(files)):
        digest.update(path.relative_to(PACKAGE_ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]
