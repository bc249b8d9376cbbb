"""Which tables move, in which order, read from the SQLite schema itself (not a list kept by hand).

Every table of the source is copied except SQLite's own (`sqlite_*`) and `NOT_COPIED`. Order:
a table comes after every table its foreign keys name, so each row's references already exist
on PostgreSQL (whose foreign keys are checked at once, not at commit). A foreign key to the same
table (inspections.supersedes) or one that closes a cycle is *deferred*: copied as NULL, then set
by an UPDATE once every row of the table is in.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

# Per-process state of the old server, not records: which process holds the monthly generator and
# the mail sender (server/core/leases.py). The new processes take the leases afresh. And the menu of
# services, which the migrations write on the target as on the source.
NOT_COPIED = {"leases": "実行中のサーバープロセスの担当（新しいプロセスが取り直します） / per-process job leases",
              # The service menu is written by migration 0017 on both sides (its prices are records, copied).
              "services": "サービスの一覧（移行先にもマイグレーションで作られます） / the service menu, made by migration 0017"}


class SchemaError(Exception):
    """The source's tables cannot be copied as they are (a cycle of NOT NULL references...)."""


@dataclass
class Table:
    name: str
    columns: list[str]
    key: list[str]  # primary key columns (the order rows are compared in)
    references: set[str] = field(default_factory=set)  # other tables its foreign keys name
    deferred: list[str] = field(default_factory=list)  # columns copied as NULL, set afterwards
    not_null: set[str] = field(default_factory=set)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table(conn: sqlite3.Connection, name: str) -> Table:
    info = conn.execute(f"PRAGMA table_info({_quote(name)})").fetchall()
    columns = [row[1] for row in info]
    key = [row[1] for row in sorted((r for r in info if r[5]), key=lambda r: r[5])]
    if not key:
        raise SchemaError(f"{name}: a table without a primary key cannot be compared row by row")
    table = Table(name, columns, key, not_null={row[1] for row in info if row[3]})
    for fk in conn.execute(f"PRAGMA foreign_key_list({_quote(name)})").fetchall():
        target, column = fk[2], fk[3]
        if target == name:
            table.deferred.append(column)
        else:
            table.references.add(target)
    return table


def source_tables(conn: sqlite3.Connection) -> list[Table]:
    """The tables to copy, each after the tables it references."""
    names = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")]
    tables = {name: _table(conn, name) for name in names if name not in NOT_COPIED}
    for table in tables.values():  # a table not copied is already on the target (the menu) or not needed
        table.references -= set(NOT_COPIED)
    ordered: list[Table] = []
    placed: set[str] = set()
    while len(ordered) < len(tables):
        ready = [t for t in tables.values() if t.name not in placed and t.references <= placed]
        if not ready:  # a cycle: take a table whose missing references may be NULL for a while
            waiting = [t for t in tables.values() if t.name not in placed]
            table = min(waiting, key=lambda t: (_blocked(conn, t, placed), len(t.references - placed), t.name))
            _defer_cycle(conn, table, placed)
            ready = [table]
        for table in sorted(ready, key=lambda t: t.name):
            ordered.append(table)
            placed.add(table.name)
    for table in ordered:
        blocked = [c for c in table.deferred if c in table.not_null]
        if blocked:
            raise SchemaError(f"{table.name}.{', '.join(blocked)}: NOT NULL reference that must be copied later")
    return ordered


def _blocked(conn: sqlite3.Connection, table: Table, placed: set[str]) -> bool:
    """Whether a reference of `table` to a table not yet copied is NOT NULL (cannot wait)."""
    return any(fk[2] not in placed and fk[2] != table.name and fk[3] in table.not_null
               for fk in conn.execute(f"PRAGMA foreign_key_list({_quote(table.name)})").fetchall())


def _defer_cycle(conn: sqlite3.Connection, table: Table, placed: set[str]) -> None:
    for fk in conn.execute(f"PRAGMA foreign_key_list({_quote(table.name)})").fetchall():
        if fk[2] not in placed and fk[2] != table.name and fk[3] not in table.deferred:
            table.deferred.append(fk[3])
    table.references &= placed


def quote(name: str) -> str:
    """A table or column name as an SQL identifier (both engines)."""
    return _quote(name)
