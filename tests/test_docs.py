"""The hand-written pages (docs/*.md, on the site) and the README stay true to the code: their links lead somewhere,
the commands and options they show exist, the citation example is what the site prints, and the status words
are the site's."""

from __future__ import annotations

import re
from pathlib import Path

import click
import markdown
import pytest

from nianbao.cli import main
from nianbao.model import urls
from nianbao.model.citation import Citation
from nianbao.model.words import CELL_STATUS_WORDS, OUTCOME_WORDS, PACKAGE_STATUS_WORDS
from nianbao.package.descriptor import DATA_VERSION

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = ROOT / "README.md"
PAGES = sorted(DOCS.glob("*.md"))

# Pages the site generates from the data packages: a hand-written page may link to their sources.
GENERATED = {f"{url}index.md" for url in (urls.HOME, urls.AGENCIES, urls.COMPARE, urls.QUALITY, urls.DICTIONARY,
                                          urls.DOWNLOADS, urls.SEARCH)}
# Files other parts of issue 17 add (the lead's screenshot); remove each once it is in the tree.
AWAITED: set[str] = set()

FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)
INLINE_CODE = re.compile(r"`[^`\n]+`")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:")


def prose(text: str) -> str:
    """The text without code: a link-like string in code is not a link."""
    return INLINE_CODE.sub("", FENCE.sub("", text))


def code_spans(text: str) -> list[str]:
    """Every inline code span and every line of a fenced block."""
    spans = [m.group(0)[1:-1] for m in INLINE_CODE.finditer(FENCE.sub("", text))]
    return spans + [line for m in FENCE.finditer(text) for line in m.group(2).splitlines()]


def heading_ids(path: Path) -> set[str]:
    """The anchors a page has, as MkDocs makes them (toc, with attr_list's explicit ids)."""
    md = markdown.Markdown(extensions=["toc", "attr_list", "md_in_html", "tables"])
    md.convert(path.read_text(encoding="utf-8"))

    def walk(tokens: list[dict]) -> set[str]:
        return {t["id"] for t in tokens} | {i for t in tokens for i in walk(t["children"])}
    return walk(md.toc_tokens)


def broken_links(page: Path) -> list[str]:
    """Relative links of a page whose file (or anchor) is not there. A docs/ page links within docs/ (MkDocs
    resolves nothing outside it) or to a generated page; the README links to files of the repository."""
    base = DOCS if page.parent == DOCS else ROOT
    broken = []
    for target in LINK.findall(prose(page.read_text(encoding="utf-8"))):
        if SCHEME.match(target):
            continue
        file, _, anchor = target.partition("#")
        path = (page.parent / file).resolve() if file else page
        if not path.is_relative_to(base):
            broken.append(f"{target} (outside {base.name}/)")
            continue
        relative = path.relative_to(base).as_posix()
        repo_path = path.relative_to(ROOT).as_posix()
        if repo_path in AWAITED or (base == DOCS and relative in GENERATED):
            continue
        if not path.is_file():
            broken.append(f"{target} (no such file)")
        elif anchor and path.suffix == ".md" and anchor not in heading_ids(path):
            broken.append(f"{target} (no such anchor)")
    return broken


@pytest.mark.parametrize("page", [*PAGES, README], ids=lambda p: p.name)
def test_every_relative_link_leads_to_a_file(page):
    assert broken_links(page) == []


def test_awaited_files_are_still_awaited():
    """AWAITED lists files other branches add; once one is here its links are checked like any other."""
    assert [f for f in sorted(AWAITED) if (ROOT / f).exists()] == []


def wrong_commands(text: str) -> list[str]:
    """Each `nianbao COMMAND --option` in code that the CLI does not have; a lone `--option` span must be an option
    of some command."""
    commands: dict[str, click.Command] = main.commands
    every_option = {o for c in commands.values() for p in c.params for o in p.opts}
    wrong = []
    for span in code_spans(text):
        if span.startswith("--"):
            option = span.split()[0]
            if option not in every_option:
                wrong.append(span)
            continue
        for segment in re.split(r"&&|\|\||;|\|", span):
            for m in re.finditer(r"(?<![\w.\[-])nianbao\s+(--?[\w-]+|[a-z][\w-]*)(.*?)(?=(?<![\w.\[-])nianbao\s|$)",
                                 segment):
                name, rest = m.groups()
                if name.startswith("-"):
                    known = {o for p in main.params for o in p.opts} | {"--help"}
                    wrong += [f"nianbao {name}"] if name not in known else []
                    continue
                command = commands.get(name)
                if command is None:
                    wrong.append(f"nianbao {name}")
                    continue
                known = {o for p in command.params for o in p.opts} | {"--help"}
                wrong += [f"nianbao {name} {o}" for o in re.findall(r"(?<![\w-])--[a-z][\w-]*", rest) if o not in known]
    return wrong


@pytest.mark.parametrize("page", [*PAGES, README], ids=lambda p: p.name)
def test_every_command_and_option_shown_exists(page):
    assert wrong_commands(page.read_text(encoding="utf-8")) == []


def test_the_command_check_can_tell_a_wrong_option():
    assert sorted(wrong_commands("`nianbao build --reports r --colour`, `nianbao reveiw`, `--nope`")) == [
        "--nope", "nianbao build --colour", "nianbao reveiw"]


def test_cite_page_example_is_what_the_site_prints():
    """cite.md's example, built from the same inputs by the one citation builder (model/citation.py)."""
    url = "https://nianbao.example.org/" + urls.body_year_page("310105-health", 2020)
    citation = Citation("310105-health", "上海市长宁区卫生健康委员会", 2020, url, DATA_VERSION)
    blocks = {lang: body.rstrip("\n") for lang, body in FENCE.findall((DOCS / "cite.md").read_text(encoding="utf-8"))}
    assert blocks["text"] == citation.text()
    assert blocks["bibtex"] == citation.bibtex()


def first_table(page: Path, marker: str) -> dict[str, str]:
    """The first table after a marker in a page: each body row's first column → its second (backticks dropped)."""
    text = page.read_text(encoding="utf-8")
    lines = text[text.index(marker):].splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[first:]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    return {cols[0]: cols[1].strip("`") for cols in rows[2:]}     # rows 0 and 1: the header and its rule


def test_status_words_on_the_method_page_are_the_sites():
    method = DOCS / "method.md"
    assert first_table(method, "{#statuses}") == {word: code for code, word in CELL_STATUS_WORDS.items()}
    assert first_table(method, "{#inputs}") == {word: code for code, word in PACKAGE_STATUS_WORDS.items()}
    assert set(first_table(method, "每一条核对的结果是下面四种之一")) == set(OUTCOME_WORDS.values())


def test_status_words_on_the_reading_page_are_the_sites():
    assert set(first_table(DOCS / "reading.md", "## 单元格的状态")) == set(CELL_STATUS_WORDS.values())


def test_readme_is_short():
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 80


def test_hand_pages_are_on_the_built_site_and_their_links_resolve(built_site):
    """What the static checks assume, on a real build: every docs/ page is a page of the site, and each link in
    its text (to another hand page, a generated page or an anchor's page) reaches a file of the site."""
    _, out = built_site
    site = out / "site"
    unresolved = []
    for page in PAGES:
        built = site / page.stem / "index.html"
        assert built.is_file(), f"{page.name} is not on the site"
        html = built.read_text(encoding="utf-8")
        article = html[html.index("<article"):html.index("</article>")]
        for href in re.findall(r'href="([^"#]+)', article):
            if SCHEME.match(href) or any(awaited.endswith("/" + href) for awaited in AWAITED):
                continue
            target = (built.parent / href).resolve()
            if not (target / "index.html" if target.is_dir() else target).is_file():
                unresolved.append(f"{page.name}: {href}")
    assert unresolved == []
