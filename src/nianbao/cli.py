"""The `nianbao` command: a thin layer over the pipeline (see ../shared/spec/contract.md)."""

from __future__ import annotations

import sys
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


if __name__ == "__main__":
    main()
