"""The site as GitHub Pages measures it: the size of the uploaded artifact, not of the folder on disk.

`actions/upload-pages-artifact` tars the site folder (`tar -cf artifact.tar --exclude=.git --exclude=.github .`)
and `actions/upload-artifact` uploads that tar zipped with deflate at compression level 6; `actions/deploy-pages`
then warns "Uploaded artifact size of N bytes exceeds the allowed size of 1 GB. Deployment might fail." with N
that zipped size (https://github.com/actions/upload-pages-artifact/issues/71, actions/deploy-pages#164).

Two measures, nothing written, memory flat: `artifact_size` does what GitHub does — every file through a tar
writer into one deflate stream at level 6, the output counted and dropped (the reference); `artifact_estimate`
deflates the files one by one in parallel threads and adds up. On 1,000 synthetic reports (429 MB on disk) the tar
stream gives 125 MB in 16.3 s, the estimate 0.10 % less in 12.2 s (2 threads, 2 shared cores; about 2 minutes at
10,000, less on a runner with more cores); on 60 reports it is 0.5 % over, on a two-report site 7 % over (small
theme files deflate worse alone). The guard uses the estimate; docs/performance.md has the figures.
GitHub's tar lists files in directory order, not sorted, which moves the figure by about 1 %: on a 4.3 MB site
`tar | gzip -6` gave 1.008 MB in directory order, 0.994 MB sorted (this module's order).
"""

from __future__ import annotations

import os
import tarfile
import zlib
from pathlib import Path

ARTIFACT_LEVEL = 6                 # actions/upload-artifact's default compression-level
EXCLUDED = (".git", ".github")     # upload-pages-artifact's --exclude
ARTIFACT_SIZES = "build/artifact-sizes.tsv"    # in the output folder: each file's deflated size, for the next build
ZIP_OVERHEAD = 22 + 2 * (30 + 46 + len("artifact.tar"))   # one member's local and central headers, end record


class _DeflatedCount:
    """A write-only file whose bytes are deflated and counted, never kept."""

    def __init__(self, level: int):
        self._deflate = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)   # raw deflate, as in a zip
        self.raw = 0
        self.deflated = 0

    def write(self, data: bytes) -> int:
        self.raw += len(data)
        self.deflated += len(self._deflate.compress(data))
        return len(data)

    def finish(self) -> None:
        self.deflated += len(self._deflate.flush())


def artifact_size(site: Path, level: int = ARTIFACT_LEVEL) -> int:
    """Bytes of the Pages artifact of `site`: its tar (GNU format, as GNU tar writes) deflated at `level`, plus
    the zip's headers."""
    sink = _DeflatedCount(level)
    with tarfile.open(fileobj=sink, mode="w|", format=tarfile.GNU_FORMAT) as tar:  # type: ignore[call-overload]
        for path in _paths(site):
            tar.add(path, arcname="./" + path.relative_to(site).as_posix(), recursive=False)
    sink.finish()
    return sink.deflated + ZIP_OVERHEAD


def _paths(site: Path):
    """Every file and folder under `site` but the excluded folders, parents before children, sorted."""
    for folder, dirs, files in os.walk(site):
        dirs[:] = sorted(d for d in dirs if d not in EXCLUDED)
        base = Path(folder)
        for name in [*dirs, *sorted(files)]:
            yield base / name


def deflated_size(path: Path, level: int = ARTIFACT_LEVEL) -> int:
    """Bytes of one file deflated at `level`, read a megabyte at a time."""
    deflate = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    size = 0
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            size += len(deflate.compress(chunk))
    return size + len(deflate.flush())


def artifact_estimate(site: Path, workers: int | None = None, known: Path | None = None) -> int:
    """The artifact's bytes as the sum of its files deflated one by one, in `workers` threads (zlib lets go
    of the GIL while it deflates): within 1 % of `artifact_size` on a site of hundreds of body-years (files
    deflated apart lose only the matches a stream finds across a file's end).

    `known`: a file of sizes already measured, by inode, size and modification time, read and rewritten. A
    rebuild hard-links its unchanged pages and packages from the last output, so only what it wrote anew is
    deflated again (the whole site at 10,000 reports takes about 2 minutes on 2 shared cores)."""
    from concurrent.futures import ThreadPoolExecutor
    measured = _read_known(known)
    files = {_identity(p): p for p in _paths(site) if p.is_file() and not p.is_symlink()}
    new = [(identity, p) for identity, p in files.items() if identity not in measured]
    chunks = [new[i:i + 64] for i in range(0, len(new), 64)]
    with ThreadPoolExecutor(workers or os.cpu_count() or 1) as pool:
        for chunk, deflated in zip(chunks, pool.map(lambda chunk: [deflated_size(p) for _, p in chunk], chunks)):
            measured.update((identity, n) for (identity, _), n in zip(chunk, deflated))
    current = {identity: measured[identity] for identity in files}
    if known is not None:
        known.parent.mkdir(parents=True, exist_ok=True)
        known.write_text("".join(f"{identity}\t{n}\n" for identity, n in sorted(current.items())), encoding="ascii")
    return sum(current.values()) + ZIP_OVERHEAD


def _identity(path: Path) -> str:
    """A file as the file system knows it: the same inode, size and modification time, the same bytes."""
    st = path.stat()
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"


def _read_known(known: Path | None) -> dict[str, int]:
    if known is None or not known.is_file():
        return {}
    rows = (line.split("\t") for line in known.read_text(encoding="ascii").splitlines())
    return {row[0]: int(row[1]) for row in rows if len(row) == 2 and row[1].isdigit()}
