"""`nianbao validate`: every data package under a folder checked with frictionless, the tool its users have.

A publisher runs it before publishing (publish.yml does); each invalid package gets one line naming its first
errors, and the corpus package must be there. The packages are validated in one pool of processes (frictionless
objects do not cross processes, so each worker is handed a descriptor's path and hands back plain strings).
With a state file, a package whose bytes are those of a package found valid before, by the same frictionless
version, is not validated again: a rebuild that changed one report checks that report's package and the
corpus package, not ten thousand.
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from nianbao.model import urls

MAX_ERRORS_SHOWN = 3
STATE_VERSION = 1


@dataclass(frozen=True)
class Verdict:
    descriptor: Path
    errors: tuple[str, ...]     # empty: valid

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Validation:
    verdicts: tuple[Verdict, ...]   # the packages validated this time, sorted by path
    unchanged: tuple[Path, ...]     # skipped: the same bytes were found valid before

    @property
    def invalid(self) -> int:
        return sum(not v.valid for v in self.verdicts)

    def line(self) -> str:
        return (f"{len(self.verdicts)} packages checked, {len(self.unchanged)} skipped as unchanged since they were "
                f"last found valid, {self.invalid} invalid")


def validate_one(descriptor: Path) -> Verdict:
    """One package, data against schemas, keys and files (run in a worker process)."""
    import frictionless

    report = frictionless.validate(str(descriptor))
    errors = tuple(f"{task.name}: {error.title}: {error.message}" for task in report.tasks
                   for error in task.errors) + tuple(f"{error.title}: {error.message}" for error in report.errors)
    return Verdict(descriptor, errors)


def validator_version() -> str:
    from importlib.metadata import version

    return f"frictionless {version('frictionless')}"


def referenced_files(descriptor: Path) -> list[Path]:
    """The descriptor and every local file it names (resources' data, and schemas or dialects given by path):
    what frictionless reads, so what decides whether a package changed. A name given by URL stays in the
    descriptor's bytes; an unreadable descriptor is its own bytes only (frictionless then says what is wrong)."""
    try:
        data = json.loads(descriptor.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [descriptor]
    names: list[object] = []
    for resource in data.get("resources", []) if isinstance(data, dict) else []:
        if not isinstance(resource, dict):
            continue
        path = resource.get("path")
        names += path if isinstance(path, list) else [path]
        names += [resource.get("schema"), resource.get("dialect")]
    local = sorted({n for n in names if isinstance(n, str) and "://" not in n})
    return [descriptor] + [descriptor.parent / name for name in local]


def package_digest(descriptor: Path) -> str:
    digest = hashlib.sha256()
    for path in referenced_files(descriptor):
        digest.update(os.path.relpath(path, descriptor.parent).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"missing")
    return digest.hexdigest()


def read_state(state: Path) -> dict[str, str]:
    """Per descriptor (relative to the folder validated), the digest it had when found valid; nothing for a
    missing or unreadable file, or one written with another frictionless version."""
    try:
        data = json.loads(state.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if (not isinstance(data, dict) or data.get("version") != STATE_VERSION
            or data.get("validator") != validator_version() or not isinstance(data.get("valid"), dict)):
        return {}
    return {k: v for k, v in data["valid"].items() if isinstance(v, str)}


def write_state(state: Path, valid: dict[str, str]) -> None:
    state.parent.mkdir(parents=True, exist_ok=True)
    data = {"version": STATE_VERSION, "validator": validator_version(), "valid": dict(sorted(valid.items()))}
    state.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")


def validate_all(descriptors: list[Path], workers: int) -> list[Verdict]:
    """Each descriptor validated; in this process for one worker, else in a pool, largest packages first so the
    corpus package does not start last."""
    if workers <= 1 or len(descriptors) <= 1:
        return [validate_one(d) for d in descriptors]
    biggest_first = sorted(descriptors, key=lambda d: -sum(p.stat().st_size for p in referenced_files(d)
                                                           if p.is_file()))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        verdicts = dict(zip(biggest_first, pool.map(validate_one, biggest_first)))
    return [verdicts[d] for d in descriptors]


def validate_packages(folder: Path, state: Path | None = None, everything: bool = False,
                      workers: int | None = None) -> Validation:
    """Each `datapackage.json` under `folder`, sorted by path, validated unless `state` shows the same bytes
    were found valid (all of them when `everything`); `state` is then rewritten with the valid ones."""
    descriptors = sorted(folder.rglob(urls.DESCRIPTOR))
    known = read_state(state) if state is not None and not everything else {}
    digests = {d: package_digest(d) for d in descriptors} if state is not None else {}
    name = {d: d.relative_to(folder).as_posix() for d in descriptors}
    todo = [d for d in descriptors if known.get(name[d]) != digests.get(d)] if known else descriptors
    verdicts = validate_all(todo, workers if workers is not None else os.cpu_count() or 1)
    if state is not None:
        invalid = {v.descriptor for v in verdicts if not v.valid}
        write_state(state, {name[d]: digests[d] for d in descriptors if d not in invalid})
    checked = set(todo)
    return Validation(tuple(verdicts), tuple(d for d in descriptors if d not in checked))


def corpus_package(folder: Path) -> Path:
    return folder / urls.CORPUS_FOLDER / urls.DESCRIPTOR
