"""The national templates, loaded from the YAML files beside this module.

Each `<table>-<version>.yaml` describes one printed table: its heading, the header labels that identify the
version (`signature`), its columns, its row groups and its rows in printed order with the keys used to find
their labels. `templates.yaml` says which table versions make up each template. Code never branches on a
template id: everything template-specific is here as data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from nianbao.model.normalize import canon, strip_numbering

HERE = Path(__file__).parent
TABLE_ORDER = ("disclosure", "requests", "appeals")


@dataclass(frozen=True)
class ColumnSpec:
    id: str
    label: str
    en: str
    unit: str
    money: bool = False
    printed_unit: str | None = None   # the unit the template itself prints in the header

    @property
    def signed(self) -> bool:
        """Whether the column may hold a negative number (本年增/减)."""
        return "增/减" in self.label or self.id.endswith("change")


@dataclass(frozen=True)
class RowSpec:
    id: str
    label: str
    en: str
    keys: tuple[str, ...]          # canonical forms, outline numbers stripped
    cell_ids: tuple[str, ...]      # in printed column order
    columns: tuple[ColumnSpec, ...]
    group: str | None = None
    exact: bool = False            # short keys ("其他", "总计") must match the whole label
    values_after_header: bool = False
    section: str | None = None

    @property
    def printed_label(self) -> str | None:
        """The row's label as printed; None for a row printed without one (表四's single row of numbers)."""
        return None if self.label.startswith("（数值行") else self.label


@dataclass(frozen=True)
class GroupSpec:
    id: str
    label: str
    en: str
    keys: tuple[str, ...]
    over: str | None = None        # the label printed above this group in the column header, if any


@dataclass(frozen=True)
class Identity:
    """One accounting identity of the printed table: sum(left) = sum(right), cell ids spelled out."""

    id: str
    scope: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    skip_blank_left: bool = False


@dataclass(frozen=True)
class TableSpec:
    table: str
    variant: str
    title: str
    heading: tuple[str, ...]
    signature: tuple[str, ...]
    columns: dict[str, ColumnSpec]
    groups: dict[str, GroupSpec]
    rows: tuple[RowSpec, ...]
    identities: tuple[Identity, ...] = ()
    # How the printed column header groups columns (for pages that show the table as printed):
    # a caption over all value columns, and labels spanning some of them (法人或其他组织 over five).
    header_caption: str | None = None
    column_groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    numeral: str = ""              # the table's number as the notice prints it: 二, 三, 四

    @property
    def numbered_title(self) -> str:
        """The heading as printed: 二、主动公开政府信息情况."""
        return f"{self.numeral}、{self.title}"

    @property
    def short_name(self) -> str:
        """How prose names the table: 表二."""
        return f"表{self.numeral}"

    @property
    def cell_ids(self) -> tuple[str, ...]:
        return tuple(cid for row in self.rows for cid in row.cell_ids)

    def first_of_group(self, group: str) -> RowSpec | None:
        return next((row for row in self.rows if row.group == group), None)


@dataclass(frozen=True)
class TemplateSpec:
    id: str
    notice: str
    tables: tuple[str, ...]   # the national table versions
    provincial: tuple[str, ...] = ()   # provincial versions that count as this template (more rows)

    @property
    def accepts(self) -> tuple[str, ...]:
        return self.tables + self.provincial


@dataclass(frozen=True)
class ProseSection:
    """一、总体情况, 五、存在的主要问题及改进情况, 六、其他需要报告的事项: text kept as printed."""

    id: str
    numeral: str
    title: str
    keys: tuple[str, ...]

    @property
    def numbered_title(self) -> str:
        return f"{self.numeral}、{self.title}"


@dataclass(frozen=True)
class Measure:
    """A headline figure (measures.yaml): the sum of one table's `column` over `rows`."""

    id: str             # stable ASCII: a column name in the corpus SQLite
    chart: str          # the chart it belongs to
    label: str
    table: str
    rows: tuple[str, ...]   # a row ending in "_" takes every row starting with it
    column: str

    @property
    def exact_rows(self) -> tuple[str, ...]:
        return tuple(r for r in self.rows if not r.endswith("_"))

    @property
    def row_prefixes(self) -> tuple[str, ...]:
        return tuple(r for r in self.rows if r.endswith("_"))

    def takes(self, cell_id: str) -> bool:
        """Whether the cell is one the measure sums."""
        parts = cell_id.split(".")
        if len(parts) != 3 or parts[0] != self.table or parts[2] != self.column:
            return False
        return parts[1] in self.exact_rows or parts[1].startswith(self.row_prefixes)


def _key(text: str) -> str:
    return strip_numbering(canon(str(text)))


def _load_table(path: Path) -> TableSpec:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    table = data["table"]
    columns = {cid: ColumnSpec(id=cid, label=c["label"], en=c.get("en", cid), unit=c.get("unit", "件"),
                               money=bool(c.get("money", False)), printed_unit=c.get("printed_unit"))
               for cid, c in data["columns"].items()}
    groups = {gid: GroupSpec(id=gid, label=g["label"], en=g.get("en", gid),
                             keys=tuple(_key(k) for k in g.get("keys", [g["label"]])), over=g.get("over"))
              for gid, g in (data.get("groups") or {}).items()}
    rows = []
    for r in data["rows"]:
        if "cells" in r:
            suffixes = list(r["cells"])
            cols = tuple(columns[s.split(".")[1]] for s in suffixes)
        else:
            names = r.get("columns", data.get("row_columns"))
            suffixes = [f"{r['id']}.{c}" for c in names]
            cols = tuple(columns[c] for c in names)
        rows.append(RowSpec(
            id=r["id"], label=r["label"], en=r.get("en", r["id"]),
            keys=tuple(_key(k) for k in r["keys"]),
            cell_ids=tuple(f"{table}.{s}" for s in suffixes), columns=cols,
            group=r.get("group"), exact=bool(r.get("exact", False)),
            values_after_header=bool(r.get("values_after_header", False)), section=r.get("section"),
        ))
    return TableSpec(table=table, variant=data["variant"], title=data["title"], numeral=data["numeral"],
                     heading=tuple(canon(h) for h in data["heading"]),
                     signature=tuple(canon(s) for s in data.get("signature") or []),
                     columns=columns, groups=groups, rows=tuple(rows),
                     identities=_identities(table, data, rows),
                     header_caption=(data.get("header") or {}).get("caption"),
                     column_groups=tuple((g["label"], tuple(g["columns"]))
                                         for g in (data.get("header") or {}).get("column_groups", [])))


def _identities(table: str, data: dict, rows: list[RowSpec]) -> tuple[Identity, ...]:
    """Spell each identity out per row, column or group: `each: column` sums rows within one column."""
    out = []
    known = {cid for row in rows for cid in row.cell_ids}
    for spec in data.get("identities") or []:
        if spec["each"] == "column":
            scopes = list(data["columns"])
            make = lambda scope, names: tuple(f"{table}.{n}.{scope}" for n in names)
        else:
            scopes = spec.get("groups") or [row.id for row in rows]
            make = lambda scope, names: tuple(f"{table}.{scope}.{n}" for n in names)
        for scope in scopes:
            left, right = make(scope, spec["left"]), make(scope, spec["right"])
            if set(left + right) <= known:
                out.append(Identity(spec["id"], f"{table}.{scope}", left, right,
                                    bool(spec.get("skip_blank_left", False))))
    return tuple(out)


@lru_cache(maxsize=1)
def variants() -> dict[str, TableSpec]:
    """Every table version, by variant name."""
    specs = [_load_table(p) for p in sorted(HERE.glob("*.yaml")) if p.name not in ("templates.yaml", "measures.yaml")]
    return {s.variant: s for s in specs}


@lru_cache(maxsize=1)
def templates() -> dict[str, TemplateSpec]:
    data = yaml.safe_load((HERE / "templates.yaml").read_text(encoding="utf-8"))["templates"]
    return {tid: TemplateSpec(id=tid, notice=t["notice"], tables=tuple(t["tables"]),
                              provincial=tuple(t.get("provincial") or ())) for tid, t in data.items()}


@lru_cache(maxsize=1)
def section_specs() -> dict[str, ProseSection]:
    """The prose sections in printed order, by id (overview, problems, other)."""
    data = yaml.safe_load((HERE / "templates.yaml").read_text(encoding="utf-8"))["prose_sections"]
    return {sid: ProseSection(id=sid, numeral=s["numeral"], title=s["title"], keys=tuple(s["keys"]))
            for sid, s in data.items()}


@lru_cache(maxsize=1)
def measures() -> tuple[Measure, ...]:
    """The headline figures, in the order the charts and the SQLite view show them."""
    data = yaml.safe_load((HERE / "measures.yaml").read_text(encoding="utf-8"))
    out = tuple(Measure(id=m["id"], chart=m["chart"], label=m["label"], table=m["table"], rows=tuple(m["rows"]),
                        column=m["column"]) for m in data["measures"])
    ids = [m.id for m in out]
    if len(set(ids)) != len(ids) or not all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in ids):
        raise ValueError(f"measures.yaml: ids must be unique lowercase ASCII names: {ids}")
    unknown = sorted({m.chart for m in out} - set(data["charts"]))
    if unknown:
        raise ValueError(f"measures.yaml: charts {unknown} have no title under charts")
    return out


@lru_cache(maxsize=1)
def chart_titles() -> dict[str, str]:
    """Each chart of headline figures, by id, with its title (measures.yaml)."""
    return dict(yaml.safe_load((HERE / "measures.yaml").read_text(encoding="utf-8"))["charts"])


def variants_of(table: str) -> list[TableSpec]:
    """The versions of one table, in the order templates list them (the first is the default)."""
    seen: list[TableSpec] = []
    for template in templates().values():
        for name in template.accepts:
            spec = variants()[name]
            if spec.table == table and spec not in seen:
                seen.append(spec)
    return seen


def template_for(variant_names: set[str]) -> str | None:
    """The template holding every table version found; 'mixed' if none does; None if undecidable."""
    matching = [t.id for t in templates().values() if variant_names <= set(t.accepts)]
    if not matching:
        return "mixed"
    return matching[0] if len(matching) == 1 else None


def short_names() -> dict[str, str]:
    """Each table's name in prose (表二, 表三, 表四), by table."""
    return {table: variants_of(table)[0].short_name for table in TABLE_ORDER}


@lru_cache(maxsize=1)
def cell_index() -> dict[str, tuple[TableSpec, RowSpec, ColumnSpec]]:
    """Every known cell id → where it is defined (the data dictionary, as data). Shared: do not modify."""
    out: dict[str, tuple[TableSpec, RowSpec, ColumnSpec]] = {}
    for spec in variants().values():
        for row in spec.rows:
            for cid, col in zip(row.cell_ids, row.columns):
                out.setdefault(cid, (spec, row, col))
    return out
