"""The outbox: one row per report and owner (never the same report twice), with retry state."""

from __future__ import annotations

from datetime import datetime, timedelta

import aiosqlite
import msgspec

from server.users.access import subscription_covers
from server.core.clock import iso
from server.db.records import from_row
from server.inspections.queries import approved_since_sql, visit_month_sql, watch_visit_in_month_sql

MAX_ATTEMPTS = 10
FIRST_RETRY_S = 60
LONGEST_RETRY_S = 6 * 3600
RECENT_DAYS = 31  # reports approved earlier than this are not mailed when e-mail is first turned on


class MailJob(msgspec.Struct):
    id: int
    kind: str          # owner_monthly | disaster_notice
    subject_id: str    # property id | inspection id
    period: str        # YYYY-MM for monthly reports
    owner_id: int
    owner_name: str
    email: str
    attempts: int


def retry_delay(attempts: int) -> timedelta:
    """60 s after the first failure, doubling, at most 6 hours."""
    return timedelta(seconds=min(FIRST_RETRY_S * 2 ** (attempts - 1), LONGEST_RETRY_S))


# A month's report goes out once per owner: on its watch visit's approval, or on approved option work (草刈)
# in a month without one. Work in a month whose watch visit is still to come (its task open) or waiting for
# review queues nothing: that visit's approval sends the month's one report, work included.
_ENQUEUE = """
INSERT INTO mail_outbox (kind, subject_id, period, owner_id, next_attempt_at, created_at)
SELECT DISTINCT
       CASE i.kind WHEN 'disaster' THEN 'disaster_notice' ELSE 'owner_monthly' END,
       CASE i.kind WHEN 'disaster' THEN i.id ELSE i.property_id END,
       CASE i.kind WHEN 'disaster' THEN '' ELSE {visit_month} END,
       o.id, ?, ?
FROM ({approved}) AS i
JOIN watch_subscriptions s ON {covers}
JOIN owners o ON o.id = s.owner_id
WHERE o.report_delivery = 'email' AND coalesce(o.email, '') <> ''
  AND (i.kind <> 'work' OR (
       NOT {watch_in_month}
       AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.property_id = i.property_id AND t.kind = 'watch'
                         AND t.status = 'open' AND coalesce(t.period, substr(t.due_date, 1, 7)) = {visit_month})))
ON CONFLICT DO NOTHING
""".format(approved=approved_since_sql(("watch", "disaster", "work")), covers=subscription_covers("s", "i"),
           visit_month=visit_month_sql("i"), watch_in_month=watch_visit_in_month_sql("i"))


async def enqueue_approved_reports(conn: aiosqlite.Connection, at: datetime) -> int:
    """Queue every recently approved report for owners who chose e-mail, each to the owner whose
    subscription covered the visit (a house that changed hands: each month to its own owner)."""
    cur = await conn.execute(_ENQUEUE, (iso(at), iso(at), iso(at - timedelta(days=RECENT_DAYS))))
    return cur.rowcount


async def due_jobs(conn: aiosqlite.Connection, at: datetime, limit: int = 20) -> list[MailJob]:
    async with conn.execute(
        """SELECT m.id, m.kind, m.subject_id, m.period, m.owner_id, o.name AS owner_name, o.email, m.attempts
           FROM mail_outbox m JOIN owners o ON o.id = m.owner_id
           WHERE m.status = 'pending' AND m.next_attempt_at <= ? ORDER BY m.next_attempt_at, m.id LIMIT ?""",
        (iso(at), limit)) as cur:
        return [from_row(MailJob, row) for row in await cur.fetchall()]


async def mark_sent(conn: aiosqlite.Connection, job_id: int, at: datetime) -> None:
    await conn.execute("UPDATE mail_outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1 WHERE id = ?",
                       (iso(at), job_id))


async def mark_failed(conn: aiosqlite.Connection, job: MailJob, error: str, at: datetime) -> None:
    """Count the failure and schedule a retry with backoff; give up after MAX_ATTEMPTS."""
    attempts = job.attempts + 1
    status = "failed" if attempts >= MAX_ATTEMPTS else "pending"
    await conn.execute(
        "UPDATE mail_outbox SET attempts = ?, status = ?, last_error = ?, next_attempt_at = ? WHERE id = ?",
        (attempts, status, error[:500], iso(at + retry_delay(attempts)), job.id))
