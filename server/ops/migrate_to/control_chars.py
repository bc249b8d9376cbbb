"""Control characters in older data, found before anything is copied (`akiya migrate-to`).

A SQLite installation from before the door refused them (server/core/control_chars.py) may hold NUL,
which PostgreSQL cannot store in text: the copy would stop half-way on it. Every text value of
every copied table is looked at first: NUL stops the migration before it starts, listing where
each one is; `--clean-control-chars` replaces every control character (tab, LF and CR kept) by
U+FFFD in the source, lists what it changed and audits it there, then the migration goes on.
Other control characters PostgreSQL stores as they are; they are listed all the same."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from server.core.clock import now_iso
from server.core.control_chars import has_control_chars, replace_control_chars
from server.ops.migrate_to.tables import Table, quote

ACTION = "database.clean_control_chars"
SHOWN = 20  # findings listed in a message


@dataclass(frozen=True)
class Finding:
    table: str
    key: tuple
    column: str
    nul: bool

    def line(self) -> str:
        key = ", ".join(map(str, self.key))
        return f"{self.table} ({key}) {self.column}: {'NUL' if self.nul else '制御文字 / control character'}"


def find(source: sqlite3.Connection, tables: list[Table]) -> list[Finding]:
    found = []
    for table in tables:
        names = ", ".join(quote(c) for c in table.key + table.columns)
        for row in source.execute(f"SELECT {names} FROM {quote(table.name)}"):
            key, values = row[:len(table.key)], row[len(table.key):]
            for column, value in zip(table.columns, values):
                if isinstance(value, str) and has_control_chars(value, multi_line=True):
                    found.append(Finding(table.name, tuple(key), column, "\x00" in value))
    return found


def listed(findings: list[Finding]) -> str:
    lines = [f"  {f.line()}" for f in findings[:SHOWN]]
    if len(findings) > SHOWN:
        lines.append(f"  ほかに {len(findings) - SHOWN} 件 / {len(findings) - SHOWN} more")
    return "\n".join(lines)


def clean(source: sqlite3.Connection, tables: list[Table], findings: list[Finding]) -> None:
    """Replace them in the source, inside its write transaction, and audit what changed there."""
    keys = {t.name: t.key for t in tables}
    for f in findings:
        where = " AND ".join(f"{quote(c)} = ?" for c in keys[f.table])
        [(value,)] = source.execute(f"SELECT {quote(f.column)} FROM {quote(f.table)} WHERE {where}", f.key).fetchall()
        source.execute(f"UPDATE {quote(f.table)} SET {quote(f.column)} = ? WHERE {where}",
                       (replace_control_chars(value, multi_line=True), *f.key))
    source.execute(
        "INSERT INTO audit_log (at, action, entity, details) VALUES (?, ?, 'database', ?)",
        (now_iso(), ACTION, json.dumps({"changed": [[f.table, list(f.key), f.column] for f in findings]},
                                       ensure_ascii=False)))
