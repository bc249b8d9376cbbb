"""What the metrics read from the database when scraped: the mail queue, the leases, the schema level."""

from __future__ import annotations

from datetime import datetime

import msgspec

from server.core.clock import iso
from server.db.records import from_row

# pending: waiting to be sent or retried; failed: given up after every attempt (a clerk must look).
MAIL_QUEUE = """
SELECT status, count(*) AS jobs, min(created_at) AS oldest_created_at
FROM mail_outbox
WHERE status IN ('pending', 'failed')
GROUP BY status
"""

LEASES = "SELECT name, holder, expires_at FROM leases"

# A real query on a real table: the database answers and holds akiya's schema.
USERS_READABLE = "SELECT count(*) AS n FROM (SELECT 1 FROM users LIMIT 1) AS one_user"


class MailQueue(msgspec.Struct):
    status: str
    jobs: int
    oldest_created_at: str | None


class Lease(msgspec.Struct):
    name: str
    holder: str
    expires_at: str

    def held_at(self, at: datetime) -> bool:
        return bool(self.holder) and self.expires_at > iso(at)


async def mail_queue(conn) -> list[MailQueue]:
    async with conn.execute(MAIL_QUEUE) as cur:
        return [from_row(MailQueue, row) for row in await cur.fetchall()]


async def leases(conn) -> list[Lease]:
    async with conn.execute(LEASES) as cur:
        return [from_row(Lease, row) for row in await cur.fetchall()]


async def users_readable(conn) -> None:
    async with conn.execute(USERS_READABLE) as cur:
        await cur.fetchone()


async def schema_level(conn) -> int:
    """The number of the last migration applied to this database (SQLite: PRAGMA user_version;
    PostgreSQL: the akiya_schema row, server/db/migrate_pg.py)."""
    sql = "SELECT version FROM akiya_schema" if hasattr(conn, "log_changes") else "PRAGMA user_version"
    async with conn.execute(sql) as cur:
        return (await cur.fetchone())[0]
