"""The mkdocs side of a build: which mkdocs.yml, loading it, the theme's assets, and `mkdocs build` run in this
process."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from nianbao.files import write_atomically
from nianbao.site.charts import EMBED_SNIPPET, charts_bundle

HERE = Path(__file__).resolve().parent
DEFAULT_CONFIG = HERE / "mkdocs.default.yml"


class SiteConfigError(Exception):
    """The site's configuration cannot be used; the message is one sentence for the user."""


def write_assets(folder: Path, cache: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("site.css", "tables.js", "search.js"):
        shutil.copyfile(HERE / "assets" / name, folder / name)
    shutil.copyfile(_charts_bundle_file(cache), folder / "charts.js")


def _charts_bundle_file(cache: Path) -> Path:
    """The Vega bundle takes vl-convert ~2 s to make and depends only on its version and our snippet: kept
    between builds."""
    import hashlib

    import vl_convert
    version = vl_convert.__version__  # type: ignore[attr-defined]  # set at runtime, absent from its stubs
    path = cache / f"charts-{version}-{hashlib.sha256(EMBED_SNIPPET.encode()).hexdigest()[:10]}.js"
    if not path.is_file():
        write_atomically(path, charts_bundle().encode("utf-8"))
    return path


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
    if config_file == DEFAULT_CONFIG:
        empty_docs.mkdir(parents=True, exist_ok=True)
        overrides["docs_dir"] = str(empty_docs.resolve())
    try:
        return load_config(str(config_file), **overrides)
    except (exceptions.ConfigurationError, exceptions.Abort) as exc:
        raise SiteConfigError(f"{config_file} is not a usable MkDocs configuration: {exc}") from None


def run_mkdocs(config: Any) -> None:
    """mkdocs build in this process, its log quiet but for warnings."""
    import logging

    from mkdocs.commands.build import build
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    build(config)
