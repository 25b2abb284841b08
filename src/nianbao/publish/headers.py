"""What each file of the site is served as: its Content-Type (by extension) and how long it may be cached.

A bucket serves the Content-Type stored with each object, so it is set at upload: a CSV without `charset=utf-8`
shows as mojibake in a browser, an .xlsx as `binary/octet-stream` is saved without its name's meaning. No
Content-Encoding is ever set: files are stored as built (Pagefind's .pf_* files are gzip data that Pagefind's
script inflates itself; declaring them gzip-encoded would make the browser inflate them first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import PurePosixPath

UTF8 = "; charset=utf-8"
UNKNOWN_TYPE = "application/octet-stream"

CONTENT_TYPES = {
    # pages and what they load
    ".html": "text/html" + UTF8,
    ".css": "text/css" + UTF8,
    ".js": "text/javascript" + UTF8,
    ".map": "application/json",
    ".json": "application/json",
    ".xml": "application/xml" + UTF8,      # sitemap.xml, feed.xml
    ".gz": "application/gzip",             # sitemap.xml.gz: a file to fetch, not an encoding of sitemap.xml
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".wasm": "application/wasm",
    # Pagefind's search index: compressed chunks its own script fetches and inflates
    ".pf_fragment": UNKNOWN_TYPE,
    ".pf_index": UNKNOWN_TYPE,
    ".pf_meta": UNKNOWN_TYPE,
    ".pf_filter": UNKNOWN_TYPE,
    ".pagefind": UNKNOWN_TYPE,
    # data
    ".csv": "text/csv" + UTF8,
    ".txt": "text/plain" + UTF8,
    ".md": "text/markdown" + UTF8,
    ".bib": "application/x-bibtex" + UTF8,
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip",
    ".parquet": "application/vnd.apache.parquet",
    ".sqlite": "application/vnd.sqlite3",
    # the source documents, as published by their bodies (a web page is kept as source.html.txt: shown, not run)
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".wps": "application/vnd.ms-works",
    ".xls": "application/vnd.ms-excel",
}


class Freshness(Enum):
    """How long a browser or CDN may keep a file without asking again."""

    PAGE = "public, max-age=300"                       # pages and indexes: a deploy shows within minutes
    DATA = "public, max-age=3600"                      # data at a stable address, replaced when a report changes
    FINGERPRINTED = "public, max-age=31536000, immutable"  # the name changes whenever the bytes do


# Index-like files: what a visitor or a crawler reads first to find everything else.
PAGE_SUFFIXES = frozenset({".html", ".xml", ".gz"})
PAGE_NAMES = frozenset({"pagefind-entry.json", "pagefind.js"})

# A content hash in the name, as MkDocs-Material (bundle.a5f9d56c.min.js) and Pagefind (zh_1cd8e1c.pf_fragment)
# write them: 7+ hex digits between dots or underscores, with a letter (an all-digit run may be a year or a code).
FINGERPRINT = re.compile(r"(?:^|[._])(?=[0-9]*[a-f])[0-9a-f]{7,}(?=[._])")


@dataclass(frozen=True)
class ObjectHeaders:
    content_type: str
    freshness: Freshness

    @property
    def is_page(self) -> bool:
        """A page goes up after everything it may link to."""
        return self.content_type.startswith("text/html")

    def upload_args(self) -> dict[str, str]:
        """The object's metadata as boto3 takes it (`ExtraArgs`, or keywords of `put_object`)."""
        return {"ContentType": self.content_type, "CacheControl": self.freshness.value}


def freshness_of(name: str) -> Freshness:
    if FINGERPRINT.search(name):
        return Freshness.FINGERPRINTED
    if name in PAGE_NAMES or PurePosixPath(name).suffix.lower() in PAGE_SUFFIXES:
        return Freshness.PAGE
    return Freshness.DATA


def headers_for(key: str) -> ObjectHeaders:
    """The headers of the site file at `key` (a path relative to the site's root, with forward slashes)."""
    name = PurePosixPath(key).name
    suffix = PurePosixPath(name).suffix.lower()
    return ObjectHeaders(CONTENT_TYPES.get(suffix, UNKNOWN_TYPE), freshness_of(name))


def unknown_suffixes(keys: list[str]) -> list[str]:
    """The extensions among `keys` that have no Content-Type here (they go up as application/octet-stream)."""
    return sorted({PurePosixPath(key).suffix.lower() or PurePosixPath(key).name for key in keys} - set(CONTENT_TYPES))
