"""`nianbao.read_package`: every table of every package of the bundled build read back as DataFrames whose
dtypes are the schema's field types and whose values are the CSV's text, exactly (Decimal money, dates, enums as
categories); the same over HTTP."""

from __future__ import annotations

import csv
import hashlib
import html
import re
import shutil
import threading
import urllib.request
from datetime import date
from decimal import Decimal
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from click.testing import CliRunner

import nianbao
from nianbao.cli import main

from conftest import ROOT, read_csv_plain

DATED = {"000_71ab3c7f20f67078.txt": ("2021-03-02", "2021-01-29")}   # a report with dates, so `date` is read


@pytest.fixture(scope="module")
def datapackages(tmp_path_factory) -> Path:
    """The bundled reports built (packages only), one manifest row given its dates and one cell settled by a
    person (so corrections.csv is read back too)."""
    reports = tmp_path_factory.mktemp("frames") / "reports"
    shutil.copytree(ROOT / "reports", reports)
    seed = "000_71ab3c7f20f67078.txt"
    sha = hashlib.sha256((reports / seed).read_bytes()).hexdigest()
    (reports / "corrections.csv").write_text("sha256,file,cell_id,value,note,by,date\n"
                                             f"{sha},{seed},disclosure.procurement.amount,3177.4,原文采购总金额单位为元,测试,"
                                             "2026-12-06\n", encoding="utf-8")
    with (reports / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row["retrieved"], row["published"] = DATED.get(row["file"], (row["retrieved"], row["published"]))
    with (reports / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = reports.parent / "out"
    result = CliRunner().invoke(main, ["build", "--reports", str(reports), "--out", str(out), "--no-site"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return out / "datapackages"


def package_folders(root: Path) -> list[Path]:
    return sorted(p.parent for p in root.rglob("datapackage.json"))


def expected_dtype(field: dict) -> object:
    """What each Table Schema type must become (written out here, apart from the reader's own table)."""
    if "enum" in field.get("constraints", {}):
        return pd.CategoricalDtype(field["constraints"]["enum"])
    return {"string": pd.StringDtype(), "integer": pd.Int64Dtype(), "number": np.dtype(object),
            "boolean": pd.BooleanDtype(), "date": pd.ArrowDtype(pa.date32())}[field["type"]]


def kind(field: dict) -> str:
    return "enum" if "enum" in field.get("constraints", {}) else field["type"]


def assert_value(value: object, text: str, field: dict) -> None:
    """`value` is what the CSV's `text` says, as the field's type."""
    if text == "":
        assert pd.isna(value) and (kind(field) == "enum" or value is pd.NA), (field["name"], value)
        return
    expected: object = {"integer": lambda: int(text), "number": lambda: Decimal(text), "boolean": lambda: text == "true",
                        "date": lambda: date.fromisoformat(text)}.get(field["type"], lambda: text)()
    assert value == expected, (field["name"], value, text)
    python_type = {"integer": (int, np.integer), "number": Decimal, "boolean": (bool, np.bool_), "date": date}
    assert isinstance(value, python_type.get(field["type"], str)), (field["name"], type(value))
    if field["type"] == "number":
        assert str(value) == text, "a Decimal keeps the number exactly as published"


def round_trip(package: nianbao.Package, folder: Path, seen: dict[str, int]) -> None:
    resources = [r for r in package.descriptor["resources"] if "schema" in r]
    assert list(package.tables) == [r["name"] for r in resources]
    for resource in resources:
        frame = package[resource["name"]]
        assert frame is getattr(package, resource["name"])
        rows = read_csv_plain(folder / resource["path"])
        fields = resource["schema"]["fields"]
        assert list(frame.columns) == [f["name"] for f in fields] and len(frame) == len(rows) > 0
        for field in fields:
            column = frame[field["name"]]
            assert column.dtype == expected_dtype(field), (resource["name"], field["name"], column.dtype)
            if kind(field) == "enum":     # an unordered CategoricalDtype compares equal whatever the order
                assert list(column.cat.categories) == field["constraints"]["enum"]
            for value, row in zip(column, rows, strict=True):
                assert_value(value, row[field["name"]], field)
                seen[kind(field)] += row[field["name"]] != ""


def test_every_table_of_every_package_round_trips(datapackages):
    folders = package_folders(datapackages)
    published = [r for r in read_csv_plain(datapackages / "all" / "reports.csv") if r["status"] == "published"]
    assert [f.relative_to(datapackages).as_posix() for f in folders] == sorted(
        [f"{r['agency_id']}/{r['year']}" for r in published] + ["all"])
    seen = dict.fromkeys(["string", "integer", "number", "boolean", "date", "enum"], 0)
    for folder in folders:
        round_trip(nianbao.read_package(folder), folder, seen)
    assert all(seen.values()), f"every field type is read at least once, with a value: {seen}"


def test_money_is_exact_decimal(datapackages):
    """Money is published in 万元 with decimals: summed as Decimal, never float (0.1 + 0.2 is 0.3)."""
    cells = nianbao.read_package(datapackages / "all" / "datapackage.json").cells
    money = cells[cells.value.map(lambda v: isinstance(v, Decimal) and v != v.to_integral_value())]
    assert len(money) >= 1, "the bundled build has a money cell with decimals"
    texts = [r["value"] for r in read_csv_plain(datapackages / "all" / "cells.csv") if r["value"]]
    assert cells.value.dropna().sum() == sum(Decimal(t) for t in texts)


def test_a_value_outside_the_enum_is_an_error_not_a_missing_value(datapackages, tmp_path):
    shutil.copytree(datapackages / "all", tmp_path / "all")
    path = tmp_path / "all" / "checks.csv"
    path.write_bytes(path.read_bytes().replace(b",hard,", b",harsh,", 1))
    with pytest.raises(ValueError, match="harsh"):
        nianbao.read_package(tmp_path / "all")


def test_text_that_pandas_would_take_for_missing_is_kept(datapackages, tmp_path):
    """Only an empty field is missing: a report may print "NA" or "null" in a cell (raw keeps it as printed)."""
    shutil.copytree(datapackages / "all", tmp_path / "all")
    path = tmp_path / "all" / "cells.csv"
    rows = read_csv_plain(path)
    rows[0]["raw"], rows[1]["raw"] = "NA", "null"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert nianbao.read_package(tmp_path / "all").cells.raw[:2].tolist() == ["NA", "null"]


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def test_a_package_read_over_http_is_the_same(datapackages):
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(datapackages)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        for local, url in [(datapackages / "310105-health" / "2020", base + "310105-health/2020/datapackage.json"),
                           (datapackages / "all", base + "all/")]:
            remote, here = nianbao.read_package(url), nianbao.read_package(local)
            assert remote.descriptor == here.descriptor and list(remote.tables) == list(here.tables)
            for name, frame in here.tables.items():
                pd.testing.assert_frame_equal(remote[name], frame, check_exact=True)
    finally:
        server.shutdown()
        server.server_close()


def snippet(page: Path) -> str:
    """The page's pandas snippet, as text."""
    blocks = re.findall(r"<pre[^>]*><code>(.*?)</code></pre>", page.read_text(encoding="utf-8"), flags=re.S)
    return next(text for text in map(html.unescape, blocks) if "read_package" in text)


@pytest.mark.parametrize("url", ["agencies/310105-health/2020/", "data/"])
def test_the_pages_snippets_name_their_real_url_and_run(built_site, url, monkeypatch):
    """The snippet's base is the page's absolute URL; with it pointed at the built site's folder, both ways run.
    The site's body-year descriptors name their schemas by URL at the site's address, which nothing serves
    here: those are read from the same folder."""
    site = built_site[1] / "site"
    page = site / (url if url != "data/" else "downloads/") / "index.html"
    code = snippet(page)
    base = re.search(r'^base = "(.*)"$', code, flags=re.M)
    assert base and re.fullmatch(r"https?://[^{}\s]+/" + re.escape(url), base[1]), code
    address, urlopen = base[1].removesuffix(url), urllib.request.urlopen
    monkeypatch.setattr(urllib.request, "urlopen", lambda where, *args, **kwargs: (
        (site / where.removeprefix(address)).open("rb") if isinstance(where, str) and where.startswith(address)
        else urlopen(where, *args, **kwargs)))
    names: dict = {}
    exec(code.replace(base[0], f'base = "{(site / url).as_posix()}/"'), names)   # noqa: S102
    package = names.get("package") or names["data"]
    assert isinstance(package, nianbao.Package)
    assert len(package.cells) == len(names["cells"]) > 0
