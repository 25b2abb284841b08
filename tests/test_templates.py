"""Lint the template data, and keep the stages' imports pointing one way."""

import ast
import re
from pathlib import Path

import pytest

from conftest import SHARED
from nianbao.model.normalize import canon
from nianbao.templates import cell_index, templates, variants

SRC = Path(__file__).resolve().parent.parent / "src" / "nianbao"


def test_cell_ids_unique_and_ascii():
    for spec in variants().values():
        ids = spec.cell_ids
        assert len(ids) == len(set(ids)), spec.variant
        assert all(re.fullmatch(r"[a-z_]+\.[a-z_]+\.[a-z_]+", cid) for cid in ids)


def test_row_keys_do_not_collide_within_a_table():
    for spec in variants().values():
        seen = {}
        for row in spec.rows:
            for key in row.keys:
                assert key not in seen, f"{spec.variant}: key {key} of {row.id} also in {seen.get(key)}"
                seen[key] = row.id


def test_identities_name_existing_cells():
    for spec in variants().values():
        known = set(spec.cell_ids)
        for identity in spec.identities:
            assert set(identity.left + identity.right) <= known


def test_templates_list_one_version_of_each_table():
    for template in templates().values():
        tables = [variants()[name].table for name in template.tables]
        assert sorted(tables) == ["appeals", "disclosure", "requests"]


def test_every_cell_id_of_the_data_dictionary_is_defined():
    path = SHARED / "spec" / "data-dictionary.md"
    if not path.exists():
        pytest.skip("../shared/spec/data-dictionary.md is absent")
    text = path.read_text(encoding="utf-8")
    listed = set(re.findall(r"`((?:disclosure|requests|appeals)\.[a-z_]+\.[a-z_]+)`", text))
    assert listed, "no cell ids found in the dictionary"
    defined = set(cell_index())
    assert listed - {"disclosure.other_documents.made"} <= defined
    # The dictionary's row and column tables for requests: every row x column pair exists.
    rows = set(re.findall(r"^\| `([a-z_]+)` \| [一二三四]", text, flags=re.M))
    assert {"new", "carried_over", "total", "carried_forward"} <= rows


def test_labels_match_the_dictionary_text():
    path = SHARED / "spec" / "data-dictionary.md"
    if not path.exists():
        pytest.skip("../shared/spec/data-dictionary.md is absent")
    text = canon(path.read_text(encoding="utf-8"))
    for spec in variants().values():
        for row in spec.rows:
            if row.id != "values":
                assert canon(row.label).split("(")[0][-4:] in text, row.label


# Stages in the order a report goes through them; a module may import only leaves and earlier stages.
# `extract` reads one document; `build` drives a corpus through extract, package and site; `synth` (the
# generator) may drive any of them.
ORDER = ["model", "templates", "read", "tables", "cells", "identify", "checks", "extract", "package", "site", "build",
         "synth"]
TOP = {"cli", "__main__"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nianbao."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("nianbao."))
    return found


def test_imports_point_one_way():
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).parts
        stage = rel[0].removesuffix(".py")
        if stage in TOP or stage == "__init__":
            continue
        allowed = set(ORDER[: ORDER.index(stage) + 1]) if stage in ORDER else set()
        wrong = _imports(path) - allowed
        assert not wrong, f"{path.relative_to(SRC)} imports later stages {wrong}"
