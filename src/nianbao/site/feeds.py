"""The sitemap and the RSS feed, dated from the reports (publication or retrieval), never from the clock."""

from __future__ import annotations

import gzip
import io
from pathlib import Path
from xml.sax.saxutils import escape

from nianbao.site.body_year_page import describe
from nianbao.site.page import SiteContext, source_date


def write_sitemap(ctx: SiteContext, pages: list[tuple[str, str | None]], site: Path) -> None:
    """sitemap.xml (and .gz) of these (url, lastmod) pages (mkdocs would date every page with the build clock).
    A page's date is its own report's; a page without one (an index, a report with no known date) has none."""
    entries = []
    for url, lastmod in sorted(pages):
        entries.append(f"<url><loc>{escape(ctx.absolute(url))}</loc>"
                       + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>")
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
           + "\n".join(entries) + "\n</urlset>\n").encode("utf-8")
    (site / "sitemap.xml").write_bytes(xml)
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as gz:
        gz.write(xml)
    (site / "sitemap.xml.gz").write_bytes(buffer.getvalue())


def write_feed(ctx: SiteContext, site: Path) -> None:
    """RSS of the published body-years, newest report first (dates from the manifest, never the clock)."""
    items = []
    for by in sorted(ctx.corpus.body_years, key=lambda b: (source_date(b) or "", b.agency_id, b.year), reverse=True):
        body = ctx.corpus.bodies[by.agency_id]
        date = source_date(by)
        items.append("<item>" f"<title>{escape(body.name)} {by.year} 年</title>"
                      f"<link>{escape(ctx.absolute(by.url))}</link><guid>{escape(ctx.absolute(by.url))}</guid>"
                      + (f"<pubDate>{_rfc822(date)}</pubDate>" if date else "")
                      + f"<description>{escape(describe(body, by))}</description></item>")
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
           f"<title>{escape(ctx.site_name)}：新增数据</title><link>{escape(ctx.site_url)}</link>"
           "<description>新发布的机关年度数据</description><language>zh-cn</language>"
           + "".join(items) + "</channel></rss>\n")
    (site / "feed.xml").write_text(xml, encoding="utf-8")


def _rfc822(date: str) -> str:
    import datetime
    from email.utils import format_datetime
    return format_datetime(datetime.datetime.fromisoformat(date).replace(tzinfo=datetime.timezone.utc))
