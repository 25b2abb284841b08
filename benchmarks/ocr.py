"""OCR speed and accuracy: seconds per page for reading a scanned report, against reading the same report as a
text PDF; cells read right / wrong / unread / flagged per kind of scan.

    python benchmarks/ocr.py [--rounds 1] [--reports 2]

Inputs: generated reports (both templates) printed with reportlab, and the same reports scanned
(`nianbao.synth.scans`: 200 dpi, 1° skew, noise) as image-only PDFs. Both are read in the same process:
the text PDF by `read.pdf`, the scan by `read.scan` (the engine loaded once, before timing; its load time is
printed apart). Then scans made as real ones are (`nianbao.synth.template_scans`: the real blank 2021
template filled in and the 2019 rendering, printed by LibreOffice, 150 and 200 dpi, skew, blur, grey paper,
noise, JPEG 60; a light print with an edge shadow and a seal), per layout: cells right, wrong (a value that is not the truth: a number, or blank for a
number), not read (`unreadable`/`missing`), flagged `review`, table 四 found, body found, seconds per page.
Also printed: the installed size of the `ocr` extra (every distribution it adds to a default install).
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


from timing import pages_of, timed

from nianbao.synth.compare import cell_differences
from nianbao.synth.pdf_reportlab import render_pdf
from nianbao.synth.scans import Scan, scan_pdf
from nianbao.synth.template_scans import (
    TemplateScan,
    hard_truth,
    printed_pdf,
    save_pdf,
    scan_printed,
)
from nianbao.synth.truth import expected_cells, make_truth
from nianbao.extract import extract_document, extract_path
from nianbao.read import pdf, scan

SCAN = Scan(dpi=200, skew=1.0, noise=10)
# Layouts of scans made as real ones are: (name, template, scan settings); one report per seed.
TEMPLATE_LAYOUTS = [
    ("template-2021 150dpi", "2021", TemplateScan(dpi=150, skew=0.8, blur=0.8, paper=215, noise=8, jpeg=60)),
    ("template-2021 200dpi", "2021", TemplateScan(dpi=200, skew=1.0, blur=0.6, paper=225, noise=6, jpeg=60,
                                                  title="two-line")),
    ("template-2021 light", "2021", TemplateScan(dpi=150, skew=0.8, blur=0.9, paper=220, noise=8, jpeg=60,
                                                 ink=130, edge=4, seal=True)),
    ("docx-2019 150dpi", "2019", TemplateScan(dpi=150, skew=0.6, blur=0.7, paper=220, noise=6, jpeg=60)),
    ("docx-2019 light", "2019", TemplateScan(dpi=200, skew=1.0, blur=0.6, paper=225, noise=6, jpeg=60, ink=100)),
]


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


def tally(truth, record) -> dict[str, int]:
    """Cells right / wrong / not read / flagged, table 四 found (1/0), against the truth."""
    from nianbao.synth.truth import expected_cells
    out = {"cells": 0, "right": 0, "wrong": 0, "unread": 0, "flagged": 0}
    for cid, (status, value) in expected_cells(truth).items():
        cell = record.cells.get(cid)
        out["cells"] += 1
        if cell is None:            # the report was not read at all
            out["unread"] += 1
            continue
        out["flagged"] += scan.REVIEW in cell.flags
        if (cell.status, cell.value) == (status, value):
            out["right"] += 1
        elif cell.status in ("unreadable", "missing"):
            out["unread"] += 1
        else:
            out["wrong"] += 1
    out["table4"] = int(all(c in record.cells and record.cells[c].status != "missing"
                            for c in truth.cells if c.startswith("appeals.")))
    return out


def template_layouts(work: Path, reports: int) -> None:
    for name, template, base in TEMPLATE_LAYOUTS:
        totals: dict[str, float] = {}
        for seed in range(reports):
            scan = TemplateScan(**{**base.__dict__, "seed": 100 + seed})
            truth = hard_truth(template, 100 + seed)
            folder = work / f"{name.replace(' ', '-')}-{seed}"
            printed = printed_pdf(truth, folder, scan.title)
            path = save_pdf(scan_printed(printed, scan), folder / "scan.pdf", scan)
            cpu, start = time.process_time(), time.perf_counter()
            record = extract_path(path)
            counts = {**tally(truth, record), "seconds": time.perf_counter() - start,
                      "cpu": time.process_time() - cpu, "pages": pages_of(path),
                      "body": int(record.agency.id is not None and record.agency.id == extract_path(printed).agency.id)}
            for key, value in counts.items():
                totals[key] = totals.get(key, 0) + value
        t = totals
        print(f"{name:22} {reports} reports: right {t['right']:.0f}/{t['cells']:.0f} ({t['right'] / t['cells']:.1%}), "
              f"wrong {t['wrong']:.0f}, not read {t['unread']:.0f}, flagged {t['flagged']:.0f}; table 四 found "
              f"{t['table4']:.0f}/{reports}, body found {t['body']:.0f}/{reports}; {t['seconds'] / t['pages']:.2f} s/page "
              f"({t['cpu'] / t['pages']:.2f} CPU s/page)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--reports", type=int, default=2, help="reports per template / per layout")
    parser.add_argument("--no-templates", dest="templates", action="store_false",
                        help="skip the scans made from the real templates")
    parser.add_argument("--templates-only", action="store_true", help="only the scans made from the templates")
    args = parser.parse_args()
    if args.templates_only:
        with tempfile.TemporaryDirectory() as folder:
            template_layouts(Path(folder), args.reports)
        return
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
        scan.load_engine()
        load = time.perf_counter() - start
        text_seconds = timed(pdf.read, texts, max(3, args.rounds))
        cpu_start = time.process_time()
        ocr_seconds = timed(scan.read_scanned_pdf, scans, args.rounds)
        ocr_cpu = (time.process_time() - cpu_start) / args.rounds     # all threads: not inflated by other jobs
        right = total = 0
        for truth, path in zip(truths, scans):
            record = extract_document(scan.read_scanned_pdf(path), str(path), "sha")
            total += len(truth.cells)
            right += len(truth.cells) - len(cell_differences(record, expected_cells(truth)))
    print(f"{len(scans)} reports, {pages} pages, scanned at {SCAN.dpi} dpi, skew {SCAN.skew}°, noise {SCAN.noise}")
    print(f"OCR:      {ocr_seconds / pages:.2f} s/page wall clock, {ocr_cpu / pages:.2f} CPU s/page "
          f"(engine load {load:.2f} s, once per process; load average now {os.getloadavg()[0]:.1f})")
    print(f"baseline: {1000 * text_seconds / pages:.1f} ms/page reading the same reports as text PDFs "
          f"(OCR costs {ocr_seconds / text_seconds:.0f}×)")
    print(f"cells right on the scans: {right} of {total}")
    if args.templates:
        with tempfile.TemporaryDirectory() as folder:
            template_layouts(Path(folder), args.reports)
    sizes = extra_sizes()
    print("installed size of the extra: " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sizes.items() if v > 1e6)
          + f"; total {sum(sizes.values()) / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
