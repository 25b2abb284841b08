"""Each generated page's HTML body, put in after Markdown has run (the plugin's `on_post_page`).

Generated pages are HTML (tables with spans, figures, JSON-LD), not Markdown. Fed through Python-Markdown,
every tag of a 60 kB table is parsed twice by its HTML preprocessors — 80% of the site's build time. So the
Markdown file holds front matter and a placeholder, the body waits in WORK/site-src/islands/<page>.html, and
is swapped into the finished page. The body in the page is exactly what the page modules wrote (site/page.py,
Page.html).
"""

from __future__ import annotations

from pathlib import Path

ISLAND = "<!--nianbao:island-->"


def put_islands(output: str, src_uri: str, folder: Path) -> str:
    """On the finished page, just before it is written: mkdocs keeps every page's `content` in memory until
    the build ends, so the body must not pass through it (10,000 bodies of 60 kB held 4 GB)."""
    if ISLAND not in output:
        return output
    body = (folder / src_uri).with_suffix(".html").read_text(encoding="utf-8")
    return output.replace(ISLAND, body, 1)
