"""Report prose shown as paragraphs: PDF line breaks inside a sentence are joined, sentences and numbered
headings keep their breaks, and nothing is lost or reordered (site/text.py `paragraphs`)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from nianbao.site.text import paragraphs

SAMPLE = """一、总体情况
2024年，我区坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实
《中华人民共和国政府信息公开条例》，全面推进政务公开工作。
（一）主动公开
全年主动公开信息1234条，其中
政策解读56条。
1. 规章
本年制发规章0件。

Version 2
3 of them"""


def test_a_sentence_cut_by_the_page_is_one_paragraph_again():
    assert paragraphs(SAMPLE) == [
        "一、总体情况",
        "2024年，我区坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，"
        "全面推进政务公开工作。",
        "（一）主动公开",
        "全年主动公开信息1234条，其中政策解读56条。",
        "1. 规章",
        "本年制发规章0件。",
        "Version 2 3 of them",
    ]


LINE = st.text(alphabet=st.sampled_from(list("公开申请件。，；：（）一二三、1. aZ\u3000")), max_size=30)


@given(st.lists(LINE, max_size=12))
def test_nothing_is_lost_or_reordered(lines):
    text = "\n".join(lines)
    squashed = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", "".join(paragraphs(text))) == squashed
    assert all(p == p.strip() and p for p in paragraphs(text))


@given(st.lists(LINE.filter(lambda s: s.strip()), min_size=2, max_size=8))
def test_a_line_that_ends_a_sentence_ends_its_paragraph(lines):
    text = "\n".join(line.rstrip() + "。" for line in lines)
    assert len(paragraphs(text)) == len(lines)
