"""What the site shows, read back from the written data packages on disk — never from the records in memory —
so every number on a page is a number someone can download."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from nianbao.site.measures import Measure, figures


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass
class BodyYear:
    agency_id: str
    year: int
    folder: Path                      # datapackages/<id>/<year>/
    checks: list[dict[str, str]]      # checks.csv (with the cross-year checks)
    package: dict                     # datapackage.json
    source: dict[str, str]            # this report's row of reports.csv
    template: str | None = None       # kept from report.json (which is read again only for the body-year page)

    @property
    def url(self) -> str:
        return f"agencies/{self.agency_id}/{self.year}/"

    @property
    def failed(self) -> list[dict[str, str]]:
        return [c for c in self.checks if c["ok"] == "false"]

    @cached_property
    def report(self) -> dict:
        """report.json, read when needed and dropped by `release()`: 10,000 of them do not fit in memory."""
        return json.loads((self.folder / "report.json").read_text(encoding="utf-8"))

    def release(self) -> None:
        self.__dict__.pop("report", None)

    @cached_property
    def figures(self) -> list[tuple[Measure, object]]:
        """The headline measures of this report (every page and CSV that shows them reads them here)."""
        return figures(self.report["cells"])

    def figure(self, label: str):
        return next(v for m, v in self.figures if m.label == label)


@dataclass
class Body:
    id: str
    row: dict[str, str]               # agencies.csv row
    years: dict[int, BodyYear] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.row["name"]

    @property
    def url(self) -> str:
        return f"agencies/{self.id}/"


@dataclass
class Corpus:
    root: Path                        # datapackages/
    bodies: dict[str, Body]
    reports: list[dict[str, str]]     # every input document, published or not
    checks: list[dict[str, str]]      # every check of every published body-year
    dictionary: list[dict[str, str]]
    package: dict                     # the corpus datapackage.json

    @property
    def body_years(self) -> list[BodyYear]:
        return [by for b in self.bodies.values() for _, by in sorted(b.years.items())]

    @property
    def years(self) -> list[int]:
        return sorted({by.year for by in self.body_years})


def load_corpus(datapackages: Path) -> Corpus:
    all_dir = datapackages / "all"
    reports = read_csv(all_dir / "reports.csv")
    by_key = {(r["agency_id"], r["year"]): r for r in reports if r["status"] == "published"}
    bodies = {row["id"]: Body(row["id"], row) for row in read_csv(all_dir / "agencies.csv")}
    for agency_id in sorted(bodies):
        body_dir = datapackages / agency_id
        if not body_dir.is_dir():
            continue
        for year_dir in sorted(p for p in body_dir.iterdir() if p.name.isdigit()):
            year = int(year_dir.name)
            by = BodyYear(agency_id, year, year_dir, read_csv(year_dir / "checks.csv"),
                          json.loads((year_dir / "datapackage.json").read_text(encoding="utf-8")),
                          by_key.get((agency_id, year_dir.name), {}))
            by.template = by.report.get("template")
            by.figures          # computed once, kept; the report itself is let go
            by.release()
            bodies[agency_id].years[year] = by
    bodies = {k: b for k, b in bodies.items() if b.years}
    return Corpus(datapackages, bodies, reports, read_csv(all_dir / "checks.csv"),
                  read_csv(all_dir / "cell_dictionary.csv"),
                  json.loads((all_dir / "datapackage.json").read_text(encoding="utf-8")))
