"""An mkdocs hook: put each generated page's HTML body in after Markdown has run.

Generated pages are HTML (tables with spans, figures, JSON-LD), not Markdown. Fed through Python-Markdown,
every tag of a 60 kB table is parsed twice by its HTML preprocessors — 80% of the site's build time. So the
Markdown file holds front matter and a placeholder, the body waits in `extra.nianbao_islands/<page>.html`, and
this hook swaps it in. The HTML reaching the theme is exactly what pages.py wrote.
"""

from __future__ import annotations

from pathlib import Path

ISLAND = "<!--nianbao:island-->"


def on_page_content(html: str, page, config, files) -> str:
    folder = config.extra.get("nianbao_islands")
    if not folder or ISLAND not in html:
        return html
    body = (Path(folder) / page.file.src_uri).with_suffix(".html").read_text(encoding="utf-8")
    return html.replace(ISLAND, body, 1)
