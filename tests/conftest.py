"""Shared test fixtures. Real documents stay in ../shared (never committed): tests that need them skip,
saying why, where that folder is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
GOLDEN = Path(__file__).resolve().parent / "golden"


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the real documents live in ../shared beside the repository")
    return path


@pytest.fixture
def shared():
    return shared_path
