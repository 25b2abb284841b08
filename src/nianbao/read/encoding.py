"""Turning bytes into text: UTF-8 (with or without BOM), GB18030/GBK/GB2312, Big5.

GB2312 and GBK are read as GB18030, their superset: pages declared gb2312 often hold GBK-only characters
(堃, 镕), and a strict GB2312 decoder would cut the text. charset-normalizer settles the rest.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from nianbao.read.errors import Unreadable

_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "hz": "gb18030",
             "big5hkscs": "big5hkscs", "cp950": "big5"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Raises Unreadable for binary data or text in no known encoding."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                raise Unreadable("undecodable-text", f"The text starts with a {name} marker but is not valid {name}.") from None
    if _looks_binary(data):
        raise Unreadable("not-text", "The file is binary data, not text.")
    for name in _candidates(declared):
        try:
            return data.decode(name), name
        except (UnicodeDecodeError, LookupError):
            continue
    best = from_bytes(data, cp_isolation=["utf_8", "gb18030", "big5", "big5hkscs", "utf_16"]).best()
    if best is None or best.encoding is None:
        raise _undecodable()
    name = _SUPERSET.get(best.encoding.replace("_", ""), best.encoding)
    try:
        return data.decode(name, errors="strict"), name
    except (UnicodeDecodeError, LookupError):
        raise _undecodable() from None


def _undecodable() -> Unreadable:
    return Unreadable("undecodable-text", "The text is in no encoding Nianbao can read (tried UTF-8, GB18030, Big5).")


def _candidates(declared: str | None) -> list[str]:
    names = ["utf-8"]
    if declared:
        key = declared.strip().lower().replace("_", "-")
        names.insert(0, _SUPERSET.get(key.replace("-", ""), key))
    return names


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: no text encoding used for reports produces them."""
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(4, len(sample) // 100)
