"""Lint the template data against itself and the data dictionary. (Import direction: tests/test_architecture.py.)"""

import re
from pathlib import Path

from nianbao.model.normalize import canon
from nianbao.templates import cell_index, templates, variants

DICTIONARY = Path(__file__).resolve().parent / "data" / "spec" / "data-dictionary.md"   # a copy: see its README


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
    text = DICTIONARY.read_text(encoding="utf-8")
    listed = set(re.findall(r"`((?:disclosure|requests|appeals)\.[a-z_]+\.[a-z_]+)`", text))
    assert listed, "no cell ids found in the dictionary"
    defined = set(cell_index())
    assert listed - {"disclosure.other_documents.made"} <= defined
    # The dictionary's row and column tables for requests: every row x column pair exists.
    rows = set(re.findall(r"^\| `([a-z_]+)` \| [一二三四]", text, flags=re.M))
    assert {"new", "carried_over", "total", "carried_forward"} <= rows


def test_labels_match_the_dictionary_text():
    text = canon(DICTIONARY.read_text(encoding="utf-8"))
    for spec in variants().values():
        for row in spec.rows:
            if row.id != "values":
                assert canon(row.label).split("(")[0][-4:] in text, row.label
