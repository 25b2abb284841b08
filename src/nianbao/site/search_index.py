"""The search index: Pagefind run on each searchable page's search document (see page.Page.search_document)."""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from nianbao.files import write_atomically

# Chinese is indexed one character to a word, and the search page (assets/nianbao/search.js, HAN there) cuts a
# query the same way. Pagefind's index cuts Chinese with jieba and its browser code cuts a query with the
# browser's own segmenter (Intl.Segmenter): the two disagree (川汇区 is one word to jieba, 川|汇|区 to Chromium's
# ICU, and each browser's segmenter is its own), and a query none of whose pieces begins an indexed word finds
# nothing. One character per word is the same in every browser; a query of one run is searched as a phrase
# (the characters in a row), so precision is kept.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_BETWEEN_HAN = re.compile(f"(?<=[{HAN}])(?=[{HAN}])")
_TEXT = re.compile(r">([^<]+)<")
_FIRST_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_TAG = re.compile(r"<[^>]+>")


def one_word_per_character(document: str) -> str:
    """A search document's text with a space between any two Chinese characters (tags and attributes as
    they are, so filter values keep their names), and the result title, the first h1, kept whole as the
    page's Pagefind title."""
    heading = _FIRST_H1.search(document)
    title = ""
    if heading:
        text = html.unescape(_TAG.sub("", heading.group(1))).strip()
        title = f'<span data-pagefind-meta="title:{html.escape(text, quote=True)}"></span>'
    spaced = _TEXT.sub(lambda m: ">" + _BETWEEN_HAN.sub(" ", m.group(1)) + "<", document)
    return spaced.replace("</h1>", "</h1>" + title, 1) if title else spaced


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
