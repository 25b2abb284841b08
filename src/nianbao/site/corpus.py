"""What the site shows, read back from the written data packages on disk — never from the records in memory —
so every number on a page is a number someone can download."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
import pickle
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import cast

from nianbao.model import urls
from nianbao.site.measures import figures
from nianbao.templates import Measure


Figure = int | None      # a headline measure's value in one report: None when it cannot be known


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass
class BodyYear:
    """One published body-year. Its report.json, checks.csv and datapackage.json are read when a page needs
    them and let go by `release()`: at 10,000 body-years they would hold several GB."""
    agency_id: str
    year: int
    folder: Path                      # datapackages/<id>/<year>/
    source: dict[str, str]            # this report's row of reports.csv
    template: str | None = None       # kept from report.json
    tables: dict[str, str] = field(default_factory=dict)   # kept from report.json: table → version printed
    n_checks: int = 0                 # kept from checks.csv (with the cross-year checks)
    n_ok: int = 0
    n_failed: int = 0

    @property
    def url(self) -> str:
        return urls.body_year_page(self.agency_id, self.year)

    @cached_property
    def report(self) -> dict:
        # parse_float: money (万元) is written as a JSON number with its decimal digits; read it back as a Decimal,
        # never through a float.
        return json.loads((self.folder / "report.json").read_text(encoding="utf-8"), parse_float=Decimal)

    @cached_property
    def checks(self) -> list[dict[str, str]]:
        return read_csv(self.folder / "checks.csv")

    @cached_property
    def package(self) -> dict:
        return json.loads((self.folder / "datapackage.json").read_text(encoding="utf-8"))

    @property
    def failed(self) -> list[dict[str, str]]:
        return [c for c in self.checks if c["ok"] == "false"]

    def release(self) -> None:
        for name in ("report", "checks", "package"):
            self.__dict__.pop(name, None)

    @cached_property
    def figures(self) -> list[tuple[Measure, Figure]]:
        """The headline measures of this report (every page and CSV that shows them reads them here)."""
        return cast(list[tuple[Measure, Figure]], figures(self.report["cells"]))   # sums of counts (件)

    def figure(self, measure: Measure) -> Figure:
        return next(v for m, v in self.figures if m == measure)


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
        return urls.body_page(self.id)


@dataclass
class Corpus:
    root: Path                        # datapackages/
    bodies: dict[str, Body]
    reports: list[dict[str, str]]     # every input document, published or not
    failed_checks: list[dict[str, str]]   # every failed check of every published body-year
    unknown_checks: int                   # checks that could not be computed (a cell missing or unreadable)
    dictionary: list[dict[str, str]]
    package: dict                     # the corpus datapackage.json
    corrections: list[dict[str, str]] = field(default_factory=list)   # cells a person settled (corrections.csv)

    @property
    def body_years(self) -> list[BodyYear]:
        return [by for b in self.bodies.values() for _, by in sorted(b.years.items())]

    @property
    def years(self) -> list[int]:
        return sorted({by.year for by in self.body_years})

    @property
    def latest_date(self) -> str | None:
        """The latest date any report gives (published or retrieved): the site's clock."""
        dates = [d for r in self.reports for d in (r.get("published"), r.get("retrieved")) if d]
        return max(dates) if dates else None


def load_corpus(datapackages: Path, known: "Summaries | None" = None) -> Corpus:
    """The corpus as the site sees it. Per body-year only a summary is kept (template, figures, check counts,
    failed checks), read from its files — or, with `known`, taken from the summaries of earlier builds for a
    package whose fingerprint has not changed (reading 10,000 report.json files took ~35 s of a rebuild)."""
    all_dir = datapackages / urls.CORPUS_FOLDER
    reports = read_csv(all_dir / "reports.csv")
    by_key = {(r["agency_id"], r["year"]): r for r in reports if r["status"] == "published"}
    bodies = {row["id"]: Body(row["id"], row) for row in read_csv(all_dir / "agencies.csv")}
    failed: list[dict[str, str]] = []
    unknown = 0
    for agency_id in sorted(bodies):
        body_dir = datapackages / agency_id
        if not body_dir.is_dir():
            continue
        for year_dir in sorted(p for p in body_dir.iterdir() if p.name.isdigit()):
            year = int(year_dir.name)
            by = BodyYear(agency_id, year, year_dir, by_key.get((agency_id, year_dir.name), {}))
            summary = known.get(f"{agency_id}/{year}") if known is not None else None
            if summary is None:
                summary = BodyYearSummary.read(by)
                if known is not None:
                    known.put(f"{agency_id}/{year}", summary)
            summary.give_to(by)
            failed += summary.failed
            unknown += summary.n_unknown
            bodies[agency_id].years[year] = by
    bodies = {k: b for k, b in bodies.items() if b.years}
    return Corpus(datapackages, bodies, reports, failed, unknown,
                  read_csv(all_dir / urls.CELL_DICTIONARY),
                  json.loads((all_dir / "datapackage.json").read_text(encoding="utf-8")),
                  read_csv(all_dir / "corrections.csv") if (all_dir / "corrections.csv").is_file() else [])


@dataclass(frozen=True)
class BodyYearSummary:
    """What the index pages need of a body-year, kept between builds (see Summaries)."""
    template: str | None
    tables: dict[str, str]                # table → version printed (names the table's published schema)
    figures: list[tuple[Measure, Figure]]
    n_checks: int
    n_ok: int
    failed: list[dict[str, str]]          # its failed checks (checks.csv rows)
    n_unknown: int                        # its checks that could not be computed

    def give_to(self, by: BodyYear) -> None:
        by.template, by.n_checks, by.n_ok, by.n_failed = self.template, self.n_checks, self.n_ok, len(self.failed)
        by.tables = self.tables
        by.__dict__["figures"] = self.figures

    @classmethod
    def read(cls, by: BodyYear) -> BodyYearSummary:
        """The summary of a body-year, read from its report.json and checks.csv."""
        try:
            checks = by.checks
            return cls(by.report.get("template"), dict(by.report.get("tables") or {}), by.figures, len(checks), sum(c["ok"] == "true" for c in checks),
                       by.failed, sum(c["ok"] == "" for c in checks))
        finally:
            by.release()


class Summaries:
    """Body-year summaries kept between builds under build/cache/, keyed by the package's fingerprint (which
    determines every byte of the package) and the site code's version (which determines the summary)."""

    def __init__(self, folder: Path, fingerprints: dict[str, str]):
        from nianbao.model.version import code_version
        self.path = folder / f"site-summaries-{code_version('site')}.pickle"
        self.fingerprints = fingerprints
        self.old: dict[str, BodyYearSummary] = {}
        self.new: dict[str, BodyYearSummary] = {}
        try:
            self.old = pickle.loads(self.path.read_bytes())   # our own file, in our own build folder
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            pass

    def get(self, key: str) -> BodyYearSummary | None:
        fingerprint = self.fingerprints.get(key)
        found = self.old.get(fingerprint) if fingerprint else None
        if fingerprint is None or not isinstance(found, BodyYearSummary):
            return None
        self.new[fingerprint] = found
        return found

    def put(self, key: str, summary: BodyYearSummary) -> None:
        if key in self.fingerprints:
            self.new[self.fingerprints[key]] = summary

    def save(self) -> None:
        """Only this build's summaries are kept, so the file does not grow with every change."""
        from nianbao.files import write_atomically
        write_atomically(self.path, pickle.dumps(self.new, protocol=pickle.HIGHEST_PROTOCOL))
        for stale in self.path.parent.glob("site-summaries-*.pickle"):
            if stale != self.path:
                stale.unlink(missing_ok=True)
