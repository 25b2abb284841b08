"""A body-year's checks: the record's own and the cross-year ones (made from it and its neighbour years)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from nianbao.model.record import Check
from nianbao.package.crossyear import cross_year_checks
from nianbao.package.resolve import BodyYear, Entry


@dataclass(frozen=True)
class CheckCounts:
    passed: int
    failed: int

    @classmethod
    def of(cls, checks: list[Check]) -> CheckCounts:
        """Checks that could not be made (ok is None) count as neither."""
        return cls(sum(c.ok is True for c in checks), sum(c.ok is False for c in checks))


class BodyYearChecks:
    """Each body-year's checks, made when asked for, so 10,000 reports' checks are never all in memory."""

    def __init__(self, published: dict[BodyYear, Entry], keys: set[BodyYear]):
        """The cross-year checks are made now for the body-years in `keys` only (the ones being written):
        unpickling every record for them took ~25 s at 10,000."""
        self.published = published
        self.extra = _cross_year(published, keys)

    def __getitem__(self, key: BodyYear) -> list[Check]:
        return [*self.published[key].record.checks, *self.extra.get(key, [])]


def _cross_year(published: dict[BodyYear, Entry], keys: set[BodyYear]) -> dict[BodyYear, list[Check]]:
    """The cross-year checks of the body-years in `keys` (each pair of consecutive years gives checks to both)."""
    out: dict[BodyYear, list[Check]] = defaultdict(list)
    pairs = sorted({pair for (agency_id, year) in keys
                    for pair in (((agency_id, year - 1), (agency_id, year)), ((agency_id, year), (agency_id, year + 1)))
                    if pair[0] in published and pair[1] in published})
    for before, after in pairs:
        for check in cross_year_checks(before[1], published[before].record.cells, after[1],
                                       published[after].record.cells):    # packed: 2 unpickles
            for key in (before, after):
                if key in keys:
                    out[key].append(check)
    return out
