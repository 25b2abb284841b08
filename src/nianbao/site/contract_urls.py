"""The URLs contract.md promises, checked on a built site: for a body-year its page, its body's page, its
`datapackage.json`, every resource the descriptor lists and every schema it names by URL (published once under
/data/schemas/), and its zip holding all of them plus a README and the citation; for the corpus
`/data/datapackage.json`, its resources and the corpus zip.

A static host serves `path/` as `path/index.html`; a URL "resolves" when that file is in the site folder.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from nianbao.model import urls

ZIP_EXTRAS = ("README.md", "CITATION.txt")     # what the zip holds besides the package's files


def resolves(site: Path, path: str) -> bool:
    target = site / path.lstrip("/")
    return (target / "index.html").is_file() if path.endswith("/") else target.is_file()


def descriptor_paths(descriptor: Path) -> list[str]:
    """The local files a descriptor lists (resources given by URL live elsewhere)."""
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    paths = [r["path"] for r in data.get("resources", []) if isinstance(r.get("path"), str)]
    return [p for p in paths if "://" not in p]


def schema_paths(descriptor: Path) -> list[str]:
    """The site paths (from the root) of the schemas a descriptor names by URL: the part from /data/schemas/ on,
    whatever the site's address (a URL elsewhere is given whole, and resolves nowhere on the site)."""
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    marker = "/" + urls.corpus_file(urls.TABLE_SCHEMAS)
    named = [r["schema"] for r in data.get("resources", []) if isinstance(r.get("schema"), str)]
    return [marker + name.rsplit(marker, 1)[1] if marker in name else name for name in named]


def body_year_problems(site: Path, agency_id: str, year: int) -> list[str]:
    """What of a body-year's contract URLs does not resolve, or is missing from its zip (empty: all there)."""
    folder = "/" + urls.body_year_page(agency_id, year)
    problems = [p for p in ("/" + urls.body_page(agency_id), folder, folder + urls.DESCRIPTOR,
                            folder + urls.package_zip(agency_id, year)) if not resolves(site, p)]
    if problems:
        return problems
    files = descriptor_paths(site / folder.lstrip("/") / urls.DESCRIPTOR)
    problems = [folder + f for f in files if not resolves(site, folder + f)]
    problems += [p for p in schema_paths(site / folder.lstrip("/") / urls.DESCRIPTOR) if not resolves(site, p)]
    if not any(f.endswith(".xlsx") for f in files) or not any(f.endswith(".json") for f in files):
        problems.append(folder + urls.DESCRIPTOR + " lists no XLSX or no JSON resource")
    with zipfile.ZipFile(site / folder.lstrip("/") / urls.package_zip(agency_id, year)) as zf:
        held = set(zf.namelist())
    problems += [f"{folder}{urls.package_zip(agency_id, year)} lacks {name}"
                 for name in [*files, urls.DESCRIPTOR, *ZIP_EXTRAS] if name not in held]
    return problems


def corpus_problems(site: Path) -> list[str]:
    """What of the corpus's contract URLs does not resolve (empty: all there)."""
    descriptor = "/" + urls.corpus_file(urls.DESCRIPTOR)
    wanted = [descriptor, "/" + urls.corpus_file(urls.CORPUS_ZIP)]
    if resolves(site, descriptor):
        wanted += ["/" + urls.corpus_file(f) for f in descriptor_paths(site / urls.corpus_file(urls.DESCRIPTOR))]
    return [p for p in wanted if not resolves(site, p)]


def sample_body_years(site: Path, count: int) -> list[tuple[str, int]]:
    """Up to `count` body-years of the site, spread evenly over them in sorted order (the same on every run)."""
    agencies = site / urls.AGENCIES
    if not agencies.is_dir():
        return []
    every = sorted((body.name, int(year.name)) for body in agencies.iterdir() if body.is_dir()
                   for year in body.iterdir() if year.is_dir() and year.name.isdigit())
    step = max(1, len(every) // count) if count else len(every) + 1
    return every[::step][:count]


def contract_problems(site: Path, sample: int = 50) -> list[str]:
    """Every contract URL form checked on `sample` body-years and on the corpus: what is missing."""
    problems = corpus_problems(site)
    for agency_id, year in sample_body_years(site, sample):
        problems += body_year_problems(site, agency_id, year)
    return problems
