"""The alerts' SQL: raising them in the push, the office's list, confirming, the contact log,
what an owner sees, and the e-mail states."""

from __future__ import annotations

from datetime import datetime

import aiosqlite
import msgspec

from server.core import audit
from server.users.access import alert_condition, covering_owner
from server.core.clock import JST, iso, now_iso
from server.core import problems
from server.db.records import from_row
from server.core.problems import not_found
from server.users.queries import User

# Raised with the inspection, once per finding; a correction repeating a finding its
# superseded record already raised raises nothing new.
RAISE_SQL = """
INSERT INTO urgent_alerts (inspection_id, property_id, item_key, finding, raised_at, office_mail)
SELECT ?, ?, ?, ?, ?, 'pending'
WHERE NOT EXISTS (SELECT 1 FROM urgent_alerts WHERE inspection_id = ? AND item_key = ?)
ON CONFLICT DO NOTHING
"""


def raise_rows(inspection_id: str, property_id: str, supersedes: str | None,
               findings: list[tuple[str, str]]) -> list[tuple]:
    """Rows for RAISE_SQL. office_mail starts 'pending': the mail pass sends it when
    AKIYA_URGENT_MAIL_TO and SMTP are set, and otherwise never looks at it."""
    at = now_iso()
    return [(inspection_id, property_id, key, text, at, supersedes or "", key) for key, text in findings]


class Contact(msgspec.Struct):
    recorded_by: str
    contacted_by: str
    contacted: str
    contacted_at: str
    agreed: str


class Alert(msgspec.Struct):
    id: int
    inspection_id: str
    property_id: str
    address: str
    finding: str
    raised_at: str
    carrier: str
    photo_id: str | None
    confirmed_at: str | None
    confirmed_by: str | None
    owner_notice: str
    owner_note: str
    owner_mail: str
    closed_at: str | None
    found_at: str  # when the visit that found it began
    owner_has_email: bool = False  # the owner of the finding's day can be told by e-mail
    contacts: list[Contact] = []


# The e-mail address of the owner whose subscription covered the day of the finding (visit `i`).
_OWNER_EMAIL = f"SELECT 1 FROM owners o WHERE o.id = {covering_owner('i')} AND coalesce(o.email, '') <> ''"

_SELECT = f"""
SELECT a.id, a.inspection_id, a.property_id, p.address, a.finding, a.raised_at, u.name AS carrier,
       (SELECT ph.id FROM photos ph WHERE ph.inspection_id = a.inspection_id AND ph.received_at IS NOT NULL
        ORDER BY ph.slot = 'entrance' DESC, ph.slot LIMIT 1) AS photo_id,
       a.confirmed_at, c.name AS confirmed_by, a.owner_notice, a.owner_note, a.owner_mail, a.closed_at,
       i.started_at AS found_at, CASE WHEN EXISTS ({_OWNER_EMAIL}) THEN 1 ELSE 0 END AS owner_has_email
FROM urgent_alerts a JOIN properties p ON p.id = a.property_id JOIN inspections i ON i.id = a.inspection_id
JOIN users u ON u.id = i.carrier_id LEFT JOIN users c ON c.id = a.confirmed_by
"""


def _alert(row) -> Alert:
    return from_row(Alert, row, owner_has_email=bool(row["owner_has_email"]))


async def open_alerts(conn: aiosqlite.Connection, user: User) -> list[Alert]:
    """Not yet closed, newest first: the 至急 list on the office home."""
    condition, params = alert_condition(user)
    async with conn.execute(f"{_SELECT} WHERE a.closed_at IS NULL AND {condition} ORDER BY a.raised_at DESC, a.id DESC",
                            params) as cur:
        return [_alert(r) for r in await cur.fetchall()]


async def alerts_of_property(conn: aiosqlite.Connection, user: User, property_id: str) -> list[Alert]:
    condition, params = alert_condition(user)
    async with conn.execute(f"{_SELECT} WHERE a.property_id = ? AND {condition} ORDER BY a.raised_at DESC, a.id DESC",
                            (property_id, *params)) as cur:
        alerts = [_alert(r) for r in await cur.fetchall()]
    for alert in alerts:
        async with conn.execute(
            """SELECT u.name AS recorded_by, c.contacted_by, c.contacted, c.contacted_at, c.agreed FROM alert_contacts c
               JOIN users u ON u.id = c.recorded_by WHERE c.alert_id = ? ORDER BY c.contacted_at, c.id""",
            (alert.id,)) as cur:
            alert.contacts = [from_row(Contact, r) for r in await cur.fetchall()]
    return alerts


async def owner_alerts(conn: aiosqlite.Connection, user: User) -> list[Alert]:
    """What an owner may see: only alerts of their own period that a clerk confirmed and chose to tell them about."""
    condition, params = alert_condition(user)
    async with conn.execute(
        f"""{_SELECT} WHERE a.confirmed_at IS NOT NULL AND a.owner_notice <> '' AND {condition}
            ORDER BY a.confirmed_at DESC""", params) as cur:
        return [_alert(r) for r in await cur.fetchall()]


class AlertState(msgspec.Struct, frozen=True):
    id: int
    property_id: str
    confirmed_at: str | None
    owner_has_email: bool


async def _alert_for(conn: aiosqlite.Connection, user: User, alert_id: int) -> AlertState:
    condition, params = alert_condition(user)
    async with conn.execute(
        f"""SELECT a.id, a.property_id, a.confirmed_at, CASE WHEN EXISTS ({_OWNER_EMAIL}) THEN 1 ELSE 0 END AS mail
            FROM urgent_alerts a JOIN properties p ON p.id = a.property_id JOIN inspections i ON i.id = a.inspection_id
            WHERE a.id = ? AND {condition}""", (alert_id, *params)) as cur:
        row = await cur.fetchone()
    if row is None:
        raise not_found("至急の所見")
    return from_row(AlertState, row, owner_has_email=bool(row["mail"]))


async def property_of_alert(conn: aiosqlite.Connection, alert_id: int) -> str:
    async with conn.execute("SELECT property_id FROM urgent_alerts WHERE id = ?", (alert_id,)) as cur:
        return (await cur.fetchone())["property_id"]


async def confirm_alert(conn: aiosqlite.Connection, actor: audit.Actor, user: User, alert_id: int, notice: str,
                        note: str) -> None:
    """The clerk confirmed the finding; `notice` says how the owner is told: '' (not now), 'page' or 'email'."""
    found = await _alert_for(conn, user, alert_id)
    confirmed_at = found.confirmed_at
    if notice not in ("", "page", "email"):
        raise problems.INVALID_NOTICE()
    if notice and not note.strip():
        raise problems.OWNER_NOTE_REQUIRED(
            details=[{"field": "owner_note", "message": problems.OWNER_NOTE_REQUIRED.message}])
    if notice == "email" and not found.owner_has_email:
        raise problems.OWNER_WITHOUT_EMAIL()
    await conn.execute(
        """UPDATE urgent_alerts SET confirmed_at = coalesce(confirmed_at, ?), confirmed_by = coalesce(confirmed_by, ?),
           owner_notice = ?, owner_note = ?, owner_mail = CASE WHEN ? = 'email' AND owner_mail <> 'sent' THEN 'pending'
           ELSE owner_mail END WHERE id = ?""",
        (now_iso(), user.id, notice, note.strip(), notice, alert_id))
    await audit.record(conn, actor, "alert.confirm", "urgent_alert", alert_id,
                       {"owner_notice": notice, "already_confirmed": confirmed_at is not None})


async def log_contact(conn: aiosqlite.Connection, actor: audit.Actor, user: User, alert_id: int, contacted_by: str,
                      contacted: str, contacted_at: str, agreed: str) -> None:
    await _alert_for(conn, user, alert_id)
    missing = [field for field, value in (("contacted_by", contacted_by), ("contacted", contacted),
                                          ("contacted_at", contacted_at), ("agreed", agreed)) if not value.strip()]
    if missing:
        raise problems.CONTACT_INCOMPLETE(details=[{"field": f} for f in missing])
    try:
        moment = datetime.fromisoformat(contacted_at)
    except ValueError:
        raise problems.INVALID_CONTACTED_AT() from None
    contacted_at = iso(moment if moment.tzinfo else moment.replace(tzinfo=JST))  # the form's time is JST
    cur = await conn.execute(
        """INSERT INTO alert_contacts (alert_id, recorded_by, contacted_by, contacted, contacted_at, agreed, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (alert_id, user.id, contacted_by.strip()[:100], contacted.strip()[:100], contacted_at, agreed.strip()[:2000],
         now_iso()))
    await audit.record(conn, actor, "alert.contact", "urgent_alert", alert_id, {"contact_id": cur.lastrowid})


async def close_alert(conn: aiosqlite.Connection, actor: audit.Actor, user: User, alert_id: int) -> None:
    if (await _alert_for(conn, user, alert_id)).confirmed_at is None:
        raise problems.ALERT_NOT_CONFIRMED()
    await conn.execute("UPDATE urgent_alerts SET closed_at = ? WHERE id = ? AND closed_at IS NULL", (now_iso(), alert_id))
    await audit.record(conn, actor, "alert.close", "urgent_alert", alert_id)


async def mark_mail_sent(conn: aiosqlite.Connection, alert_id: int, column: str) -> None:
    """The office's (`office_mail`) or the owner's (`owner_mail`) e-mail of an alert went out."""
    if column not in ("office_mail", "owner_mail"):
        raise ValueError(column)
    await conn.execute(f"UPDATE urgent_alerts SET {column} = 'sent' WHERE id = ?", (alert_id,))
