"""What the generated pages need of any MkDocs configuration, whatever the publisher's mkdocs.yml says.

mkdocs.yml holds the choices people make (name, address, colours, logo, menu, their own pages). The plugin adds,
in `on_config`, what the pages about reports cannot do without: the Markdown extensions they are written in, the
theme's templates and assets of this package, no web fonts, a pruned menu and quiet link checks. A setting the
publisher chose is kept unless it breaks the site; then it is changed and the log says so.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from mkdocs.exceptions import ConfigurationError

HERE = Path(__file__).resolve().parent
OVERRIDES = HERE / "overrides"
SOURCE_COPIES_KEY = "nianbao_source_copies"   # mkdocs.yml extra: host a copy of each source beside its page
SEARCH_SPLIT_KEY = "nianbao_search_split_pages"   # mkdocs.yml extra: past this many searchable pages, split search
# Measured: at 1,158 searchable pages one search fetched ≤146 kB (gzip; ~93 kB of it Pagefind's code and
# metadata, the rest posting lists, which grow with the pages) and Pagefind's run was small; at 11,475 pages
# the run took 1.79 GB and a common phrase ~1.4 MB. Growing in line, the 300 kB budget is met up to ~4,500
# pages and 2 GB far beyond; 2,000 keeps twice the margin for the most common characters' lists.
SEARCH_SPLIT_PAGES = 2000
ASSETS = "assets/nianbao/"          # the folder the plugin writes site.css, tables.js, search.js into
STYLESHEETS = [ASSETS + "site.css"]
SCRIPTS = [ASSETS + "tables.js"]
MARKDOWN = {"attr_list": {}, "md_in_html": {}, "admonition": {}, "tables": {}, "toc": {"permalink": False}}
# The menu when mkdocs.yml has none: mkdocs would otherwise list every page of every body.
DEFAULT_NAV = [("首页", "index.md"), ("机关", "agencies/index.md"), ("对比", "compare/index.md"),
               ("数据质量", "quality/index.md"), ("收录情况", "coverage/index.md"), ("数据字典", "dictionary/index.md"), ("下载", "downloads/index.md"),
               ("搜索", "search/index.md")]

log = logging.getLogger("mkdocs.plugins.nianbao")


def apply(config: Any, synthetic: bool) -> None:
    """Complete `config` (a loaded MkDocsConfig) in place for the generated pages."""
    _theme(config.theme)
    _markdown(config)
    for name in STYLESHEETS:
        if name not in config.extra_css:
            config.extra_css.append(name)
    for name in SCRIPTS:
        if name not in [str(script) for script in config.extra_javascript]:
            config.extra_javascript.append(name)
    # Pages link to the data files beside them (CSV, XLSX, zip), which mkdocs does not know: thousands of
    # warnings that say nothing. Links between generated pages are checked by the site's tests instead.
    links = config.validation.links
    links.not_found = links.unrecognized_links = links.anchors = logging.DEBUG
    config.extra["nianbao_synthetic"] = synthetic
    if config.nav is None:
        config.nav = [{title: path} for title, path in DEFAULT_NAV]


def _theme(theme: Any) -> None:
    if theme.name != "material":
        raise ValueError(f"the nianbao pages are made for mkdocs-material; mkdocs.yml names the theme {theme.name!r}")
    # After the publisher's own custom_dir (if any), before Material's templates: ours extend Material's.
    position = 1 if theme.get("custom_dir") else 0
    if str(OVERRIDES) not in theme.dirs:
        theme.dirs.insert(position, str(OVERRIDES))
    if theme.get("font") is not False:
        log.warning("theme.font turned off: Material loads web fonts from Google, which mainland China blocks")
        theme["font"] = False
    features = theme.get("features") or []
    if "navigation.prune" not in features:
        # Without it every page embeds the link to every body-year: 10,000 body-years made pages of megabytes.
        theme["features"] = [*features, "navigation.prune"]


def _markdown(config: Any) -> None:
    for name, options in MARKDOWN.items():
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
        for key, value in options.items():
            config.mdx_configs.setdefault(name, {}).setdefault(key, value)


def source_copies(config: Any) -> bool:
    """Whether the site hosts a copy of each source document beside its page (`extra: nianbao_source_copies`,
    default true). Real reports are PDFs of ~300 kB: past ~2,500 of them the copies alone fill a GitHub Pages
    site, so a large corpus on Pages turns them off (each page still names the original's address and SHA-256),
    or publishes to a bucket, which has no such limit."""
    value = (config.extra or {}).get(SOURCE_COPIES_KEY, True)
    if not isinstance(value, bool):
        raise ConfigurationError(f"extra: {SOURCE_COPIES_KEY} in mkdocs.yml must be true or false, not {value!r}.")
    return value


def search_split_pages(config: Any) -> int:
    """Past how many searchable pages the search index is split by province (`extra: nianbao_search_split_pages`;
    0 splits any site, as the tests do): a light national index of names, places and years, and one full-text
    index per province (site/search_index.bundles)."""
    value = (config.extra or {}).get(SEARCH_SPLIT_KEY, SEARCH_SPLIT_PAGES)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigurationError(f"extra: {SEARCH_SPLIT_KEY} in mkdocs.yml must be a whole number of pages (0 or "
                                 f"more), not {value!r}.")
    return value


def fingerprint(config: Any) -> str:
    """What of the configuration shows on every page (name, address, theme, menu, hand-written pages' titles and
    the publisher's own templates): a page reused from the last build must have been made with the same."""
    shown = {key: config[key] for key in ("site_name", "site_url", "site_description", "site_author", "copyright",
                                          "repo_url", "repo_name", "edit_uri", "extra", "extra_css",
                                          "extra_javascript", "markdown_extensions", "mdx_configs", "nav")}
    shown["theme"] = dict(config.theme)
    shown["templates"] = {name: _digest(path) for name, path in _own_templates(config.theme)}
    shown["pages"] = {path.relative_to(docs).as_posix(): _first_line(path)
                      for docs in [Path(config.docs_dir)] for path in sorted(docs.rglob("*.md"))}
    return hashlib.sha256(json.dumps(shown, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def _own_templates(theme: Any) -> list[tuple[str, Path]]:
    custom = theme.get("custom_dir")
    if not custom:
        return []
    root = Path(custom)
    return [(p.relative_to(root).as_posix(), p) for p in sorted(root.rglob("*")) if p.is_file()]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _first_line(path: Path) -> str:
    """A hand-written page's title as a menu without titles shows it: its first line."""
    with path.open(encoding="utf-8", errors="replace") as f:
        return f.readline().strip()
