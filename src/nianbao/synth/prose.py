"""The words around a report's tables: prose for sections 一、五、六 (numbers agreeing with the tables), the
sentences some reports print before a table, the section headings, and `assemble`, which joins them with the
tables' text into a whole report."""

from __future__ import annotations

import random
from collections.abc import Callable

from nianbao.synth.grids import HEADINGS
from nianbao.synth.truth import Truth
from nianbao.templates import section_specs

# --- the prose around the tables -------------------------------------------------------------------------

SHORT_NAME = "我委"


def prose(truth: Truth) -> dict[str, list[str]]:
    """Paragraphs of sections 一、五、六 (numbers in them agree with the tables)."""
    rng = random.Random(f"prose-{truth.seed}")
    y = truth.year
    new_total = truth.value("requests.new.total")
    over_total = truth.value("requests.carried_over.total")
    posted = rng.randint(80, 600)
    return {
        "overview": [
            f"{y}年，{SHORT_NAME}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
            f"围绕卫生健康中心工作，不断完善信息公开工作机制，依法保障人民群众的知情权、参与权、表达权和监督权。"
            f"本报告所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。",
            f"（一）主动公开。全年通过区政府门户网站发布各类信息{posted}条，及时发布政策文件、政策解读、"
            f"行政执法、疫情防控等信息，做到应公开尽公开。",
            f"（二）依申请公开。全年新收信息公开申请{new_total}件，上年结转{over_total}件，均在法定期限内答复。",
            "（三）政府信息管理。严格落实公文公开属性源头认定和保密审查机制，做好信息公开目录的动态更新。",
            "（四）平台建设。加强政府网站、政务新媒体管理，优化依申请公开受理渠道，方便群众查询。",
            "（五）监督保障。将政务公开工作纳入年度考核，全年未发生责任追究情况。",
        ],
        "problems": [
            "（一）存在的主要问题。一是信息公开工作的规范化水平有待提高；二是政策解读的形式还不够丰富。",
            f"（二）改进情况。下一步，{SHORT_NAME}将进一步加强业务培训，完善信息发布审核机制，提升信息公开质量。",
        ],
        "other": [f"本机关{y}年度未收取信息处理费，无其他需要报告的事项。"],
    }


def intros(truth: Truth) -> dict[str, str]:
    """Sentences some reports print between a table's heading and the table (about half of the truths)."""
    if random.Random(f"intro-{truth.seed}").random() >= 0.6:
        return {}
    review = truth.value("appeals.review.total")
    litigation = truth.value("appeals.litigation_direct.total") + truth.value("appeals.litigation_after_review.total")
    return {
        "requests": f"本年度，{SHORT_NAME}共新收政府信息公开申请{truth.value('requests.new.total')}件，上年结转"
                    f"{truth.value('requests.carried_over.total')}件，具体办理情况如下：",
        "appeals": f"本年度，{SHORT_NAME}因政府信息公开工作被申请行政复议{review}件，被提起行政诉讼{litigation}件。",
    }


SECTION_HEADINGS = {sid: section.numbered_title for sid, section in section_specs().items()}


# Seed 003's wording: sections numbered （一）…（六）, the tables' own titles in their first row.
WORD_HEADINGS = {
    "overview": "（一）总体情况。",
    "disclosure": "（二）行政机关主动公开政府信息情况。",
    "requests": "（三）行政机关收到和处理政府信息公开申请情况。",
    "appeals": "（四）因政府信息公开工作被申请行政复议、提起行政诉讼情况。",
    "problems": "（五）政府信息公开工作存在的主要问题及改进情况。",
    "other": "（六）其他需要报告的事项。",
}
WORD_TABLE_TITLES = {"disclosure": "一、主动公开政府信息相关情况", "requests": "二、收到和处理政府信息公开申请情况",
                     "appeals": "三、政府信息公开行政复议、行政诉讼情况"}


def assemble(truth: Truth, tables: dict[str, str], *, sep: str = "\n", prose_lines: Callable[[str], list[str]] | None = None,
             title: list[str] | None = None, after_other: str = "", headings: dict[str, str] | None = None) -> str:
    """The whole report: title, name, 一 prose, 二/三/四 headings each with its table text, 五 and 六 prose."""
    paragraphs = prose(truth)
    before = intros(truth)
    names = {**SECTION_HEADINGS, **HEADINGS, **(headings or {})}
    wrap = prose_lines or (lambda p: [p])
    parts: list[str] = list(title or [f"{truth.year}年政府信息公开工作年度报告", truth.agency_name])
    parts.append("")
    parts.append(names["overview"])
    for p in paragraphs["overview"]:
        parts.extend(wrap(p))
    for table in ("disclosure", "requests", "appeals"):
        parts.append(names[table])
        if table in before:
            parts.extend(wrap(before[table]))
        parts.append(tables[table])
    for key in ("problems", "other"):
        parts.append(names[key])
        for p in paragraphs[key]:
            parts.extend(wrap(p))
    if after_other:
        parts.append(after_other)
    return sep.join(parts) + "\n"
