"""Files written deterministically (same inputs → byte-identical files: no clock, sorted keys, fixed zip times),
written atomically, hard-linked from a previous build, moved out of the way and deleted later.

Used by every stage that writes to disk (cache, package, site, pipeline); knows nothing of what the files hold.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import time
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


def link_or_copy(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """A hard link where the file system allows it. Safe because written outputs are never rewritten in
    place: every build writes new files into a new folder and renames it into place."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def link_trees(pairs: list[tuple[Path, Path]]) -> None:
    """Hard-link each source folder, recursively, to its target (same base name; the target must not exist).

    `cp -al` does it in C, one process per target folder's parent: linking 100,000 files from Python
    (os.link per file) takes ~3× as long, and a rebuild does it for every unchanged page and package."""
    import subprocess
    from collections import defaultdict
    by_parent: dict[Path, list[Path]] = defaultdict(list)
    for source, target in pairs:
        if source.name != target.name:
            raise ValueError(f"{source} and {target} must have the same name")
        by_parent[target.parent].append(source)
    cp = shutil.which("cp")
    for parent, sources in sorted(by_parent.items()):
        parent.mkdir(parents=True, exist_ok=True)
        for i in range(0, len(sources), 500):
            chunk = sources[i:i + 500]
            done = cp is not None and subprocess.run([cp, "-al", "-t", str(parent), *map(str, chunk)],
                                                     capture_output=True).returncode == 0
            if not done:   # no GNU cp, or a file system without hard links
                for source in chunk:
                    shutil.copytree(source, parent / source.name, copy_function=link_or_copy, dirs_exist_ok=True)


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    path.write_bytes(csv_bytes(header, rows))


def append_csv_rows(path: Path, header: tuple[str, ...], rows: list[list[str]]) -> None:
    """Append rows to a CSV file a person also edits (the manifest, the corrections), writing the header first
    when the file is new or empty. Existing rows are never rewritten; a last line without its newline gets one."""
    new = not path.exists() or path.stat().st_size == 0
    if not new and not path.read_bytes().endswith(b"\n"):
        with path.open("a", encoding="utf-8") as fh:
            fh.write("\n")
    with path.open("a", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        if new:
            writer.writerow(header)
        writer.writerows(rows)


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
    """Indented for descriptors people read; `compact` (one line, no spaces after `,` and `:`) for the records
    and descriptors published once per body-year — json's C encoder only runs without indentation (~10× faster
    on a report.json of a few hundred cells), and the spaces were 7% of each file, 10,000 times over."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=None if compact else 2,
                      separators=(",", ":") if compact else None)
    return (text + "\n").encode("utf-8")


def write_json(path: Path, data, compact: bool = False) -> None:
    path.write_bytes(json_bytes(data, compact))


def zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    """Members in the given order, each with the fixed 1980-01-01 time and fixed permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(fixed_zip_info(name), data)
    return buffer.getvalue()


def fixed_zip_info(name: str) -> zipfile.ZipInfo:
    """A zip entry with the fixed 1980-01-01 time and fixed permissions (deflated)."""
    info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3
    return info


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


def move_to_trash(path: Path, trash: Path) -> None:
    """Move a folder out of the way at once (a rename); `empty_trash` deletes it later."""
    if path.exists():
        trash.mkdir(parents=True, exist_ok=True)
        path.rename(trash / f"{path.name}.{os.getpid()}.{time.monotonic_ns()}")   # a name used once


def empty_trash(trash: Path) -> None:
    """Delete what was moved to `trash`, in a detached process: unlinking the ~300,000 files of a 10,000-report
    site and packages takes ~13 s that nothing waits for. Whatever is left (a killed process) goes with the next
    build's trash."""
    import subprocess
    leftovers = sorted(trash.iterdir()) if trash.is_dir() else []
    rm = shutil.which("rm")
    if not leftovers or rm is None:
        for folder in leftovers:
            shutil.rmtree(folder, ignore_errors=True)
        return
    subprocess.Popen([rm, "-rf", "--", *map(str, leftovers)], start_new_session=True, stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


CORRECTIONS_FILE = "corrections.csv"      # a person's settled cells (nianbao.settle), beside the manifest
FOLDER_FILES = ("manifest.csv", "redirects.csv", CORRECTIONS_FILE)   # the reports folder's own files, not inputs


def report_files(folder: Path) -> list[Path]:
    """The inputs in a reports folder, sorted by path: every file under it except hidden ones and, at its top,
    the manifest, the redirects, the corrections and a README. What `nianbao build` reads, and
    `nianbao extract FOLDER` too."""
    return sorted((p for p in folder.rglob("*") if p.is_file() and _is_report(p.relative_to(folder))),
                  key=lambda p: p.relative_to(folder).as_posix())


def _is_report(rel: Path) -> bool:
    if any(part.startswith(".") for part in rel.parts):
        return False
    return not (len(rel.parts) == 1 and (rel.name in FOLDER_FILES
                                         or rel.name.upper().startswith("README")))
