"""Records from rows by column name: the connection returns sqlite3.Row, so a msgspec record is
filled from the columns its fields name (select with `AS field` where they differ)."""

from __future__ import annotations

import sqlite3
from typing import Any, TypeVar

import msgspec

T = TypeVar("T")


def from_row(cls: type[T], row: sqlite3.Row, **given: Any) -> T:
    """`cls` with each field taken from `given` (decoded values) or else the row's column of that name;
    a field in neither keeps its default."""
    columns = row.keys()
    values = {name: given[name] if name in given else row[name]
              for name in cls.__struct_fields__ if name in given or name in columns}
    return cls(**values)


async def rows_for_ids(conn, sql: str, ids) -> list:
    """The rows of `sql`, whose `{ids}` is replaced by one placeholder per distinct non-empty id
    (`... WHERE id IN ({ids})`); no query at all for no ids."""
    ids = list(dict.fromkeys(i for i in ids if i))
    if not ids:
        return []
    return await conn.execute_fetchall(sql.format(ids=",".join("?" * len(ids))), ids)


def insert_sql(table: str, record: type) -> str:
    """The INSERT of one `record` (a msgspec struct) into `table`: its fields are the columns, in order."""
    columns = record.__struct_fields__
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


async def insert_all(conn, sql: str, records: list) -> None:
    """One executemany of `sql` (from insert_sql) for a batch: the push's group commit."""
    if records:
        await conn.executemany(sql, [msgspec.structs.astuple(r) for r in records])
