"""Cross-year checks between a body's consecutive years (N−1, N); each appears in both years' checks.csv.

* X1 (hard): requests.carried_over.<column> of N = requests.carried_forward.<column> of N−1, per column.
* X2 (soft): disclosure.<row>.in_force of N = in_force of N−1 + issued of N − repealed of N (template
  2021 rows with these columns). Soft: bodies re-count their documents in force, and a repeal may
  concern a document made before the in-force count was first published.

Cell ids carry their year in `cells` (model.ids.dated_cell: "2023:requests.carried_forward.total").
"""

from __future__ import annotations

from nianbao.checks import cannot_check, check_identity
from nianbao.model.record import Check, CellValue, Number
from nianbao.checks.evaluate import evaluate
from nianbao.model.ids import dated_cell
from nianbao.model.words import Outcome
from nianbao.templates import Identity, cell_index


def cross_year_checks(prev_year: int, prev: dict[str, CellValue], year: int, cur: dict[str, CellValue]) -> list[Check]:
    cells = {dated_cell(prev_year, k): v for k, v in prev.items()}
    cells.update({dated_cell(year, k): v for k, v in cur.items()})
    out: list[Check] = []
    index = cell_index()
    columns = [cid.rsplit(".", 1)[1] for cid in index if cid.startswith("requests.carried_over.")]
    for col in columns:
        over, fwd = f"requests.carried_over.{col}", f"requests.carried_forward.{col}"
        if over in cur and fwd in prev:
            check = check_identity(Identity("X1", f"requests.{col} {prev_year}→{year}", (dated_cell(year, over),),
                                            (dated_cell(prev_year, fwd),)), cells)
            if check is not None:
                out.append(check)
    rows = sorted({cid.split(".")[1] for cid in index if cid.startswith("disclosure.") and cid.endswith(".in_force")})
    for row in rows:
        ids = {k: f"disclosure.{row}.{k}" for k in ("in_force", "issued", "repealed")}
        if ids["in_force"] in cur and ids["in_force"] in prev and ids["issued"] in cur and ids["repealed"] in cur:
            check = _x2(row, prev_year, year, cells, ids)
            if check is not None:
                out.append(check)
    return out


def _x2(row: str, prev_year: int, year: int, cells: dict[str, CellValue], ids: dict[str, str]) -> Check | None:
    now, before = dated_cell(year, ids["in_force"]), dated_cell(prev_year, ids["in_force"])
    issued, repealed = dated_cell(year, ids["issued"]), dated_cell(year, ids["repealed"])
    involved = (now, before, issued, repealed)
    scope = f"disclosure.{row} {prev_year}→{year}"
    # in force now + repealed = in force before + issued: the one identity evaluator, with X2's own arithmetic.
    evaluation = evaluate(Identity("X2", scope, (now, repealed), (before, issued)), cells)
    if evaluation is None:
        return None
    if evaluation.outcome is Outcome.UNKNOWN:
        unknown = [k for k in involved if k in evaluation.unknown]
        return Check("X2", scope, Outcome.UNKNOWN, cannot_check(unknown, cells), "soft", involved)
    (n_now, n_repealed), (n_before, n_issued) = evaluation.left, evaluation.right
    ok = evaluation.outcome is Outcome.HELD
    return Check("X2", scope, evaluation.outcome,
                 f"{_n(n_before)} + {_n(n_issued)} − {_n(n_repealed)} {'=' if ok else '≠'} {_n(n_now)}",
                 "soft", involved)


def _n(v: Number) -> str:
    return str(v.normalize()) if hasattr(v, "normalize") else str(v)
