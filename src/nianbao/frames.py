"""A published data package read back as pandas DataFrames, each column typed by the package's own Table Schema.

    import nianbao
    package = nianbao.read_package("datapackages/all")          # or a body-year folder, or a URL
    package.cells.groupby("status").size()

The types come from the descriptor, never from a list of columns here: `integer` → nullable `Int64`, `number` →
Python `Decimal` (exact: money such as 0.5 万元 stays 0.5), `string` → `string`, or `category` with the schema's
`enum` as categories (statuses, tables, levels), `boolean` → nullable `boolean`, `date` → Arrow `date32` (its
items are `datetime.date`). An empty CSV field is missing: `pd.NA` (a categorical column shows it as NaN).

Below the site and the package stage: the site may use it, and it needs nothing of the stages that wrote the files.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import urljoin

import pandas as pd
import pyarrow as pa

from nianbao.model.urls import DESCRIPTOR


@dataclass(frozen=True)
class Package:
    """A data package: its descriptor and its tables by resource name (also as attributes: `package.cells`)."""

    descriptor: dict
    tables: dict[str, pd.DataFrame]

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(f"the package has no table {name!r}; it has {', '.join(tables)}")

    def __contains__(self, name: object) -> bool:
        return name in self.tables

    def __dir__(self) -> list[str]:
        return [*super().__dir__(), *self.tables]


def read_package(location: str | Path) -> Package:
    """The package at `location`: a package folder, its datapackage.json, or an http(s) URL of either (a folder
    URL ends in '/'). Every tabular resource (one with a schema) becomes a DataFrame; other files are left out."""
    descriptor_at = _descriptor_location(location)
    if isinstance(descriptor_at, str):
        with urllib.request.urlopen(descriptor_at) as response:
            descriptor = json.loads(response.read().decode("utf-8"))
    else:
        descriptor = json.loads(descriptor_at.read_text(encoding="utf-8"))
    tables = {res["name"]: read_table(_beside(descriptor_at, res["path"]), _schema(descriptor_at, res["schema"]),
                                      res.get("encoding", "utf-8"))
              for res in descriptor.get("resources", []) if "schema" in res}
    return Package(descriptor, tables)


def _schema(descriptor_at: str | Path, schema: dict | str) -> dict:
    """A resource's Table Schema: inline, or named by URL (the site's copies name the schemas published once at
    /data/schemas/) or by a path beside the descriptor."""
    if isinstance(schema, dict):
        return schema
    where = schema if schema.startswith(("http://", "https://")) else _beside(descriptor_at, schema)
    if isinstance(where, str):
        with urllib.request.urlopen(where) as response:
            return json.loads(response.read().decode("utf-8"))
    return json.loads(where.read_text(encoding="utf-8"))


def read_table(source: str | Path, schema: dict, encoding: str = "utf-8") -> pd.DataFrame:
    """One CSV table, its columns typed by `schema` (a Table Schema). The header must be the schema's fields."""
    names = [fld["name"] for fld in schema["fields"]]
    text = pd.read_csv(source, dtype="string", keep_default_na=False, na_values=[""], encoding=encoding)
    if list(text.columns) != names:
        raise ValueError(f"{source}: the header {list(text.columns)} is not the schema's fields {names}")
    return pd.DataFrame({fld["name"]: typed(text[fld["name"]], fld) for fld in schema["fields"]})


def typed(column: pd.Series, field: dict) -> pd.Series:
    """A column of CSV text (missing as pd.NA) as the field's type says."""
    enum = (field.get("constraints") or {}).get("enum")
    if field["type"] == "string" and enum is not None:
        return _categorical(column, field["name"], enum)
    convert = _CONVERSIONS.get(field["type"])
    if convert is None:
        raise ValueError(f"field {field['name']!r}: no DataFrame type for the Table Schema type {field['type']!r}")
    return convert(column)


def _categorical(column: pd.Series, name: str, enum: list[str]) -> pd.Series:
    outside = sorted(set(column.dropna()) - set(enum))
    if outside:    # astype would turn them into NaN without a word
        raise ValueError(f"field {name!r}: {outside} not among the schema's values {enum}")
    return column.astype(pd.CategoricalDtype(enum))


def _decimal(column: pd.Series) -> pd.Series:
    return pd.Series([pd.NA if pd.isna(v) else Decimal(v) for v in column], index=column.index, dtype=object)


def _boolean(column: pd.Series) -> pd.Series:
    outside = sorted(set(column.dropna()) - {"true", "false"})
    if outside:
        raise ValueError(f"{outside} are not booleans (true, false)")
    return (column == "true").astype("boolean")


_DTYPES: dict[str, object] = {"string": pd.StringDtype(), "integer": pd.Int64Dtype(),
                              "number": object, "boolean": pd.BooleanDtype(), "date": pd.ArrowDtype(pa.date32())}
_CONVERSIONS: dict[str, Callable[[pd.Series], pd.Series]] = {
    "string": lambda column: column.astype(_DTYPES["string"]),
    "integer": lambda column: column.astype(_DTYPES["integer"]),
    "number": _decimal,
    "boolean": _boolean,
    "date": lambda column: column.astype(_DTYPES["date"]),
}


def _descriptor_location(location: str | Path) -> str | Path:
    """Where the descriptor is: a URL (str) or a file (Path)."""
    text = str(location)
    if text.startswith(("http://", "https://")):
        return text + DESCRIPTOR if text.endswith("/") else text
    path = Path(location)
    return path / DESCRIPTOR if path.is_dir() else path


def _beside(descriptor_at: str | Path, path: str) -> str | Path:
    """A resource's path, relative to the descriptor's folder (or URL)."""
    if isinstance(descriptor_at, str):
        return urljoin(descriptor_at, path)
    return descriptor_at.parent / path
