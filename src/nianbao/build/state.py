"""What is live in OUT/: the fingerprints of the published packages and pages, and the swap that publishes them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from nianbao.files import move_to_trash, write_atomically

NAMES = ("packages", "pages")


class State:
    """Fingerprints of what is live (packages, pages), kept under OUT/build/state/ for the next build.

    Written only after the swap and removed just before it, so they always describe the live output: a build
    killed in between leaves no state, and the next build makes everything anew."""

    def __init__(self, folder: Path):
        self.folder = folder

    def read(self, name: str) -> dict:
        try:
            return json.loads((self.folder / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def write(self, name: str, data: dict) -> None:
        write_atomically(self.folder / f"{name}.json",
                         (json.dumps(data, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"))

    def forget(self) -> None:
        for name in NAMES:
            (self.folder / f"{name}.json").unlink(missing_ok=True)


def clear(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)


def swap(staged: Path, live: Path, trash: Path) -> None:
    """Rename the finished output into place; the previous one is moved into `trash` first."""
    move_to_trash(live, trash)
    staged.rename(live)
