"""Scale: synthetic corpora of N documents, from documents to a searchable site, on this machine.

    python benchmarks/scale.py [--sizes 100 1000 10000] [--work DIR] [--keep]

The largest corpus is generated once (`nianbao synth`; document i depends only on i, so each smaller corpus is
its prefix) and every size is built from scratch (no cache) in a child process whose whole process tree is
sampled for resident memory. Prints per stage seconds, per-report cost, the per-report ratio of each size to the
one before (the baseline measured in the same run), peak RSS, site size on disk and the bytes one search
fetches; for the largest size the site's bytes by kind of file, in total and per body-year, on disk and in the
GitHub Pages artifact (deflated, as GitHub counts its 1 GB; the table in the README), times the budget guard's
artifact measure, estimates both sizes at 10,000 body-years, and checks whether every contract URL form
resolves for a sample of 50 body-years; then adds one new report to the largest corpus and times the rebuild (cache + incremental packages), and extrapolates time and site size to
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


# `nianbao build` as the command runs it: the build, then the budget guard (cli._check_budget: the artifact measured
# before any deploy, 1 GB as for GitHub Pages); its figures as JSON on the last line.
BUILD = """
import json, sys, time
from pathlib import Path
from nianbao.build.driver import build, BuildOptions
from nianbao.site.artifact import ARTIFACT_SIZES, artifact_estimate
from nianbao.site.budget import DEFAULT_BUDGET, Verdict, measure, parse_budget
reports, out = Path(sys.argv[1]), Path(sys.argv[2])
r = build(reports, out, BuildOptions(synthetic=True, site_config=Path(sys.argv[3]) if sys.argv[3] else None))
started = time.perf_counter()
verdict = Verdict(measure(out / "site"), artifact_estimate(out / "site", known=out / ARTIFACT_SIZES),
                  parse_budget(DEFAULT_BUDGET))
r.seconds["guard"] = time.perf_counter() - started
print(json.dumps({"seconds": r.seconds, "extracted": r.extracted, "cache_hits": r.cache_hits,
                  "written": r.packages_written, "pages": r.site.pages, "mkdocs": r.site.seconds_mkdocs,
                  "pagefind": r.site.seconds_pagefind, "published": r.summary.published,
                  "failed_checks": r.summary.failed_checks, "line": r.summary.line(),
                  "guard": verdict.lines()[0] + (" — OVER: " + verdict.refusal() if verdict.over else "")}))
"""


def measured_build(reports: Path, out: Path, site_config: Path | None) -> dict:
    """`nianbao build` in a child process, with the memory of its whole process tree (Memory)."""
    stdout, wall, memory = measured([sys.executable, "-c", BUILD, str(reports), str(out), str(site_config or "")])
    result = json.loads(stdout.strip().splitlines()[-1])
    result.update(wall=wall, peak_rss=memory.peak, memory=memory.line())
    return result


def measured_validation(out: Path, everything: bool) -> str:
    """`nianbao validate` as publish.yml runs it (one process, a pool of one worker per core; with its state
    file, only the packages changed since the last run unless `everything`): how many it checked, in how long."""
    argv = [sys.executable, "-m", "nianbao.cli", "validate", str(out / "datapackages"), "--state",
            str(out / "build" / "validated.json")] + (["--all"] if everything else [])
    stdout, wall, memory = measured(argv)
    checked = sum(1 for line in stdout.splitlines() if line.startswith(("valid: ", "INVALID: ")))
    return (f"validated {checked:,} packages ({'--all' if everything else 'changed since the last run'}) in "
            f"{wall:.1f} s on {os.cpu_count()} cores = {1000 * wall / max(checked, 1):.0f} ms per package; "
            f"{memory.line()}; last line: {stdout.strip().splitlines()[-1] if stdout.strip() else '—'}")


def measured(argv: list[str]) -> tuple[str, float, "Memory"]:
    """Run `argv` as a child process: its stdout, wall seconds, and the memory of its whole process tree."""
    import psutil
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env)
    memory = Memory()

    def sample():
        parent = psutil.Process(child.pid)
        while child.poll() is None:
            try:
                memory.sample(parent, [parent, *parent.children(recursive=True)])
            except psutil.Error:
                pass
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, _ = child.communicate()
    wall = time.perf_counter() - start
    sampler.join()
    if child.returncode not in (0,):
        raise SystemExit(f"{' '.join(argv[:3])}… failed with status {child.returncode}")
    return stdout, wall, memory


class Memory:
    """Peak proportional set size (PSS) of a process tree, sampled every 0.2 s, with what each role held at the
    peak and each role's own peak. PSS, not RSS: forked workers share the parent's pages, and RSS would count them
    once per process."""

    def __init__(self) -> None:
        self.peak = 0
        self.at_peak: dict[str, int] = {}
        self.role_peaks: dict[str, int] = {}

    def sample(self, parent, tree) -> None:
        held: dict[str, int] = {}
        for p in tree:
            if p.is_running():
                role = role_of(p, parent)
                held[role] = held.get(role, 0) + p.memory_full_info().pss
        for role, size in held.items():
            self.role_peaks[role] = max(self.role_peaks.get(role, 0), size)
        if sum(held.values()) > self.peak:
            self.peak, self.at_peak = sum(held.values()), held

    def line(self) -> str:
        def mb(size: int) -> str:
            return f"{size / 2**20:,.0f} MB"
        at = ", ".join(f"{role} {mb(size)}" for role, size in sorted(self.at_peak.items(), key=lambda i: -i[1]))
        own = ", ".join(f"{role} {mb(size)}" for role, size in sorted(self.role_peaks.items(), key=lambda i: -i[1]))
        return f"peak memory {mb(self.peak)} (PSS; at the peak: {at}); each role's own peak: {own}"


def role_of(process, parent) -> str:
    """What a process of the tree is, by its command line: the measured process itself, a worker forked from it
    (the same command line), Pagefind, a chart worker (vl-convert), or its name."""
    if process.pid == parent.pid:
        return "main"
    command = process.cmdline()
    if command == parent.cmdline():
        return "forked workers"
    for word, role in (("pagefind", "Pagefind"), ("chart_worker", "chart workers")):
        if word in " ".join(command):
            return role
    return process.name()


def pages_config(work: Path) -> Path:
    """The packaged site configuration with `extra: nianbao_source_copies: false`: a large corpus on GitHub Pages
    links each original by its address and SHA-256 instead of hosting a copy (site/settings.py source_copies)."""
    from nianbao.site.settings import SOURCE_COPIES_KEY
    packaged = (ROOT / "src" / "nianbao" / "site" / "mkdocs.default.yml").read_text(encoding="utf-8")
    folder = work / "pages-site"
    (folder / "docs").mkdir(parents=True, exist_ok=True)   # no hand-written pages, as with the packaged file
    config = folder / "mkdocs.yml"
    config.write_text(packaged + f"extra:\n  {SOURCE_COPIES_KEY}: false\n", encoding="utf-8")
    return config


def source_copies_line(reports: Path, n: int) -> str:
    """What hosting the source copies would add: the reports' files, each deflated as the artifact's zip does."""
    import zlib
    from nianbao.site.budget import human
    files = [p for p in reports.rglob("*") if p.is_file() and p.name != "manifest.csv" and not p.name.startswith(".")]
    disk = sum(p.stat().st_size for p in files)
    packed = sum(len(zlib.compress(p.read_bytes(), 6)) - 6 for p in files)
    return (f"not hosted (--source-copies to host them): the {len(files):,} source documents, {human(disk)} on disk, "
            f"{human(packed)} in the artifact = {human(packed / n)} per body-year")


def disk_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def bytes_by_kind(site: Path, top: int = 24) -> list[str]:
    """The site's bytes by kind of file (one rule: nianbao.site.budget.kind_of), in total and per body-year, on
    disk and in the Pages artifact, as a Markdown table: the biggest `top` kinds, then the rest in one row. A
    kind's artifact bytes are its files deflated one by one at level 6; the site's artifact is measured as the
    guard measures it (the deflated tar, nianbao.site.artifact), and both sums are printed to show they agree."""
    from nianbao.site.artifact import artifact_estimate, artifact_size
    from nianbao.site.budget import human, measure
    size = measure(site)
    n = max(size.body_years, 1)
    counts, deflated = _files_deflated(site)
    t = time.perf_counter()
    artifact = artifact_size(site)
    seconds = time.perf_counter() - t
    t = time.perf_counter()
    estimate = artifact_estimate(site)
    estimate_seconds = time.perf_counter() - t
    rows = sorted(size.by_kind.items(), key=lambda item: (-item[1], item[0].label()))
    lines = [f"bytes by kind, {size.body_years:,} body-years: site {human(size.total)} on disk, {human(artifact)} as the "
             f"Pages artifact (deflated tar, measured in {seconds:.1f} s; the guard's estimate, files deflated one by "
             f"one in {os.cpu_count()} threads: {human(estimate)}, {100 * (estimate / artifact - 1):+.2f}%, in "
             f"{estimate_seconds:.1f} s)", "",
             "| kind | files | on disk | artifact | disk per body-year | artifact per body-year |",
             "|---|---:|---:|---:|---:|---:|"]
    for kind, total in rows[:top]:
        lines.append(f"| {kind.label()} | {counts[kind]:,} | {human(total)} | {human(deflated[kind])} | "
                     f"{human(total / n)} | {human(deflated[kind] / n)} |")
    rest = [kind for kind, _ in rows[top:]]
    if rest:
        disk, packed = sum(size.by_kind[k] for k in rest), sum(deflated[k] for k in rest)
        lines.append(f"| {len(rest)} other kinds | {sum(counts[k] for k in rest):,} | {human(disk)} | {human(packed)} | "
                     f"{human(disk / n)} | {human(packed / n)} |")
    lines.append(f"| **all** | {size.files:,} | **{human(size.total)}** | **{human(artifact)}** | "
                 f"**{human(size.total / n)}** | **{human(artifact / n)}** |")
    for target in (10_000,):
        lines.append(f"estimate for {target:,} body-years (per body-year × {target:,}): {human(size.total / n * target)} "
                     f"on disk, {human(artifact / n * target)} as the Pages artifact (budget 1 GB); the guard's "
                     f"estimate ≈ {estimate_seconds / n * target:.0f} s (the tar stream ≈ {seconds / n * target:.0f} s)")
    return lines


def _files_deflated(site: Path):
    """Per kind: how many files, and their bytes each deflated at level 6 (as the artifact's zip does)."""
    import zlib
    from collections import Counter
    from nianbao.site.budget import kind_of
    counts: Counter = Counter()
    deflated: Counter = Counter()
    for p in site.rglob("*"):
        if p.is_file() and not p.is_symlink():
            kind = kind_of(p.relative_to(site).as_posix())
            counts[kind] += 1
            deflated[kind] += len(zlib.compress(p.read_bytes(), 6)) - 6    # zlib's header and checksum
    return counts, deflated


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
    parser.add_argument("--source-copies", action="store_true",
                        help="Host a copy of each source beside its page (the default of `nianbao build`); without "
                             "it the site is built as a large corpus on GitHub Pages must be (docs/publishing.md).")
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
    site_config = None if args.source_copies else pages_config(work)
    rows = []
    try:
        for n in sizes:
            target = work / f"n{n}"
            if target.exists():
                shutil.rmtree(target)
            reports = corpus_of(synth_dir, n, target)
            r = measured_build(reports, target, site_config)
            r.update(n=n, site_bytes=disk_size(target / "site"), search=search_bytes(target / "site"),
                     source_bytes=disk_size(reports))
            rows.append(r)
            s = r["seconds"]
            print(f"N={n:>6}: {r['wall']:7.1f} s  extract {s['extract']:.1f} s, packages {s['packages']:.1f} s, "
                  f"site {s['site']:.1f} s (mkdocs {r['mkdocs']:.1f}, Pagefind {r['pagefind']:.1f}), swap {s['swap']:.1f} s, guard {s['guard']:.1f} s; "
                  f"{1000 * r['wall'] / n:.0f} ms/report; pages {r['pages']}; peak memory {r['peak_rss'] / 2**20:.0f} MB (PSS); "
                  f"site {r['site_bytes'] / 1e6:.0f} MB (sources {r['source_bytes'] / 1e6:.0f} MB; decimal, as hosts count); "
                  f"one search ≤ {r['search'] / 1024:.0f} kB", flush=True)
            print(f"          {r['line']}", flush=True)
            print(f"          {r['memory']}", flush=True)
            print(f"          guard: {r['guard']}", flush=True)
        for a, b in zip(rows, rows[1:]):
            ratio = (b["wall"] / b["n"]) / (a["wall"] / a["n"])
            print(f"per-report cost N={b['n']} / N={a['n']}: {ratio:.2f}")
        big = rows[-1]
        target = work / f"n{big['n']}"
        from nianbao.site.contract_urls import contract_problems
        print(measured_validation(target, everything=True), flush=True)
        print("\n".join(bytes_by_kind(target / "site")), flush=True)
        if site_config is not None:
            print(source_copies_line(target / "reports", big["n"]), flush=True)
        problems = contract_problems(target / "site", sample=50)
        print(f"contract URLs, 50 body-years and the corpus: {'all resolve' if not problems else problems[:10]}",
              flush=True)
        added = add_one(big["n"], synth_dir, target / "reports")
        os.sync()   # the full build's gigabytes are written out first: the rebuild is timed, not their writeback
        r = measured_build(target / "reports", target, site_config)
        print(f"rebuild after adding one report ({added}) to N={big['n']}: {r['wall']:.1f} s = "
              f"{100 * r['wall'] / big['wall']:.1f}% of the full build (read {r['extracted']}, cache {r['cache_hits']}; "
              f"packages written {r['written']}; stages {r['seconds']}); {r['memory']}")
        print(measured_validation(target, everything=False), flush=True)
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
