"""Text normalising shared by every stage: NFKC, Traditional → Simplified, quotes, whitespace.

Matching labels needs one canonical form: mirror sites convert to Traditional characters, PDFs add
spaces and line breaks inside labels, Word swaps quote styles.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from opencc_purepy import OpenCC

_T2S = OpenCC("t2s")
_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "『": '"', "』": '"'})
# NFKC turns fullwidth brackets into ASCII ones; labels are written back with ASCII forms everywhere.
_PUNCT = str.maketrans({"、": ",", "，": ",", "．": ".", "：": ":", "；": ";", "－": "-", "−": "-", "—": "-",
                        "–": "-", "〔": "[", "〕": "]", "【": "[", "】": "]"})


# Mirror sites inject pinyin after characters ("鎮(zhèn)", "據(jù)") and replace unknown characters by "?" runs.
# A tone mark is required, so real parenthesised Latin text ("(PDF)", "(http…)") is never touched.
_INJECTED_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,7}\)")
_QUESTION_RUN = re.compile(r"^[?？]{2,}", re.MULTILINE)


def strip_mirror_noise(text: str) -> str:
    """Undo what mirror sites add to a page's text: injected pinyin and "????" before a line."""
    return _QUESTION_RUN.sub("", _INJECTED_PINYIN.sub("", text))


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    return _T2S.convert(text)


def squash(text: str) -> str:
    """Remove all whitespace, including NBSP, ideographic and zero-width spaces."""
    return _SPACE.sub("", text)


@lru_cache(maxsize=65536)
def canon(text: str) -> str:
    """The form labels are compared in: NFKC, Simplified, no whitespace, one quote and comma style."""
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text)
    text = squash(text).translate(_QUOTES).translate(_PUNCT)
    return text


_NUMBERING = re.compile(
    r"^(?:\(?[一二三四五六七八九十]+\)|[一二三四五六七八九十]+[,.]|\(\d+\)|\d+[,.](?!\d)|第[一二三四五六七八九十]+部分[,.]?)"
)


def strip_numbering(text: str) -> str:
    """Drop leading outline numbers ('三,' '(一)' '1.') from canonical text; OCR and rewording lose them."""
    previous = None
    while previous != text:
        previous = text
        text = _NUMBERING.sub("", text, count=1)
    return text
