"""Old agency ids keep resolving: `reports/redirects.csv` (old_id,new_id,reason) → redirect pages and file copies.

An agency-year URL is what people cite and it never moves (contract.md). When an id has to change (a region
code corrected, a sector renamed), a row in redirects.csv keeps every old URL working on a static host:

- `agencies/<old>/index.html` and `agencies/<old>/<year>/index.html` (one per year the new id has): a
  meta-refresh page with rel=canonical and a visible Chinese link — no JavaScript, not indexed by Pagefind
  (no `data-pagefind-body`) and left out of the sitemap;
- every other file of the new id's folders copied beside them, files named after the id (`<new>-2021.zip`,
  `<new>-figures.csv`) under their old names, so `agencies/<old>/<year>/<old>-<year>.zip` still downloads.

Chains (a → b, b → c) are followed to the last id. A redirect whose new id is not on the site, or whose old id
still is, stops the build: a silent broken link or a page overwritten by its own redirect is worse.
"""

from __future__ import annotations

import csv
import re
import shutil
from dataclasses import dataclass
from html import escape
from pathlib import Path

from nianbao.model import urls
from nianbao.model.ids import AGENCY_ID

FIELDS = ("old_id", "new_id", "reason")
YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Redirect:
    old_id: str
    new_id: str
    reason: str = ""


def read_redirects(path: Path) -> list[Redirect]:
    """The rows of redirects.csv (absent, empty or header only: none), chains followed to their last id."""
    if not path.is_file() or not path.read_text(encoding="utf-8-sig").strip():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ())[:3] != FIELDS:
            raise ValueError(f"{path}: the header must be {','.join(FIELDS)}, not {','.join(reader.fieldnames or ())}")
        rows = [_row(path, n, raw) for n, raw in enumerate(reader, start=2) if any((v or "").strip() for v in raw.values())]
    return _follow_chains(path, rows)


def _row(path: Path, line: int, raw: dict) -> Redirect:
    old, new = (raw.get("old_id") or "").strip(), (raw.get("new_id") or "").strip()
    for value in (old, new):
        if not AGENCY_ID.match(value):
            raise ValueError(f"{path}, line {line}: {value!r} is not an agency id like 310105-health")
    if old == new:
        raise ValueError(f"{path}, line {line}: {old} redirects to itself")
    return Redirect(old, new, (raw.get("reason") or "").strip())


def _follow_chains(path: Path, rows: list[Redirect]) -> list[Redirect]:
    target: dict[str, str] = {}
    for r in rows:
        if r.old_id in target and target[r.old_id] != r.new_id:
            raise ValueError(f"{path}: {r.old_id} redirects to both {target[r.old_id]} and {r.new_id}")
        target[r.old_id] = r.new_id
    out = []
    for r in rows:
        final, seen = r.new_id, {r.old_id}
        while final in target:
            if final in seen:
                raise ValueError(f"{path}: the redirects of {r.old_id} go round in a circle")
            seen.add(final)
            final = target[final]
        out.append(Redirect(r.old_id, final, r.reason))
    return out


def write_redirects(site: Path, redirects: list[Redirect], site_url: str) -> int:
    """Write the redirect pages and file copies into the built `site`; returns how many pages were written."""
    pages = 0
    for r in redirects:
        old, new = site / urls.body_page(r.old_id), site / urls.body_page(r.new_id)
        if not (new / "index.html").is_file():
            raise ValueError(f"redirects.csv: {r.old_id} → {r.new_id}, but the site has no agency {r.new_id}")
        if (old / "index.html").is_file():
            raise ValueError(f"redirects.csv: {r.old_id} is still an agency of the site; a redirect would replace it")
        pages += _redirect_folder(new, old, r, f"../{r.new_id}/", site_url + urls.body_page(r.new_id))
        for year in sorted(p for p in new.iterdir() if p.is_dir() and YEAR.match(p.name)):
            pages += _redirect_folder(year, old / year.name, r, f"../../{r.new_id}/{year.name}/",
                                      site_url + urls.body_year_page(r.new_id, int(year.name)))
    return pages


def _redirect_folder(source: Path, dest: Path, r: Redirect, relative: str, absolute: str) -> int:
    dest.mkdir(parents=True, exist_ok=True)
    for f in sorted(source.iterdir()):
        if f.is_file() and f.name != "index.html":
            shutil.copyfile(f, dest / _old_name(f.name, r))
    (dest / "index.html").write_text(redirect_page(r, relative, absolute), encoding="utf-8")
    return 1


def _old_name(name: str, r: Redirect) -> str:
    """`<new>-2021.zip` → `<old>-2021.zip`: the name the file had under the old id."""
    return r.old_id + name[len(r.new_id):] if name.startswith(r.new_id + "-") else name


def redirect_page(r: Redirect, relative: str, absolute: str) -> str:
    why = f"（{escape(r.reason)}）" if r.reason else ""
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="zh">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>已迁移：{escape(r.old_id)} → {escape(r.new_id)}</title>",
        f'<link rel="canonical" href="{escape(absolute)}">',
        f'<meta http-equiv="refresh" content="0; url={escape(relative)}">',
        '<meta name="robots" content="noindex">',
        "</head>",
        "<body>",
        f"<p>机关编号 {escape(r.old_id)} 已改为 {escape(r.new_id)}{why}。本页已迁移至"
        f' <a href="{escape(relative)}">{escape(absolute)}</a>，请更新链接和引用。</p>',
        "</body>",
        "</html>",
        "",
    ])


__all__ = ["Redirect", "read_redirects", "write_redirects", "redirect_page"]
