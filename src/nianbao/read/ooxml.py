"""The one guard every Office Open XML reader (DOCX, XLSX) opens its zip through.

The zip is checked before anything is inflated (total size, member count, compression ratio of its XML parts),
each part is read with a byte limit (the package's remaining budget), and XML is parsed without entities, DTDs,
network access or huge-tree mode. Every refusal is an `Unreadable` with the caller's code.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from lxml import etree

from nianbao.read.errors import Unreadable

MAX_UNCOMPRESSED = 200 * 1024 * 1024   # bytes a whole package may inflate to
MAX_RATIO = 100                        # inflated / compressed, for XML parts big enough to matter
RATIO_FLOOR = 1024 * 1024              # members below this size are not held to the ratio
MAX_MEMBERS = 10_000


class Package:
    def __init__(self, archive: zipfile.ZipFile, budget: int):
        self.archive = archive
        self.budget = budget      # bytes still allowed to be inflated

    def namelist(self) -> list[str]:
        return self.archive.namelist()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.archive.close()


def open_package(path: Path, code: str, what: str) -> Package:
    """Open an Office zip package, refusing it (Unreadable `code`) if it is no zip or looks like a zip bomb."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise Unreadable(code, f"The file is not a valid {what}: it is not a readable zip archive.") from None
    try:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise Unreadable(code, f"The {what} holds {len(infos)} parts, far more than any real one; "
                                   "it is refused as a possible zip bomb.")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED:
            raise Unreadable(code, f"The {what} would expand to {total / 2**20:,.0f} MB when unzipped (the limit "
                                   f"is {MAX_UNCOMPRESSED // 2**20} MB); it is refused as a possible zip bomb.")
        for info in infos:
            # XML parts only: images (a white BMP compresses a thousand times) are never inflated here.
            xml = info.filename.lower().endswith((".xml", ".rels", ".vml"))
            if xml and info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                ratio = info.file_size / max(info.compress_size, 1)
                raise Unreadable(code, f"The part {info.filename} of the {what} is compressed {ratio:,.0f} times "
                                       f"(the limit is {MAX_RATIO}); it is refused as a possible zip bomb.")
    except Unreadable:
        archive.close()
        raise
    return Package(archive, MAX_UNCOMPRESSED)


def read_member(package: Package, name: str, code: str) -> bytes:
    """A part's bytes, inflated in chunks and never past the package's remaining budget."""
    chunks: list[bytes] = []
    size = 0
    try:
        with package.archive.open(name) as member:
            while True:
                chunk = member.read(1 << 20)
                if not chunk:
                    break
                size += len(chunk)
                if size > package.budget:
                    raise Unreadable(code, f"The part {name} expands past {MAX_UNCOMPRESSED // 2**20} MB; "
                                           "it is refused as a possible zip bomb.")
                chunks.append(chunk)
    except Unreadable:
        raise
    except zipfile.BadZipFile as exc:
        if "CRC" not in str(exc):
            raise Unreadable(code, f"The part {name} cannot be unzipped ({why(exc)}).") from None
        # Also how a bomb that understates its size ends: reading stops at the claimed size, the checksum fails.
        raise Unreadable(code, f"The part {name} is damaged: it does not unzip to the size and checksum the "
                               "archive records.") from None
    except (zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError) as exc:
        raise Unreadable(code, f"The part {name} cannot be unzipped ({why(exc)}).") from None
    package.budget -= size
    return b"".join(chunks)


def why(exc: Exception) -> str:
    text = str(exc).strip().rstrip(".")
    return text[:120] if text else type(exc).__name__


def parse_xml(data: bytes, code: str, what: str) -> etree._Element:
    """Parse package XML without entities, DTDs, network access or huge-tree mode."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
        raise Unreadable(code, f"{what} declares a DTD, which Office files never do; it is refused as unsafe.")
    parser = etree.XMLParser(resolve_entities=False, huge_tree=False, no_network=True, load_dtd=False,
                             dtd_validation=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise Unreadable(code, f"{what} is not well-formed XML ({why(exc)}).") from None
    if root is None:
        raise Unreadable(code, f"{what} is empty.")
    return root


__all__ = ["MAX_RATIO", "MAX_UNCOMPRESSED", "Package", "open_package", "parse_xml", "read_member", "why"]
