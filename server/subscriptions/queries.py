"""Owners and watch subscriptions as a post office manages them; every change is audited."""

from __future__ import annotations

import json
from typing import Literal

import aiosqlite
import msgspec

from server.core import audit
from server.users.access import property_condition, subscription_condition
from server.core.clock import calendar_day, now_iso, today_jst
from server.core import problems
from server.db.records import from_row
from server.core.problems import not_found
from server.core.limits import ADDRESS_MAX
from server.menu import queries as menu
from server.rubrics import SERVICE_OPTIONS
from server.users.queries import User


class SubscriptionRow(msgspec.Struct):
    id: int
    property_id: str
    address: str
    owner_id: int
    owner_name: str
    owner_email: str | None
    report_delivery: str
    options: list[str]  # the monthly options running today (subscription_options; a mirror in the old column)
    requested_spot: str
    start_date: str
    end_date: str | None
    paused: bool

    @property
    def state(self) -> str:
        if self.end_date:
            return "ended"
        return "paused" if self.paused else "active"


class NewSubscription(msgspec.Struct):
    property_id: str
    owner_name: str
    start_date: str
    owner_kana: str = ""
    owner_address: str = ""
    owner_phone: str = ""
    owner_email: str = ""
    report_delivery: Literal["web", "email"] = "web"
    options: list[str] = []
    requested_spot: str = ""


_SELECT = """SELECT s.id, s.property_id, p.address, o.id AS owner_id, o.name AS owner_name, o.email AS owner_email,
                    o.report_delivery, s.options, s.requested_spot, s.start_date, s.end_date, s.paused
             FROM watch_subscriptions s JOIN properties p ON p.id = s.property_id JOIN owners o ON o.id = s.owner_id"""


def _row(r) -> SubscriptionRow:
    return from_row(SubscriptionRow, r, options=json.loads(r["options"]), paused=bool(r["paused"]))


def check_options(options: list[str]) -> list[str]:
    unknown = [o for o in options if o not in SERVICE_OPTIONS]
    if unknown:
        raise problems.UNKNOWN_OPTION(options=", ".join(unknown))
    return [o for o in SERVICE_OPTIONS if o in options]  # canonical order, no repeats


async def subscriptions_for(conn: aiosqlite.Connection, user: User) -> list[SubscriptionRow]:
    """Subscriptions of houses the clerk's office covers (admin: all); for an owner, their own. `options`
    are the dated options running today (within the subscription's period)."""
    condition, params = subscription_condition(user)
    async with conn.execute(f"{_SELECT} WHERE {condition} ORDER BY s.end_date IS NOT NULL, p.address", params) as cur:
        rows = [_row(r) for r in await cur.fetchall()]
    dated = await menu.options_of(conn, [r.id for r in rows])
    return [msgspec.structs.replace(r, options=[k for k in SERVICE_OPTIONS
                                                if any(o.service_key == k and o.runs_on(_reference_day(r))
                                                       for o in dated[r.id])])
            for r in rows]


def _reference_day(sub: SubscriptionRow) -> str:
    """The day a subscription's options are shown for: today, within its period (its first day before
    it starts, its last once it ended)."""
    day = max(today_jst().isoformat(), sub.start_date)
    return min(day, sub.end_date) if sub.end_date else day


async def subscription_for(conn: aiosqlite.Connection, user: User, sub_id: int) -> SubscriptionRow | None:
    rows = [s for s in await subscriptions_for(conn, user) if s.id == sub_id]
    return rows[0] if rows else None


async def _editable(conn, user: User, sub_id: int) -> SubscriptionRow:
    found = await subscription_for(conn, user, sub_id)
    if found is None:
        raise not_found("契約")
    return found


async def create_subscription(conn: aiosqlite.Connection, actor: audit.Actor, user: User,
                              new: NewSubscription) -> int:
    """A new owner and their subscription for a house the clerk's office covers."""
    condition, params = property_condition(user)
    async with conn.execute(f"SELECT 1 FROM properties p WHERE p.id = ? AND p.status = 'active' AND {condition}",
                            (new.property_id, *params)) as cur:
        if await cur.fetchone() is None:
            raise not_found("物件")
    start_date = _day(new.start_date, "start_date", "開始日")
    if not new.owner_name.strip():
        raise problems.OWNER_NAME_REQUIRED()
    if len(new.owner_address) > ADDRESS_MAX:
        raise problems.ADDRESS_TOO_LONG(max=ADDRESS_MAX)
    if new.report_delivery == "email" and "@" not in new.owner_email:
        raise problems.EMAIL_REQUIRED()
    options = check_options(new.options)
    await _check_no_overlap(conn, new.property_id, start_date)
    at = now_iso()
    cur = await conn.execute(
        """INSERT INTO owners (name, name_kana, address, phone, email, report_delivery, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (new.owner_name.strip(), new.owner_kana.strip(), new.owner_address.strip(), new.owner_phone.strip(),
         new.owner_email.strip() or None, new.report_delivery, at))
    owner_id = cur.lastrowid
    cur = await conn.execute(
        """INSERT INTO watch_subscriptions (property_id, owner_id, options, requested_spot, start_date,
                                            created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (new.property_id, owner_id, json.dumps(options), new.requested_spot.strip(), start_date, at, at))
    sub_id = cur.lastrowid
    await audit.record(conn, actor, "owner.create", "owner", owner_id)
    await audit.record(conn, actor, "subscription.create", "subscription", sub_id,
                       {"property_id": new.property_id, "options": options})
    await menu.set_options(conn, sub_id, options, start_date)
    return sub_id


async def _check_no_overlap(conn: aiosqlite.Connection, property_id: str, start_date: str) -> None:
    """One owner per house and day: the periods decide whose visits an owner sees (server/users/access.py)."""
    async with conn.execute(
        """SELECT start_date, end_date FROM watch_subscriptions
           WHERE property_id = ? AND (end_date IS NULL OR end_date >= ?) ORDER BY start_date LIMIT 1""",
        (property_id, start_date)) as cur:
        running = await cur.fetchone()
    if running:
        start, end = running["start_date"], running["end_date"]
        raise problems.SUBSCRIPTION_OVERLAPS("open" if end is None else "until", start=start, end=end)


async def change_options(conn: aiosqlite.Connection, actor: audit.Actor, user: User, sub_id: int,
                         options: list[str], requested_spot: str, from_day: str = "") -> None:
    """The options from `from_day` (today when not given; never a past day, which would rewrite a month
    already stated); refused on an ended subscription."""
    before = await _editable(conn, user, sub_id)
    options = check_options(options)
    day = menu.day_from_today(from_day, "変更日", "from_day") if from_day.strip() else today_jst().isoformat()
    day = max(day, before.start_date)
    mirror = before.options
    if set(options) != set(before.options) or from_day.strip():
        if before.end_date is not None and before.end_date < day:
            raise problems.SUBSCRIPTION_ENDED("options")
        await menu.set_options(conn, sub_id, options, day)
        mirror = options if day <= today_jst().isoformat() else before.options
    await conn.execute(  # a spot typed anew loses the owner's mark, which pointed at the former text
        """UPDATE watch_subscriptions SET options = ?, requested_spot = ?, updated_at = ?,
                  requested_spot_photo_id = CASE WHEN requested_spot = ? THEN requested_spot_photo_id END,
                  requested_spot_cell = CASE WHEN requested_spot = ? THEN requested_spot_cell END
           WHERE id = ?""",
        (json.dumps(mirror), requested_spot.strip(), now_iso(), requested_spot.strip(), requested_spot.strip(), sub_id))
    await audit.record(conn, actor, "subscription.options", "subscription", sub_id,
                       {"from": before.options, "to": options, "from_day": day})


async def set_paused(conn: aiosqlite.Connection, actor: audit.Actor, user: User, sub_id: int, paused: bool) -> None:
    found = await _editable(conn, user, sub_id)
    if found.end_date:
        raise problems.SUBSCRIPTION_ENDED()
    await conn.execute("UPDATE watch_subscriptions SET paused = ?, updated_at = ? WHERE id = ?",
                       (int(paused), now_iso(), sub_id))
    await menu.record_pause(conn, sub_id, paused, max(today_jst().isoformat(), found.start_date))
    await audit.record(conn, actor, "subscription.pause" if paused else "subscription.resume", "subscription", sub_id)


async def set_requested_spot(conn: aiosqlite.Connection, actor: audit.Actor, user: User, sub_id: int,
                             spot: str, photo_id: str | None = None, cell: int | None = None) -> None:
    """The spots the next visits photograph (the carrier's task header and the push ask for them), with the
    owner's mark on last month's photo when their request had one (a new spot without one clears it)."""
    found = await _editable(conn, user, sub_id)
    if found.end_date and found.end_date < today_jst().isoformat():
        raise problems.SUBSCRIPTION_ENDED("request", end=found.end_date)
    await conn.execute(
        """UPDATE watch_subscriptions SET requested_spot = ?, requested_spot_photo_id = ?, requested_spot_cell = ?,
                  updated_at = ? WHERE id = ?""", (spot.strip(), photo_id, cell, now_iso(), sub_id))
    await audit.record(conn, actor, "subscription.requested_spot", "subscription", sub_id,
                       {"from": found.requested_spot, "to": spot.strip(),
                        **({"photo_id": photo_id, "cell": cell} if photo_id else {})})


def _day(text: str, field: str, label: str) -> str:
    """A subscription's day as stored: YYYY-MM-DD of a day that exists (compared as text with visits' days)."""
    day = calendar_day(text)
    if day is None:
        raise problems.INVALID_DAY(label=label, details={"field": field})
    return day.isoformat()


async def end_subscription(conn: aiosqlite.Connection, actor: audit.Actor, user: User, sub_id: int,
                           end_date: str, reason: str = "") -> None:
    """End a subscription on `end_date` (included). An ended one may be ended earlier again; later
    only with a `reason`, which the audit keeps with the previous end date (the former owner would
    read the new owner's months otherwise)."""
    found = await _editable(conn, user, sub_id)
    end_date = _day(end_date, "end_date", "終了日")
    if end_date < found.start_date:
        raise problems.INVALID_END_DATE()
    async with conn.execute(
        """SELECT min(start_date) AS following FROM watch_subscriptions WHERE property_id = ? AND id <> ? AND start_date > ?
             AND start_date <= ?""", (found.property_id, sub_id, found.start_date, end_date)) as cur:
        following = (await cur.fetchone())["following"]
    if following:
        raise problems.SUBSCRIPTION_OVERLAPS("following", following=following)
    reason = reason.strip()[:2000]
    if found.end_date and end_date > found.end_date and not reason:
        raise problems.REASON_REQUIRED()
    await conn.execute("UPDATE watch_subscriptions SET end_date = ?, updated_at = ? WHERE id = ?",
                       (end_date, now_iso(), sub_id))
    await menu.end_options(conn, sub_id, end_date, found.end_date)
    details = {"end_date": end_date}
    if found.end_date:
        details.update(previous_end_date=found.end_date, reason=reason)
    await audit.record(conn, actor, "subscription.end", "subscription", sub_id, details)
