"""`nianbao validate`: every data package under a folder checked with frictionless, the tool its users have.

A publisher runs it before publishing (publish.yml does); each invalid package gets one line naming its first
errors, and the corpus package must be there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nianbao.model import urls

MAX_ERRORS_SHOWN = 3


@dataclass(frozen=True)
class Verdict:
    descriptor: Path
    errors: tuple[str, ...]     # empty: valid

    @property
    def valid(self) -> bool:
        return not self.errors


def validate_packages(folder: Path) -> list[Verdict]:
    """Each `datapackage.json` under `folder`, sorted by path, validated (data against schemas, keys, files)."""
    import frictionless

    verdicts = []
    for descriptor in sorted(folder.rglob(urls.DESCRIPTOR)):
        report = frictionless.validate(str(descriptor))
        errors = tuple(f"{task.name}: {error.title}: {error.message}" for task in report.tasks
                       for error in task.errors) + tuple(f"{error.title}: {error.message}" for error in report.errors)
        verdicts.append(Verdict(descriptor, errors))
    return verdicts


def corpus_package(folder: Path) -> Path:
    return folder / urls.CORPUS_FOLDER / urls.DESCRIPTOR
