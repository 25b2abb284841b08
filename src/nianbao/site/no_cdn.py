"""Nothing the site serves may load from a CDN (blocked or slow in mainland China).

Material's JavaScript bundle fetches two optional scripts from unpkg.com: mermaid, when a page holds a
`mermaid` diagram, and a ResizeObserver polyfill for browsers without one. Neither is needed here (no diagrams;
every supported browser has ResizeObserver), and Material has no setting that turns the loaders off, so after the
build their addresses become empty `data:` scripts, which load nothing. Source maps, which repeat the
addresses, are not published.
"""

from __future__ import annotations

import re
from pathlib import Path

CDN = re.compile(r"https://(?:unpkg\.com|cdn\.jsdelivr\.net)/[^\"'`\s)]*")
SOURCE_MAP_LINE = re.compile(r"\n//# sourceMappingURL=\S+[ \t]*(?=\n|$)")
EMPTY_SCRIPT = "data:text/javascript,"


def strip_cdn_loaders(site_dir: Path) -> None:
    """Run by the plugin's `on_post_build`, on the built site."""
    scripts = site_dir / "assets" / "javascripts"
    for source_map in scripts.rglob("*.js.map"):
        source_map.unlink()
    for script in scripts.rglob("*.js"):
        text = script.read_text(encoding="utf-8")
        kept = SOURCE_MAP_LINE.sub("", CDN.sub(EMPTY_SCRIPT, text))
        if kept != text:
            script.write_text(kept, encoding="utf-8")
