"""`nianbao publish` against an S3 API on loopback (moto's server, from PyPI): a full deploy of a built site, then,
after one report is added and the site rebuilt, a deploy that uploads only the files that changed and deletes the
ones gone; the bucket's files are downloaded and every internal link of every page must lead to one of them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from click.testing import CliRunner
from lxml import html as lhtml

from conftest import tree_hashes
from nianbao.cli import main
from nianbao.publish.bucket import AddressingStyle, Target, deploy, listing, make_client, put_file
from nianbao.publish.headers import Freshness, headers_for, unknown_suffixes
from nianbao.publish.plan import MANIFEST_NAME, hashed

BUCKET = "nianbao-site"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "loopback", "AWS_SECRET_ACCESS_KEY": "loopback", "AWS_DEFAULT_REGION": "us-east-1"}
LINKED = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src", "iframe": "src"}


@pytest.fixture(scope="module")
def endpoint():
    from moto.server import ThreadedMotoServer

    saved = {name: os.environ.get(name) for name in CREDENTIALS}
    os.environ.update(CREDENTIALS)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()
    for name, value in saved.items():
        os.environ.pop(name) if value is None else os.environ.__setitem__(name, value)


@pytest.fixture
def client(endpoint):
    client = make_client(endpoint, "us-east-1", AddressingStyle.PATH)
    client.create_bucket(Bucket=BUCKET)
    yield client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def record_puts(client) -> list[str]:
    """The key of every upload the client sends from now on (single requests and multipart ones)."""
    keys: list[str] = []
    for operation in ("PutObject", "CreateMultipartUpload"):
        client.meta.events.register(f"provide-client-params.s3.{operation}",
                                    lambda params, **_: keys.append(params["Key"]))
    return keys


def add_one_report(reports: Path) -> None:
    from nianbao.synth import INFO, STYLES, make_truth

    truth = make_truth("2021", seed=900, blanks=0.05, year=2022, agency_name="上海市长宁区卫生健康委员会")
    name = f"changning-2022{INFO['pipe_rows'].suffix}"
    (reports / name).write_text(STYLES["pipe_rows"](truth), encoding="utf-8")
    with (reports / "manifest.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"{name},https://www.example.gov.cn/changning-2022.html,2023-02-01,2023-01-20,,,one more report\n")


def build(reports: Path, out: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--reports", str(reports), "--out", str(out)])
    assert result.exit_code == 0, result.output + repr(result.exception)


def download(client, target: Target, folder: Path) -> Path:
    for item in listing(client, target):
        path = folder / item.key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(client.get_object(Bucket=target.bucket, Key=target.key(item.key))["Body"].read())
    return folder


def broken_internal_links(site: Path) -> list[str]:
    """Each link of each page (anchors, styles, scripts, images, frames) to this site whose file is missing; a
    link ending in / leads to that folder's index.html, as the bucket's website setting serves it."""
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    broken = []
    for page in sorted(site.rglob("*.html")):
        here = "/" + page.relative_to(site).as_posix()
        tree = lhtml.parse(str(page))
        for tag, attribute in LINKED.items():
            for element in tree.iter(tag):
                href = (element.get(attribute) or "").strip()
                parsed = urlparse(urljoin(here, href))
                if not href or href.startswith("#") or parsed.scheme or parsed.netloc:
                    continue
                path = unquote(parsed.path).lstrip("/")
                if path == "" or path.endswith("/") or (site / path).is_dir():
                    path = path.rstrip("/") + ("/index.html" if path.rstrip("/") else "index.html")
                if path not in files:
                    broken.append(f"{here}: {href}")
    return broken


def test_a_site_deployed_then_one_report_added_uploads_only_what_changed(built_site, client, tmp_path):
    reports, out = tmp_path / "reports", tmp_path / "out"
    shutil.copytree(built_site[0], reports)
    shutil.copytree(built_site[1], out)
    site, target = out / "site", Target.parse(f"s3://{BUCKET}/nianbao")
    before = tree_hashes(site)

    puts = record_puts(client)
    first = deploy(site, target, client)
    assert sorted(puts) == sorted([target.key(k) for k in before] + [target.key(MANIFEST_NAME)])
    assert set(first.uploaded) == set(before) and first.deleted == () and first.unchanged == 0
    is_page = [key.endswith(".html") for key in puts[:-1]]         # the manifest is the last put
    assert is_page == sorted(is_page), "a page went up before a file it may link to"

    add_one_report(reports)
    build(reports, out)
    after = tree_hashes(site)
    changed = {k for k, digest in after.items() if before.get(k) != digest}
    gone = set(before) - set(after)
    assert "agencies/310105-health/2020/cells.csv" not in changed     # the rebuild left most files as they were
    assert len(changed) < len(after) / 2 and gone    # Pagefind renames the index chunks it rewrote

    puts.clear()
    second = deploy(site, target, client)
    assert sorted(puts) == sorted([target.key(k) for k in changed] + [target.key(MANIFEST_NAME)])
    assert set(second.uploaded) == changed and set(second.deleted) == gone
    assert second.unchanged == len(after) - len(changed)
    assert {o.key for o in listing(client, target)} == set(after) | {MANIFEST_NAME}

    served = download(client, target, tmp_path / "served")
    (served / MANIFEST_NAME).unlink()
    assert tree_hashes(served) == after
    assert broken_internal_links(served) == []
    next(served.glob("assets/stylesheets/main.*.min.css")).unlink()      # the checker does see a missing file
    assert len(broken_internal_links(served)) >= len(list(served.rglob("*.html")))

    puts.clear()
    assert deploy(site, target, client).uploaded == () and puts == []     # nothing changed: nothing written


def test_each_file_is_stored_with_its_type_and_cache_lifetime(built_site, client):
    site, target = built_site[1] / "site", Target.parse(f"s3://{BUCKET}")
    assert unknown_suffixes([p.name for p in site.rglob("*") if p.is_file()]) == []
    deploy(site, target, client)
    wanted = {
        "index.html": ("text/html; charset=utf-8", Freshness.PAGE),
        "data/cells.csv": ("text/csv; charset=utf-8", Freshness.DATA),
        "data/nianbao.sqlite": ("application/vnd.sqlite3", Freshness.DATA),
        "data/cells.parquet": ("application/vnd.apache.parquet", Freshness.DATA),
        "data/nianbao-all.zip": ("application/zip", Freshness.DATA),
        "data/datapackage.json": ("application/json", Freshness.DATA),
        "sitemap.xml": ("application/xml; charset=utf-8", Freshness.PAGE),
        "pagefind/pagefind-entry.json": ("application/json", Freshness.PAGE),
    }
    wanted |= {p.relative_to(site).as_posix(): (headers_for(p.name).content_type, Freshness.FINGERPRINTED)
               for pattern in ("assets/javascripts/bundle.*.min.js", "assets/stylesheets/main.*.min.css",
                               "pagefind/fragment/*.pf_fragment") for p in list(site.glob(pattern))[:1]}
    xlsx = next(site.glob("agencies/*/*/*.xlsx")).relative_to(site).as_posix()
    wanted[xlsx] = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Freshness.DATA)
    assert len(wanted) == 12
    for key, (content_type, freshness) in wanted.items():
        head = client.head_object(Bucket=BUCKET, Key=key)
        assert (head["ContentType"], head["CacheControl"]) == (content_type, freshness.value), key
        assert "ContentEncoding" not in head, key


@pytest.mark.parametrize("name, freshness", [
    ("bundle.a5f9d56c.min.js", Freshness.FINGERPRINTED), ("zh_1cd8e1c.pf_fragment", Freshness.FINGERPRINTED),
    ("pagefind.zh_614bcdf229.pf_meta", Freshness.FINGERPRINTED), ("index.html", Freshness.PAGE),
    ("feed.xml", Freshness.PAGE), ("pagefind.js", Freshness.PAGE), ("320813101-gov-2024.xlsx", Freshness.DATA),
    ("compare-2020.csv", Freshness.DATA), ("zh_1234567.pf_index", Freshness.DATA), ("site.css", Freshness.DATA),
])
def test_only_a_content_hash_in_the_name_makes_a_file_immutable(name, freshness):
    assert headers_for(f"some/folder/{name}").freshness is freshness


def test_a_multipart_upload_is_recognised_without_the_manifest(client, tmp_path):
    """A multipart ETag is not the file's MD5: the local ETag is computed the way the upload splits the file, so a
    bucket that lost its manifest still sees an unchanged big file as unchanged."""
    part = 5 * 1024 * 1024                      # the smallest part S3 allows
    big = tmp_path / "site" / "data" / "big.sqlite"
    big.parent.mkdir(parents=True)
    big.write_bytes(os.urandom(2 * part + 1000))
    (tmp_path / "site" / "index.html").write_text("<p>年报</p>", encoding="utf-8")
    target = Target.parse(f"s3://{BUCKET}/p")
    etag = put_file(client, target, hashed(big, "data/big.sqlite", part), part)
    assert etag.endswith("-3") and etag == hashed(big, "data/big.sqlite", part).etag

    deploy(tmp_path / "site", target, client, part_size=part)
    client.delete_object(Bucket=BUCKET, Key=target.key(MANIFEST_NAME))
    puts = record_puts(client)
    again = deploy(tmp_path / "site", target, client, part_size=part)
    assert again.uploaded == () and again.unchanged == 2 and puts == [target.key(MANIFEST_NAME)]

    big.write_bytes(os.urandom(2 * part + 1000))     # same size, other bytes: goes up again
    assert deploy(tmp_path / "site", target, client, part_size=part).uploaded == ("data/big.sqlite",)


def test_an_object_changed_behind_the_manifest_is_uploaded_again(client, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>年报</p>", encoding="utf-8")
    target = Target.parse(f"s3://{BUCKET}")
    deploy(site, target, client)
    client.put_object(Bucket=BUCKET, Key="index.html", Body=b"tampered")
    assert deploy(site, target, client).uploaded == ("index.html",)
    assert client.get_object(Bucket=BUCKET, Key="index.html")["Body"].read() == "<p>年报</p>".encode()


def test_the_command_says_what_it_did_and_refuses_bad_input_in_a_sentence(built_site, client, endpoint):
    site = str(built_site[1] / "site")
    runner = CliRunner()
    result = runner.invoke(main, ["publish", site, "--to", f"s3://{BUCKET}/x", "--endpoint", endpoint,
                                  "--path-style", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "(dry run)" in result.output and " 0 deleted, 0 unchanged" in result.output
    assert listing(client, Target.parse(f"s3://{BUCKET}/x")) == []

    result = runner.invoke(main, ["publish", site, "--to", "https://example.com/x"])
    assert result.exit_code == 2 and "is not a bucket address of the form s3://bucket" in result.output
    result = runner.invoke(main, ["publish", site, "--to", "s3://no-such-bucket", "--endpoint", endpoint,
                                  "--path-style"])
    assert result.exit_code == 2 and "refused the deploy: NoSuchBucket" in result.output, result.output
    result = runner.invoke(main, ["publish", site, "--to", f"s3://{BUCKET}", "--endpoint", "oss-cn-hangzhou"])
    assert result.exit_code == 2 and "is not an address like https://host" in result.output, result.output
    assert "Traceback" not in result.output
