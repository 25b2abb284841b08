"""Deterministic writers: same inputs → byte-identical files (no clock, sorted keys, fixed zip times)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)     # the earliest time a zip entry can carry
FIXED_DOC_TIME = "1980-01-01T00:00:00Z"   # for the XLSX's own "created/modified" when the inputs give none


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    # UTF-8 *with* a BOM (utf-8-sig): Excel on Chinese Windows reads a BOM-less CSV as GBK and garbles
    # every Chinese label; pandas, R, frictionless and sqlite imports all skip the BOM.
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue().encode("utf-8-sig")


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary name beside `path`, then rename: a reader or a killed writer never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def link_or_copy(source: Path, target: Path) -> None:
    """A hard link where the file system allows it. Safe because written outputs are never rewritten in
    place: every build writes new files into a new folder and renames it into place."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    path.write_bytes(csv_bytes(header, rows))


def concat_csv(path: Path, header: list[str], parts: list[Path]) -> None:
    """One CSV made of the rows of others written with the same header (the corpus tables are the body-year
    tables one after another: joining their bytes is ~50× faster than encoding the rows again)."""
    head = csv_bytes(header, [])
    with path.open("wb") as out:
        out.write(head)
        for part in parts:
            data = part.read_bytes()
            if not data.startswith(head):
                raise ValueError(f"{part} does not have the header {header}")
            out.write(data[len(head):])


def json_bytes(data, compact: bool = False) -> bytes:
    """Indented for descriptors people read; `compact` (one line) for big records — json's C encoder only
    runs without indentation, and is ~10× faster on a report.json of a few hundred cells."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, **({} if compact else {"indent": 2}))
    return (text + "\n").encode("utf-8")


def write_json(path: Path, data, compact: bool = False) -> None:
    path.write_bytes(json_bytes(data, compact))


def write_zip(path: Path, members: list[tuple[str, bytes]]) -> None:
    path.write_bytes(zip_bytes(members))


def zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    """Members in the given order, each with the fixed 1980-01-01 time and fixed permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, data)
    return buffer.getvalue()


_CORE_TIME = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def workbook_bytes(xlsx: bytes, when: str | None) -> bytes:
    """Spreadsheet writers stamp the clock into docProps/core.xml and the zip entries: replace both."""
    stamp = (when or FIXED_DOC_TIME).encode()
    members = []
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
        for name in zf.namelist():
            data = zf.read(name)
            if name == "docProps/core.xml":
                data = _CORE_TIME.sub(lambda m: m.group(1) + stamp + m.group(3), data)
            members.append((name, data))
    return zip_bytes(members)


def write_sqlite(path: Path, tables: list[tuple[str, list[tuple[str, str]], list[list]]]) -> None:
    """tables: (name, [(column, SQL type)], rows). One transaction, then VACUUM: same rows → same bytes."""
    if path.exists():
        path.unlink()
    con = sqlite3.connect(path)
    try:
        with con:
            for name, columns, rows in tables:
                cols = ", ".join(f'"{c}" {t}' for c, t in columns)
                con.execute(f'CREATE TABLE "{name}" ({cols})')
                marks = ", ".join("?" for _ in columns)
                con.executemany(f'INSERT INTO "{name}" VALUES ({marks})', rows)
        con.execute("VACUUM")
    finally:
        con.close()
