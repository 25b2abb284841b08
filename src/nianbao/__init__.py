"""Nianbao (年报): turns government information-disclosure annual reports into open data.

`nianbao.read_package(path_or_url)` reads a published data package back as typed pandas DataFrames
(`nianbao.frames`).
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"
__all__ = ["Package", "read_package", "__version__"]


def __getattr__(name: str) -> Any:
    # Imported on first use: pandas is not loaded with every `import nianbao.<stage>` (each worker process does
    # that), and the stages below nianbao.frames, which import `nianbao` for its version, do not depend on it.
    if name in ("Package", "read_package"):
        return getattr(importlib.import_module("nianbao.frames"), name)
    raise AttributeError(f"module 'nianbao' has no attribute {name!r}")
