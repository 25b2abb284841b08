"""The site's URL scheme in one place: where each page and download lives, relative to the site root, and
absolute given the site's base URL.

The packages link to their page (descriptor, citation) and the pages to the packages' files by these rules;
a body-year's page and its package share one folder, `agencies/<agency id>/<year>/`, whose URL never changes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

SITE_URL_VARIABLE = "NIANBAO_SITE_URL"
DEFAULT_SITE_URL = "http://127.0.0.1:8000/"   # the local preview server (`nianbao serve`)
# The site's name when mkdocs.yml gives none (site/mkdocs_build.py fills it in): the pages' title, the header
# bar and the citations' publisher (model/citation.py) all read the configured name.
DEFAULT_SITE_NAME = "年报 Nianbao"

CORPUS = "data/"                 # the corpus package (datapackages/all/ on disk)
CORPUS_FOLDER = "all"            # its folder beside the body folders in datapackages/
CORPUS_ZIP = "nianbao-all.zip"
DOWNLOADS = "downloads/"
DESCRIPTOR = "datapackage.json"
SOURCE_COPY_STEM = "source"         # the hosted copy of a source document: source.<ext> beside its page
CELL_DICTIONARY = "cell_dictionary.csv"   # published once, in the corpus package (issue 18)
TABLE_SCHEMAS = "schemas/"       # the body-year packages' Table Schemas, published once beside the corpus (issue 18)

# The site's pages about the whole corpus (the site's own; the packages never link to them).
HOME = ""
AGENCIES = "agencies/"
COMPARE = "compare/"
QUALITY = "quality/"
COVERAGE = "coverage/"
COVERAGE_CSV = "coverage.csv"          # beside the coverage page
DICTIONARY = "dictionary/"
SEARCH = "search/"


def site_url() -> str:
    """The site's base URL: $NIANBAO_SITE_URL, else the local preview server's; always ending in '/'."""
    return (os.environ.get(SITE_URL_VARIABLE) or DEFAULT_SITE_URL).rstrip("/") + "/"


def normalised_site_url(configured: str | None) -> str:
    """The address mkdocs.yml gives (`site_url`), else the one `site_url()` finds; always ending in '/'."""
    return configured.rstrip("/") + "/" if configured else site_url()


def body_page(agency_id: str) -> str:
    return f"{AGENCIES}{agency_id}/"


def body_year_page(agency_id: str, year: int) -> str:
    """The body-year's page, and the folder of its package's files."""
    return f"{body_page(agency_id)}{year}/"


def region_page(code: str) -> str:
    return f"regions/{code}/"


def compare_page(year: int) -> str:
    return f"{COMPARE}{year}/"


def compare_csv(year: int) -> str:
    """The compare page's data: a file name in its folder."""
    return f"compare-{year}.csv"


def compare_schema(year: int) -> str:
    """The Table Schema of the compare page's data (its columns in Chinese): a file name in its folder."""
    return f"compare-{year}.schema.json"


def corpus_file(name: str) -> str:
    """A file of the corpus package (or one the site puts beside it), relative to the site root."""
    return f"{CORPUS}{name}"


def table_schema(resource: str, versions: Mapping[str, str]) -> str:
    """Where the Table Schema of a body-year package's `resource` is published, relative to the corpus folder
    (`datapackages/all/`, served as /data/): a table as printed by its version (`versions`, the record's
    `tables`: table → version, since 2019 and 2021 print 表二 differently), any other table by its name."""
    return f"{TABLE_SCHEMAS}{versions.get(resource, resource)}.json"


def package_zip(agency_id: str, year: int) -> str:
    """The body-year package's zip: a file name in the body-year folder."""
    return f"{agency_id}-{year}.zip"


def package_workbook(agency_id: str, year: int) -> str:
    """The body-year package's XLSX: a file name in the body-year folder."""
    return f"{agency_id}-{year}.xlsx"


def body_figures(agency_id: str) -> str:
    """The body's headline figures, every year: a file name in the body's folder."""
    return f"{agency_id}-figures.csv"


@dataclass(frozen=True)
class SiteUrls:
    """Absolute URLs on one site, and the site's name (its citations' publisher)."""

    base: str                    # ends in '/'
    name: str = DEFAULT_SITE_NAME

    @classmethod
    def from_environment(cls) -> SiteUrls:
        return cls(site_url())

    def absolute(self, path: str) -> str:
        """`path` relative to the site root (as the functions above give it) → an absolute URL."""
        return self.base + path
