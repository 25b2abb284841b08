"""Validating data packages at scale: the old way (one `frictionless validate` process per package, as publish.yml
did in a bash loop) against `nianbao validate` (one process, a pool of processes, and only what changed).

    python benchmarks/validate.py [--n 200] [--sample 20] [--workers 2] [--work DIR] [--keep]

Builds N synthetic body-years (`nianbao synth`, then `nianbao build --no-site`), then measures, in this one run:
the old way on a sample of packages (the baseline), one process over every body-year package, the pool, the
corpus package alone (it grows with the corpus), a second run with the state file (nothing changed) and one
after a package changed. Extrapolates each to 10,000 body-years: per-package costs times 10,000, the corpus
package's time in proportion to its bytes.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

TARGET = 10_000


def timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended: unlike wall time, it does not grow when
    other people's work shares the cores."""
    mine, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def measured(action) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds, result)."""
    cpu = cpu_seconds()
    wall, result = timed(action)
    return wall, cpu_seconds() - cpu, result


def built_packages(n: int, work: Path) -> Path:
    from click.testing import CliRunner

    from nianbao.cli import main

    packages = work / "datapackages"
    if packages.is_dir():
        return packages
    runner = CliRunner()
    for args in (["synth", "--n", str(n), "--out", str(work), "--seed", "7"],
                 ["build", "--reports", str(work / "reports"), "--out", str(work), "--no-site"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output + repr(result.exception)
    return packages


def old_way(descriptors: list[Path]) -> tuple[float, float, object]:
    """One `frictionless validate` process each."""
    frictionless = shutil.which("frictionless") or str(Path(sys.executable).parent / "frictionless")
    return measured(lambda: [subprocess.run([frictionless, "validate", str(d)], capture_output=True, check=False)
                             for d in descriptors])


def folder_bytes(descriptor: Path) -> int:
    return sum(p.stat().st_size for p in descriptor.parent.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--sample", type=int, default=20, help="packages validated the old way")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    from nianbao.package.validate import corpus_package, package_digest, validate_all, validate_packages

    work = args.work or Path(tempfile.mkdtemp(prefix="nianbao-validate-"))
    try:
        seconds, packages = timed(lambda: built_packages(args.n, work))
        corpus = corpus_package(packages)
        body_years = [d for d in sorted(packages.rglob("datapackage.json")) if d != corpus]
        print(f"{len(body_years)} body-year packages + the corpus package ({seconds:.0f} s to make)")

        validate_all(body_years[:1], 1)                        # frictionless imported once, as in any run
        runs = {f"old: one frictionless process each (n={args.sample})": (args.sample,
                                                                           old_way(body_years[:args.sample])),
                "one process": (len(body_years), measured(lambda: validate_all(body_years, 1))),
                f"pool of {args.workers} processes": (len(body_years),
                                                      measured(lambda: validate_all(body_years, args.workers)))}
        [_, (_, _, serial)], [_, (_, _, pooled)] = list(runs.values())[1:]
        assert [v.errors for v in serial] == [v.errors for v in pooled]
        corpus_wall, corpus_cpu, _ = measured(lambda: validate_all([corpus], 1))
        hash_s, _ = timed(lambda: [package_digest(d) for d in body_years])
        per_hash = hash_s / len(body_years)

        state = work / "validated.json"
        validate_packages(packages, state=state, workers=args.workers)
        again_s, again = timed(lambda: validate_packages(packages, state=state, workers=args.workers))
        touched = body_years[len(body_years) // 2]          # other bytes, still valid
        touched.write_bytes(touched.read_bytes() + b"\n")
        changed_s, changed = timed(lambda: validate_packages(packages, state=state, workers=args.workers))

        corpus_share = folder_bytes(corpus) / sum(folder_bytes(d) for d in body_years)
        corpus_10k = corpus_cpu * TARGET / len(body_years)
        cores = os.cpu_count() or 1
        print(f"\n{'':44}{'wall s/pkg':>11}{'CPU s/pkg':>10}{'× old (CPU)':>12}  at {TARGET:,}, idle {cores} cores")
        per_cpu = {}
        for label, (count, (wall, cpu, _)) in runs.items():
            per_cpu[label] = cpu / count
            parallel = min(args.workers, cores) if label.startswith("pool") else 1
            print(f"{label:44}{wall / count:11.3f}{cpu / count:10.3f}{next(iter(per_cpu.values())) / (cpu / count):12.1f}"
                  f"  {TARGET * cpu / count / parallel / 60:6.1f} min")
        pool_cpu = list(per_cpu.values())[2]
        print(f"\ncorpus package ({folder_bytes(corpus) / 1e6:.1f} MB, {corpus_share:.2f}× the body-years' bytes): "
              f"{corpus_wall:.1f} s wall, {corpus_cpu:.1f} s CPU; at {TARGET:,}: ≈ {corpus_10k / 60:.1f} min "
              f"(in proportion to its bytes)")
        print(f"state digests: {per_hash * 1000:.2f} ms/package, {TARGET * per_hash:.0f} s at {TARGET:,}")
        print(f"second run, nothing changed: {again_s:.1f} s ({again.line()})")
        print(f"one package changed: {changed_s:.1f} s ({changed.line()})")
        full = max((TARGET * pool_cpu + corpus_10k) / min(args.workers, cores), corpus_10k)
        incremental = TARGET * per_hash + 2 * list(per_cpu.values())[1] + corpus_10k
        print(f"\nat {TARGET:,} body-years on {cores} idle cores: --all ≈ {full / 60:.1f} min (the corpus package beside "
              f"the pool); a push changing one report ≈ {incremental / 60:.1f} min; the old loop ≈ "
              f"{TARGET * list(per_cpu.values())[0] / 3600:.1f} h")
        print(f"(machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})")
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
