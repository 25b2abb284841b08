"""The site's weight against its host's limit: how big a built site is, what is biggest, and whether the host
takes it — said after every build, before any deploy.

GitHub Pages' limit ("published sites may be no larger than 1 GB") is checked on what GitHub measures: the
uploaded artifact, i.e. the tar of the site folder deflated at level 6 (`nianbao.site.artifact`, with the
sources: actions/upload-pages-artifact#71, actions/deploy-pages#164), not the folder on disk. The HTML, CSV and
JSON of a site deflate to a fifth or less, its zips, PDFs and XLSX not at all: 1,000 synthetic reports make 429 MB
on disk and a 125 MB artifact. The disk size is printed beside it (a bucket holds the disk size).

The limit is one setting, `NIANBAO_SITE_BUDGET` (or `nianbao build --site-budget`): a size such as `1GB`,
`500MB`, or `none` for a host without one (a bucket; the artifact is then not measured). Sizes are decimal
(1 GB = 10⁹ bytes), as hosts state them.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from nianbao.model import urls
from nianbao.model.urls import SOURCE_COPY_STEM
from nianbao.site.settings import SOURCE_COPIES_KEY

BUDGET_VARIABLE = "NIANBAO_SITE_BUDGET"
DEFAULT_BUDGET = "1GB"             # GitHub Pages: "published sites may be no larger than 1 GB"
HELP_PAGE = "docs/performance.md"  # what to do when the site outgrows its host
UNITS = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12}
UNLIMITED = ("none", "0", "unlimited")
NEAR_SHARE = 0.8                   # past this share of the budget the build warns


class BudgetError(ValueError):
    """A budget setting that is not a size."""


def parse_budget(text: str) -> int | None:
    """`1GB`, `750 MB`, `1.5GB`, `123456` (bytes) → bytes; `none` → None (no limit)."""
    spoken = text.strip().upper().replace(" ", "")
    if spoken.lower() in UNLIMITED:
        return None
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([KMGT]?B?)", spoken)
    if not match or match.group(2) not in UNITS:
        raise BudgetError(f"{BUDGET_VARIABLE} must be a size such as 1GB or 500MB, or none; got {text!r}")
    return int(float(match.group(1)) * UNITS[match.group(2)])


def human(size: float) -> str:
    """Bytes in the host's decimal units: 1.02 GB, 498 MB, 12.3 kB."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            value = size / scale
            return f"{value:.2f} {unit}" if value < 10 else f"{value:.0f} {unit}" if value >= 100 else f"{value:.1f} {unit}"
    return f"{size:.0f} B"


# --- what a file is --------------------------------------------------------------------------------------

class Area(Enum):
    BODY_YEAR = "body-year"        # agencies/<id>/<year>/…: the page and its package's files
    BODY = "body"                  # agencies/<id>/…: the body's page and figures
    CORPUS = "corpus"              # data/…: the whole corpus's downloads
    SITE = "site"                  # everything else: corpus pages, search index, theme


@dataclass(frozen=True)
class Kind:
    area: Area
    name: str                      # the file's name with the body's id and year as <id> and <year>

    def label(self) -> str:
        return f"{self.area.value} {'page' if self.name == PAGE else self.name}"


PAGE = "index.html"
_DATED_NAME = re.compile(r"^(?P<id>[0-9]{6,9}-[a-z0-9-]+?)-(?P<year>[0-9]{4})(?P<rest>\..+)$")
_BODY_NAME = re.compile(r"^(?P<id>[0-9]{6,9}-[a-z0-9-]+?)(?P<rest>-[a-z]+\..+)$")


def kind_of(path: str) -> Kind:
    """The kind of a file of the site, from its path relative to the site root (one rule for the guard's
    "biggest kinds" and the benchmark's bytes-per-body-year table)."""
    parts = path.split("/")
    agencies = urls.AGENCIES.rstrip("/")
    if parts[0] == agencies and len(parts) == 4 and parts[2].isdigit():
        dated = _DATED_NAME.match(parts[3])
        return Kind(Area.BODY_YEAR, f"<id>-<year>{dated.group('rest')}" if dated else parts[3])
    if parts[0] == agencies and len(parts) == 3:
        named = _BODY_NAME.match(parts[2])
        return Kind(Area.BODY, f"<id>{named.group('rest')}" if named else parts[2])
    if parts[0] == urls.CORPUS.rstrip("/") and len(parts) == 2:
        return Kind(Area.CORPUS, parts[1])
    if len(parts) == 1:
        return Kind(Area.SITE, parts[0])
    return Kind(Area.SITE, f"{parts[0]}/")


# --- a built site's weight -------------------------------------------------------------------------------

@dataclass
class SiteSize:
    total: int = 0
    files: int = 0
    by_kind: Counter[Kind] = field(default_factory=Counter)
    by_folder: Counter[str] = field(default_factory=Counter)     # top-level folder (or file) → bytes
    body_years: int = 0

    def per_body_year(self) -> float:
        return self.total / self.body_years if self.body_years else 0.0


def measure(site: Path) -> SiteSize:
    """Every file's bytes under `site`, by kind and by top-level folder; body-years counted by their pages."""
    size = SiteSize()
    for rel, n in _files(site):
        kind = kind_of(rel)
        size.total += n
        size.files += 1
        size.by_kind[kind] += n
        size.by_folder[rel.split("/", 1)[0] + ("/" if "/" in rel else "")] += n
        if kind == Kind(Area.BODY_YEAR, PAGE):
            size.body_years += 1
    return size


def _files(site: Path) -> Iterator[tuple[str, int]]:
    """(path relative to `site`, bytes) of every regular file (symbolic links not followed); os.scandir's
    cached file types keep the ~200,000 files of a 10,000-report site to a few seconds."""
    stack = [("", site)]
    while stack:
        prefix, folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((prefix + entry.name + "/", Path(entry.path)))
                elif entry.is_file(follow_symlinks=False):
                    yield prefix + entry.name, entry.stat(follow_symlinks=False).st_size


@dataclass(frozen=True)
class Verdict:
    size: SiteSize                 # on disk
    artifact: int | None           # bytes of the Pages artifact (deflated tar); None: not measured (no budget)
    budget: int | None             # bytes, for the artifact; None: the host sets no limit

    @property
    def measured(self) -> int:
        """What the budget applies to: the artifact when measured, else the disk size."""
        return self.size.total if self.artifact is None else self.artifact

    @property
    def over(self) -> bool:
        return self.budget is not None and self.measured > self.budget

    @property
    def near(self) -> bool:
        """Within the budget but past NEAR_SHARE of it."""
        return self.budget is not None and not self.over and self.measured > NEAR_SHARE * self.budget

    def lines(self, top: int = 5) -> list[str]:
        """What the build prints: the size line, the biggest kinds and folders, and (over budget) what to do."""
        s = self.size
        limit = (f"budget {human(self.budget)} for the artifact, {100 * self.measured / self.budget:.0f}% used"
                 if self.budget else "no budget")
        per = f"; {human(s.per_body_year())} per body-year on disk" if s.body_years else ""
        out = [f"site size: {self._sizes()} in {s.files:,} files ({limit}{per})"]
        out.append("  biggest kinds on disk: " + ", ".join(f"{k.label()} {human(n)}" for k, n in _top(s.by_kind, top)))
        out.append("  biggest folders on disk: " + ", ".join(f"{name} {human(n)}" for name, n in _top(s.by_folder, top)))
        if self.near:
            out.append(f"  near the budget: the next reports may not fit; see {HELP_PAGE} before they are added")
        if self.over:
            out.append(f"  what to do: publish to a bucket (S3-compatible: see the README's Publishing section and "
                       f"{HELP_PAGE}); or host no source copies ({self._copies()} now; mkdocs.yml extra: "
                       f"{SOURCE_COPIES_KEY}: false — each page still names the original's address and SHA-256); "
                       f"or, for a host that takes more, set {BUDGET_VARIABLE} (e.g. 5GB or none)")
        return out

    def refusal(self) -> str:
        """One sentence: why the site is not fit to deploy, with the figures."""
        return (f"refused: the site is {self._sizes()}, over its host's budget of "
                f"{human(self.budget or 0)} ({BUDGET_VARIABLE}); a deploy would fail at the host")

    def _copies(self) -> str:
        copies = sum(n for kind, n in self.size.by_kind.items() if kind.area is Area.BODY_YEAR
                     and kind.name.startswith(SOURCE_COPY_STEM))
        return f"{human(copies)} on disk"

    def _sizes(self) -> str:
        disk = f"{human(self.size.total)} on disk"
        return disk if self.artifact is None else f"{human(self.artifact)} as a Pages artifact ({disk})"


def _top(counts: Counter, n: int) -> list[tuple]:
    """The n largest, ties by name: the same site prints the same lines."""
    return sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))[:n]
