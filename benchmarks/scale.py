"""Scale: synthetic corpora of N documents, from documents to a searchable site, on this machine.

    python benchmarks/scale.py [--sizes 100 1000 10000] [--work DIR] [--keep]

The largest corpus is generated once (`nianbao synth`; document i depends only on i, so each smaller corpus is
its prefix) and every size is built from scratch (no cache) in a child process whose whole process tree is
sampled for resident memory. Prints per stage seconds, per-report cost, the per-report ratio of each size to the
one before (the baseline measured in the same run), peak RSS, site size on disk and the bytes one search
fetches; for the largest size the site's bytes per body-year by kind of file (the table in the README) and
whether every contract URL form resolves for a sample of 50 body-years; then adds one new report to the
largest corpus and times the rebuild (cache + incremental packages), and extrapolates time and site size to
10,000, 25,000 and 250,000 reports from the two largest sizes (marginal cost per report).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def corpus_of(source: Path, n: int, target: Path) -> Path:
    """The first n documents of the synthetic corpus at `source` (hard links) with their manifest rows."""
    reports = target / "reports"
    if reports.exists():
        shutil.rmtree(reports)
    reports.mkdir(parents=True)
    lines = (source / "reports" / "manifest.csv").read_text(encoding="utf-8").splitlines()
    for line in lines[1:n + 1]:
        rel = line.split(",", 1)[0]
        (reports / rel).parent.mkdir(parents=True, exist_ok=True)
        os.link(source / "reports" / rel, reports / rel)
    (reports / "manifest.csv").write_text("\n".join(lines[:n + 1]) + "\n", encoding="utf-8")
    shutil.copyfile(source / "reports" / ".synthetic", reports / ".synthetic")
    return reports


def measured_build(reports: Path, out: Path) -> dict:
    """`nianbao build` in a child process; peak memory (proportional set size, PSS) of its whole process tree,
    sampled every 0.2 s."""
    import psutil
    code = ("import json, sys; from pathlib import Path; from nianbao.build.driver import build, BuildOptions; "
            "r = build(Path(sys.argv[1]), Path(sys.argv[2]), BuildOptions(synthetic=True)); "
            "print(json.dumps({'seconds': r.seconds, 'extracted': r.extracted, 'cache_hits': r.cache_hits, "
            "'written': r.packages_written, 'pages': r.site.pages, 'mkdocs': r.site.seconds_mkdocs, "
            "'pagefind': r.site.seconds_pagefind, 'published': r.summary.published, "
            "'failed_checks': r.summary.failed_checks, 'line': r.summary.line()}))")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, str(reports), str(out)], stdout=subprocess.PIPE, text=True,
                             env=env)
    peak = [0]

    def sample():
        parent = psutil.Process(child.pid)
        while child.poll() is None:
            try:
                tree = [parent, *parent.children(recursive=True)]
                # PSS, not RSS: forked workers share the parent's pages, and RSS would count them once per process
                peak[0] = max(peak[0], sum(p.memory_full_info().pss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, _ = child.communicate()
    wall = time.perf_counter() - start
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"build failed for {reports}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result.update(wall=wall, peak_rss=peak[0])
    return result


def disk_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def bytes_by_kind(site: Path, top: int = 24) -> list[str]:
    """The site's bytes by kind of file (one rule: nianbao.site.budget.kind_of), per body-year, as a Markdown
    table: the biggest `top` kinds, then the rest in one row."""
    from nianbao.site.budget import human, measure
    size = measure(site)
    n = max(size.body_years, 1)
    rows = sorted(size.by_kind.items(), key=lambda item: (-item[1], item[0].label()))
    lines = [f"bytes by kind, {size.body_years:,} body-years, site {human(size.total)} "
             f"({human(size.total / n)} per body-year):", "",
             "| kind | files | total | per body-year |", "|---|---:|---:|---:|"]
    counts = _file_counts(site)
    for kind, total in rows[:top]:
        lines.append(f"| {kind.label()} | {counts[kind]:,} | {human(total)} | {human(total / n)} |")
    rest = sum(total for _, total in rows[top:])
    if rest:
        lines.append(f"| {len(rows) - top} other kinds | {sum(counts[k] for k, _ in rows[top:]):,} | {human(rest)} | "
                     f"{human(rest / n)} |")
    lines.append(f"| **all** | {size.files:,} | **{human(size.total)}** | **{human(size.total / n)}** |")
    return lines


def _file_counts(site: Path):
    from collections import Counter
    from nianbao.site.budget import kind_of
    return Counter(kind_of(p.relative_to(site).as_posix()) for p in site.rglob("*") if p.is_file())


def add_one(source_plan_n: int, synth_dir: Path, reports: Path) -> str:
    """Render document number `source_plan_n` of the same plan into `reports` and append its manifest row."""
    from nianbao.synth.corpus import manifest_line, plan, render, truth_of
    p = plan(source_plan_n + 1)[-1]
    render(p, truth_of(p), reports / p.file)
    with (reports / "manifest.csv").open("a", encoding="utf-8") as fh:
        fh.write(manifest_line(p) + "\n")
    return p.file


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--work", type=Path, default=None, help="Keep the corpora here (default: a temp folder).")
    parser.add_argument("--keep", action="store_true", help="Do not delete the work folder.")
    args = parser.parse_args()
    from timing import search_bytes
    from nianbao.synth.corpus import synthesize

    sizes = sorted(args.sizes)
    work = args.work or Path(tempfile.mkdtemp(prefix="nianbao-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    synth_dir = work / "synth"
    manifest = synth_dir / "reports" / "manifest.csv"
    have = len(manifest.read_text(encoding="utf-8").splitlines()) - 1 if manifest.exists() else 0
    if have < sizes[-1]:
        t = time.perf_counter()
        synthesize(sizes[-1], synth_dir)
        print(f"synth: {sizes[-1]} documents in {time.perf_counter() - t:.0f} s (kept for reruns; not part of the build)")
    rows = []
    try:
        for n in sizes:
            target = work / f"n{n}"
            if target.exists():
                shutil.rmtree(target)
            reports = corpus_of(synth_dir, n, target)
            r = measured_build(reports, target)
            r.update(n=n, site_bytes=disk_size(target / "site"), search=search_bytes(target / "site"),
                     source_bytes=disk_size(reports))
            rows.append(r)
            s = r["seconds"]
            print(f"N={n:>6}: {r['wall']:7.1f} s  extract {s['extract']:.1f} s, packages {s['packages']:.1f} s, "
                  f"site {s['site']:.1f} s (mkdocs {r['mkdocs']:.1f}, Pagefind {r['pagefind']:.1f}), swap {s['swap']:.1f} s; "
                  f"{1000 * r['wall'] / n:.0f} ms/report; pages {r['pages']}; peak memory {r['peak_rss'] / 2**20:.0f} MB (PSS); "
                  f"site {r['site_bytes'] / 1e6:.0f} MB (sources {r['source_bytes'] / 1e6:.0f} MB; decimal, as hosts count); "
                  f"one search ≤ {r['search'] / 1024:.0f} kB", flush=True)
            print(f"          {r['line']}", flush=True)
        for a, b in zip(rows, rows[1:]):
            ratio = (b["wall"] / b["n"]) / (a["wall"] / a["n"])
            print(f"per-report cost N={b['n']} / N={a['n']}: {ratio:.2f}")
        big = rows[-1]
        target = work / f"n{big['n']}"
        from nianbao.site.contract_urls import contract_problems
        print("\n".join(bytes_by_kind(target / "site")), flush=True)
        problems = contract_problems(target / "site", sample=50)
        print(f"contract URLs, 50 body-years and the corpus: {'all resolve' if not problems else problems[:10]}",
              flush=True)
        added = add_one(big["n"], synth_dir, target / "reports")
        os.sync()   # the full build's gigabytes are written out first: the rebuild is timed, not their writeback
        r = measured_build(target / "reports", target)
        print(f"rebuild after adding one report ({added}) to N={big['n']}: {r['wall']:.1f} s = "
              f"{100 * r['wall'] / big['wall']:.1f}% of the full build (read {r['extracted']}, cache {r['cache_hits']}; "
              f"packages written {r['written']}; stages {r['seconds']})")
        if len(rows) >= 2:
            a, b = rows[-2], rows[-1]
            per = (b["wall"] - a["wall"]) / (b["n"] - a["n"])
            size = (b["site_bytes"] - a["site_bytes"]) / (b["n"] - a["n"])
            for n in (10_000, 25_000, 250_000):
                wall = b["wall"] + per * (n - b["n"])
                print(f"estimate N={n:,} (linear from N={a['n']:,} and N={b['n']:,}): {wall / 60:.0f} min on 2 cores, "
                      f"site {(b['site_bytes'] + size * (n - b['n'])) / 1e9:.2f} GB ({size / 1e3:.0f} kB per report, "
                      f"marginal)")
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
