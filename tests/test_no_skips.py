"""NIANBAO_NO_SKIPS=1 (set in CI by .ci/run) turns every skip — a missing input, font or tool — into a failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
DEMO = '''
import pytest

@pytest.mark.skipif(True, reason="the font is absent")
def test_marked():
    pass

def test_inside():
    pytest.skip("the input is absent")

def test_runs():
    pass
'''


def _run(tmp_path: Path, no_skips: str | None) -> subprocess.CompletedProcess:
    (tmp_path / "test_demo.py").write_text(DEMO, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "NIANBAO_NO_SKIPS"}
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS), env.get("PYTHONPATH", "")])
    if no_skips is not None:
        env["NIANBAO_NO_SKIPS"] = no_skips
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "conftest",
                           "--rootdir", str(tmp_path), "-c", os.devnull, str(tmp_path / "test_demo.py")],
                          capture_output=True, text=True, cwd=tmp_path, env=env)


def test_skips_stay_skips_without_the_switch(tmp_path):
    result = _run(tmp_path, None)
    assert result.returncode == 0, result.stdout
    assert "1 passed, 2 skipped" in result.stdout


def test_every_skip_fails_with_the_switch(tmp_path):
    result = _run(tmp_path, "1")
    assert result.returncode == 1, result.stdout
    assert "the font is absent" in result.stdout and "the input is absent" in result.stdout
    assert "1 passed" in result.stdout and "skipped" not in result.stdout.splitlines()[-1]
