"""HTML reader (being written)."""

from pathlib import Path

from nianbao.model.document import Document
from nianbao.read.errors import Unreadable


def read(path: Path) -> Document:
    raise Unreadable("unsupported-format", "HTML reading is not available yet.")
