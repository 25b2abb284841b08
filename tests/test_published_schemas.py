"""The body-year packages' Table Schemas are published once on the site (/data/schemas/) and the site's copy of
each body-year `datapackage.json` names them by URL (issue 18); `datapackages/` and the zips keep them inline, so
a downloaded zip validates offline. Built from synthetic reports of both templates, served on loopback at the
address the site was built for, so every URL the descriptors give is the one fetched."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import urllib.request
import zipfile
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import nianbao
from nianbao.cli import main
from nianbao.model import urls
from nianbao.site.contract_urls import body_year_problems
from nianbao.site.descriptors import site_descriptor


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(site URL, output folder): eight synthetic reports built for a loopback address, then served there."""
    work = tmp_path_factory.mktemp("schemas")
    result = CliRunner().invoke(main, ["synth", "--n", "8", "--out", str(work / "synth"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    out = work / "out"
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(out / "site")))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    saved = os.environ.get(urls.SITE_URL_VARIABLE)
    os.environ[urls.SITE_URL_VARIABLE] = base
    try:
        result = CliRunner().invoke(main, ["build", "--reports", str(work / "synth" / "reports"), "--out", str(out)])
    finally:
        os.environ.pop(urls.SITE_URL_VARIABLE) if saved is None else os.environ.__setitem__(urls.SITE_URL_VARIABLE, saved)
    assert result.exit_code == 0, result.output + repr(result.exception)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base, out
    server.shutdown()
    server.server_close()


def body_years(out: Path) -> list[Path]:
    """Each body-year folder of datapackages/ (the corpus folder left out)."""
    return sorted(p.parent for p in (out / "datapackages").glob("*/*/datapackage.json") if p.parent.name.isdigit())


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def fetch_json(url: str) -> dict:
    with urllib.request.urlopen(url) as response:
        return json.loads(response.read().decode("utf-8"))


def site_copy(out: Path, folder: Path) -> Path:
    return out / "site" / urls.body_year_page(folder.parent.name, int(folder.name)) / urls.DESCRIPTOR


def test_the_sites_descriptor_names_each_schema_by_url_and_the_url_serves_the_inline_one(served):
    base, out = served
    templates, seen = set(), 0
    for folder in body_years(out):
        inline = {r["name"]: r for r in read_json(folder / urls.DESCRIPTOR)["resources"]}
        versions = read_json(folder / "report.json")["tables"]
        templates.add(read_json(folder / "report.json")["template"])
        for resource in read_json(site_copy(out, folder))["resources"]:
            if "schema" not in inline[resource["name"]]:
                assert "schema" not in resource
                continue
            expected = base + urls.corpus_file(urls.table_schema(resource["name"], versions))
            assert resource["schema"] == expected
            assert fetch_json(resource["schema"]) == inline[resource["name"]]["schema"]
            seen += 1
    assert seen and {"2019", "2021"} <= templates, templates


def test_a_table_printed_differently_by_a_template_has_its_own_schema_url(served):
    """表二 prints other columns in 2019 and in 2021: two URLs, each serving its own schema."""
    base, out = served
    by_url: dict[str, dict] = {}
    for folder in body_years(out):
        inline = next(r for r in read_json(folder / urls.DESCRIPTOR)["resources"] if r["name"] == "disclosure")
        named = next(r for r in read_json(site_copy(out, folder))["resources"] if r["name"] == "disclosure")
        assert isinstance(named["schema"], str), named
        by_url.setdefault(named["schema"], inline["schema"])
        assert by_url[named["schema"]] == inline["schema"], named["schema"]
    assert sorted(by_url) == [base + "data/schemas/disclosure-2019.json", base + "data/schemas/disclosure-2021.json"]
    assert len({json.dumps(s, sort_keys=True) for s in by_url.values()}) == 2


def test_a_schema_that_differs_from_the_published_file_stays_inline():
    """The site never points a table at a published file that is not its schema: it keeps the schema inline."""
    schema = {"fields": [{"name": "row", "type": "string"}], "primaryKey": ["row"]}
    descriptor = {"name": "p", "resources": [{"name": "disclosure", "path": "disclosure.csv", "schema": schema}]}
    site = urls.SiteUrls("https://example.org/nianbao/")
    same = site_descriptor(descriptor, {"disclosure": "disclosure-2021"}, {"schemas/disclosure-2021.json": schema}, site)
    assert same["resources"][0]["schema"] == "https://example.org/nianbao/data/schemas/disclosure-2021.json"
    other = {"schemas/disclosure-2021.json": {**schema, "primaryKey": []}}
    assert site_descriptor(descriptor, {"disclosure": "disclosure-2021"}, other, site) == descriptor


def test_a_zip_holds_its_schemas_and_validates_without_a_network(served, tmp_path, monkeypatch):
    import frictionless

    _, out = served
    folder = body_years(out)[0]
    with zipfile.ZipFile(folder / urls.package_zip(folder.parent.name, int(folder.name))) as zf:
        zf.extractall(tmp_path)
    descriptor = read_json(tmp_path / urls.DESCRIPTOR)
    assert all(isinstance(r["schema"], dict) for r in descriptor["resources"] if r.get("type") == "table")

    def no_network(*args, **kwargs):
        raise OSError("the network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    report = frictionless.validate(str(tmp_path / urls.DESCRIPTOR))
    assert report.valid, report.flatten(["type", "message"])


def test_frictionless_validates_the_sites_package_over_http(served):
    """As a user would: the frictionless command on the descriptor's URL, schemas fetched from the site."""
    base, out = served
    for folder in body_years(out)[:2]:
        url = base + urls.body_year_page(folder.parent.name, int(folder.name)) + urls.DESCRIPTOR
        run = subprocess.run([sys.executable, "-m", "frictionless", "validate", url], capture_output=True,
                             text=True, timeout=300)
        assert run.returncode == 0 and "VALID" in run.stdout, run.stdout[-3000:] + run.stderr[-3000:]


def test_read_package_reads_the_sites_copy_over_http_as_the_package_on_disk(served):
    base, out = served
    folder = body_years(out)[0]
    remote = nianbao.read_package(base + urls.body_year_page(folder.parent.name, int(folder.name)))
    here = nianbao.read_package(folder)
    assert list(remote.tables) == list(here.tables) and len(here.tables) >= 5
    for name, frame in here.tables.items():
        pd.testing.assert_frame_equal(remote[name], frame, check_exact=True)


def test_a_schema_url_that_does_not_resolve_is_a_contract_problem(served, tmp_path):
    _, out = served
    folder = body_years(out)[0]
    agency_id, year = folder.parent.name, int(folder.name)
    assert body_year_problems(out / "site", agency_id, year) == []
    site = tmp_path / "site"
    for path in (urls.body_page(agency_id), urls.body_year_page(agency_id, year), urls.CORPUS):
        (site / path).mkdir(parents=True, exist_ok=True)
    for path in [urls.body_page(agency_id) + "index.html", *(urls.body_year_page(agency_id, year) + f.name
                 for f in (out / "site" / urls.body_year_page(agency_id, year)).iterdir() if f.is_file())]:
        (site / path).write_bytes((out / "site" / path).read_bytes())
    problems = body_year_problems(site, agency_id, year)
    assert problems and all("/data/schemas/" in p for p in problems), problems


def test_the_downloads_page_lists_every_published_schema_and_the_body_year_page_points_there(served):
    _, out = served
    site = out / "site"
    published = sorted(p.name for p in (site / urls.corpus_file(urls.TABLE_SCHEMAS)).glob("*.json"))
    assert len(published) >= 8
    page = (site / urls.DOWNLOADS / "index.html").read_text(encoding="utf-8")
    linked = re.findall(r'href="([^"]*data/schemas/[^"]+)"', page)
    assert sorted(href.rsplit("/", 1)[1] for href in linked) == published
    assert all((site / urls.DOWNLOADS / href).resolve().is_file() for href in linked)
    # each row says what its schema describes: the table's title, and for a table as printed, its template(s)
    rows = dict(re.findall(r'data/schemas/([^"]+)"[^>]*>[^<]+</a></td><td>([^<]+)</td>', page))
    assert rows.get("disclosure-2019.json") == "二、主动公开政府信息情况（2019 年模板）", rows
    assert rows.get("disclosure-2021.json") == "二、主动公开政府信息情况（2021 年模板）", rows
    assert rows.get("appeals.json") == "四、政府信息公开行政复议、行政诉讼情况（2019 年模板、2021 年模板）", rows
    assert rows.get("checks.json") == "勾稽关系与合理性检查", rows
    unused = {"disclosure-2019-hubei.json", "corrections.json"}     # no Hubei report, no correction in this corpus
    assert {name for name in published if rows.get(name) == "目前没有数据包用到"} == unused, rows
    folder = body_years(out)[0]
    body_year = (site / urls.body_year_page(folder.parent.name, int(folder.name)) / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="(\.\./)+downloads/#schemas"', body_year)
