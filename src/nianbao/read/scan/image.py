"""A page image → its ruling lines and the boxes of its text lines (OpenCV), for the OCR reader.

Everything here works on a grayscale page (numpy uint8, white paper) and returns pixel coordinates; the OCR
reader converts them to points so that the PDF reader's grid code (rules → grids → cells with spans) applies
unchanged. What OpenCV does not do, and is written here: the skew search (projection profiles), reading
morphology masks as rule segments, and cutting ink into text lines (a character such as 二 or 三 is several
thin strokes: bands thinner than half a line are joined to their nearest neighbour).
"""

from __future__ import annotations

from typing import NamedTuple

import cv2
import numpy as np

INK_BELOW = 210         # grey level (0 black – 255 white) under which a pixel is ink, after the blur
MAX_SKEW = 2.0          # degrees searched either way
RULE_MIN_H = 28.0       # pt: a horizontal ink run this long is a rule (longer than the strokes of a large
                        # title: 区卫生 in bold 18 pt end on one baseline, nearly touching)
RULE_MIN_V = 10.0       # pt: a vertical ink run this long is a rule (a table row is ≥ 18 pt high)
NETWORK_MIN = (60.0, 30.0)  # pt: a table's connected rules are at least this wide and high (a line of big
                            # title characters blurred into one piece is ~26 pt high)
TEXT_MAX_HEIGHT = 60.0  # pt: a piece of ink taller than this is not text (a 22 pt title's lines blurred into
                        # one piece are ~50)
LONG_RULE = 60.0        # pt: a straight run this long is a table's rule, never strokes of text
RULE_THICK = 3.0        # pt: a rule broken off its table, blurred, is at most this thick
PIECE_MIN_V = 16.0      # pt: a vertical piece on its own this long is a rule (the stem of a 12 pt 1 is ~9)
SIDE_STRIP = 1.5        # pt: how far beside a rule its sides are looked at
HEMMED_IN = 0.15        # a rule with ink on both sides along more of its length than this is a stroke
STEM_MAX = 40.0         # pt: a vertical run this short may be stems of characters (two tight rows of them)
GLUED = 0.3             # a short run with text within SIDE_STRIP along more of its length than this is a stroke
WIDE_STRIP = 3.0        # pt: text this close on both sides of a short lone run (cell padding is ≥ 2.85 pt)
FAINT_INK = 145.0       # grey level of a page's darkest 1 % at and above which its print is light
RULE_CONTRAST = 20.0    # grey levels: a rule, averaged along itself, is at least this much darker than the paper
PAPER_WINDOW = 6.0      # pt: wider than any stroke (a bold 22 pt title's is ~2 pt), narrower than a cell
WORD_GAP = 2.5          # line heights: a wider gap parts two pieces of text on one line


class Segment(NamedTuple):
    """A rule found in the image: horizontal (y fixed, x0..x1) or vertical (x fixed, y0..y1), in pixels."""

    orientation: str
    a0: float
    a1: float
    at: float


class Box(NamedTuple):
    x0: int
    y0: int
    x1: int
    y1: int


def flatten(gray: np.ndarray, scale: float) -> np.ndarray:
    """The paper made white: each pixel divided by the local paper tone (the brightest level around it, over a
    window wider than any stroke). A grey or uneven scan, and cells shaded in the template (light blue prints
    as grey 214, around the ink threshold), would otherwise turn into ink. Rules and strokes are thinner than
    the window and keep their contrast."""
    size = max(9, round(PAPER_WINDOW * scale)) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    paper = cv2.blur(cv2.dilate(cv2.GaussianBlur(gray, (3, 3), 0.8), kernel), (size, size))
    flat = gray.astype(np.float32) * 255.0 / np.maximum(paper.astype(np.float32), 1.0)
    return np.clip(flat, 0, 255).astype(np.uint8)


def ink_of(gray: np.ndarray) -> np.ndarray:
    """Dark pixels as 255. A light blur first takes grey noise out; a median filter would also take out the
    one-pixel strokes of small print at 150 dpi."""
    return np.where(cv2.GaussianBlur(gray, (3, 3), 0.8) < INK_BELOW, 255, 0).astype(np.uint8)


def rotate(image: np.ndarray, degrees: float, fill: int) -> np.ndarray:
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=fill)


def _sharpness(ink: np.ndarray, degrees: float) -> float:
    """How sharply the row sums rise and fall: largest when text lines and rules lie level."""
    profile = rotate(ink, degrees, 0).sum(axis=1, dtype=np.float64)
    return float(np.sum(np.diff(profile) ** 2))


def skew_angle(ink: np.ndarray) -> float:
    """The rotation (degrees, for `rotate`) that levels the page: a coarse then a fine projection search."""
    best = 0.0
    for width, span, step in ((600, MAX_SKEW, 0.25), (1200, 0.3, 0.03)):
        factor = min(1.0, width / ink.shape[1])
        small = cv2.resize(ink, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        candidates = np.arange(best - span, best + span + step / 2, step)
        best = float(max(candidates, key=lambda a: _sharpness(small, a)))
    return best


def deskew(gray: np.ndarray) -> tuple[np.ndarray, float]:
    angle = skew_angle(ink_of(gray))
    if abs(angle) < 0.02:
        return gray, 0.0
    return rotate(gray, angle, 255), angle


def rule_masks(ink: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical rules: ink surviving an opening with a long thin kernel (scale = px per pt)."""
    h_len, v_len = max(8, round(RULE_MIN_H * scale)), max(8, round(RULE_MIN_V * scale))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (h_len, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, v_len)))
    # Noise leaves one-pixel breaks in a vertical rule: close them (not in horizontal ones, where closing
    # would join the strokes of neighbouring characters into a rule).
    vertical = cv2.morphologyEx(vertical, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 5)))
    return horizontal, vertical


def mask_to_segments(mask: np.ndarray, orientation: str, text: np.ndarray | None = None,
                     scale: float = 1.0) -> list[Segment]:
    """One segment per connected run of a rule mask, through the middle of its thickness; with `text` (ink
    that is not on a rule), runs hemmed in by text on both sides are left out (see `_hemmed_in`)."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for x, y, w, h, _ in stats[1:n]:
        if text is not None and _hemmed_in(text, orientation, (x, y, w, h), scale):
            continue
        if orientation == "h":
            out.append(Segment("h", float(x), float(x + w), float(y + h / 2)))
        else:
            out.append(Segment("v", float(y), float(y + h), float(x + w / 2)))
    return out


def _hemmed_in(text: np.ndarray, orientation: str, box: tuple[int, int, int, int], scale: float) -> bool:
    """A rule has paper on both sides along its length (a cell's padding; text touches it on one side at
    most). The stem of 本 or 年, a steep /, or the aligned strokes of a line of text in a tight row are
    crossed by other strokes: ink on both sides along a good part of their length."""
    x, y, w, h = box
    d = max(2, round(SIDE_STRIP * scale))
    if orientation == "v":
        before = text[y:y + h, max(0, x - d):x].any(axis=1)
        after = text[y:y + h, x + w:x + w + d].any(axis=1)
    else:
        before = text[max(0, y - d):y, x:x + w].any(axis=0)
        after = text[y + h:y + h + d, x:x + w].any(axis=0)
    return bool(np.mean(before & after) > HEMMED_IN)


def _stem_like(segment: Segment, text: np.ndarray, scale: float) -> bool:
    """A short vertical run with text close by on both sides, or glued to text on one side: in a row so tight
    that its characters touch the rules, the stem of 信, 十, 业, a bracket, the 刂 ending 罚 and 制. A real
    boundary keeps a cell's padding (≥ 2.8 pt) between it and the text on one side at least, and on both
    sides most of its length."""
    if segment.a1 - segment.a0 > STEM_MAX * scale:
        return False
    x, y0, y1 = round(segment.at), round(segment.a0), round(segment.a1)
    half = max(1, round(scale))

    def sides(strip: float) -> tuple[float, float]:
        d = max(2, round(strip * scale))
        before = text[y0:y1, max(0, x - half - d):max(0, x - half)].any(axis=1).mean()
        after = text[y0:y1, x + half + 1:x + half + 1 + d].any(axis=1).mean()
        return float(before), float(after)

    return min(sides(WIDE_STRIP)) > 0.05 or max(sides(SIDE_STRIP)) > GLUED


def _continued(segment: Segment, others: list[Segment], scale: float) -> bool:
    """A stem-like run continued above or below by a rule is a piece of that rule (broken by noise)."""
    near, reach = 2 * scale, 4 * scale
    return any(other is not segment and abs(other.at - segment.at) <= near
               and other.a0 <= segment.a1 + reach and other.a1 >= segment.a0 - reach for other in others)


def ruling_ink(ink: np.ndarray, scale: float) -> np.ndarray:
    """The ink that can hold rules: a table's rules are one connected network, large both ways or holding a
    long straight rule (a table's one row left at the top of a page); a rule broken off it by noise is a long
    thin piece. Characters are small pieces, even where a blurred 150 dpi scan joins the strokes of a line of
    text into one (wide, but one line high, without a long straight stroke): left in, their aligned strokes make
    rules through cells (in 没有现成信息需要另行制作, or the stem of 1 and 本)."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    w, h = stats[:, cv2.CC_STAT_WIDTH] / scale, stats[:, cv2.CC_STAT_HEIGHT] / scale
    long_run = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(
        cv2.MORPH_RECT, (max(8, round(LONG_RULE * scale)), 1)))
    ruled = np.zeros(n, dtype=bool)
    ruled[np.unique(labels[long_run > 0])] = True
    keep = ((w >= NETWORK_MIN[0]) & (h >= NETWORK_MIN[1])) | ruled | ((w >= RULE_MIN_H) & (h <= RULE_THICK)) \
        | ((h >= PIECE_MIN_V) & (w <= RULE_THICK))
    keep[0] = False
    return np.where(keep[labels], ink, 0).astype(np.uint8)


def text_only(ink: np.ndarray, scale: float) -> np.ndarray:
    """Ink outside the tables without what is not text: pieces taller than a few lines (the scanner lid's
    shadow along an edge, a seal's ring, a picture) and long thin rules (the red line under a 红头). Left in,
    one of them spans every text line, and the lines' row profile becomes one band: no line is read."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    w, h = stats[:, cv2.CC_STAT_WIDTH] / scale, stats[:, cv2.CC_STAT_HEIGHT] / scale
    drop = (h > TEXT_MAX_HEIGHT) | ((w >= RULE_MIN_H) & (h <= RULE_THICK))
    drop[0] = True
    if not drop[1:n].any():
        return ink
    return np.where(drop[labels], 0, ink).astype(np.uint8)


def faint(gray: np.ndarray) -> bool:
    """A light print: even the darkest 1 % of the page (the cores of its strokes) is grey. Only there are rules
    looked for as `faint_rule_ink`: on a page printed dark it would fatten text into rules."""
    return float(np.percentile(gray[::4, ::4], 1)) >= FAINT_INK


def faint_rule_ink(gray: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Ink as seen along a horizontal and along a vertical line: the page averaged over a short run in that
    direction (noise averages out, a rule's darkness does not), then anything clearly darker than the paper.
    A thin rule of a light or 150 dpi scan falls between two pixel columns and prints at grey 200–215, above
    the ink threshold in places: broken, it merges cells ("0 00" for three columns) and loses tables."""
    k = max(3, round(2 * scale)) | 1
    sample = gray[::4, ::4].astype(np.float32)
    paper = float(np.median(sample))
    sigma = 1.4826 * float(np.median(np.abs(sample - paper)))
    below = paper - max(RULE_CONTRAST, 5.0 * sigma / np.sqrt(k))
    along_h = np.where(cv2.blur(gray, (k, 1)) < below, 255, 0).astype(np.uint8)
    along_v = np.where(cv2.blur(gray, (1, k)) < below, 255, 0).astype(np.uint8)
    return along_h, along_v


def rules(gray: np.ndarray, scale: float) -> tuple[list[Segment], np.ndarray, np.ndarray]:
    """The page's rule segments, its ink, and the rules' pixels (slightly widened, to be taken out of text)."""
    ink = ink_of(gray)
    horizontal, vertical = rule_masks(ruling_ink(ink, scale), scale)
    if faint(gray):
        # Only long runs: averaged along, strokes of text in tight rows grow into short ones.
        along_h, along_v = faint_rule_ink(gray, scale)
        network = ruling_ink(ink | along_h | along_v, scale)
        horizontal |= cv2.morphologyEx(network & along_h, cv2.MORPH_OPEN, cv2.getStructuringElement(
            cv2.MORPH_RECT, (round(LONG_RULE * scale), 1)))
        vertical |= cv2.morphologyEx(network & along_v, cv2.MORPH_OPEN, cv2.getStructuringElement(
            cv2.MORPH_RECT, (1, round(STEM_MAX * scale))))
    lines: np.ndarray = cv2.dilate(horizontal | vertical, np.ones((3, 3), np.uint8))
    text = ink & ~lines
    verticals = mask_to_segments(vertical, "v", text, scale)
    stems = {v for v in verticals if _stem_like(v, text, scale)}
    verticals = [v for v in verticals if v not in stems or _continued(v, [u for u in verticals if u not in stems],
                                                                      scale)]
    return mask_to_segments(horizontal, "h", text, scale) + verticals, ink, lines


def without_rules(ink: np.ndarray, lines: np.ndarray, boxes: list[Box]) -> np.ndarray:
    """The text ink: rule pixels removed inside the tables' boxes only (a big title's strokes look like rules)."""
    out = ink.copy()
    for x0, y0, x1, y1 in boxes:
        out[y0:y1, x0:x1] &= ~lines[y0:y1, x0:x1]
    return out


def _runs(profile: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of non-zero entries."""
    on = np.concatenate(([0], (profile > 0).astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(on))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist()))


def bands(text_ink: np.ndarray, box: Box) -> list[tuple[int, int]]:
    """Rows of ink inside a box, as [top, bottom) in page pixels (thin strokes not yet joined)."""
    region = text_ink[box.y0:box.y1, box.x0:box.x1]
    return [(box.y0 + a, box.y0 + b) for a, b in _runs(region.sum(axis=1))]


def join_thin_bands(found: list[tuple[int, int]], line_height: float) -> list[tuple[int, int]]:
    """Strokes of one character line (二, the dots of ：) joined: a band thinner than half a line goes to its
    nearer neighbour while the two together stay within 1.5 lines."""
    out = list(found)
    while True:
        thin = [k for k, (a, b) in enumerate(out) if b - a < 0.5 * line_height]
        merged = False
        for k in thin:
            options = []
            for n in (k - 1, k + 1):
                if 0 <= n < len(out):
                    top, bottom = min(out[k][0], out[n][0]), max(out[k][1], out[n][1])
                    gap = max(out[n][0] - out[k][1], out[k][0] - out[n][1])
                    if bottom - top <= 1.5 * line_height:
                        options.append((gap, n, (top, bottom)))
            if options:
                _, n, joined = min(options)
                out[min(k, n)] = joined
                del out[max(k, n)]
                merged = True
                break
        if not merged:
            return out


def pieces_in_band(text_ink: np.ndarray, box: Box, top: int, bottom: int, line_height: float,
                   split: bool) -> list[Box]:
    """The ink of one text line inside a box, tight; cut at wide gaps when `split` (free text on a page)."""
    columns = text_ink[top:bottom, box.x0:box.x1].sum(axis=0)
    runs = _runs(columns)
    if not runs:
        return []
    groups = [[runs[0]]]
    for run in runs[1:]:
        if split and run[0] - groups[-1][-1][1] > WORD_GAP * line_height:
            groups.append([run])
        else:
            groups[-1].append(run)
    return [Box(box.x0 + g[0][0], top, box.x0 + g[-1][1], bottom) for g in groups]


def page_cuts(gray: np.ndarray, page_height: float) -> list[int]:
    """Where a long image of pages stacked one under another parts into pages: near every multiple of
    `page_height` pixels, the middle of the longest run of rows without ink (the margins of two pages);
    where no such run is at least 2% of a page high (a table runs on), no cut is made."""
    empty = ink_of(gray).sum(axis=1) == 0
    cuts = []
    for k in range(1, round(gray.shape[0] / page_height)):
        lo, hi = round((k - 0.15) * page_height), min(len(empty), round((k + 0.15) * page_height))
        runs = _runs(empty[lo:hi].astype(np.int8))
        if runs:
            a, b = max(runs, key=lambda r: r[1] - r[0])
            if b - a >= 0.02 * page_height:
                cuts.append(lo + (a + b) // 2)
    return cuts


def crop_for_ocr(gray: np.ndarray, box: Box, pad: int) -> np.ndarray:
    """A text line cut out with a white margin (the recogniser reads a lone digit better with room around it)."""
    piece = gray[box.y0:box.y1, box.x0:box.x1]
    piece = cv2.copyMakeBorder(piece, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
    return cv2.cvtColor(piece, cv2.COLOR_GRAY2BGR)


__all__ = [
    "Box",
    "Segment",
    "bands",
    "crop_for_ocr",
    "deskew",
    "flatten",
    "join_thin_bands",
    "page_cuts",
    "pieces_in_band",
    "rules",
    "without_rules",
]
