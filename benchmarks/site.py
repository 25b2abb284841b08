"""Site build speed and weight: generated reports → packages → site, against a same-run baseline.

    python benchmarks/site.py [--bodies 20] [--years 3]

Prints per-stage seconds, per-page cost, the cost of a bare mkdocs-material build of as many one-line pages
(the baseline: what the theme alone costs), the largest body-year page, and the bytes one search fetches.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

DISTRICTS = ["上海市黄浦区", "上海市徐汇区", "上海市长宁区", "上海市静安区", "上海市普陀区", "上海市虹口区", "上海市杨浦区",
             "上海市闵行区", "上海市宝山区", "上海市嘉定区", "上海市浦东新区", "上海市金山区", "上海市松江区", "上海市青浦区",
             "上海市奉贤区", "上海市崇明区", "杭州市上城区", "杭州市拱墅区", "杭州市西湖区", "杭州市滨江区", "杭州市萧山区",
             "杭州市余杭区", "杭州市临平区", "杭州市钱塘区", "杭州市富阳区", "杭州市临安区", "南京市玄武区", "南京市秦淮区",
             "南京市建邺区", "南京市鼓楼区"]
STYLES = ["pipe_rows", "markdown_table", "tab_cells", "whitespace_rows", "html_table"]


def make_reports(folder: Path, bodies: int, years: int) -> None:
    from nianbao.synth import INFO, STYLES as RENDER, make_truth
    rows = []
    for b in range(bodies):
        for y in range(years):
            year = 2021 + y
            style = STYLES[(b + y) % len(STYLES)]
            truth = make_truth("2021", seed=b * 10 + y, blanks=0.05, year=year,
                               agency_name=f"{DISTRICTS[b % len(DISTRICTS)]}卫生健康委员会")
            name = f"{b:03d}-{year}{INFO[style].suffix}"
            (folder / name).write_text(RENDER[style](truth), encoding="utf-8")
            rows.append(f"{name},https://example.gov.cn/{b}/{year}.html,{year + 1}-02-01,{year + 1}-01-20,,,benchmark")
    (folder / "manifest.csv").write_text("file,source_url,retrieved,published,agency_id,year,notes\n"
                                         + "\n".join(rows) + "\n", encoding="utf-8")


def baseline(pages: int, work: Path) -> float:
    """A bare mkdocs-material build of `pages` one-line pages with the same theme settings."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from nianbao.site.mkdocs_build import DEFAULT_CONFIG
    docs = work / "docs"
    for i in range(pages):
        (docs / f"p{i}").mkdir(parents=True)
        (docs / f"p{i}" / "index.md").write_text(f"# 页面 {i}\n\n一行文字。\n", encoding="utf-8")
    (work / "mkdocs.yml").write_text(f'INHERIT: "{DEFAULT_CONFIG}"\ndocs_dir: "{docs}"\nplugins: []\n'
                                     f'site_dir: "{work / "site"}"\nnav: ["p0/index.md"]\n', encoding="utf-8")
    start = time.perf_counter()
    build(load_config(str(work / "mkdocs.yml")))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bodies", type=int, default=20)
    parser.add_argument("--years", type=int, default=3)
    args = parser.parse_args()
    import logging
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    from nianbao.build.driver import BuildOptions, build
    from timing import search_bytes
    work = Path(tempfile.mkdtemp(prefix="nianbao-site-bench-"))
    try:
        reports, out = work / "reports", work / "out"
        reports.mkdir()
        make_reports(reports, args.bodies, args.years)
        report = build(reports, out, BuildOptions(site_config=ROOT / "mkdocs.yml"))
        summary = report.site
        t0, t1 = 0.0, report.seconds["extract"] + report.seconds["packages"]
        t2 = t1 + report.seconds["site"]
        base = baseline(summary.pages, work / "baseline")
        site = out / "site"
        largest = max((p.stat().st_size, p) for p in (site / "agencies").glob("*/*/index.html"))
        total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        n = args.bodies * args.years
        print(f"reports: {n} ({args.bodies} bodies × {args.years} years); site pages: {summary.pages}")
        print(f"extract + packages: {t1 - t0:.2f} s ({1000 * (t1 - t0) / n:.1f} ms/report)")
        print(f"site: {t2 - t1:.2f} s = {1000 * (t2 - t1) / summary.pages:.1f} ms/page "
              f"(mkdocs {summary.seconds_mkdocs:.2f} s, Pagefind {summary.seconds_pagefind:.2f} s)")
        print(f"baseline, bare mkdocs-material with {summary.pages} one-line pages: {base:.2f} s "
              f"= {1000 * base / summary.pages:.1f} ms/page; our mkdocs stage is "
              f"{summary.seconds_mkdocs / base:.2f}× that, the whole site stage {(t2 - t1) / base:.2f}×")
        print(f"largest body-year page: {largest[0] / 1024:.1f} kB ({largest[1].parent.relative_to(site)})")
        print(f"site on disk: {total / 1024 / 1024:.1f} MB; one search fetches ≤ {search_bytes(site) / 1024:.0f} kB "
              "(before gzip)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
