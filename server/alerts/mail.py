"""E-mail for urgent findings, worked by the mail loop (only when SMTP is configured):
the office hears of each new alert at AKIYA_URGENT_MAIL_TO (unset: no office mail); an owner
gets a mail only after a clerk confirmed the alert and chose e-mail. A failed send stays
pending and is tried again on the next pass. Logs name the alert row only."""

from __future__ import annotations

import asyncio
import logging
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

import msgspec

from server.core.clock import JST
from server.users.access import covering_owner
from server.alerts.queries import mark_mail_sent
from server.db.records import from_row

log = logging.getLogger("akiya.mail")


def _jst(text: str) -> str:
    from datetime import datetime
    return datetime.fromisoformat(text).astimezone(JST).strftime("%Y-%m-%d %H:%M")


class OfficeAlertMail(msgspec.Struct, frozen=True):
    """A new urgent alert the office is told of."""

    id: int
    finding: str
    address: str
    raised_at: str
    carrier: str


class OwnerAlertMail(msgspec.Struct, frozen=True):
    """A confirmed urgent alert an owner chose to hear of by e-mail."""

    id: int
    finding: str
    address: str
    found_at: str  # when the visit that found it began
    owner_note: str
    owner_name: str
    email: str


def office_message(alert: OfficeAlertMail, sender: str, to: str) -> EmailMessage:
    alert_id, finding, address, raised_at, carrier = (alert.id, alert.finding, alert.address, alert.raised_at,
                                                      alert.carrier)
    msg = EmailMessage()
    msg["Subject"] = f"【至急】{address}: {finding}"
    msg["From"], msg["To"] = sender, to
    msg["Message-ID"] = make_msgid(idstring=f"alert.{alert_id}")
    msg.set_content(f"配達員の記録に至急の所見があります。\n\n物件: {address}\n所見: {finding}\n"
                    f"受信: {_jst(raised_at)}\n配達員: {carrier}\n\n"
                    f"内容を確かめ、物件のページで「確認した」を押してください。所有者へは確認するまで知らせません。\n")
    return msg


def owner_message(alert: OwnerAlertMail, sender: str) -> EmailMessage:
    alert_id, finding, address, found_at, note, name, email = (alert.id, alert.finding, alert.address,
                                                               alert.found_at, alert.owner_note, alert.owner_name,
                                                                alert.email)
    msg = EmailMessage()
    msg["Subject"] = f"【空き家みまもり】{address} についてのお知らせ"
    msg["From"], msg["To"] = sender, formataddr((name, email))
    msg["Message-ID"] = make_msgid(idstring=f"alert-owner.{alert_id}")
    msg.set_content(f"{name} 様\n\n{_jst(found_at)} の見回りで、次のことを確認しました。\n\n"
                    f"物件: {address}\n所見: {finding}\n\n{note}\n\n"
                    f"ご不明な点は担当の郵便局までお問い合わせください。\n※ このメールは送信専用です。\n")
    return msg


_OFFICE = """SELECT a.id, a.finding, p.address, a.raised_at, u.name AS carrier FROM urgent_alerts a
             JOIN properties p ON p.id = a.property_id JOIN inspections i ON i.id = a.inspection_id
             JOIN users u ON u.id = i.carrier_id WHERE a.office_mail = 'pending' ORDER BY a.id LIMIT 50"""
# The owner told is the one whose subscription covered the day of the finding (server/users/access.py), never
# another owner of the same house.
_OWNER = f"""SELECT a.id, a.finding, p.address, i.started_at AS found_at, a.owner_note, o.name AS owner_name, o.email
            FROM urgent_alerts a JOIN properties p ON p.id = a.property_id JOIN inspections i ON i.id = a.inspection_id
            JOIN owners o ON o.id = {covering_owner('i')}
            WHERE a.owner_mail = 'pending' AND a.owner_notice = 'email' AND a.confirmed_at IS NOT NULL
              AND coalesce(o.email, '') <> '' ORDER BY a.id LIMIT 50"""


async def deliver_alert_mail(db, settings, send) -> tuple[int, int]:
    """One pass; `send(msg)` is blocking SMTP (run in a thread). Returns (sent, failed)."""
    async with db.read() as conn:
        office = [from_row(OfficeAlertMail, row) for row in await (await conn.execute(_OFFICE)).fetchall()] \
            if settings.urgent_mail_to else []
        owner = [from_row(OwnerAlertMail, row) for row in await (await conn.execute(_OWNER)).fetchall()]
    jobs = [("office_mail", a.id, office_message(a, settings.mail_from, settings.urgent_mail_to)) for a in office]
    jobs += [("owner_mail", a.id, owner_message(a, settings.mail_from)) for a in owner]
    sent = failed = 0
    for column, alert_id, msg in jobs:
        try:
            await asyncio.to_thread(send, msg)
        except Exception as exc:  # kept pending: tried again next pass
            failed += 1
            log.warning("urgent alert %d %s not sent: %s", alert_id, column, type(exc).__name__)
            continue
        sent += 1

        await db.write(mark_mail_sent, alert_id, column)
    return sent, failed
