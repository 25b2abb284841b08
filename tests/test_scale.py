"""Scale machinery: the synthetic corpus, the executors (process pool, serial, Dask), the per-document guards,
the extraction cache, incremental packages and the all-or-nothing swap of the outputs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import read_csv_plain, tree_hashes
from nianbao.cli import main
from nianbao.build.executor import Job, Limits, extract_many
from nianbao.synth.corpus import plan
from nianbao.build.driver import BuildOptions, build
from nianbao.read import Unreadable

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def synth60(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("synth60")
    result = CliRunner().invoke(main, ["synth", "--n", "60", "--out", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def _packages(reports: Path, out: Path, **options) -> dict[str, str]:
    build(reports, out, BuildOptions(site=False, cache=False, **options))
    return tree_hashes(out / "datapackages")


# --------------------------------------------------------------------------------------- synthetic corpus


def test_synth_is_a_prefix_of_a_larger_corpus_and_uses_real_places():
    small, large = plan(30), plan(300)
    assert small == large[:30]
    assert {p.year for p in large} == set(range(2019, 2026))
    assert {p.template for p in large} == {"2019", "2021"}
    assert len({p.fmt.split(":")[0] for p in large}) == 3          # pdf, docx, text/html
    assert all(p.agency_id.split("-", 1)[0].isdigit() and len(p.agency_id.split("-", 1)[0]) == 6 for p in large)


def test_synth_corpus_extracts_to_its_truth_and_its_planted_errors_are_caught(synth60, tmp_path):
    build(synth60 / "reports", tmp_path, BuildOptions(site=False))
    truth = [json.loads(line) for line in (synth60 / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    cells = {}
    for row in read_csv_plain(tmp_path / "datapackages" / "all" / "cells.csv"):
        cells[(row["agency_id"], int(row["year"]), row["cell_id"])] = (row["status"], row["value"])
    reports = {r["file"]: r for r in read_csv_plain(tmp_path / "datapackages" / "all" / "reports.csv")}
    wrong, total = [], 0
    for t in truth:
        assert reports[t["file"]]["status"] == "published", reports[t["file"]]
        assert (reports[t["file"]]["agency_id"], int(reports[t["file"]]["year"])) == (t["agency_id"], t["year"])
        for cid, (status, value) in t["cells"].items():
            total += 1
            got = cells[(t["agency_id"], t["year"], cid)]
            want = (status, "" if value is None else str(value))
            if got[0] != want[0] or (status == "value" and float(got[1]) != float(want[1])):
                wrong.append((t["file"], cid, got, want))
    assert total > 60 * 150 and not wrong, wrong[:10]
    failed = {(r["agency_id"], int(r["year"])) for r in read_csv_plain(tmp_path / "datapackages" / "all" / "checks.csv")
              if r["ok"] == "false" and r["check_id"].startswith(("H", "X1"))}
    planted = {(t["agency_id"], t["year"]) for t in truth if t["error"]}
    assert planted and failed == planted      # every planted error caught; nothing else fails
    # Sector ids have hyphens (natural-resources): the packages' schemas must accept them.
    from frictionless import validate
    hyphenated = next(t for t in truth if "-" in t["agency_id"].split("-", 1)[1])
    report = validate(tmp_path / "datapackages" / hyphenated["agency_id"] / str(hyphenated["year"]) / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])[:5]


def test_the_manifest_accepts_hyphenated_sector_ids(tmp_path):
    from nianbao.package.manifest import read_manifest
    (tmp_path / "manifest.csv").write_text("file,source_url,retrieved,published,agency_id,year,notes\n"
                                           "a.pdf,,,,450503-market-regulation,,\n", encoding="utf-8")
    row = read_manifest(tmp_path / "manifest.csv")["a.pdf"]
    assert row.agency_id == "450503-market-regulation" and row.problems == ()


def test_a_site_built_from_synthetic_reports_says_so_on_every_page(synth60, tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    for p in plan(8):    # one body, its first 7 years, and the next body's first
        (reports / p.file).parent.mkdir(parents=True, exist_ok=True)
        (reports / p.file).write_bytes((synth60 / "reports" / p.file).read_bytes())
    (reports / ".synthetic").write_text("synthetic\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--reports", str(reports), "--out", str(tmp_path), "--workers", "1"])
    assert result.exit_code == 0, result.output
    pages = sorted((tmp_path / "site").rglob("*.html"))
    assert not [p for p in pages if p.name.startswith("source.")]    # web-page sources are hosted as text
    pages = [p for p in pages if "pagefind" not in p.parts]
    assert len(pages) > 15
    for page in pages:
        assert "合成数据" in page.read_text(encoding="utf-8"), page


def test_the_site_stage_holds_no_record(synth60, tmp_path, monkeypatch):
    """Issue 18: the records (~0.4 GB at 10,000 reports) stayed alive through the site stage, which reads the
    packages on disk and never needs them, and every page worker forked from the build shared them."""
    import gc
    import nianbao.site.build as site_build
    from nianbao.model.record import PackedRecord, Record
    reports = tmp_path / "reports"
    for p in plan(3):
        (reports / p.file).parent.mkdir(parents=True, exist_ok=True)
        (reports / p.file).write_bytes((synth60 / "reports" / p.file).read_bytes())
    def records_alive() -> int:     # in this process: other tests' fixtures may hold some of their own
        gc.collect()
        return sum(isinstance(o, (PackedRecord, Record)) for o in gc.get_objects())

    alive = []
    real = site_build.build_site

    def counting(*args, **kwargs):
        alive.append(records_alive())
        return real(*args, **kwargs)

    monkeypatch.setattr(site_build, "build_site", counting)
    before = records_alive()
    report = build(reports, tmp_path / "out", BuildOptions(workers=1, executor="serial"))
    assert report.site is not None and report.site.body_years == 3 and report.extracted == 3
    assert alive == [before]


# ----------------------------------------------------------------------------------------------- executors


def test_dask_local_cluster_gives_byte_identical_packages(synth60, tmp_path):
    distributed = pytest.importorskip("distributed", reason="dask.distributed is in the test extras")
    local = _packages(synth60 / "reports", tmp_path / "local", executor="process", workers=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        remote = _packages(synth60 / "reports", tmp_path / "dask", executor="dask", scheduler=cluster.scheduler_address)
    assert len(local) > 60 * 10
    assert remote == local


def test_serial_and_process_pool_give_byte_identical_packages(synth60, tmp_path):
    assert _packages(synth60 / "reports", tmp_path / "a", executor="serial") == \
        _packages(synth60 / "reports", tmp_path / "b", executor="process", workers=2)


def _slow(path):
    time.sleep(30)


def _greedy(path):
    hoard = bytearray(3 * 2**30)     # 3 GB against a 600 MB limit
    return hoard


def _crash(path):
    os.kill(os.getpid(), signal.SIGSEGV)


@pytest.mark.parametrize("reader, code", [(_slow, "too-slow"), (_greedy, "too-much-memory"),
                                          (_crash, "reader-crashed")])
def test_one_bad_document_is_rejected_by_the_guards_and_the_others_are_read(reader, code, synth60, monkeypatch):
    """Readers are swapped before the pool forks, so the workers inherit the bad reader for `.bad` files."""
    from nianbao import read
    monkeypatch.setitem(read.READERS, ".bad", reader)
    bad = synth60 / "poison.bad"
    bad.write_bytes(b"x")
    good = sorted((synth60 / "reports").rglob("*.html"))[:3]
    jobs = [Job(str(good[0]), "a"), Job(str(bad), "bad"), *(Job(str(g), g.name) for g in good[1:])]
    started = time.perf_counter()
    records = extract_many(jobs, "process", workers=2, limits=Limits(seconds=2, memory_mb=600))
    assert time.perf_counter() - started < 25
    assert [r.source for r in records] == [j.source for j in jobs]
    assert records[1].status == "rejected" and records[1].reason_code == code, records[1]
    assert records[1].reason.endswith(".") and len(records[1].reason) < 160
    assert all(r.status == "ok" for i, r in enumerate(records) if i != 1)


def _modest(path):
    hoard = bytearray(200 * 2**20)   # 200 MB, within a 600 MB limit
    raise Unreadable("read-within-limit", f"Read with {len(hoard) >> 20} MB.")


def test_the_memory_limit_counts_from_what_the_worker_inherits(synth60, monkeypatch):
    """A worker forked from a process that already holds 4 GB of address space (a long test run) may still use
    its own budget: the limit is for reading one file, not for what the parent held before."""
    import mmap

    from nianbao import read
    monkeypatch.setitem(read.READERS, ".modest", _modest)
    doc = synth60 / "modest.modest"
    doc.write_bytes(b"x")
    held = mmap.mmap(-1, 4 * 2**30)        # address space only: never touched, so no memory is used
    try:
        record = extract_many([Job(str(doc), "modest")], "process", workers=1, limits=Limits(seconds=20, memory_mb=600))[0]
    finally:
        held.close()
    assert (record.status, record.reason_code) == ("rejected", "read-within-limit"), record.reason


# ---------------------------------------------------------------------------------- cache and incremental


def test_rebuild_reads_only_new_documents_and_rewrites_only_touched_packages(synth60, tmp_path):
    reports = tmp_path / "reports"
    first = plan(16)
    for p in first[:15]:
        (reports / p.file).parent.mkdir(parents=True, exist_ok=True)
        (reports / p.file).write_bytes((synth60 / "reports" / p.file).read_bytes())
    out = tmp_path / "out"
    opts = BuildOptions(site=False, workers=2)
    full = build(reports, out, opts)
    assert (full.extracted, full.packages_written) == (15, 15)
    again = build(reports, out, opts)
    assert (again.extracted, again.cache_hits, again.packages_written) == (0, 15, 0)
    before = tree_hashes(out / "datapackages")
    new = first[15]                                  # the second body's second year: it touches its first year too
    (reports / new.file).write_bytes((synth60 / "reports" / new.file).read_bytes())
    grown = build(reports, out, opts)
    assert (grown.extracted, grown.cache_hits) == (1, 15)
    assert grown.packages_written == 2               # the new body-year and the year before it (cross-year check)
    after = tree_hashes(out / "datapackages")
    scratch = _packages(reports, tmp_path / "scratch")
    assert after == scratch                          # incremental = from scratch, byte for byte
    changed = {k for k in after if before.get(k) != after[k]}
    assert {k.split("/")[0] for k in changed} == {new.agency_id, "all"}


def test_site_rebuild_makes_only_the_pages_a_new_report_touches_and_equals_a_full_build(synth60, tmp_path):
    reports = tmp_path / "reports"
    first = plan(22)
    for p in first[:21]:                              # 3 bodies × 7 years
        (reports / p.file).parent.mkdir(parents=True, exist_ok=True)
        (reports / p.file).write_bytes((synth60 / "reports" / p.file).read_bytes())
    out = tmp_path / "out"
    full = build(reports, out, BuildOptions(workers=2))
    assert full.site.pages_made == full.site.pages
    same = build(reports, out, BuildOptions(workers=2))
    bodies_and_years = 3 + 21
    assert same.site.pages_made == same.site.pages - bodies_and_years      # only the index pages again
    new = first[21]                                   # a fourth body's first year
    (reports / new.file).parent.mkdir(parents=True, exist_ok=True)
    (reports / new.file).write_bytes((synth60 / "reports" / new.file).read_bytes())
    grown = build(reports, out, BuildOptions(workers=2))
    assert grown.site.pages_made == grown.site.pages - bodies_and_years    # its body and body-year pages are new
    scratch = tmp_path / "scratch"
    build(reports, scratch, BuildOptions(workers=2, cache=False))
    volatile = ("pagefind/filter/", "pagefind/pagefind.", "pagefind/pagefind-entry.json", "pagefind/wasm")
    def stable(tree):
        return {k: v for k, v in tree.items() if not k.startswith(volatile)}
    assert stable(tree_hashes(out / "site")) == stable(tree_hashes(scratch / "site"))


def test_a_build_killed_halfway_leaves_the_previous_output_intact(tmp_path):
    reports = ROOT / "reports"
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "nianbao.cli", "build", "--reports", str(reports), "--out", str(out)]
    subprocess.run(command, check=True, env=env, capture_output=True)
    before = {"datapackages": tree_hashes(out / "datapackages"), "site": tree_hashes(out / "site")}
    child = subprocess.Popen([*command, "--no-cache"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while not (out / ".site.tmp").exists() and time.time() < deadline:   # packages staged, site half-built
        time.sleep(0.05)
    assert (out / ".site.tmp").exists() and child.poll() is None
    child.kill()
    child.wait()
    assert tree_hashes(out / "datapackages") == before["datapackages"]
    assert tree_hashes(out / "site") == before["site"]
    subprocess.run(command, check=True, env=env, capture_output=True)      # and the next build cleans up
    assert not (out / ".site.tmp").exists() and not (out / ".datapackages.tmp").exists()


def test_long_lists_are_split_by_province_or_cut_with_the_rest_in_csv(synth60, tmp_path, monkeypatch):
    """With the limit at 3 rows, a corpus of 5 bodies gets province pages, a capped ranking and quality list."""
    from lxml import html as lhtml
    from nianbao.site import page
    monkeypatch.setattr(page, "LIST_LIMIT", 3)
    reports = tmp_path / "reports"
    for p in plan(35):                                # 5 bodies × 7 years
        (reports / p.file).parent.mkdir(parents=True, exist_ok=True)
        (reports / p.file).write_bytes((synth60 / "reports" / p.file).read_bytes())
    (reports / "junk.txt").write_text("这不是年报。", encoding="utf-8")
    build(reports, tmp_path, BuildOptions(workers=2))
    site = tmp_path / "site"
    bodies = {p.agency_id for p in plan(35)}
    index = lhtml.parse(str(site / "agencies" / "index.html"))
    region_links = [a.get("href") for a in index.xpath("//article//table//a")]
    assert region_links and all("regions/" in h for h in region_links)
    listed = set()
    for href in region_links:
        page = lhtml.parse(str((site / "agencies" / href).resolve() / "index.html"))
        listed |= {t.text_content() for t in page.xpath("//article//table//code")}
    assert listed == bodies                           # every body on exactly the province pages
    ranking = lhtml.parse(str(site / "compare" / "2024" / "index.html"))
    assert len(ranking.xpath('//h2[@id="ranking"]/following::table[1]//tbody/tr')) == 3
    assert len(read_csv_plain(site / "compare" / "2024" / "compare-2024.csv")) == 5
    quality = lhtml.parse(str(site / "quality" / "index.html"))
    inputs = quality.xpath('//h2[@id="inputs"]/following::table[1]//tbody/tr')
    assert len(inputs) == 1 + 3                       # the rejected file always, published ones up to the limit
    assert "junk.txt" in inputs[0].text_content()
