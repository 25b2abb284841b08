"""`nianbao validate` at scale: one pool of processes, and with a state file only the packages whose bytes changed
since they were found valid (everything with --all)."""

from __future__ import annotations

import json
import re
import shutil

from click.testing import CliRunner

from nianbao.cli import main
from nianbao.package.validate import package_digest

COUNTS = re.compile(r"(\d+) packages checked, (\d+) skipped as unchanged since they were last found valid, "
                    r"(\d+) invalid")


def run(*args: str) -> tuple[int, tuple[int, int, int], list[str]]:
    """Exit code, (checked, skipped, invalid), the package lines."""
    result = CliRunner().invoke(main, ["validate", *args])
    match = COUNTS.search(result.output)
    assert match, result.output + repr(result.exception)
    lines = [line for line in result.output.splitlines() if line.startswith(("valid:", "INVALID:"))]
    return result.exit_code, (int(match[1]), int(match[2]), int(match[3])), lines


def test_only_packages_changed_since_found_valid_are_validated_again(built_site, tmp_path):
    packages, state = tmp_path / "datapackages", tmp_path / "build" / "validated.json"
    shutil.copytree(built_site[1] / "datapackages", packages)
    total = len(list(packages.rglob("datapackage.json")))
    assert total >= 10
    folder, state_args = str(packages), ["--state", str(state), "--workers", "2"]

    code, counts, lines = run(folder, *state_args)
    assert (code, counts) == (0, (total, 0, 0)) and len(lines) == total
    assert run(folder, *state_args)[:2] == (0, (0, total, 0))

    cells = packages / "310105-health" / "2020" / "cells.csv"
    text = cells.read_text(encoding="utf-8-sig")
    cells.write_text(text.replace(",value,", ",twelve,", 1), encoding="utf-8-sig")
    code, counts, lines = run(folder, *state_args)
    assert (code, counts) == (1, (1, total - 1, 1)) and lines[0].startswith(f"INVALID: {cells.parent}")
    assert run(folder, *state_args)[1] == (1, total - 1, 1)        # an invalid package is never taken as checked

    cells.write_text(text, encoding="utf-8-sig")
    assert run(folder, *state_args)[:2] == (0, (1, total - 1, 0))
    assert run(folder, *state_args, "--all")[:2] == (0, (total, 0, 0))

    kept = json.loads(state.read_text(encoding="utf-8"))
    state.write_text(json.dumps({**kept, "validator": "frictionless 0.0"}), encoding="utf-8")
    assert run(folder, *state_args)[1] == (total, 0, 0)            # another frictionless: everything again


def test_a_pool_of_processes_gives_what_one_process_gives(built_site, tmp_path):
    packages = tmp_path / "datapackages"
    shutil.copytree(built_site[1] / "datapackages", packages)
    cells = next(packages.glob("*/20*/cells.csv"))
    cells.write_text(cells.read_text(encoding="utf-8-sig").replace(",value,", ",twelve,", 1), encoding="utf-8-sig")
    assert run(str(packages), "--workers", "1") == run(str(packages), "--workers", "2")


def test_a_schema_named_by_path_is_part_of_what_decides_a_change(tmp_path):
    descriptor = tmp_path / "pkg" / "datapackage.json"
    descriptor.parent.mkdir()
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "cells.schema.json").write_text('{"fields": []}', encoding="utf-8")
    (descriptor.parent / "cells.csv").write_text("a\n1\n", encoding="utf-8")
    descriptor.write_text(json.dumps({"resources": [
        {"name": "cells", "path": "cells.csv", "schema": "../schemas/cells.schema.json"},
        {"name": "remote", "path": "https://example.org/x.csv"}]}), encoding="utf-8")
    before = package_digest(descriptor)
    (tmp_path / "schemas" / "cells.schema.json").write_text('{"fields": [{"name": "a"}]}', encoding="utf-8")
    assert package_digest(descriptor) != before
    schema_before = package_digest(descriptor)
    (descriptor.parent / "cells.csv").write_text("a\n2\n", encoding="utf-8")
    assert package_digest(descriptor) != schema_before
