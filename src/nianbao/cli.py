"""The `nianbao` command: a thin layer over the pipeline (see ../shared/spec/contract.md)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from nianbao import __version__


@click.group()
@click.version_option(__version__, prog_name="nianbao")
def main() -> None:
    """Nianbao (年报): government information-disclosure annual reports → open data."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def extract(files: tuple[Path, ...]) -> None:
    """Parse each report and print one JSON record per input (JSON Lines), in input order.

    Example: nianbao extract reports/310105-health/2020.txt other.html
    Exit code 0 even when inputs are rejected (each record's status says so).
    """
    from nianbao.pipeline import extract_path

    out = sys.stdout
    for path in files:
        out.write(extract_path(path, source=str(path)).to_json_line() + "\n")
        out.flush()


@main.command()
@click.option("--reports", "reports_dir", default="reports", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder of source reports (+ manifest.csv).")
@click.option("--out", "out_dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Output root (default: the repository root); packages go to OUT/datapackages/.")
def build(reports_dir: Path, out_dir: Path | None) -> None:
    """Extract every report under --reports and write the data packages to OUT/datapackages/.

    Example: nianbao build --reports reports --out .
    Same inputs give byte-identical outputs; the new packages replace the old ones atomically.
    """
    from nianbao.pipeline import build_corpus

    if not reports_dir.is_dir():
        raise click.UsageError(f"no reports folder: {reports_dir}")
    out_dir = out_dir if out_dir is not None else _repo_root()
    started = time.perf_counter()
    summary = build_corpus(reports_dir, out_dir)
    for problem in summary.problems:
        click.echo(f"  {problem}", err=True)
    click.echo(f"{summary.line()} → {out_dir / 'datapackages'} ({time.perf_counter() - started:.1f} s)")


def _repo_root() -> Path:
    """The repository root when run from a checkout (the folder holding pyproject.toml), else the current folder."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").exists():
            return folder
    return here


if __name__ == "__main__":
    main()
