"""Timing shared by the benchmark scripts: the median of several passes, so one slow pass does not decide."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Callable


def timed(fn: Callable[[Path], object], files: list[Path], rounds: int) -> float:
    """Median seconds for one pass over all files."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for path in files:
            fn(path)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def search_bytes(site: Path) -> int:
    """What a browser fetches for one search: the Pagefind runtime, wasm, entry, metadata, one index chunk,
    one filter chunk and ten result fragments (the first page of results)."""
    pf = site / "pagefind"
    size = sum((pf / n).stat().st_size for n in ("pagefind.js", "pagefind-entry.json"))
    size += max(p.stat().st_size for p in pf.glob("wasm.*"))
    size += max(p.stat().st_size for p in pf.glob("*.pf_meta"))
    size += max(p.stat().st_size for p in (pf / "index").iterdir())
    size += max(p.stat().st_size for p in (pf / "filter").iterdir())
    size += 10 * max(p.stat().st_size for p in (pf / "fragment").iterdir())
    return size


def pages_of(path: Path) -> int:
    import pypdfium2 as pdfium
    document = pdfium.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()
