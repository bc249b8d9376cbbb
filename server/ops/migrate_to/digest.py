"""A table's content as one sha256 that SQLite and PostgreSQL agree on when they hold the same rows.

Rows are read in primary-key order (text keys in byte order: SQLite's BINARY collation and
PostgreSQL's "C" give the same order for UTF-8), every column in the source's order. Each row is
hashed as MessagePack, which keeps each value's kind, so 1, 1.0, '1' and NULL all differ: ints
(64-bit on both), floats (8 bytes on both: SQLite REAL, PostgreSQL DOUBLE PRECISION), text, bytes,
NULL. The target's column types are checked to be of those kinds before (server/ops/migrate_to).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import msgspec
import psycopg

from server.ops.migrate_to.tables import Table, quote

BATCH = 5000


@dataclass(frozen=True)
class Digest:
    rows: int
    sha256: str


def encode_row(row: Sequence) -> bytes:
    """A row as MessagePack: self-delimiting, and it keeps each value's kind (int, float64, text,
    bytes, nil) apart, so 1, 1.0, '1' and NULL never encode alike."""
    return _encode(tuple(row))


_encode = msgspec.msgpack.Encoder().encode


class _Hasher:
    def __init__(self):
        self.hash = hashlib.sha256()
        self.rows = 0

    def add(self, rows: list[Sequence]) -> None:
        self.hash.update(b"".join(map(_encode, rows)))
        self.rows += len(rows)

    def digest(self) -> Digest:
        return Digest(self.rows, self.hash.hexdigest())


def _limit(table: Table, upto: int | None) -> str:
    """Rows up to the source's last id: the migration's own audit entry is not the source's."""
    return "" if upto is None else f" WHERE {quote(table.key[0])} <= {int(upto)}"


def sqlite_digest(conn: sqlite3.Connection, table: Table) -> Digest:
    columns = ", ".join(quote(c) for c in table.columns)
    order = ", ".join(quote(c) for c in table.key)
    cur = conn.execute(f"SELECT {columns} FROM {quote(table.name)} ORDER BY {order}")
    hasher = _Hasher()
    while rows := cur.fetchmany(BATCH):
        hasher.add(rows)
    return hasher.digest()


async def postgres_digest(conn: psycopg.AsyncConnection, table: Table, text_columns: set[str],
                          upto: int | None = None) -> Digest:
    columns = ", ".join(quote(c) for c in table.columns)
    order = ", ".join(quote(c) + (' COLLATE "C"' if c in text_columns else "") for c in table.key)
    hasher = _Hasher()
    async with conn.transaction():
        async with conn.cursor(name=f"digest_{table.name}") as cur:
            await cur.execute(f"SELECT {columns} FROM {quote(table.name)}{_limit(table, upto)} ORDER BY {order}")
            while rows := await cur.fetchmany(BATCH):
                hasher.add(rows)
    return hasher.digest()
