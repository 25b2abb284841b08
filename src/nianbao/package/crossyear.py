"""Cross-year checks between a body's consecutive years (N−1, N); each appears in both years' checks.csv.

* X1 (hard): requests.carried_over.<column> of N = requests.carried_forward.<column> of N−1, per column.
* X2 (soft): disclosure.<row>.in_force of N = in_force of N−1 + issued of N − repealed of N (template
  2021 rows with these columns). Soft: bodies re-count their documents in force, and a repeal may
  concern a document made before the in-force count was first published.

Cell ids are prefixed with their year ("2023:requests.carried_forward.total") in `cells`.
"""

from __future__ import annotations

from nianbao.checks import check_identity
from nianbao.model.record import Check, CellValue
from nianbao.templates import Identity, cell_index

_SEP = ":"


def cross_year_checks(prev_year: int, prev: dict[str, CellValue], year: int, cur: dict[str, CellValue]) -> list[Check]:
    cells = {f"{prev_year}{_SEP}{k}": v for k, v in prev.items()}
    cells.update({f"{year}{_SEP}{k}": v for k, v in cur.items()})
    p, c = f"{prev_year}{_SEP}", f"{year}{_SEP}"
    out: list[Check] = []
    index = cell_index()
    columns = [cid.rsplit(".", 1)[1] for cid in index if cid.startswith("requests.carried_over.")]
    for col in columns:
        over, fwd = f"requests.carried_over.{col}", f"requests.carried_forward.{col}"
        if over in cur and fwd in prev:
            check = check_identity(Identity("X1", f"requests.{col} {prev_year}→{year}", (c + over,), (p + fwd,)), cells)
            if check is not None:
                out.append(check)
    rows = sorted({cid.split(".")[1] for cid in index if cid.startswith("disclosure.") and cid.endswith(".in_force")})
    for row in rows:
        ids = {k: f"disclosure.{row}.{k}" for k in ("in_force", "issued", "repealed")}
        if ids["in_force"] in cur and ids["in_force"] in prev and ids["issued"] in cur and ids["repealed"] in cur:
            check = _x2(row, prev_year, year, cells, p, c, ids)
            if check is not None:
                out.append(check)
    return out


def _x2(row, prev_year, year, cells, p, c, ids) -> Check | None:
    involved = (c + ids["in_force"], p + ids["in_force"], c + ids["issued"], c + ids["repealed"])
    values = [cells.get(k) for k in involved]
    scope = f"disclosure.{row} {prev_year}→{year}"
    if all(v is None or v.status == "missing" for v in values):
        return None
    bad = [k for k, v in zip(involved, values) if v is None or v.status in ("missing", "unreadable")]
    if bad:
        return Check("X2", scope, None, "cannot check: " + ", ".join(f"{k} is {cells[k].status if k in cells else 'missing'}" for k in bad),
                     "soft", involved)
    now, before, issued, repealed = (v.as_number for v in values)
    expected = before + issued - repealed
    ok = now == expected
    return Check("X2", scope, ok, f"{_n(before)} + {_n(issued)} − {_n(repealed)} {'=' if ok else '≠'} {_n(now)}",
                 "soft", involved)


def _n(v) -> str:
    return str(v.normalize()) if hasattr(v, "normalize") else str(v)
