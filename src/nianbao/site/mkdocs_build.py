"""The mkdocs side of a build: which mkdocs.yml, loading it, the theme's assets, and `mkdocs build` run in this
process."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from nianbao.model import urls


HERE = Path(__file__).resolve().parent
DEFAULT_CONFIG = HERE / "mkdocs.default.yml"


class SiteConfigError(Exception):
    """The site's configuration cannot be used; the message is one sentence for the user."""


def write_assets(folder: Path, cache: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("site.css", "tables.js", "search.js"):
        shutil.copyfile(HERE / "assets" / name, folder / name)


def find_config(given: Path | None, folder: Path) -> Path:
    """The site's mkdocs.yml: the one given, else the one in `folder` (where `mkdocs build` would look), else the
    packaged default."""
    if given is not None:
        if not given.is_file():
            raise SiteConfigError(f"no such configuration file: {given}")
        return given
    own = folder / "mkdocs.yml"
    return own if own.is_file() else DEFAULT_CONFIG


def load_site_config(config_file: Path, site_dir: Path, empty_docs: Path) -> Any:
    """mkdocs.yml loaded as `mkdocs build` loads it, writing into `site_dir`. The packaged default has no pages
    of its own: its docs folder is `empty_docs`."""
    from mkdocs import exceptions
    from mkdocs.config import load_config

    overrides: dict[str, str] = {"site_dir": str(site_dir.resolve())}
    if not _names_the_site(config_file):
        overrides["site_name"] = urls.DEFAULT_SITE_NAME
    if config_file == DEFAULT_CONFIG:
        empty_docs.mkdir(parents=True, exist_ok=True)
        overrides["docs_dir"] = str(empty_docs.resolve())
    try:
        return load_config(str(config_file), **overrides)
    except (exceptions.ConfigurationError, exceptions.Abort) as exc:
        raise SiteConfigError(f"{config_file} is not a usable MkDocs configuration: {exc}") from None


def _names_the_site(config_file: Path) -> bool:
    """Whether the configuration (or one it inherits) gives `site_name`; unreadable YAML is for load_config to
    report."""
    from mkdocs.utils import yaml_load

    try:
        with config_file.open(encoding="utf-8") as f:
            return bool((yaml_load(f) or {}).get("site_name"))
    except Exception:       # noqa: BLE001 — any reading error is load_config's to explain, in its own words
        return True


def configured_site(config_file: Path, work: Path) -> urls.SiteUrls:
    """The site `config_file` describes, read before the site is built (the packages' citations need it)."""
    return site_of(load_site_config(config_file, work / "site", work / "docs"))


def site_of(config: Any) -> urls.SiteUrls:
    """The site a loaded configuration describes: its address and its name (what the citations give)."""
    return urls.SiteUrls(urls.normalised_site_url(config.site_url), config.site_name)


def run_mkdocs(config: Any) -> None:
    """mkdocs build in this process, its log quiet but for warnings."""
    import logging

    from mkdocs.commands.build import build
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    build(config)
