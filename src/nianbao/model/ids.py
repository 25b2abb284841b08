"""The agency id, defined once: `<region code>-<sector>` (contract: 6-digit 行政区划代码, or the 9-digit 乡级 code of a
township body), e.g. 310105-health, 430424106-gov. Used by the manifest, the package schemas, the redirects and
identification alike. Also the dated cell id, defined once: a cross-year check names the cells of two reports by
year in checks.csv, e.g. 2023:requests.carried_forward.total."""

from __future__ import annotations

import re

AGENCY_ID_PATTERN = r"(\d{6}|\d{9})-([a-z][a-z0-9_-]*)"
AGENCY_ID = re.compile(f"^{AGENCY_ID_PATTERN}$")

YEAR_SEP = ":"


def dated_cell(year: int, cell_id: str) -> str:
    """A cell of one year's report, as cross-year checks name it: 2023:requests.carried_forward.total."""
    return f"{year}{YEAR_SEP}{cell_id}"


def undated_cell(cell: str) -> tuple[int | None, str]:
    """(year, cell id) of a dated cell; (None, cell id) of a plain one."""
    year, sep, cell_id = cell.partition(YEAR_SEP)
    return (int(year), cell_id) if sep else (None, cell)
