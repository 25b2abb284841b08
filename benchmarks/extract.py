"""Extraction speed for text and HTML inputs: reports per second, on this machine.

    python benchmarks/extract.py [--rounds 5]

Inputs: the seed reports in reports/ (text) and every generated rendering style of the fixture
generator (text and HTML), so the figure covers the layouts real reports use. Baseline, measured in the
same run on the same files: reading and decoding the file and splitting it into pieces (the part every
design must pay); the ratio says how much the table finding, mapping and checks add on top.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from nianbao.extract import extract_path  # noqa: E402
from timing import timed  # noqa: E402
from nianbao.read import read_document  # noqa: E402
from nianbao.tables.pieces import pieces_of  # noqa: E402


def inputs(workdir: Path) -> list[Path]:
    files = sorted((ROOT / "reports").glob("00[0-3]_*.txt"))
    try:
        from nianbao.synth.text_styles import STYLES
        from nianbao.synth.truth import make_truth
    except ImportError:
        STYLES = {}
    for name, render in sorted(STYLES.items()):
        for template in ("2019", "2021"):
            suffix = ".html" if name.startswith("html") else ".txt"
            path = workdir / f"{name}-{template}{suffix}"
            path.write_text(render(make_truth(template, seed=1)), encoding="utf-8")
            files.append(path)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = inputs(Path(tmp))
        if not files:
            sys.exit("no inputs: reports/ has no seed reports and the fixture generator is not installed")
        for path in files[:3]:
            extract_path(path)   # warm-up: template loading, converter tables
        baseline = timed(lambda p: pieces_of(read_document(p)), files, args.rounds)
        full = timed(extract_path, files, args.rounds)
        html = [p for p in files if p.suffix == ".html"]
        text = [p for p in files if p.suffix != ".html"]
        print(f"inputs: {len(files)} reports ({len(text)} text, {len(html)} HTML), median of {args.rounds} rounds")
        print(f"baseline (read + decode + pieces): {len(files) / baseline:8.1f} reports/s  {baseline / len(files) * 1000:6.2f} ms/report")
        print(f"full extraction (record + checks): {len(files) / full:8.1f} reports/s  {full / len(files) * 1000:6.2f} ms/report")
        print(f"ratio full / baseline: {full / baseline:.2f}x")
        for label, group in (("text", text), ("HTML", html)):
            if group:
                seconds = timed(extract_path, group, args.rounds)
                print(f"  {label:4}: {len(group) / seconds:8.1f} reports/s")


if __name__ == "__main__":
    main()
