"""Records from rows by column name: the connection returns sqlite3.Row, so a msgspec record is
filled from the columns its fields name (select with `AS field` where they differ)."""

from __future__ import annotations

import sqlite3
from typing import Any, TypeVar

T = TypeVar("T")


def from_row(cls: type[T], row: sqlite3.Row, **given: Any) -> T:
    """`cls` with each field taken from `given` (decoded values) or else the row's column of that name;
    a field in neither keeps its default."""
    columns = row.keys()
    values = {name: given[name] if name in given else row[name]
              for name in cls.__struct_fields__ if name in given or name in columns}
    return cls(**values)
