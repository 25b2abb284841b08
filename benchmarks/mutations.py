"""Mutation harness (issue 14): share of truth cells read right and wrong numbers/years, per corruption family.

    python benchmarks/mutations.py [--alone 4] [--combined 40] [--combined-pages 150] [--workers 2]

Inputs: every document with hand-checked truth (seeds 000–003, the real texts, the 25 real pages, every text
style of the fixture generator), each mutated by every family alone (`--alone` seeds) and by 1–3 families
together (`--combined` seeds, `--combined-pages` for the real pages) — see `nianbao.synth.mutations` and `mutation_runs`. Baseline, measured in the same run: the
same documents unmutated. "read" = truth cells given with the right value or blank / truth cells; "wrong" =
cells given a wrong number or a blank where the truth has a number (or a number where it is blank); "years" =
documents whose year is neither the truth nor None.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from nianbao.synth.mutation_runs import plan, run, subjects
from nianbao.synth.mutations import FAMILIES


def tally(results) -> dict[str, list[int]]:
    """Row name → [documents, cells right, truth cells, wrong cells, wrong years, documents with anything wrong]."""
    rows: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
    for (_, families, _), verdict in results:
        names = ["baseline"] if not families else [f"{families[0]} (alone)"] if len(families) == 1 else \
            ["combined (2-3)"] + [f"{f} (in combination)" for f in families]
        years = sum(w.startswith("year:") for w in verdict.wrong)
        for name in names:
            row = rows[name]
            for i, n in enumerate((1, verdict.right, verdict.total, len(verdict.wrong) - years, years,
                                   bool(verdict.wrong))):
                row[i] += n
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alone", type=int, default=4, help="seeds per document for each family alone")
    parser.add_argument("--combined", type=int, default=40, help="seeds per document for random combinations")
    parser.add_argument("--combined-pages", type=int, default=150, help="the same for the real pages")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    names = [s.name for s in subjects(ROOT)]
    todo = plan(names, args.alone, args.combined, args.combined_pages)
    start = time.perf_counter()
    results = run(ROOT, todo, args.workers)
    seconds = time.perf_counter() - start
    print(f"{len(names)} documents with truth, {len(todo) - len(names)} mutated + {len(names)} baseline, "
          f"{seconds:.1f} s on {args.workers} workers ({seconds / len(todo) * 1000 * args.workers:.1f} ms/document)")
    rows = tally(results)
    order = ["baseline"] + [f"{f} (alone)" for f in FAMILIES] + ["combined (2-3)"] + \
        [f"{f} (in combination)" for f in FAMILIES]
    print(f"{'':34} {'docs':>6} {'read':>7} {'wrong cells':>12} {'wrong years':>12} {'docs wrong':>11}")
    for name in order:
        if name in rows:
            docs, right, total, wrong, years, bad = rows[name]
            print(f"{name:34} {docs:6} {right / max(total, 1):7.1%} {wrong:12} {years:12} {bad:11}")


if __name__ == "__main__":
    main()
