"""OCR speed: seconds per page for reading a scanned report, against reading the same report as a text PDF.

    python benchmarks/ocr.py [--rounds 1]

Inputs: generated reports (both templates) printed with reportlab, and the same reports scanned
(`nianbao.fixtures.scans`: 200 dpi, 1° skew, noise) as image-only PDFs. Both are read in the same process:
the text PDF by `read.pdf`, the scan by `read.ocr` (the engine loaded once, before timing; its load time is
printed apart). Also printed: the cells right on the scans, and the installed size of the `ocr` extra
(every distribution it adds to a default install, from the installed files' sizes).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))


from nianbao.fixtures.compare import cell_differences  # noqa: E402
from nianbao.fixtures.pdf_reportlab import render_pdf  # noqa: E402
from nianbao.fixtures.scans import Scan, scan_pdf  # noqa: E402
from nianbao.fixtures.truth import expected_cells, make_truth  # noqa: E402
from nianbao.pipeline import extract_document  # noqa: E402
from nianbao.read import ocr, pdf  # noqa: E402
from timing import pages_of, timed  # noqa: E402

SCAN = Scan(dpi=200, skew=1.0, noise=10)


def closure(names: list[str]) -> set[str]:
    """The installed distributions these need, themselves included (markers and extras of theirs ignored)."""
    from importlib.metadata import PackageNotFoundError, requires
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
    seen: set[str] = set()
    todo = [canonicalize_name(n) for n in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        try:
            wanted = requires(name) or []
        except PackageNotFoundError:
            continue
        seen.add(name)
        for line in wanted:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(requirement.name))
    return seen


def installed_bytes(name: str) -> int:
    from importlib.metadata import distribution
    return sum(f.size or 0 for f in distribution(name).files or [])


def extra_sizes() -> dict[str, int]:
    """Bytes on disk of every distribution the `ocr` extra adds to a default install (numpy included: the
    default install does not need it)."""
    from importlib.metadata import requires
    from packaging.requirements import Requirement
    base = [Requirement(r).name for r in requires("nianbao") if "extra ==" not in r]
    extra = [Requirement(r).name for r in requires("nianbao") if 'extra == "ocr"' in r]
    added = closure(extra) - closure(base)
    return dict(sorted(((n, installed_bytes(n)) for n in added), key=lambda kv: -kv[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--reports", type=int, default=2, help="reports per template")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        truths, texts, scans = [], [], []
        for template in ("2019", "2021"):
            for seed in range(args.reports):
                truth = make_truth(template, seed=seed, blanks=0.1)
                truths.append(truth)
                texts.append(render_pdf(truth, work / f"{template}-{seed}.pdf"))
                scans.append(scan_pdf(truth, work / f"{template}-{seed}-scan.pdf", SCAN))
        pages = sum(map(pages_of, scans))
        start = time.perf_counter()
        ocr._engine()
        load = time.perf_counter() - start
        text_seconds = timed(pdf.read, texts, max(3, args.rounds))
        cpu_start = time.process_time()
        ocr_seconds = timed(ocr.read_scanned_pdf, scans, args.rounds)
        ocr_cpu = (time.process_time() - cpu_start) / args.rounds     # all threads: not inflated by other jobs
        right = total = 0
        for truth, path in zip(truths, scans):
            record = extract_document(ocr.read_scanned_pdf(path), str(path), "sha")
            total += len(truth.cells)
            right += len(truth.cells) - len(cell_differences(record, expected_cells(truth)))
    print(f"{len(scans)} reports, {pages} pages, scanned at {SCAN.dpi} dpi, skew {SCAN.skew}°, noise {SCAN.noise}")
    print(f"OCR:      {ocr_seconds / pages:.2f} s/page wall clock, {ocr_cpu / pages:.2f} CPU s/page "
          f"(engine load {load:.2f} s, once per process; load average now {os.getloadavg()[0]:.1f})")
    print(f"baseline: {1000 * text_seconds / pages:.1f} ms/page reading the same reports as text PDFs "
          f"(OCR costs {ocr_seconds / text_seconds:.0f}×)")
    print(f"cells right on the scans: {right} of {total}")
    sizes = extra_sizes()
    print("installed size of the extra: " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sizes.items() if v > 1e6)
          + f"; total {sum(sizes.values()) / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
