"""What a deploy does: which site files to upload and which bucket objects to delete.

The bucket keeps a manifest (`.nianbao-manifest.json` under the prefix) of each file's sha256 and the ETag the
bucket gave the object when it was put. A file is left alone when its object is listed with that same ETag (the
object is still what was put) and the recorded sha256 is the file's. The ETag is compared only with the one the
bucket itself returned, because an ETag is the MD5 of the bytes only for a single-part upload: a multipart upload's
is the MD5 of the parts' MD5s and "-N", and some services (OSS, COS) compute their own. Without a manifest entry
(a first deploy over files put by another tool, or a lost manifest) the listed ETag is compared with the one this
tool's upload would give: the plain MD5, or the multipart form for the part size it uploads with.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from nianbao.publish.headers import headers_for

MANIFEST_NAME = ".nianbao-manifest.json"
MANIFEST_VERSION = 1
# boto3's default part size and threshold: a file of at least this many bytes goes up in parts of this size
PART_SIZE = 8 * 1024 * 1024


@dataclass(frozen=True)
class SiteFile:
    key: str            # relative to the site's root, forward slashes
    path: Path
    size: int
    sha256: str
    etag: str           # what the bucket should give it if uploaded by this tool (see the module's docstring)


@dataclass(frozen=True)
class BucketObject:
    key: str            # relative to the prefix
    etag: str
    size: int


@dataclass(frozen=True)
class Recorded:
    """A manifest entry: the bytes that were put, and the ETag the bucket answered with."""

    sha256: str
    etag: str


@dataclass(frozen=True)
class Plan:
    upload: tuple[SiteFile, ...]    # pages last, so no page goes up before what it links to
    delete: tuple[str, ...]
    unchanged: tuple[SiteFile, ...]


def normal_etag(etag: str) -> str:
    """ETags come quoted, and from some services (OSS) in upper case."""
    return etag.strip('"').lower()


def hashed(path: Path, key: str, part_size: int = PART_SIZE) -> SiteFile:
    """The file with its sha256 and the ETag of an upload in parts of `part_size`, read once."""
    sha, whole, parts, size = hashlib.sha256(), hashlib.md5(), [], 0
    with path.open("rb") as fh:
        while chunk := fh.read(part_size):
            sha.update(chunk)
            whole.update(chunk)
            parts.append(hashlib.md5(chunk).digest())
            size += len(chunk)
    if size < part_size:
        etag = whole.hexdigest()
    else:
        etag = f"{hashlib.md5(b''.join(parts)).hexdigest()}-{len(parts)}"
    return SiteFile(key, path, size, sha.hexdigest(), etag)


def site_files(site: Path, part_size: int = PART_SIZE) -> list[SiteFile]:
    """Every file under `site`, sorted by key."""
    paths = sorted(p for p in site.rglob("*") if p.is_file())
    return [hashed(p, p.relative_to(site).as_posix(), part_size) for p in paths]


def read_manifest(text: str | None) -> dict[str, Recorded]:
    """The manifest's entries; none for no manifest or one this version does not write (every file is compared
    by ETag then, which is safe: at worst a file goes up again)."""
    try:
        data = json.loads(text) if text else None
    except ValueError:
        return {}
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION or not isinstance(data.get("files"), dict):
        return {}
    entries = {}
    for key, entry in data["files"].items():
        if isinstance(entry, dict) and isinstance(entry.get("sha256"), str) and isinstance(entry.get("etag"), str):
            entries[key] = Recorded(entry["sha256"], normal_etag(entry["etag"]))
    return entries


def manifest_text(entries: dict[str, Recorded]) -> str:
    files = {key: {"sha256": r.sha256, "etag": r.etag} for key, r in sorted(entries.items())}
    return json.dumps({"version": MANIFEST_VERSION, "files": files}, sort_keys=True, indent=0) + "\n"


def is_current(file: SiteFile, listed: BucketObject | None, recorded: Recorded | None) -> bool:
    """Whether the bucket already holds this file's bytes."""
    if listed is None:
        return False
    if recorded is not None and recorded.etag == normal_etag(listed.etag):
        return recorded.sha256 == file.sha256
    return normal_etag(listed.etag) == file.etag and listed.size == file.size


def plan_deploy(files: list[SiteFile], listing: list[BucketObject], manifest: dict[str, Recorded]) -> Plan:
    listed = {o.key: o for o in listing}
    stale = [f for f in files if not is_current(f, listed.get(f.key), manifest.get(f.key))]
    pages_last = sorted(stale, key=lambda f: (headers_for(f.key).is_page, f.key))
    stale_keys = {f.key for f in stale}
    keep = {f.key for f in files} | {MANIFEST_NAME}
    return Plan(upload=tuple(pages_last), delete=tuple(sorted(set(listed) - keep)),
                unchanged=tuple(f for f in files if f.key not in stale_keys))
