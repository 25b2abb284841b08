"""The 25 real report pages of tests/data/corpus/real-pages/ against their hand-checked truth (truth.json).

Each page as a government site's web archive stored it: no title, site chrome, Traditional mirrors with injected
pinyin, cells one per line or per paragraph, `||||` merges, truncated headers, text cut off mid-table. The
truth lists only the cells visible in the text (`null` = printed blank); cells whose column cannot be told
are left out of it on purpose, so a cell the reader publishes that the truth does not list is a guess.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from conftest import CORPUS
from nianbao.extract import extract_path

PAGES = CORPUS / "real-pages"
TRUTH: dict[str, dict] = json.loads((PAGES / "truth.json").read_text(encoding="utf-8"))
NAMES = sorted(TRUTH)


def _published(cell) -> object:
    """What a reader's cell claims: a number, None for a printed blank, or the status word when it claims
    nothing (missing / unreadable)."""
    if cell is None or cell.status in ("missing", "unreadable"):
        return "unread"
    return None if cell.status == "blank" else Decimal(str(cell.value))


@pytest.fixture(scope="module")
def records():
    return {name: extract_path(PAGES / name) for name in NAMES}


def test_every_page_has_truth():
    assert sorted(p.name for p in PAGES.glob("*.txt")) == NAMES
    assert len(NAMES) == 25


@pytest.mark.parametrize("name", NAMES)
def test_page_is_read_not_rejected(records, name):
    record = records[name]
    assert record.status == "ok", record.reason
    assert record.kind == "annual_report"


@pytest.mark.parametrize("name", NAMES)
def test_page_year(records, name):
    assert records[name].year == TRUTH[name]["year"]


@pytest.mark.parametrize("name", NAMES)
def test_page_template(records, name):
    # 2019-hubei is the provincial version of the 2019 template: the record's template is 2019.
    assert records[name].template == TRUTH[name]["template"].split("-")[0]


# Cells the truth lists that the reader leaves unread on purpose. 02 is cut after the 6th of 7 cells of
# 三（一）予以公开, one cell per paragraph: a text without cell boundaries loses its empty cells without a
# trace, so the six shown numbers prove no column (the mutation harness found a wrong number there).
UNREAD_ON_PURPOSE = {"02.txt": {f"requests.granted.{c}" for c in (
    "natural_person", "business", "research", "nonprofit", "legal_services", "other_org")}}


@pytest.mark.parametrize("name", NAMES)
def test_page_cells_exactly_as_printed(records, name):
    """Every truth cell read right: a number equal to the truth, a blank where the truth is null; the cells
    of the allow-list unread, with the flag that says why."""
    cells = records[name].cells
    wrong = {}
    for cell_id, value in TRUTH[name]["cells"].items():
        expected = "unread" if cell_id in UNREAD_ON_PURPOSE.get(name, ()) else (
            None if value is None else Decimal(str(value)))
        got = _published(cells.get(cell_id))
        if got != expected:
            wrong[cell_id] = (value, got)
    assert wrong == {}
    for cell_id in UNREAD_ON_PURPOSE.get(name, ()):
        assert "text-cut" in cells[cell_id].flags


@pytest.mark.parametrize("name", NAMES)
def test_page_publishes_nothing_the_truth_leaves_out(records, name):
    """Cells the truth leaves out (not visible, column unprovable, unit unknown) are never a value or a blank."""
    guessed = {cell_id: _published(cell) for cell_id, cell in records[name].cells.items()
               if cell_id not in TRUTH[name]["cells"] and _published(cell) != "unread"}
    assert guessed == {}


def test_score_over_all_pages(records):
    """The figure the README quotes: share of the 536 truth cells read right, and none wrong."""
    total = right = wrong = 0
    for name in NAMES:
        for cell_id, value in TRUTH[name]["cells"].items():
            total += 1
            got = _published(records[name].cells.get(cell_id))
            expected = None if value is None else Decimal(str(value))
            right += got == expected
            wrong += got not in ("unread", expected)
    assert total == 536
    assert wrong == 0
    assert right / total >= 0.98


def test_pages_whose_body_is_never_printed_get_no_body(records):
    """13 and 18 never name their body: no id, no invented name (the build then needs review)."""
    for name in ("13.txt", "18.txt"):
        assert records[name].agency.id is None
        assert records[name].agency.name is None


# The body each page names, as the record gives it: the truth's body (as printed) in Simplified characters,
# completed where the page says more (09 政府 → 人民政府; 14, 21 the county and 人民政府 from the text).
BODIES = {
    "01.txt": "麻阳苗族自治县板栗树乡人民政府", "02.txt": "垫江县教育委员会", "03.txt": "故城县教育局",
    "04.txt": "重庆市九龙坡区二郎街道办事处", "05.txt": "石家庄市桥西区中山街道办事处", "06.txt": "河包镇",
    "07.txt": "大五里镇", "08.txt": "拖市镇", "09.txt": "帽儿山镇人民政府", "10.txt": "北京街道办事处",
    "11.txt": "云林街道", "12.txt": "大冶市自然资源和规划局", "14.txt": "新余市渝水区鹄山镇人民政府",
    "15.txt": "中村乡", "16.txt": "大路镇人民政府", "17.txt": "桂洋镇人民政府", "19.txt": "蠡县审计局",
    "20.txt": "衡阳市衡东县杨林镇", "21.txt": "惠来县仙庵镇人民政府", "22.txt": "连平县上坪镇人民政府",
    "23.txt": "湛江市人民政府地方志办公室", "24.txt": "河东镇", "25.txt": "抚松县松江河镇人民政府",
}


def test_every_page_body_is_named_exactly(records):
    assert set(BODIES) | {"13.txt", "18.txt"} == set(NAMES)
    assert {name: records[name].agency.name for name in BODIES} == BODIES
