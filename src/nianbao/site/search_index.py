"""The search index: Pagefind run on each searchable page's search document (see page.Page.search_document)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

from nianbao.files import write_atomically


def run_pagefind(documents: dict[str, str], folder: Path, site: Path) -> None:
    """Pagefind's extended binary (Chinese segmentation) through its Python wrapper, run on these documents
    laid out at their pages' paths under `folder`, writing the index into the site."""
    sync_documents(documents, folder)
    result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(folder), "--output-path",
                             str((site / "pagefind").resolve()), "--silent"], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"Pagefind failed: {result.stderr.strip() or result.stdout.strip()}")


def sync_documents(documents: dict[str, str], folder: Path) -> None:
    """Make `folder` hold exactly these documents, as <url>/index.html, writing only the changed ones (writing
    and deleting 11,000 small files took ~10 s of a rebuild). `.written.json` names what the folder holds; it is
    removed before and written after any change, so a build killed halfway leaves no listing and the next one
    writes every document again."""
    listing = folder / ".written.json"
    try:
        held = json.loads(listing.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        held = None
    if held is None:
        if folder.exists():
            shutil.rmtree(folder)
        held = {}
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {url: hashlib.sha256(doc.encode("utf-8")).hexdigest() for url, doc in documents.items()}
    if wanted == held:
        return
    listing.unlink(missing_ok=True)
    for url in sorted(set(held) - set(wanted)):
        (folder / url / "index.html").unlink(missing_ok=True)
    for url, digest in sorted(wanted.items()):
        if held.get(url) != digest:
            (folder / url).mkdir(parents=True, exist_ok=True)
            (folder / url / "index.html").write_text(documents[url], encoding="utf-8")
    write_atomically(listing, (json.dumps(wanted, sort_keys=True) + "\n").encode("utf-8"))
