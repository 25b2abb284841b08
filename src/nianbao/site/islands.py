"""An mkdocs hook: put each generated page's HTML body in after Markdown has run.

Generated pages are HTML (tables with spans, figures, JSON-LD), not Markdown. Fed through Python-Markdown,
every tag of a 60 kB table is parsed twice by its HTML preprocessors — 80% of the site's build time. So the
Markdown file holds front matter and a placeholder, the body waits in `extra.nianbao_islands/<page>.html`, and
this hook swaps it into the finished page. The body in the page is exactly what the page modules wrote (site/page.py, Page.html).
"""

from __future__ import annotations

from pathlib import Path

ISLAND = "<!--nianbao:island-->"


def on_post_page(output: str, page, config) -> str:
    """On the finished page, just before it is written: mkdocs keeps every page's `content` in memory until
    the build ends, so the body must not pass through it (10,000 bodies of 60 kB held 4 GB)."""
    folder = config.extra.get("nianbao_islands")
    if not folder or ISLAND not in output:
        return output
    body = (Path(folder) / page.file.src_uri).with_suffix(".html").read_text(encoding="utf-8")
    return output.replace(ISLAND, body, 1)
