"""PDF reading speed: ms per page for nianbao's reader versus pdfplumber (text + extract_tables on every page).

    python benchmarks/pdf.py [--rounds 5]

Inputs: the real reports in tests/data/corpus/real and a reportlab rendering of every layout of
`nianbao.synth.pdf_reportlab` for both templates. Both readers run in the same process on the same files.
Targets: ≤ 20 ms/page, ≥ 3× faster than the baseline.

Check: where both find a table cell with the same box (within 2 pt) on an unrotated page, its text (whitespace
removed) must be the same. pdfplumber's own cells are taken from `find_tables()` (rect and line edges, its
defaults); cells only one side finds are counted, not compared (pdfplumber turns the white cell and paragraph
backgrounds of WPS PDFs into extra "tables", and drops one-cell tables).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pdfplumber  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402

from nianbao.read import pdf as nianbao_pdf  # noqa: E402
from timing import pages_of, timed  # noqa: E402

REAL = ROOT / "tests" / "data" / "corpus" / "real"
_SPACE = re.compile(r"\s+")


def inputs(workdir: Path) -> tuple[list[Path], list[Path]]:
    real = sorted(REAL.glob("*.pdf")) if REAL.exists() else []
    generated = []
    try:
        from nianbao.synth.pdf_reportlab import FONT_PATH, LAYOUTS, render_pdf
        from nianbao.synth.truth import make_truth
    except ImportError:
        return real, generated
    if FONT_PATH.exists():
        for template in ("2019", "2021"):
            for n, layout in enumerate(LAYOUTS):
                truth = make_truth(template, seed=n, blanks=0.15)
                generated.append(render_pdf(truth, workdir / f"{template}-{layout}.pdf", layout))
    return real, generated


def baseline(path: Path) -> None:
    with pdfplumber.open(path) as document:
        for page in document.pages:
            page.extract_text()
            page.extract_tables()
            page.close()


def squash(text: str | None) -> str:
    return _SPACE.sub("", text or "")


def our_cells(path: Path) -> dict[int, list[tuple[tuple[float, ...], str]]]:
    """Page → (box, text) of every cell nianbao finds on that page, before pages are joined."""
    out: dict[int, list] = {}
    document = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(document)):
            if document[index].get_rotation() % 360:
                continue
            content = nianbao_pdf.read_page(document, index, continues=True)
            out[index + 1] = [(c.bbox, squash(c.text)) for t in content.tables for c in t.cells]
    finally:
        document.close()
    return out


def their_cells(path: Path) -> dict[int, list[tuple[tuple[float, ...], str]]]:
    out: dict[int, list] = {}
    with pdfplumber.open(path) as document:
        for page in document.pages:
            if page.rotation % 360:
                continue
            found = []
            for table in page.find_tables():
                for row, texts in zip(table.rows, table.extract()):
                    for box, text in zip(row.cells, texts):
                        if box is not None:
                            found.append((tuple(box), squash(text)))
            out[page.page_number] = found
    return out


def compare(path: Path) -> tuple[int, int, int, int, list[str]]:
    """(ours only, theirs only, same, different, first differences) over cells with the same box."""
    ours, theirs = our_cells(path), their_cells(path)
    same = different = only_ours = only_theirs = 0
    differences = []
    for page in sorted(set(ours) | set(theirs)):
        mine = list(ours.get(page, []))
        for box, text in theirs.get(page, []):
            match = next((m for m in mine if all(abs(a - b) <= 2 for a, b in zip(m[0], box))), None)
            if match is None:
                only_theirs += 1
                continue
            mine.remove(match)
            if match[1] == text:
                same += 1
            else:
                different += 1
                differences.append(f"{path.name} p{page} {tuple(round(v) for v in box)}: {match[1]!r} vs {text!r}")
        only_ours += len(mine)
    return only_ours, only_theirs, same, different, differences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        real, generated = inputs(Path(tmp))
        files = real + generated
        if not files:
            sys.exit("no inputs: tests/data/corpus/real is absent and reportlab or the font is not installed")
        nianbao_pdf.read(files[0])      # warm-up: converter tables, fonts
        baseline(files[0])
        print(f"inputs: {len(real)} real + {len(generated)} generated PDFs, median of {args.rounds} rounds")
        print(f"{'set':10} {'pages':>5} {'nianbao ms/page':>16} {'pdfplumber ms/page':>19} {'speed-up':>9}")
        rows = []
        for label, group in (("real", real), ("generated", generated), ("all", files)):
            if not group:
                continue
            pages = sum(pages_of(p) for p in group)
            ours = timed(nianbao_pdf.read, group, args.rounds) / pages * 1000
            theirs = timed(baseline, group, max(1, args.rounds // 2)) / pages * 1000
            rows.append((label, ours, theirs))
            print(f"{label:10} {pages:5d} {ours:16.1f} {theirs:19.1f} {theirs / ours:8.1f}x")
        _, ours_all, theirs_all = rows[-1]
        print(f"targets: ≤ 20 ms/page {'met' if ours_all <= 20 else 'MISSED'}; "
              f"≥ 3x faster {'met' if theirs_all / ours_all >= 3 else 'MISSED'}")
        totals = [0, 0, 0, 0]
        differences: list[str] = []
        for path in files:
            *counts, diffs = compare(path)
            totals = [a + b for a, b in zip(totals, counts)]
            differences.extend(diffs)
        only_ours, only_theirs, same, different = totals
        print(f"cells with the same box in both: {same + different}; identical text: {same}; different: {different}")
        print(f"cells only nianbao finds: {only_ours}; only pdfplumber finds: {only_theirs}")
        for line in differences[:15]:
            print("  differs:", line)


if __name__ == "__main__":
    main()
