"""The property the corruptions of `mutations` must not break, over every document with hand-checked truth.

`subjects(root)` lists those documents; `judge(record, subject)` applies the property: a cell reported as a value
equals the truth, a cell reported blank is blank in the truth, and the year is the truth or None;
`missing`/`unreadable` are unread, never wrong. A mutation that drops blank cells or mangles labels keeps the
truth: what can no longer be told must be unread. A cut keeps the truth of the cells on its last line (a number
cut "1234" → "12" read as 12 is wrong); cells the uncut text printed after it are gone (`cut_away`): blank
accepted, a number still checked.

    python -m nianbao.synth.mutation_runs SUBJECT SEED [FAMILY ...]   # print the mutated text of a failure
"""

from __future__ import annotations

import json
import random
import sys
from concurrent.futures import ProcessPoolExecutor
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache, partial
from pathlib import Path
from typing import NamedTuple

from nianbao.extract import extract_document
from nianbao.model.record import Record
from nianbao.read.text import from_text
from nianbao.synth.mutations import FAMILIES, combination, cut, mutate
from nianbao.synth.text_styles import STYLES
from nianbao.synth.truth import make_truth

# --- documents with truth, and the property -------------------------------------------------------------

@dataclass(frozen=True)
class Subject:
    name: str
    text: str
    year: int
    cells: Mapping[str, object]  # cell id → value (None = printed blank); cells whose truth is unknown left out
    filename: str


def _golden(path: Path, text_dir: Path) -> Subject:
    data = json.loads(path.read_text(encoding="utf-8"))
    cells = {cid: c["value"] for cid, c in data["cells"].items() if c["status"] in ("value", "blank")}
    text = (text_dir / data["source"]).read_text(encoding="utf-8")
    return Subject(path.stem, text, data["year"], cells, data["source"])


def subjects(root: Path, fixture_seeds: int = 2) -> list[Subject]:
    """Seeds 000–003, the real texts, the real pages and every text rendering style of the generator."""
    out = [_golden(g, root / "reports") for g in sorted((root / "tests/golden/seeds").glob("*.json"))]
    out += [_golden(g, root / "tests/data/corpus/real-text")
            for g in sorted((root / "tests/golden/real-text").glob("*.json"))]
    pages = root / "tests/data/corpus/real-pages"
    for name, data in json.loads((pages / "truth.json").read_text(encoding="utf-8")).items():
        out.append(Subject(f"page-{name[:-4]}", (pages / name).read_text(encoding="utf-8"), data["year"],
                           data["cells"], name))
    for style in sorted(s for s in STYLES if s != "html_table"):
        for template in ("2019", "2021"):
            for seed in range(1, fixture_seeds + 1):
                truth = make_truth(template, seed, blanks=0.1 * seed, year=int(template) + seed)
                out.append(Subject(f"{style}-{template}-{seed}", STYLES[style](truth), truth.year, truth.cells,
                                   f"{style}.txt"))
    return out


@dataclass
class Verdict:
    wrong: list[str]        # "cell: want …, got …"; "year: …"
    right: int              # truth cells read right
    total: int


def same_number(a: object, b: object) -> bool:
    return Decimal(str(a)) == Decimal(str(b))


def judge(record: Record, subject: Subject, gone: AbstractSet[str] = frozenset()) -> Verdict:
    """`gone`: cells the mutation removed entirely. A reader may call them blank (a table printed without its
    numbers reads as blank) and they are not counted; a number given for one must still be the truth."""
    wrong, right = [], 0
    cells = record.cells or {}
    for cid, want in subject.cells.items():
        got = cells.get(cid)
        if got is None or got.status not in ("value", "blank") or (cid in gone and got.status == "blank"):
            continue
        if (got.status == "blank" and want is None) or (got.status == "value" and want is not None
                                                         and same_number(got.value, want)):
            right += 1
        else:
            shown = "blank" if got.status == "blank" else repr(got.value)
            wrong.append(f"{cid}: want {'blank' if want is None else want!r}, got {shown} (raw {got.raw!r})")
    if record.year not in (None, subject.year):
        wrong.append(f"year: want {subject.year} or None, got {record.year}")
    return Verdict(wrong, right, len(subject.cells) - len(gone))


@lru_cache(maxsize=64)    # a cut's uncut text is often the document as is
def extract(text: str, filename: str) -> Record:
    return extract_document(from_text(text, source=filename), filename, "", filename=filename)


class Case(NamedTuple):
    """One mutated document. A named tuple: cases are compared and unpacked as tuples by the tests and reports."""
    subject: str                  # the subject's name
    families: tuple[str, ...]     # none: the document as is
    seed: int


def plan(names: list[str], alone: int, combined: int, combined_pages: int) -> list[Case]:
    """`cases` with more combinations for the real pages: short (fast to read) and the corruptions' origin."""
    pages = [n for n in names if n.startswith("page-")]
    return cases(pages, alone, combined_pages) + cases([n for n in names if n not in pages], alone, combined)


def cases(names: list[str], alone: int, combined: int) -> list[Case]:
    """Every subject as is, with each family alone (`alone` seeds) and with 1–3 families (`combined` seeds)."""
    out = [Case(n, (), 0) for n in names]
    out += [Case(n, (f,), seed) for f in FAMILIES for n in names for seed in range(alone)]
    out += [Case(n, combination(f"{n}-{seed}"), seed) for n in names for seed in range(combined)]
    return out


@cache
def _subjects_by_name(root: Path) -> dict[str, Subject]:
    return {s.name: s for s in subjects(root)}


def run_case(root: Path, case: Case) -> tuple[Case, Verdict]:
    subject = _subjects_by_name(root)[case.subject]
    families, seed = case.families, case.seed
    text = mutate(subject.text, [f for f in families if f != "cut"], seed)
    gone: set[str] = set()
    try:
        if "cut" in families:
            kept = cut(text, random.Random(f"{seed}-cut"))
            gone = cut_away(subject.cells, extract(text, subject.filename), kept.count("\n") + 1)
            text = kept
        return case, judge(extract(text, subject.filename), subject, gone)
    except Exception as exc:  # noqa: BLE001 — a crash is reported with its case, not lost in a worker
        return case, Verdict([f"error: {type(exc).__name__}: {exc}"], 0, len(subject.cells))


def cut_away(truth: Mapping[str, object], before: Record, last_line: int) -> set[str]:
    """Truth cells a cut removed: those the uncut text prints on a line after the cut's last line. A cell on
    the cut line itself may be cut mid-number ("1234" → "12") and keeps its truth."""
    def line(cid: str) -> int:
        cell = (before.cells or {}).get(cid)
        return (cell.where.line or 0) if cell else 0
    return {cid for cid in truth if line(cid) > last_line}


def run(root: Path, todo: list[Case], workers: int = 1) -> list[tuple[Case, Verdict]]:
    """The cases in order, on `workers` processes (each reads the subjects once)."""
    if workers <= 1:
        return [run_case(root, c) for c in todo]
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(partial(run_case, root), todo, chunksize=64))


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[3]
    name, seed, *families = sys.argv[1:]
    subject = next(s for s in subjects(root) if s.name == name)
    print(mutate(subject.text, families or combination(f"{name}-{seed}"), seed))
