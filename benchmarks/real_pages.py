"""Reading real report pages: share of hand-checked cells read right, wrong numbers, years, bodies, speed.

    python benchmarks/real_pages.py [--rounds 5]

Inputs: the 25 real web pages of tests/data/corpus/real-pages with their truth.json (536 cells). A cell is
right when the record gives the truth's number (or a blank where the truth is null), wrong when it gives
anything else as a value or blank, unread when it says missing or unreadable. Bodies are compared as
printed (Traditional folded to Simplified; the county before or the body type after may be added). Speed
baseline, measured in the same run on the same files: reading the file and splitting it into pieces.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from nianbao.model.normalize import to_simplified  # noqa: E402
from nianbao.extract import extract_path  # noqa: E402
from nianbao.read import read_document  # noqa: E402
from nianbao.tables.pieces import pieces_of  # noqa: E402
from timing import timed  # noqa: E402

PAGES = ROOT / "tests" / "data" / "corpus" / "real-pages"
_BODY_TAIL = re.compile(r"(人民政府|政府|办事处)$")


def claimed(cell):
    if cell is None or cell.status in ("missing", "unreadable"):
        return "unread"
    return None if cell.status == "blank" else Decimal(str(cell.value))


def body_verdict(truth_name: str, agency) -> str:
    """right / wrong / unidentified (no name, or no id where the page names no place that settles it)."""
    if not agency.name:
        return "unidentified"
    core = lambda name: _BODY_TAIL.sub("", to_simplified(name).replace("（", "(").replace("）", ")"))  # noqa: E731
    if not core(agency.name).endswith(core(truth_name)):
        return "wrong"
    return "right" if agency.id else "unidentified"


def score(records: dict[str, object], truth: dict[str, dict]) -> dict[str, int]:
    out = dict.fromkeys(("cells", "right", "wrong", "unread", "pages", "rejected", "year_right", "year_wrong",
                         "year_none", "body_right", "body_wrong", "body_unidentified", "body_unnamed"), 0)
    for name, t in truth.items():
        record = records[name]
        out["pages"] += 1
        out["rejected"] += record.status != "ok"
        out["year_right"] += record.year == t["year"]
        out["year_wrong"] += record.year not in (None, t["year"])
        out["year_none"] += record.year is None
        if "未出现" in t["agency"]:     # the page never prints its body (13, 18)
            out["body_unnamed"] += 1
            out["body_wrong"] += bool(record.agency.id or record.agency.name)
        else:
            out["body_" + body_verdict(t["agency"], record.agency)] += 1
        for cell_id, value in t["cells"].items():
            expected = None if value is None else Decimal(str(value))
            got = claimed(record.cells.get(cell_id))
            out["cells"] += 1
            out["right"] += got == expected
            out["unread"] += got == "unread"
            out["wrong"] += got not in ("unread", expected)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    truth = json.loads((PAGES / "truth.json").read_text(encoding="utf-8"))
    files = [PAGES / name for name in sorted(truth)]
    s = score({path.name: extract_path(path) for path in files}, truth)
    print(f"real pages: {s['pages']}, rejected {s['rejected']}")
    print(f"cells: {s['right']}/{s['cells']} read right = {s['right'] / s['cells']:.1%}, "
          f"wrong {s['wrong']}, unread {s['unread']}")
    print(f"years: right {s['year_right']}, wrong {s['year_wrong']}, none {s['year_none']}")
    print(f"bodies: right {s['body_right']}, wrong {s['body_wrong']}, unidentified {s['body_unidentified']} "
          f"(+{s['body_unnamed']} pages that never print their body)")
    baseline = timed(lambda p: pieces_of(read_document(p)), files, args.rounds)
    full = timed(extract_path, files, args.rounds)
    print(f"speed, median of {args.rounds} rounds: read + pieces {len(files) / baseline:.1f} reports/s, "
          f"full extraction {len(files) / full:.1f} reports/s (ratio {full / baseline:.2f}x)")


if __name__ == "__main__":
    main()
