"""The code stays clean under ruff's pyflakes rules (unused or undefined names, syntax), as pyproject.toml sets them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "src", "tests", "benchmarks"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_would_see_an_unused_import(tmp_path):
    """The check can fail: the same command on a file with an unused import."""
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--config", str(ROOT / "pyproject.toml"),
                             str(bad)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "F401" in result.stdout
