"""The site's copy of a body-year's `datapackage.json` names each table's Table Schema by URL, published once for
the whole site (issue 18), where the package on disk holds it inline: the schemas were 16.7 kB of a 17 kB
descriptor, the same in every package.

`datapackages/` (what `nianbao validate` checks offline) and each zip keep the schemas inline, so a downloaded
zip validates without a network. The package stage writes the schemas to the corpus folder
(`datapackages/all/schemas/`, served as /data/schemas/); `urls.table_schema` says which file is a table's.

An absolute URL, not a relative path: a body-year folder could name /data/schemas/ only by `../../../data/…`
or `/data/…`, and the Data Resource spec forbids both (frictionless refuses them: 'path … is not safe').
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from nianbao.files import json_bytes
from nianbao.model import urls


def published_schemas(corpus_folder: Path) -> dict[str, dict]:
    """Each schema the package stage published, by where it is relative to the corpus folder (none when the
    packages were written by a version that published none)."""
    folder = corpus_folder / urls.TABLE_SCHEMAS
    if not folder.is_dir():
        return {}
    return {urls.TABLE_SCHEMAS + p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}


def site_descriptor(descriptor: dict, versions: Mapping[str, str], published: Mapping[str, dict],
                    site: urls.SiteUrls) -> dict:
    """`descriptor` with each inline schema replaced by the URL of the published file equal to it. A schema
    with no such file stays inline: the descriptor is right either way, only larger."""
    resources = []
    for resource in descriptor.get("resources", []):
        where = urls.table_schema(resource.get("name", ""), versions)
        if isinstance(resource.get("schema"), dict) and published.get(where) == resource["schema"]:
            resource = {**resource, "schema": site.absolute(urls.corpus_file(where))}
        resources.append(resource)
    return {**descriptor, "resources": resources}


def write_site_descriptor(source: Path, target: Path, versions: Mapping[str, str], published: Mapping[str, dict],
                          site: urls.SiteUrls) -> None:
    """`target` ← the site's copy of the descriptor at `source`, as compact as the package stage writes it."""
    descriptor = json.loads(source.read_text(encoding="utf-8"))
    target.write_bytes(json_bytes(site_descriptor(descriptor, versions, published, site), compact=True))
