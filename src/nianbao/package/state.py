"""What an incremental build keeps of the live packages, and the rule for reusing one: a body-year whose
fingerprint did not change is hard-linked from the live packages instead of being written again."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from nianbao.files import link_trees
from nianbao.model import urls
from nianbao.model.record import PackedRecord
from nianbao.model.version import code_version
from nianbao.package.resolve import BodyYear, Entry
from nianbao.package.yearchecks import CheckCounts


def package_code_version() -> str:
    """Changes whenever the packaging code or the templates change (then every package is written anew)."""
    return code_version("package", "templates", "model")


@dataclass(frozen=True)
class PackageState:
    """A live body-year package: the fingerprint of its inputs and its check counts (for the corpus tables)."""

    fingerprint: str
    checks: CheckCounts

    def to_json(self) -> dict[str, object]:
        return {"fingerprint": self.fingerprint, "passed": self.checks.passed, "failed": self.checks.failed}

    @classmethod
    def from_json(cls, data: object) -> PackageState | None:
        """None for anything else than what `to_json` writes (an older build's state: the package is written anew)."""
        if not isinstance(data, dict):
            return None
        fingerprint, passed, failed = data.get("fingerprint"), data.get("passed"), data.get("failed")
        if not isinstance(fingerprint, str) or not isinstance(passed, int) or not isinstance(failed, int):
            return None
        return cls(fingerprint, CheckCounts(passed, failed))


def read_states(data: dict[str, object]) -> dict[str, PackageState]:
    """The state as kept on disk (JSON) → per "<agency id>/<year>", the live package's state."""
    states = {name: PackageState.from_json(value) for name, value in data.items()}
    return {name: state for name, state in states.items() if state is not None}


def states_json(states: dict[str, PackageState]) -> dict[str, object]:
    return {name: state.to_json() for name, state in states.items()}


def folder_name(key: BodyYear) -> str:
    return f"{key[0]}/{key[1]}"


class Reuse:
    """Decides, per body-year, whether the live package can be linked instead of written; links them in bulk."""

    def __init__(self, previous: Path, known: dict[str, PackageState]):
        self.previous, self.known = previous, known
        self.state: dict[str, PackageState] = {}
        self.written = 0
        self._links: list[BodyYear] = []

    def take(self, key: BodyYear, fingerprint: str) -> CheckCounts | None:
        """The live package's check counts if it can be reused as it is; None if it must be written."""
        name = folder_name(key)
        was = self.known.get(name)
        if (was is None or was.fingerprint != fingerprint
                or not (self.previous / name / urls.DESCRIPTOR).is_file()):
            self.written += 1
            return None
        self.state[name] = was
        self._links.append(key)
        return was.checks

    def wrote(self, key: BodyYear, fingerprint: str, counts: CheckCounts) -> None:
        self.state[folder_name(key)] = PackageState(fingerprint, counts)

    def link(self, root: Path) -> None:
        """Hard-link the reused body-year folders from the live packages into `root`: a body's whole folder
        where all its years are reused (the common case), else year by year."""
        years: dict[str, set[str]] = defaultdict(set)
        for agency_id, year in self._links:
            years[agency_id].add(str(year))
        pairs = []
        for agency_id, reused in sorted(years.items()):
            live = self.previous / agency_id
            if reused == {p.name for p in live.iterdir()}:
                pairs.append((live, root / agency_id))
            else:
                pairs += [(live / y, root / agency_id / y) for y in sorted(reused)]
        link_trees(pairs)


def fingerprint(published: dict[BodyYear, Entry], digests: dict[BodyYear, str], key: BodyYear,
                agency_row: list, site: urls.SiteUrls) -> str:
    """The record (its own checks included), its neighbour years' records (the cross-year checks are made from
    both) and what the package adds to it (the site's URL and name are in its citation). `digests` holds each published
    record's digest."""
    e = published[key]
    neighbours = [digests.get(k) for k in ((key[0], key[1] - 1), (key[0], key[1] + 1))]
    payload = [digests[key], neighbours, e.agency.to_json(), e.year, e.file, e.status, e.notes,
               {k: v for k, v in vars(e.manifest).items() if k != "problems"}, agency_row, package_code_version(),
               site.base, site.name]
    return _sha256_json(payload)


def record_digest(e: Entry) -> str:
    if isinstance(e.record, PackedRecord):
        return hashlib.sha256(e.record.data).hexdigest()
    return _sha256_json(e.record.to_json())


def _sha256_json(data: object) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
