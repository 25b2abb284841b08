"""Nianbao (年报): turns government information-disclosure annual reports into open data.

`nianbao.read_package(path_or_url)` reads a published data package back as typed pandas DataFrames.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["Package", "read_package", "__version__"]

if TYPE_CHECKING:
    from nianbao.frames import Package, read_package


def __getattr__(name: str) -> object:
    # pandas is imported on first use, not with every `import nianbao.<stage>` (each worker process does that)
    if name in ("Package", "read_package"):
        from nianbao import frames
        return getattr(frames, name)
    raise AttributeError(f"module 'nianbao' has no attribute {name!r}")
