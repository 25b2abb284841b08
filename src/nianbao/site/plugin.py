"""The MkDocs plugin `nianbao` (registered as an entry point): `plugins: - nianbao` in mkdocs.yml joins the pages
made from the data packages to the hand-written ones, for `mkdocs build`, `mkdocs serve` and `nianbao build` alike.

Under `nianbao build`, the command hands the plugin a prepared `SiteBuild` (its reports and packages folders,
workers, the live site to reuse unchanged pages from); under plain `mkdocs build` the plugin makes one from its
own options, paths relative to mkdocs.yml:

    plugins:
      - nianbao:
          reports: reports          # the reports folder (source copies, redirects.csv)
          packages: datapackages    # what `nianbao build --no-site` wrote
          work: build               # staging and caches
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from nianbao.site.assemble import SiteBuild, SiteInputs
from nianbao.site.islands import put_islands
from nianbao.site.no_cdn import strip_cdn_loaders
from nianbao.site.settings import log

NAME = "nianbao"


class NianbaoConfig(base.Config):
    reports = c.Type(str, default="reports")
    packages = c.Type(str, default="datapackages")
    work = c.Type(str, default="build")
    synthetic = c.Type(bool, default=False)


class NianbaoPlugin(BasePlugin[NianbaoConfig]):
    def __init__(self) -> None:
        self.site_build: SiteBuild | None = None       # set by `nianbao build` before mkdocs runs
        self._given = False

    def attach(self, site_build: SiteBuild) -> None:
        self.site_build, self._given = site_build, True

    def on_config(self, config: Any) -> Any:
        if not self._given:       # plain `mkdocs build` / `mkdocs serve`: a full build from the plugin's options
            root = Path(config.config_file_path or ".").resolve().parent
            self.site_build = SiteBuild(SiteInputs(packages=root / self.config.packages,
                                                   reports=root / self.config.reports,
                                                   work=root / self.config.work, synthetic=self.config.synthetic))
        self._build().prepare(config)
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        """The generated pages join the hand-written ones; a hand-written page at a generated page's path loses
        (the log says so), since the generated pages link to each other by path."""
        site_build = self._build()
        docs = site_build.docs
        for relative in site_build.generated():
            uri = relative.as_posix()
            existing = files.get_file_from_path(uri)
            if existing is not None:
                if uri.endswith(".md"):
                    log.warning(f"docs/{uri} is replaced by the generated page at the same address")
                files.remove(existing)
            files.append(File(uri, str(docs), config.site_dir, config.use_directory_urls))
        return files

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        return self._build().hand_written(markdown, page.file.src_uri)

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        return put_islands(output, page.file.src_uri, self._build().islands)

    @event_priority(-100)   # after every other plugin has written its files
    def on_post_build(self, config: Any) -> None:
        site_dir = Path(config.site_dir)
        strip_cdn_loaders(site_dir)
        self._build().finish(site_dir)

    def _build(self) -> SiteBuild:
        if self.site_build is None:
            raise RuntimeError("the nianbao plugin has no site build: on_config did not run")
        return self.site_build
