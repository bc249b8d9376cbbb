"""What an owner sees: their houses, reports to download, next visit month, options, and whom to call."""

from __future__ import annotations

import aiosqlite
import msgspec

from server.users.access import subscription_visit_condition
from server.core.clock import today_jst
from server.db.records import from_row
from server.inspections.lists import approved_disaster_checks, approved_months
from server.subscriptions.queries import SubscriptionRow, subscriptions_for
from server.users.queries import User


class Report(msgspec.Struct):
    label: str
    url: str


class OfficeContact(msgspec.Struct):
    """The post office that watches an owner's house: the owner calls it (phone, hours) with any question."""

    name: str
    phone: str
    hours: str


class OwnerHouse(msgspec.Struct):
    subscription: SubscriptionRow
    next_visit: str
    monthly: list[Report]
    notices: list[Report]


async def owner_houses(conn: aiosqlite.Connection, user: User) -> list[OwnerHouse]:
    out = []
    for sub in await subscriptions_for(conn, user):
        covered, params = subscription_visit_condition(sub.id)  # this subscription's own months only
        months = await approved_months(conn, covered, params)
        notices = [Report(f"災害後見回り {r['finished_at'][:10]}", f"/api/v1/reports/disaster/{r['id']}")
                   for r in await approved_disaster_checks(conn, covered, params)]
        async with conn.execute(
            """SELECT min(coalesce(period, substr(due_date, 1, 7))) AS planned FROM tasks
               WHERE property_id = ? AND kind = 'watch' AND status = 'open'""", (sub.property_id,)) as cur:
            planned = (await cur.fetchone())["planned"]
        out.append(OwnerHouse(
            sub, _month_label(planned or _next_month()) if not sub.end_date and not sub.paused else "—",
            [Report(f"{_month_label(m)}の報告書", f"/api/v1/reports/owner/{sub.property_id}?month={m}") for m in months],
            notices))
    return out


async def owner_offices(conn: aiosqlite.Connection, houses: list[OwnerHouse]) -> list[OfficeContact]:
    """The offices of the owner's houses (each once), from the post office's own record."""
    property_ids = sorted({h.subscription.property_id for h in houses})
    if not property_ids:
        return []
    async with conn.execute(
        f"""SELECT DISTINCT o.name, o.phone, o.hours FROM post_offices o JOIN properties p ON p.office_code = o.code
            WHERE p.id IN ({','.join('?' * len(property_ids))}) ORDER BY o.name""", property_ids) as cur:
        return [from_row(OfficeContact, row) for row in await cur.fetchall()]


def _next_month() -> str:
    today = today_jst()
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return f"{year}-{month:02d}"


def _month_label(period: str) -> str:
    year, month = period.split("-")
    return f"{year}年{int(month)}月"
