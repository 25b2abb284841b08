"""The naming data of sectors.yaml and text normalisation shared by the identify modules.

Body types (卫生健康委员会, 人民政府办公室, short forms such as 卫健委) come from ``sectors.yaml``; this module
only compiles them. No region data here: that is ``regions`` (counties and above) and ``townships``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from nianbao.model.normalize import to_simplified

HERE = Path(__file__).resolve().parent
SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
CJK = re.compile(r"^[\u4e00-\u9fff]+$")


@lru_cache(maxsize=1)
def config() -> dict:
    return yaml.safe_load((HERE / "sectors.yaml").read_text(encoding="utf-8"))


def sector_name(sector: str | None) -> str:
    """A sector id's Chinese name (`name` in sectors.yaml), '' for none or an id the file does not list."""
    return (config()["sectors"].get(sector) or {}).get("name", "") if sector else ""


@dataclass(frozen=True)
class BodyType:
    form: str           # as printed (卫健委)
    full: str           # full body type (卫生健康委员会)
    sector: str | None
    short: bool
    rank: int


@lru_cache(maxsize=1)
def bodies() -> tuple[re.Pattern, dict[str, BodyType]]:
    cfg = config()
    forms: dict[str, BodyType] = {}
    rank = 0
    full_sector: dict[str, str] = {}
    for sector, spec in cfg["sectors"].items():
        for pattern in spec["patterns"]:
            full_sector.setdefault(pattern, sector)
            forms.setdefault(pattern, BodyType(pattern, pattern, sector, False, rank))
            rank += 1
    for form, full in cfg["short_forms"].items():
        if full not in full_sector:
            raise ValueError(f"sectors.yaml: short form {form} expands to {full}, which no sector lists")
        forms.setdefault(form, BodyType(form, full, full_sector[full], True, rank))
        rank += 1
    ordered = sorted(forms.values(), key=lambda b: (-len(b.form), b.rank))
    alternatives = [re.escape(b.form) + ("(?!员)" if b.form.endswith("委") else "") for b in ordered]
    return re.compile("|".join(alternatives)), forms


@lru_cache(maxsize=1)
def generic_pattern() -> re.Pattern:
    suffixes = sorted(config()["generic_body_suffixes"], key=len, reverse=True)
    return re.compile("|".join(map(re.escape, suffixes)))


@lru_cache(maxsize=1)
def confusables() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for group in config().get("ocr_confusables", []):
        for ch in group:
            out.setdefault(ch, set()).update(c for c in group if c != ch)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _traditional_chars() -> frozenset[str]:
    """Characters Traditional → Simplified conversion would change: text without any skips OpenCC."""
    try:
        import opencc_purepy

        path = Path(opencc_purepy.__file__).parent / "dicts" / "TSCharacters.txt"
        chars = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            if key and values and values.split()[0] != key:
                chars.add(key)
        return frozenset(chars)
    except (OSError, ImportError):  # pragma: no cover - depends on the installed OpenCC build
        return frozenset()


def normalise(text: str) -> str:
    """NFKC, Simplified characters, no whitespace (titles break names over lines)."""
    text = unicodedata.normalize("NFKC", text)
    trad = _traditional_chars()
    if not trad or not trad.isdisjoint(text):
        text = to_simplified(text)
    return SPACE.sub("", text)


@lru_cache(maxsize=1)
def ethnic_part() -> str:
    """A regex for the peoples part of an autonomous place's name (土家族苗族, 蒙古, 回族)."""
    groups = sorted(config()["ethnic_groups"], key=len, reverse=True)
    return "(?:(?:" + "|".join(map(re.escape, groups)) + ")族?)+"

