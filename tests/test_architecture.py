"""The code's shape, checked by tools: import contracts (import-linter, in pyproject.toml), no private name
imported from another module, no module over the size a reader can hold, and mypy on src/.

Each check is shown able to fail on a small bad example, run through the same function.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "nianbao"
# "Modules under ~400 lines" (the brief): a little slack for a docstring, none for a second job.
MAX_LINES = 420


def run(*command: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *command], cwd=cwd, capture_output=True, text=True, timeout=900)


# ------------------------------------------------------------------------------------------ import contracts


def test_import_contracts_are_kept():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    lint = Path(sys.executable).parent / "lint-imports"
    return subprocess.run([str(lint), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=900,
                          env={"PYTHONPATH": str(cwd / "src"), "PATH": "/usr/bin:/bin"})


def test_import_contracts_would_see_a_circle_and_an_upward_import(tmp_path):
    """The same contract types on a toy package: a stage importing a later one, and two siblings importing
    each other, both break the build."""
    pkg = tmp_path / "src" / "toy"
    for name, body in {"__init__.py": "", "model.py": "", "read/__init__.py": "",
                       "read/a.py": "from toy.read import b\n", "read/b.py": "from toy.read import a\n",
                       "site.py": "", "package.py": "import toy.site\n"}.items():
        (pkg / name).parent.mkdir(parents=True, exist_ok=True)
        (pkg / name).write_text(body, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent("""
        [tool.importlinter]
        root_package = "toy"
        [[tool.importlinter.contracts]]
        name = "stages"
        type = "layers"
        layers = ["toy.site", "toy.package", "toy.read", "toy.model"]
        [[tool.importlinter.contracts]]
        name = "no circles"
        type = "acyclic_siblings"
        ancestors = ["toy"]
        """), encoding="utf-8")
    result = _lint_imports(tmp_path)
    assert result.returncode == 1
    assert "stages BROKEN" in result.stdout and "no circles BROKEN" in result.stdout


# ------------------------------------------------------------------------------------------ private names


def private_imports(path: Path) -> list[str]:
    """`from nianbao.x import _name`: reaching into another module's insides."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("nianbao"):
            found += [f"{path.name}:{node.lineno} {node.module}.{a.name}" for a in node.names
                      if a.name.startswith("_") and not a.name.startswith("__")]
    return found


def test_no_private_name_is_imported_across_modules():
    found = [hit for path in sorted(SRC.rglob("*.py")) for hit in private_imports(path)]
    assert found == []


def test_private_imports_are_seen(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from nianbao.read.pdf import _open, read\n", encoding="utf-8")
    assert private_imports(bad) == ["bad.py:1 nianbao.read.pdf._open"]


# ------------------------------------------------------------------------------------------ module size


def long_modules(root: Path) -> list[str]:
    return [f"{p.relative_to(root)}: {n} lines" for p in sorted(root.rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES]


def test_no_module_is_too_long():
    assert long_modules(SRC) == []


def test_long_modules_are_seen(tmp_path):
    (tmp_path / "long.py").write_text("x = 1\n" * (MAX_LINES + 1), encoding="utf-8")
    (tmp_path / "short.py").write_text("x = 1\n" * MAX_LINES, encoding="utf-8")
    assert long_modules(tmp_path) == [f"long.py: {MAX_LINES + 1} lines"]


# ------------------------------------------------------------------------------------------ types


def test_mypy_finds_nothing_in_src():
    result = run("mypy", "src/nianbao")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr


def test_mypy_would_see_a_wrong_type(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f(x: int) -> str:\n    return x\n", encoding="utf-8")
    result = run("mypy", "--config-file", str(ROOT / "pyproject.toml"), str(bad), cwd=tmp_path)
    assert result.returncode == 1 and "Incompatible return value" in result.stdout
