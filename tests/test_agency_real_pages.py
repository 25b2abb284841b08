"""The publishing body of each of the 25 real report pages (tests/data/corpus/real-pages), against truth.json.

The truth name is the body "as printed"; ours must be the same body: equal after Traditional → Simplified,
or the same name with the county printed before it or the body type after it (仙庵镇 ↔ 惠来县仙庵镇人民政府,
帽儿山镇政府 ↔ 帽儿山镇人民政府). A name that is another body (湛江市人民政府 for 湛江市人民政府地方志办公室) is
wrong. Where the page's body lies (county or city) was hand-checked from each NN.meta.json; the id must be
a place there. Pages 13 and 18 never name their body: no id and no invented name.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from nianbao.identify.agency import identify_agency
from nianbao.identify.report import title_of
from nianbao.model.normalize import to_simplified
from nianbao.read import read_document

PAGES = Path(__file__).parent / "data" / "corpus" / "real-pages"
TRUTH = {name[:2]: entry["agency"] for name, entry in json.loads((PAGES / "truth.json").read_text()).items()}

# (county or city the body lies in, per NN.meta.json; township-level body?)
WHERE: dict[str, tuple[str | None, bool]] = {
    "01": ("麻阳苗族自治县", True), "02": ("垫江县", False), "03": ("故城县", False), "04": ("九龙坡区", True),
    "05": ("桥西区", True), "06": ("荣昌区", True), "07": ("迁安市", True), "08": ("天门市", True),
    "09": ("尚志市", True), "10": ("越秀区", True), "11": ("锡山区", True), "12": ("大冶市", False),
    "13": (None, True), "14": ("渝水区", True), "15": ("会昌县", True), "16": ("琼海市", True),
    "17": ("永春县", True), "18": (None, False), "19": ("蠡县", False), "20": ("衡东县", True),
    "21": ("惠来县", True), "22": ("连平县", True), "23": ("湛江市", False), "24": ("陆丰市", True),
    "25": ("抚松县", True),
}
# The text names the body but not which place: 中村乡 exists in five counties and the page prints none of
# them; 地方志办公室 is no sector, so the body has a region but no id.
UNSETTLED = {"15": "candidates", "23": "no-sector"}
_BODY_TAIL = re.compile(r"(人民政府|政府|办事处)$")


def _core(name: str) -> str:
    return _BODY_TAIL.sub("", to_simplified(name).replace("（", "(").replace("）", ")"))


def same_body(truth: str, ours: str | None) -> bool:
    return bool(ours) and _core(ours).endswith(_core(truth))


def identify_page(nn: str):
    """As the pipeline calls it: the title the reader found, the text, the file name, the page's <title>."""
    path = PAGES / f"{nn}.txt"
    document = read_document(path)
    return identify_agency(title_of(document), document.text(), path.name, page_title=document.title)


def test_every_page_has_truth():
    assert sorted(WHERE) == sorted(TRUTH) == [f"{i:02d}" for i in range(1, 26)]


@pytest.mark.parametrize("nn", sorted(WHERE))
def test_body_of_real_page(nn):
    a = identify_page(nn)
    where, township = WHERE[nn]
    if where is None:
        assert (a.id, a.name, a.region_code) == (None, None, None), "the page never names its body"
        return
    assert same_body(TRUTH[nn], a.name), f"{a.name} is not {TRUTH[nn]}"
    if nn in UNSETTLED:
        assert a.id is None
        if UNSETTLED[nn] == "candidates":
            assert any(where in c["region"] for c in a.candidates) and len(a.candidates) > 1
        else:
            assert a.sector is None and where in (a.region or "")
        return
    assert a.id is not None and where in a.region, f"{a.id} {a.region} is not in {where}"
    assert a.id.startswith(a.region_code + "-")
    if township:
        assert a.level == "township" and len(a.region_code) == 9
    else:
        assert a.level != "township" and len(a.region_code) == 6


def test_same_body_rule_can_fail():
    assert same_body("仙庵镇", "惠来县仙庵镇人民政府")
    assert same_body("帽儿山镇政府", "帽儿山镇人民政府")
    assert not same_body("湛江市人民政府地方志办公室", "湛江市人民政府")
    assert not same_body("河东镇", "陆丰市人民政府办公室")
    assert not same_body("大路镇人民政府", "人民政府")
