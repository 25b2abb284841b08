"""Stage 6 — site: data packages on disk → Markdown pages and chart specs → mkdocs-material → Pagefind index.

`nianbao build` calls `build_site`: it loads the site's mkdocs.yml (site/mkdocs_build.py), hands the nianbao
plugin (site/plugin.py) a `SiteBuild` (site/assemble.py) with this build's folders, and runs `mkdocs build`; the
plugin does the rest at mkdocs' events, exactly as under a plain `mkdocs build`.
"""

from __future__ import annotations

from pathlib import Path

from nianbao.site.assemble import SiteBuild, SiteInputs, SiteSummary
from nianbao.site.mkdocs_build import SiteConfigError, load_site_config, run_mkdocs
from nianbao.site.plugin import NAME, NianbaoPlugin
from nianbao.site.reuse import Previous

__all__ = ["Previous", "SiteConfigError", "SiteInputs", "SiteSummary", "build_site"]


def build_site(inputs: SiteInputs, config_file: Path, site_dir: Path) -> SiteSummary:
    """The data packages in `inputs.packages` → a complete site in `site_dir` (the caller swaps it into place).

    WORK/site-src receives the Markdown of the pages made this time (kept for inspection). With
    `inputs.previous`, a body or body-year page whose inputs did not change is not made or rendered again: its
    files are linked from the live site; the index pages, sitemap, feed and search index are always made anew."""
    config = load_site_config(config_file, site_dir, inputs.work / "site-docs")
    plugin = config.plugins.get(NAME)
    if not isinstance(plugin, NianbaoPlugin):
        raise SiteConfigError(f"{config_file} does not use the nianbao plugin: add `- {NAME}` under `plugins:`")
    site_build = SiteBuild(inputs)
    plugin.attach(site_build)
    run_mkdocs(config)
    assert site_build.summary is not None, "the plugin's on_post_build finishes the build"
    return site_build.summary
