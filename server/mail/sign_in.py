"""The e-mail that carries an owner's one-time sign-in link (server/auth/sign_in_links.py), sent by
the mail loop's pass like the reports. Logs name the link's row only, never the address or the link."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from server.auth.sign_in_links import (LIFETIME, LinkMail, forget_expired_secrets, links_to_mail, mark_link_mail_failed,
                                       mark_link_mailed)
from server.documents.wording import SERVICE_NAME

log = logging.getLogger("akiya.mail")


def link_url(base_url: str, secret: str) -> str:
    return f"{base_url}/office/login/link/{secret}"


def link_message(link: LinkMail, sender: str, base_url: str) -> EmailMessage:
    minutes = int(LIFETIME.total_seconds() // 60)
    msg = EmailMessage()
    msg["Subject"] = "【空き家みまもり】ログイン用のリンク"
    msg["From"] = sender
    msg["To"] = formataddr((link.owner_name, link.email))
    msg["Message-ID"] = make_msgid(idstring=f"sign-in-link.{link.id}")
    msg.set_content(
        f"{link.owner_name} 様\n\n"
        f"「{SERVICE_NAME}」のお客さま用ページへのログイン用リンクです。\n"
        f"下のリンクを開き、「ログインする」を押してください。\n\n"
        f"{link_url(base_url, link.secret)}\n\n"
        f"このリンクは一度だけ、このメールの送信から{minutes}分以内に使えます。\n"
        f"お申し込みに心当たりがないときは、このメールを削除してください（ログインはされません）。\n\n"
        f"※ このメールは送信専用です。ご不明な点は担当の郵便局までお問い合わせください。\n")
    return msg


async def deliver_sign_in_links(db, settings, send: Callable[[EmailMessage], Awaitable[None]]) -> tuple[int, int]:
    """One pass: mail each pending link once; forget the secrets of links past their time."""
    await db.write(forget_expired_secrets)
    async with db.read() as conn:
        links = await links_to_mail(conn)
    sent = failed = 0
    for link in links:
        try:
            await send(link_message(link, settings.mail_from, settings.base_url))
        except Exception as exc:  # SMTP refusals, network errors
            failed += 1
            log.warning("sign-in link mail %d not sent (attempt %d): %s", link.id, link.attempts + 1,
                        type(exc).__name__)
            await db.write(mark_link_mail_failed, link)
            continue
        sent += 1
        await db.write(mark_link_mailed, link.id)
    return sent, failed
