"""Stage 2b — find each standard table: its region, its version (template), and the piece anchoring each row.

Rows are found by their labels, never by position: each row's keys are matched against label pieces, and
an order-preserving alignment (rows appear in printed order) picks the best anchor for every row it can.
A label broken over lines or around its own numbers still anchors on its first fragment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from nianbao.model.normalize import canon, strip_numbering
from nianbao.tables.pieces import Piece
from nianbao.templates import RowSpec, TableSpec, template_for, variants, variants_of

# Headings that end the tables part of a report (sections 五 and 六).
_END_HEADINGS = tuple(canon(h) for h in ("存在的主要问题", "存在问题", "主要问题", "其他需要报告的事项"))
# A label followed by numbers on its own row or line beats the same words in a heading or a header.
_VALUES_FOLLOW_BONUS = 1.0
_MAX_HEADING = 45
_MIN_FRAGMENT = 4


@dataclass(frozen=True)
class Anchor:
    row: RowSpec
    piece: int
    score: float
    via_group: bool = False


@dataclass
class LocatedTable:
    spec: TableSpec
    start: int                  # first piece of the region
    end: int                    # one past the last piece
    anchors: list[Anchor]
    signature_hits: int = 0
    # The region runs to the end of a document that has no heading after its tables: a page cut off
    # mid-table, whose last row may be incomplete.
    open_end: bool = False
    version_unproven: bool = False   # two versions fit and give different cell ids (see settle_ties)
    # Other versions that fit the printed labels just as well (no label tells them apart).
    ties: list["LocatedTable"] = field(default_factory=list)


def locate_tables(pieces: list[Piece]) -> dict[str, LocatedTable]:
    """Find the requests, disclosure and appeals tables (in that order: each bounds the next)."""
    headings = {table: _heading(pieces, table) for table in ("disclosure", "requests", "appeals")}
    end_of_tables = _end_heading(pieces, after=max([h for h in headings.values() if h is not None], default=0))
    found: dict[str, LocatedTable] = {}

    req_start = headings["requests"] if headings["requests"] is not None else (headings["disclosure"] or 0)
    req_end = headings["appeals"] if headings["appeals"] is not None and headings["appeals"] > req_start else end_of_tables
    requests = _best_variant("requests", pieces, req_start, req_end)
    if requests:
        found["requests"] = requests

    dis_start = headings["disclosure"] if headings["disclosure"] is not None else 0
    first_request_row = min((a.piece for a in requests.anchors), default=None) if requests else None
    dis_end = first_request_row if first_request_row is not None else req_start if req_start > dis_start else req_end
    disclosure = _best_variant("disclosure", pieces, dis_start, dis_end)
    if disclosure:
        found["disclosure"] = disclosure

    app_start = headings["appeals"] if headings["appeals"] is not None else req_end
    appeals = _best_variant("appeals", pieces, app_start, max(end_of_tables, app_start))
    if appeals:
        found["appeals"] = appeals
    for located in found.values():
        located.open_end = located.end >= len(pieces) and end_of_tables >= len(pieces)
        for tie in located.ties:
            tie.open_end = located.open_end
    return settle_ties(found, template_for)


def _heading(pieces: list[Piece], table: str) -> int | None:
    keys = variants_of(table)[0].heading
    for p in pieces:
        if p.is_label and len(p.canon) <= _MAX_HEADING and any(k in p.canon for k in keys):
            return p.index
    return None


def _end_heading(pieces: list[Piece], after: int) -> int:
    for p in pieces[after:]:
        if p.is_label and len(p.canon) <= _MAX_HEADING and any(k in p.canon for k in _END_HEADINGS):
            return p.index
    return len(pieces)


def _best_variant(table: str, pieces: list[Piece], start: int, end: int) -> LocatedTable | None:
    text = "".join(p.canon for p in pieces[start:end] if p.is_label)
    cut_headers = {p.canon for p in pieces[start:end] if p.is_label and len(p.canon) >= 3 and is_header_fragment(p.canon)}
    found = []
    for spec in variants_of(table):
        hits = sum(1 for s in spec.signature if s in text) + _cut_header_hits(spec, cut_headers)
        anchors = align_rows(spec, pieces, start, end)
        found.append(LocatedTable(spec=spec, start=start, end=end, anchors=anchors, signature_hits=hits))
    if not found:
        return None
    score = lambda t: (t.signature_hits, len(t.anchors))
    best = max(found, key=score)    # the first listed wins a tie
    if not best.anchors:
        return None
    best.ties = [t for t in found if t is not best and score(t) == score(best)
                 and {a.row.id for a in t.anchors} == {a.row.id for a in best.anchors}]
    return best


def _cut_header_hits(spec: TableSpec, cut_headers: set[str]) -> int:
    """Header labels cut short ("本年新", "本年增/") that begin a column label of this version."""
    own = _column_labels_of(spec.variant)
    return sum(1 for cut in cut_headers if any(label.startswith(cut) and label != cut for label in own))


def settle_ties(found: dict[str, LocatedTable], template_of) -> dict[str, LocatedTable]:
    """A table whose labels fit two versions takes the version of the template the other tables show.

    When nothing settles it and the versions would give the anchored rows' numbers different cell ids
    (规章's three columns are 制作/公开/总数 in 2019, 制发/废止/有效 in 2021), the table is marked
    `version_unproven`: its numbers are not given any column."""
    decided = {t.spec.variant for t in found.values() if not t.ties}
    for table, located in list(found.items()):
        options = [located, *located.ties]
        fitting = [o for o in options if template_of(decided | {o.spec.variant}) not in (None, "mixed")]
        chosen = fitting[0] if fitting else located
        chosen.version_unproven = (len(fitting) != 1 or not decided) and _ids_differ(options)
        found[table] = chosen
    return found


def _ids_differ(options: list[LocatedTable]) -> bool:
    """Do the versions give the anchored rows different cell ids?"""
    ids = {tuple(cid for a in o.anchors for cid in a.row.cell_ids) for o in options}
    return len(ids) > 1


@lru_cache(maxsize=None)
def _column_labels_of(variant: str) -> tuple[str, ...]:
    """The column header labels of one table version (本年新制作数量, 本年增/减 …), canonical."""
    return tuple(strip_numbering(canon(col.label)) for col in variants()[variant].columns.values())


@lru_cache(maxsize=1)
def _column_labels() -> tuple[str, ...]:
    """Every column header label of every table version."""
    return tuple(sorted({label for variant in variants() for label in _column_labels_of(variant)}))


@lru_cache(maxsize=65536)
def is_header_fragment(core: str) -> bool:
    """A column header cut short ("本年新", "本年增/"): never the first fragment of a row label."""
    return any(label.startswith(core) for label in _column_labels())


@lru_cache(maxsize=1)
def _header_words() -> frozenset[str]:
    """Words of printed column headers (column labels, column-group labels, captions), canonical."""
    words: set[str] = set()
    for spec in variants().values():
        words.update(canon(col.label) for col in spec.columns.values())
        words.update(canon(label) for label, _ in spec.column_groups)
        if spec.header_caption:
            words.add(canon(spec.header_caption))
    return frozenset(words)


def header_cells(pieces: list[Piece], start: int, end: int) -> set[int]:
    """Pieces of a printed column header: a header word next to another one ("法人或其他组织 | 总计 | 商业企业").
    Such a cell never anchors a row, though 总计 is also the label of the requests table's last row."""
    words = _header_words()
    shown = [p for p in pieces[start:end] if p.value is None or p.value.kind != "blank"]
    out = set()
    for i, piece in enumerate(shown):
        if piece.is_label and piece.canon in words:
            neighbours = shown[max(i - 1, 0):i] + shown[i + 1:i + 2]
            if any(n.is_label and n.canon in words for n in neighbours):
                out.add(piece.index)
    return out


def match_score(row: RowSpec, piece: Piece) -> float:
    """How well a label piece matches a row's keys: 3 exact, 2 label plus extra text, 1 first fragment."""
    return _match_score(row.keys, row.exact, piece.label_cores)


@lru_cache(maxsize=65536)
def _match_score(keys: tuple[str, ...], exact: bool, cores: tuple[str, ...]) -> float:
    # Cached: the same labels are matched against the same rows in every table version and report.
    best = 0.0
    for core in cores:
        for key in keys:
            if core == key:
                return 3.0
            if exact:
                continue
            # Provincial versions add fill-in instructions in brackets after the label, of any length.
            if core.startswith(key) and (len(core) - len(key) <= 30 or core[len(key)] == "("):
                best = max(best, 2.0 + len(key) / 100)
            elif (key.startswith(core) and (len(core) >= _MIN_FRAGMENT or len(core) >= 0.6 * len(key))
                  and len(core) >= 2 and not is_header_fragment(core)):
                best = max(best, 1.0 + len(core) / 100)
    return best


def _group_keys(spec: TableSpec, row: RowSpec) -> tuple[str, ...]:
    """Keys of the row's group label, if the row is the group's first: "（三）不予公开" can stand for
    its first sub-row when that row's own label is gone."""
    if row.group is None or spec.first_of_group(row.group) is not row or row.group not in spec.groups:
        return ()
    return spec.groups[row.group].keys


def _group_score(keys: tuple[str, ...], piece: Piece) -> float:
    for core in piece.label_cores:
        if any(core.startswith(k) and len(core) - len(k) <= 12 for k in keys):
            return 0.5
    return 0.0


def align_rows(spec: TableSpec, pieces: list[Piece], start: int, end: int) -> list[Anchor]:
    """Anchors for the table's rows, in document order.

    Rows keep their printed order within a block (第二十条第（一）项, （五）项 … of table 二), but conversions
    sometimes move whole blocks, so each block is aligned on its own; row keys are distinct across blocks.
    """
    blocks: dict[str | None, list[RowSpec]] = {}
    for row in spec.rows:
        blocks.setdefault(row.section, []).append(row)
    followed = _followed_by_values(pieces, start, end)
    header = header_cells(pieces, start, end)
    labels = [p for p in pieces[start:end] if p.label_cores and p.index not in header]
    labels = [p for p in labels if not _starts_longer_label(spec, p, pieces)]
    anchors = [a for rows in blocks.values() for a in _align_block(spec, rows, labels, followed)]
    taken: set[int] = set()
    unique = []
    for anchor in sorted(anchors, key=lambda a: (-a.score, a.piece)):
        if anchor.piece not in taken:
            taken.add(anchor.piece)
            unique.append(anchor)
    return sorted(unique, key=lambda a: a.piece)


def _starts_longer_label(spec: TableSpec, piece: Piece, pieces: list[Piece]) -> bool:
    """A short label that, joined to the label after it, begins a group or row label: "其他" of "（六）其他 / 处理"
    broken over lines is the group 其他处理, not the row 其他."""
    after = pieces[piece.index + 1] if piece.index + 1 < len(pieces) else None
    if after is None or not after.is_label or len(piece.label_cores[0]) > 4:
        return False
    return _begins_longer_key(spec.variant, piece.label_cores[0], strip_numbering(piece.canon) + after.canon)


@lru_cache(maxsize=65536)
def _begins_longer_key(variant: str, core: str, joined: str) -> bool:
    spec = variants()[variant]
    keys = [k for g in spec.groups.values() for k in g.keys] + [k for row in spec.rows for k in row.keys]
    return any(k.startswith(joined) or joined.startswith(k) for k in keys if len(k) > len(core))


def _align_block(spec: TableSpec, rows: list[RowSpec], labels: list[Piece], followed: set[int]) -> list[Anchor]:
    """Order-preserving best assignment of label pieces to rows (rows may stay unanchored)."""
    candidates: list[list[Anchor]] = []
    for row in rows:
        row_candidates = []
        group_keys = _group_keys(spec, row)
        for p in labels:
            score = match_score(row, p)
            if score:
                bonus = _VALUES_FOLLOW_BONUS if p.index in followed else 0.0
                row_candidates.append(Anchor(row, p.index, score + bonus))
            elif group_keys:
                group_score = _group_score(group_keys, p)
                if group_score:
                    row_candidates.append(Anchor(row, p.index, group_score, via_group=True))
        candidates.append(row_candidates)
    # best[i] = (total score, chain) of the best chain ending at anchor i, over rows seen so far.
    chains: list[tuple[float, int, tuple[Anchor, ...]]] = []   # (total, last piece, anchors)
    for row_candidates in candidates:
        new_chains = []
        for cand in row_candidates:
            prior = max((c for c in chains if c[1] < cand.piece), key=lambda c: (c[0], -c[1]), default=None)
            total = cand.score + (prior[0] if prior else 0.0)
            new_chains.append((total, cand.piece, (prior[2] if prior else ()) + (cand,)))
        chains.extend(new_chains)
    if not chains:
        return []
    best = max(chains, key=lambda c: (c[0], -c[1]))
    return list(best[2])


def _followed_by_values(pieces: list[Piece], start: int, end: int) -> set[int]:
    """Indexes of label pieces that have a value piece after them on the same row or line."""
    out: set[int] = set()
    seen_value_on_line: int | None = None
    for p in reversed(pieces[start:end]):
        if seen_value_on_line is not None and seen_value_on_line != p.line:
            seen_value_on_line = None
        if p.is_label:
            if seen_value_on_line == p.line:
                out.add(p.index)
        else:
            seen_value_on_line = p.line
    return out
