"""Shared test fixtures. The real documents the tests read are committed: the seed reports in `reports/`,
the public government reports of `../shared/corpus` in `tests/data/corpus/` (its README lists their sources),
so the public CI runs every real-document test."""

from __future__ import annotations

import csv
import hashlib
import os
from pathlib import Path

import pytest

from browser import browser, server, watch  # noqa: F401  (browser-test fixtures, shared by every test file)

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
SEEDS = ROOT / "reports"


# --- NIANBAO_NO_SKIPS=1 (set in CI): a skip for a missing input, font or tool is a failure ----------------

NO_SKIPS = os.environ.get("NIANBAO_NO_SKIPS") == "1"


def _as_failure(report: pytest.TestReport | pytest.CollectReport) -> None:
    if NO_SKIPS and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped, and NIANBAO_NO_SKIPS=1 makes every skip a failure: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _as_failure(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _as_failure(outcome.get_result())


def shared_path(*parts: str) -> Path:
    """A committed real document, named as in ../shared (`seeds/…`, `corpus/…`). Absent is a failure, not a skip."""
    base = {"seeds": SEEDS, "corpus": CORPUS}[parts[0]]
    path = base.joinpath(*parts[1:])
    assert path.exists(), f"{path} is missing from the repository"
    return path


@pytest.fixture
def shared():
    return shared_path


def read_csv_plain(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def tree_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under `folder`, by relative path (for byte-identical-build tests)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- a built site (packages + pages + search index), shared by the site and browser tests -----------------

INJECTION = [
    "（五）监督保障。<script>window.__nianbao_injected = 1; alert('x')</script>",
    "<img src=x onerror=\"window.__nianbao_injected = 2\"> [点我](javascript:window.__nianbao_injected=3)",
    "模板标记 {{ config.site_name }} {% if true %}真{% endif %} 应照原样显示。",
]
SITE_BODIES = [  # (file stem, district, year, template, style, change)
    ("huangpu-2020", "上海市黄浦区", 2020, "2019", "pipe_rows", None),
    ("huangpu-2021", "上海市黄浦区", 2021, "2021", "html_table", None),
    ("huangpu-2022", "上海市黄浦区", 2022, "2021", "markdown_table", None),
    ("xuhui-2021", "上海市徐汇区", 2021, "2021", "pipe_rows", "break-h1"),
    ("jingan-2022", "上海市静安区", 2022, "2021", "pipe_rows", "inject"),
    ("minhang-2022", "上海市闵行区", 2022, "2021", "pipe_rows", "long-prose"),
]


def make_site_reports(dest: Path) -> Path:
    """The bundled reports plus generated ones: one body over three years, one with a failed identity
    (H1 off by one), one whose prose tries to inject script, links and template markers."""
    import shutil

    from nianbao.synth import INFO, STYLES, make_truth
    from nianbao.synth.truth import with_cells

    shutil.copytree(ROOT / "reports", dest)
    rows = []
    for i, (stem, district, year, template, style, change) in enumerate(SITE_BODIES):
        truth = make_truth(template, seed=100 + i, blanks=0.05, year=year, agency_name=f"{district}卫生健康委员会")
        if change == "break-h1":
            value = truth.cells["requests.new.natural_person"]
            truth = with_cells(truth, {"requests.new.natural_person": (value or 0) + 1})
        text = STYLES[style](truth)
        if change == "long-prose":        # 30,000 characters of overview: the page must still be ≤ 80 kB
            start = text.index("（五）监督保障。")
            text = text[:start] + "（六）其他。" + "全年持续推进政务公开标准化规范化建设，" * 1500 + "\n" + text[start:]
        if change == "inject":
            start = text.index("（五）监督保障。")
            end = text.index("\n", start)
            text = text[:start] + "\n".join(INJECTION) + text[end:]
        name = f"{stem}{INFO[style].suffix}"
        (dest / name).write_text(text, encoding="utf-8")
        rows.append(f"{name},https://www.example.gov.cn/{stem}.html,{year + 1}-02-0{1 + i % 3},{year + 1}-01-2{i},,,generated for the site tests")
    with (dest / "manifest.csv").open("a", encoding="utf-8") as fh:
        fh.write("\n".join(rows) + "\n")
    return dest


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """(reports folder, output root) after `nianbao build`: OUT/datapackages and OUT/site."""
    from click.testing import CliRunner

    from nianbao.cli import main

    reports = make_site_reports(tmp_path_factory.mktemp("site-reports") / "reports")
    out = tmp_path_factory.mktemp("site-out")
    result = CliRunner().invoke(main, ["build", "--reports", str(reports), "--out", str(out)])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return reports, out
