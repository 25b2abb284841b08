"""The cell normaliser: property tests over the ways real reports print numbers."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nianbao.model.values import parse_cell, to_wanyuan

FULLWIDTH = str.maketrans("0123456789,.+-", "０１２３４５６７８９，．＋－")
PADDING = st.sampled_from(["", " ", "\u00a0", "\u3000", "\t", "\u3000\u3000"])


def thousands(n: int) -> str:
    return f"{n:,}"


@given(n=st.integers(min_value=0, max_value=10**9), pad_left=PADDING, pad_right=PADDING,
       fmt=st.sampled_from([str, thousands]), fullwidth=st.booleans())
def test_counts_survive_padding_separators_and_fullwidth(n, pad_left, pad_right, fmt, fullwidth):
    text = fmt(n)
    if fullwidth:
        text = text.translate(FULLWIDTH)
    parsed = parse_cell(pad_left + text + pad_right)
    assert parsed.kind == "value"
    assert parsed.value == n and isinstance(parsed.value, int)


@given(n=st.integers(min_value=1, max_value=10**6),
       sign=st.sampled_from(["增", "增加", "+", "＋", "减", "减少", "-", "−", "－"]))
def test_signed_changes(n, sign):
    parsed = parse_cell(f"{sign}{n}")
    negative = sign in ("减", "减少", "-", "−", "－")
    assert parsed.kind == "value"
    assert parsed.value == (-n if negative else n)


@given(yuan=st.integers(min_value=0, max_value=10**12))
def test_yuan_become_wanyuan_exactly(yuan):
    parsed = parse_cell(f"{yuan}元")
    assert parsed.unit == "元"
    assert to_wanyuan(parsed.value, parsed.unit) * 10000 == yuan


@given(whole=st.integers(min_value=0, max_value=10**7), frac=st.integers(min_value=0, max_value=999999))
def test_wanyuan_decimals_kept(whole, frac):
    text = f"{whole}.{frac:06d}万元"
    parsed = parse_cell(text)
    assert parsed.kind == "value" and parsed.unit == "万元"
    assert to_wanyuan(parsed.value, parsed.unit) == Decimal(f"{whole}.{frac:06d}")


def test_examples_from_the_dictionary():
    assert parse_cell("1,325").value == 1325
    assert parse_cell("63.28万元").value == Decimal("63.28")
    assert to_wanyuan(parse_cell("3405820元").value, "元") == Decimal("340.582")
    assert parse_cell("增98").value == 98
    assert parse_cell("增加5").value == 5


def test_traditional_mirror_units():
    parsed = parse_cell("\u300021424.28萬元\u3000")
    assert (parsed.value, parsed.unit) == (Decimal("21424.28"), "万元")


@pytest.mark.parametrize("text", ["", " ", "\u3000", "\u00a0\t"])
def test_blank_is_not_zero(text):
    parsed = parse_cell(text)
    assert parsed.kind == "blank" and parsed.value is None


@pytest.mark.parametrize("text", ["减", "增", "/", "-", "—", "－", "无", "22（其中修订16件）", "X"])
def test_text_where_a_number_belongs_is_unreadable(text):
    parsed = parse_cell(text)
    assert parsed.kind == "unreadable" and parsed.value is None


@pytest.mark.parametrize("text", ["规章", "1.属于国家秘密", "2.重复申请", "第二十条第（一）项", "（七）总计", "本年增/减"])
def test_labels_are_not_values(text):
    assert parse_cell(text) is None
