"""The search index: Pagefind run on each searchable page's search document (see page.Page.search_document)."""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from nianbao.files import link_trees, write_atomically

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
LISTING = ".written.json"     # in a documents folder: url → digest of each document it holds (sync_documents)


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


# In a search document, what follows this mark is a report's prose: a province's bundle holds it, the light
# national index of a split site does not (light_document).
PROSE_MARK = "<!--nianbao:prose-->"
# The filter by body (page.search_filters): the national index leaves it out. At 10,000 reports it listed 1,475
# bodies, 45 kB (gzip) every search fetched, and a national search near its 300 kB; the name is searched anyway.
BODY_FILTER = "机关"
_BODY_FILTER = re.compile(f'<span data-pagefind-filter="{BODY_FILTER}:[^"]*"></span>')
NATIONAL = ""          # the bundle at /pagefind/: the whole site's, or in a split site the light national index


@dataclass(frozen=True)
class Bundle:
    """One Pagefind index: `name` is NATIONAL (/pagefind/) or a province's two digits (/pagefind/<name>/)."""
    name: str
    documents: dict[str, str]             # url → search document

    @property
    def folder_name(self) -> str:
        return self.name or "national"


def bundles(documents: dict[str, str], scope_of: dict[str, str] | None) -> list[Bundle]:
    """The site's bundles: one of every document when `scope_of` is None; else the national one of every
    document without its prose and one per province (`scope_of`: url → province's two digits) with its prose.
    A page with no province is in the national index only."""
    if scope_of is None:
        return [Bundle(NATIONAL, documents)]
    by_scope: dict[str, dict[str, str]] = defaultdict(dict)
    for url, document in documents.items():
        if url in scope_of:
            by_scope[scope_of[url]][url] = document
    light = {url: light_document(document) for url, document in documents.items()}
    return [Bundle(NATIONAL, light)] + [Bundle(code, docs) for code, docs in sorted(by_scope.items())]


def light_document(document: str) -> str:
    """A search document for the national index of a split site: cut before its report prose (PROSE_MARK), and
    without the filter by body: name, place, year, level and the other filters."""
    head, mark, _ = _BODY_FILTER.sub("", document).partition(PROSE_MARK)
    return head + "\n</body></html>\n" if mark else head


def index_bundles(bundles: list[Bundle], work: Path, site: Path) -> list[str]:
    """Each bundle indexed by Pagefind in turn (one at a time: the memory a run takes grows with its pages, and
    the biggest bundle, not the corpus, sets the peak), then linked into the site at /pagefind/ and
    /pagefind/<province>/. A bundle whose documents are as they were when it was last indexed is not indexed
    again: a report added re-indexes its province and the national index. The names of the bundles indexed."""
    _remove_strays(work, {bundle.folder_name for bundle in bundles})
    indexed = []
    for bundle in bundles:
        folder = work / bundle.folder_name
        sync_documents(bundle.documents, folder / "pages")
        done = folder / "indexed.json"
        # the listing names every document by its digest: equal to the one last indexed, nothing changed
        listing = _listing(folder / "pages")
        if not done.is_file() or done.read_bytes() != listing:
            done.unlink(missing_ok=True)
            run_pagefind(folder / "pages", _output(folder, bundle))
            write_atomically(done, listing)
            indexed.append(bundle.name)
    if (site / "pagefind").exists():
        shutil.rmtree(site / "pagefind")
    link_trees([(_output(work / b.folder_name, b), site / "pagefind" / b.name) for b in bundles])
    return indexed


def _remove_strays(work: Path, kept: set[str]) -> None:
    """Whatever `work` holds besides these bundles' folders: a bundle no longer made, or the layout of before."""
    for stray in sorted(work.iterdir()) if work.exists() else []:
        if stray.name in kept:
            continue
        if stray.is_dir():
            shutil.rmtree(stray)
        else:
            stray.unlink()


def _listing(documents: Path) -> bytes:
    try:
        return (documents / LISTING).read_bytes()
    except OSError:         # no documents: sync_documents writes no listing
        return b""


def _output(folder: Path, bundle: Bundle) -> Path:
    """Where Pagefind writes a bundle's index: named as its folder in the site (link_trees keeps names)."""
    return folder / "index" / (bundle.name or "pagefind")


def run_pagefind(documents: Path, output: Path) -> None:
    """Pagefind's extended binary (Chinese segmentation) through its Python wrapper, run on the documents laid
    out at their pages' paths under `documents`, writing the index into `output` (emptied first)."""
    if output.exists():
        shutil.rmtree(output)
    result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(documents), "--output-path",
                             str(output.resolve()), "--silent"], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"Pagefind failed: {result.stderr.strip() or result.stdout.strip()}")


def sync_documents(documents: dict[str, str], folder: Path) -> None:
    """Make `folder` hold exactly these documents, as <url>/index.html, writing only the changed ones (writing
    and deleting 11,000 small files took ~10 s of a rebuild). `.written.json` names what the folder holds; it is
    removed before and written after any change, so a build killed halfway leaves no listing and the next one
    writes every document again."""
    listing = folder / LISTING
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
