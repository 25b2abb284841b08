"""A deploy to an S3-compatible bucket, with boto3.

Why boto3 rather than rclone or the AWS CLI: it is a Python library on PyPI (installed with nianbao, nothing else
on the runner), so the deploy is tested in-process against an S3 API on loopback, and the rules that matter here
are ours in code: the Content-Type and Cache-Control of each file (`headers.py`) and what counts as unchanged
(`plan.py`, which must not trust a multipart ETag to be an MD5). `aws s3 sync` and `rclone sync` compare sizes and
times or ETags, guess types from the runner's mime tables and set one Cache-Control for everything.

Credentials and settings come from boto3's standard environment variables: AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN if any), AWS_ENDPOINT_URL, AWS_REGION or AWS_DEFAULT_REGION.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Callable

from nianbao.publish.headers import headers_for
from nianbao.publish.plan import (MANIFEST_NAME, PART_SIZE, BucketObject, Plan, Recorded, SiteFile, manifest_text,
                                  normal_etag, plan_deploy, read_manifest, site_files)

# Uploads are network-bound: many at once. boto3 clients are safe to share between threads.
CONNECTIONS = 16
TARGET = re.compile(r"s3://(?P<bucket>[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9])(?:/(?P<prefix>.*))?")


class BadTarget(ValueError):
    """The --to address is not s3://bucket[/prefix], or the endpoint is not a URL."""


class AddressingStyle(Enum):
    VIRTUAL = "virtual"     # bucket.endpoint/key: what OSS and COS require; R2 and AWS take it too
    PATH = "path"           # endpoint/bucket/key: MinIO and local emulators


@dataclass(frozen=True)
class Target:
    bucket: str
    prefix: str             # no leading or trailing slash; "" for the bucket's root

    @classmethod
    def parse(cls, address: str) -> Target:
        match = TARGET.fullmatch(address.strip())
        if not match:
            raise BadTarget(f"{address!r} is not a bucket address of the form s3://bucket or s3://bucket/prefix")
        return cls(match["bucket"], (match["prefix"] or "").strip("/"))

    def key(self, relative: str) -> str:
        return f"{self.prefix}/{relative}" if self.prefix else relative

    def relative(self, key: str) -> str:
        return key[len(self.prefix) + 1:] if self.prefix else key

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"


@dataclass(frozen=True)
class Deployed:
    uploaded: tuple[str, ...]
    deleted: tuple[str, ...]
    unchanged: int
    bytes_uploaded: int

    def line(self, target: Target) -> str:
        return (f"{target}: {len(self.uploaded)} files uploaded ({self.bytes_uploaded / 1e6:.1f} MB), "
                f"{len(self.deleted)} deleted, {self.unchanged} unchanged")


def make_client(endpoint: str | None = None, region: str | None = None,
                style: AddressingStyle = AddressingStyle.VIRTUAL) -> Any:
    """An S3 client; endpoint and region, when not given, from the environment (AWS_ENDPOINT_URL, AWS_REGION)."""
    import boto3
    from botocore.config import Config

    # botocore ≥ 1.36 adds CRC checksums to every upload by default, which several S3-compatible services
    # (OSS, COS, older MinIO) refuse: send them only where the S3 API requires one.
    config = Config(s3={"addressing_style": style.value}, retries={"max_attempts": 5, "mode": "standard"},
                    request_checksum_calculation="when_required", response_checksum_validation="when_required",
                    max_pool_connections=CONNECTIONS)
    try:
        return boto3.client("s3", endpoint_url=endpoint, region_name=region, config=config)
    except ValueError as exc:           # botocore's words for an endpoint that is not a URL
        raise BadTarget(f"the endpoint {endpoint!r} is not an address like https://host: {exc}") from None


def listing(client: Any, target: Target) -> list[BucketObject]:
    pages = client.get_paginator("list_objects_v2").paginate(
        Bucket=target.bucket, Prefix=f"{target.prefix}/" if target.prefix else "")
    return [BucketObject(target.relative(o["Key"]), o["ETag"], o["Size"])
            for page in pages for o in page.get("Contents", [])]


def fetch_manifest(client: Any, target: Target) -> dict[str, Recorded]:
    try:
        body = client.get_object(Bucket=target.bucket, Key=target.key(MANIFEST_NAME))["Body"].read()
    except client.exceptions.NoSuchKey:
        return {}
    return read_manifest(body.decode("utf-8", errors="replace"))


def put_file(client: Any, target: Target, file: SiteFile, part_size: int = PART_SIZE) -> str:
    """Uploads one file with its headers; the ETag the bucket gave it."""
    from boto3.s3.transfer import TransferConfig

    key, args = target.key(file.key), headers_for(file.key).upload_args()
    if file.size < part_size:
        return normal_etag(client.put_object(Bucket=target.bucket, Key=key, Body=file.path.read_bytes(),
                                             **args)["ETag"])
    transfer = TransferConfig(multipart_threshold=part_size, multipart_chunksize=part_size, use_threads=False)
    client.upload_file(str(file.path), target.bucket, key, ExtraArgs=args, Config=transfer)
    return normal_etag(client.head_object(Bucket=target.bucket, Key=key)["ETag"])


def deploy(site: Path, target: Target, client: Any, part_size: int = PART_SIZE,
           dry_run: bool = False, progress: Callable[[str], None] = lambda _: None) -> Deployed:
    """Makes the bucket's prefix hold exactly the site's files: uploads what changed (pages last), writes the
    manifest, then deletes what the site no longer has (so a page is never left linking to a deleted file)."""
    files = site_files(site, part_size)
    manifest = fetch_manifest(client, target)
    plan = plan_deploy(files, listing(client, target), manifest)
    progress(f"{len(plan.upload)} to upload, {len(plan.delete)} to delete, {len(plan.unchanged)} unchanged")
    if not dry_run:
        carry_out(plan, client, target, manifest, part_size)
    return Deployed(tuple(f.key for f in plan.upload), plan.delete, len(plan.unchanged),
                    sum(f.size for f in plan.upload))


def carry_out(plan: Plan, client: Any, target: Target, manifest: dict[str, Recorded], part_size: int) -> None:
    pages = [f for f in plan.upload if headers_for(f.key).is_page]
    others = plan.upload[:len(plan.upload) - len(pages)]      # the plan puts the pages last
    # an unchanged file without an entry matched by the ETag this tool's upload gives (plan.is_current)
    recorded = {f.key: manifest.get(f.key) or Recorded(f.sha256, f.etag) for f in plan.unchanged}
    with ThreadPoolExecutor(CONNECTIONS) as pool:
        for batch in (others, pages):
            etags = pool.map(lambda f: put_file(client, target, f, part_size), batch)
            recorded.update({f.key: Recorded(f.sha256, etag) for f, etag in zip(batch, etags)})
        if recorded != manifest:    # a deploy that changes nothing writes nothing
            client.put_object(Bucket=target.bucket, Key=target.key(MANIFEST_NAME),
                              Body=manifest_text(recorded).encode(), ContentType="application/json",
                              CacheControl="no-store")
        # One request per key: DeleteObjects needs a Content-MD5 or checksum header that S3-compatible services
        # disagree about; deletions are few per deploy.
        list(pool.map(lambda key: client.delete_object(Bucket=target.bucket, Key=target.key(key)), plan.delete))
