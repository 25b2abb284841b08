"""What a file is, by its first bytes (its name may lie): the magic numbers every reader checks, in one place."""

from __future__ import annotations

from pathlib import Path

PDF = b"%PDF-"          # anywhere in the first kilobyte: a PDF's header may follow up to 1 kB of junk
ZIP = b"PK\x03\x04"     # DOCX, XLSX (Office Open XML packages) and plain zip archives
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # legacy Office (.doc, .xls, .wps, .et), and password-protected OOXML
RTF = b"{\\rtf"          # after leading whitespace
UNICODE_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")   # the stream an OLE file wraps an encrypted OOXML in

# Formats named in a refusal ("it is a PNG image"), by their first bytes.
KNOWN = ((b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
         (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"), (ZIP, "a zip archive or Office file"),
         (OLE[:4], "a legacy Office file"))


def head(path: Path, size: int) -> bytes:
    """The file's first `size` bytes."""
    with open(path, "rb") as handle:
        return handle.read(size)


def is_pdf(first_kb: bytes) -> bool:
    return PDF in first_kb


def is_zip(data: bytes) -> bool:
    return data.startswith(ZIP)


def is_ole(data: bytes) -> bool:
    return data.startswith(OLE)


def is_rtf(data: bytes) -> bool:
    return data.lstrip().startswith(RTF)


def known_format(data: bytes) -> str | None:
    """What the bytes are, in words, if they start like a format in `KNOWN`."""
    return next((name for magic, name in KNOWN if data.startswith(magic)), None)


def encrypted_ooxml(path: Path) -> bool:
    """An OLE file that wraps a password-protected Word or Excel package."""
    return _ENCRYPTED_OOXML in path.read_bytes()


def binary_unknown(data: bytes) -> bool:
    """Bytes that are neither a known Office container (OLE, zip, RTF) nor text (HTML, MHT, CSV saved under an
    Office name, which LibreOffice reads): random or damaged data LibreOffice would import as garbage text."""
    if is_ole(data) or is_zip(data) or is_rtf(data):
        return False
    if data.startswith(UNICODE_BOMS):
        return False
    sample = data[:4096]
    if not sample:
        return False
    control = sum(1 for b in sample if b < 9 or 13 < b < 32 or b == 127)
    return b"\x00" in sample or control > len(sample) // 20


__all__ = ["KNOWN", "OLE", "PDF", "RTF", "ZIP", "binary_unknown", "encrypted_ooxml", "head", "is_ole", "is_pdf",
           "is_rtf", "is_zip", "known_format"]
