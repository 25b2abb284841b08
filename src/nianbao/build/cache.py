"""Extraction results cached under OUT/build/cache/ by the input's sha256, its name and the extractor version.

A rebuild re-reads only new or changed documents. The extractor version is a hash of the code and template
data of every stage a record depends on (read → find tables → map cells → identify → check), so any change to
them invalidates the cache by itself; nobody has to remember to bump a number. The name is part of the key
because the file name is one of the hints for the body and year, and the record names its source.

Entries are pickles of our own packed records (small fields plus the record's own pickle, which stays bytes
until a stage needs the cells), written by this program into its own build folder (never loaded from anywhere
else); each is written to a temporary name and renamed, so a killed build leaves no torn entry. Loading 10,000
entries this way takes ~1 s; unpickling the full records took ~8 s.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from nianbao.model.record import PackedRecord
from nianbao.model.version import code_version
from nianbao.files import write_atomically

EXTRACTION = ("model", "templates", "read", "tables", "cells", "identify", "checks", "extract.py", "build/executor.py")
GUARD_CODES = {"too-slow", "too-much-memory", "reader-crashed"}   # depend on the machine, not the file


def extractor_version() -> str:
    return code_version(*EXTRACTION)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class RecordCache:
    def __init__(self, root: Path):
        self.root = root / extractor_version()

    def _path(self, sha: str, source: str) -> Path:
        key = hashlib.sha256(f"{sha}\0{source}".encode()).hexdigest()
        return self.root / key[:2] / f"{key}.pickle"

    def get(self, sha: str, source: str) -> PackedRecord | None:
        path = self._path(sha, source)
        try:
            record = pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return None
        return record if isinstance(record, PackedRecord) else None

    def put(self, sha: str, source: str, record: PackedRecord) -> None:
        if record.status == "error" or record.reason_code in GUARD_CODES or record.sha256 != sha:
            return   # a bug or a file changed while it was read: try again next time
        write_atomically(self._path(sha, source), pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
