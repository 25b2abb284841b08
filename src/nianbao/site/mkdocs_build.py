"""The mkdocs side of a build: the theme's assets, the mkdocs.yml of the staging folder, and `mkdocs build`
run in this process with its clock pinned to the data's latest date (so a rebuild is byte-identical)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from nianbao.files import write_atomically
from nianbao.site.charts import EMBED_SNIPPET, charts_bundle

HERE = Path(__file__).resolve().parent
NAV = [("首页", "index.md"), ("机关", "agencies/index.md"), ("对比", "compare/index.md"),
       ("数据质量", "quality/index.md"), ("数据字典", "dictionary/index.md"), ("下载", "downloads/index.md"),
       ("搜索", "search/index.md")]


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


def write_config(staging: Path, docs: Path, site_dir: Path, site_url: str, nav: list[tuple[str, str]],
                 synthetic: bool) -> Path:
    lines = [f"INHERIT: {json.dumps(str(HERE / 'mkdocs.base.yml'))}",
             f"docs_dir: {json.dumps(str(docs))}",
             f"site_dir: {json.dumps(str(site_dir.resolve()))}",
             f"site_url: {json.dumps(site_url)}",
             "theme:", "  name: material", f"  custom_dir: {json.dumps(str(HERE / 'overrides'))}",
             "hooks:", f"  - {json.dumps(str(HERE / 'islands.py'))}", f"  - {json.dumps(str(HERE / 'no_cdn.py'))}",
             "extra:", f"  nianbao_synthetic: {json.dumps(synthetic)}",
             f"  nianbao_islands: {json.dumps(str((staging / 'islands').resolve()))}",
             "nav:"] + [f"  - {json.dumps(title, ensure_ascii=False)}: {json.dumps(path)}" for title, path in nav]
    config = staging / "mkdocs.yml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def run_mkdocs(config: Path, latest_date: str | None) -> None:
    """mkdocs build in this process, its clock pinned to the data's latest date (byte-identical rebuilds)."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    os.environ["SOURCE_DATE_EPOCH"] = str(_epoch(latest_date))
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    build(load_config(str(config)))


def _epoch(date: str | None) -> int:
    import datetime
    if not date:
        return 315532800   # 1980-01-01, as the packages' fixed zip time
    return int(datetime.datetime.fromisoformat(date).replace(tzinfo=datetime.timezone.utc).timestamp())
