"""Charts drawn when the site is built: a Vega-Lite spec becomes an SVG put into the page, so a chart page
loads no script and shows its chart at once. vl-convert draws it in a worker process (site/chart_worker.py
says why); the SVG is then made to scale with its container and to read as one image to a screen reader,
each bar keeping its numbers as a hover title.
"""

from __future__ import annotations

import atexit
import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

WORKER = Path(__file__).with_name("chart_worker.py")
UPSCALE = 1.25     # how much wider than drawn a chart may be shown on a wide screen (its text stays readable)


class ChartError(Exception):
    """vl-convert could not draw a chart; the message is its own."""


class _Worker:
    def __init__(self) -> None:
        self.owner = os.getpid()
        self.process = subprocess.Popen([sys.executable, "-X", "utf8", str(WORKER)], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, encoding="utf-8")

    def draw(self, spec: dict) -> str:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(spec, ensure_ascii=False, sort_keys=True) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise ChartError(f"the chart worker stopped (exit code {self.process.poll()})")
        answer = json.loads(line)
        if "error" in answer:
            raise ChartError(answer["error"])
        return answer["svg"]

    def close(self) -> None:
        if self.owner == os.getpid() and self.process.stdin is not None:
            self.process.stdin.close()
            self.process.wait()


_worker: _Worker | None = None


def _current_worker() -> _Worker:
    """This process's worker (a forked process starts its own: the inherited one belongs to its parent)."""
    global _worker
    if _worker is None or _worker.owner != os.getpid():
        _worker = _Worker()
        atexit.register(_worker.close)
    return _worker


def draw(spec: dict, label: str) -> str:
    """The chart as inline SVG: `label` (what it shows, in words) is its accessible name and title."""
    return accessible(_current_worker().draw(spec), label)


_ROOT = re.compile(r'<svg ([^>]*?)width="([\d.]+)" height="([\d.]+)"')
_MARK = re.compile(r'<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="[^"]*"([^>]*)/>')
# Inside an image, the marks' roles and (English) ARIA names are noise to a screen reader: removed.
_ARIA = re.compile(r' (?:role="graphics-[^"]*"|aria-roledescription="[^"]*"|aria-label="[^"]*")')
# Bytes a page need not carry (a body-year page must stay under 80 kB): attributes that repeat a default or
# serve only scripts, the font on every text (the SVG inherits the page's font), empty paths, axis labels Vega
# hid for overlapping or left empty, invisible lines, and coordinates past 1/100 px.
_SPARE = re.compile(r' (?:font-family="[^"]*"|opacity="1"|class="[^"]*"|pointer-events="none"|aria-hidden="true"'
                    r'|stroke-width="1")(?=[ />])')
_EMPTY = re.compile(r'<path d="(?:M0,0h0v0h0Z)?"(?: display="none")?/>|<line [^>]*opacity="0"[^>]*/>'
                    r'|<text [^>]*opacity="0"[^>]*>.*?</text>|<text [^>]*(?:/>|></text>)')
_COORDINATES = re.compile(r' (d|transform|x|y|x1|x2|y1|y2|dy|width|height)="([^"]*)"')
_DIGITS = re.compile(r"(\d+\.\d\d)\d+")


def accessible(svg: str, label: str) -> str:
    """Scales with its container (up to UPSCALE × its drawn width), is one image named `label` to a screen
    reader, and shows each bar's numbers when hovered (an SVG <title>, written in Chinese punctuation)."""
    match = _ROOT.match(svg)
    if match is None:
        raise ChartError("vl-convert's SVG has no width and height")
    attrs, width = match.group(1).replace('class="marks" ', ""), float(match.group(2))
    name = html.escape(label, quote=True)
    rest, body = svg[match.end():].split(">", 1)     # the root's other attributes (its viewBox) and its body
    root = (f'<svg {attrs}width="100%" style="max-width:{round(width * UPSCALE)}px" role="img" '
            f'aria-label="{name}"{rest}><title>{name}</title>')
    body = _MARK.sub(lambda m: f'<path{m.group(2)}><title>{_chinese(m.group(1))}</title></path>', body)
    return root + _lean(body)


def _lean(body: str) -> str:
    body = _EMPTY.sub("", _SPARE.sub("", _ARIA.sub("", body)))
    return _COORDINATES.sub(lambda m: f' {m.group(1)}="{_rounded(m.group(2))}"', body)


def _rounded(coordinates: str) -> str:
    return _DIGITS.sub(r"\1", coordinates)


def _chinese(text: str) -> str:
    return text.replace("; ", "，").replace(": ", "：")
