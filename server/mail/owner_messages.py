"""E-mail notices of a new message in an owner's thread (server/messages/queries.py): the owner hears
of the office's message at their address, the office of the owner's at AKIYA_OFFICE_MAIL_TO. The
notice says where to read it, not the text. Logs name the message's row only."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from server.documents.wording import SERVICE_NAME
from server.messages.queries import MessageNotice, mark_notice_failed, mark_notice_sent, notices_due

log = logging.getLogger("akiya.mail")


def notice_message(notice: MessageNotice, sender: str, base_url: str, office_to: str | None) -> EmailMessage | None:
    """The notice, or None when there is nobody to tell (no address any more)."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["Message-ID"] = make_msgid(idstring=f"owner-message.{notice.id}")
    if notice.author_side == "office":
        if not notice.owner_email:
            return None
        msg["Subject"] = "【空き家みまもり】郵便局からメッセージが届いています"
        msg["To"] = formataddr((notice.owner_name, notice.owner_email))
        msg.set_content(
            f"{notice.owner_name} 様\n\n「{SERVICE_NAME}」の担当の郵便局からメッセージが届いています。\n"
            f"お客さま用のページでご覧ください。\n\n{base_url}/office/\n\n※ このメールは送信専用です。\n")
        return msg
    if not office_to:
        return None
    msg["Subject"] = f"【空き家みまもり】{notice.owner_name} 様からメッセージ"
    msg["To"] = office_to
    msg.set_content(f"所有者の {notice.owner_name} 様から新しいメッセージがあります。所有者のページで読み、"
                    f"答えてください。\n\n{base_url}/office/\n")
    return msg


async def deliver_message_notices(db, settings, send: Callable[[EmailMessage], Awaitable[None]]) -> tuple[int, int]:
    async with db.read() as conn:
        notices = await notices_due(conn)
    sent = failed = 0
    for notice in notices:
        msg = notice_message(notice, settings.mail_from, settings.base_url, settings.office_mail_to)
        try:
            if msg is not None:
                await send(msg)
        except Exception as exc:  # SMTP refusals, network errors
            failed += 1
            log.warning("message notice %d not sent (attempt %d): %s", notice.id, notice.attempts + 1,
                        type(exc).__name__)
            await db.write(mark_notice_failed, notice)
            continue
        sent += msg is not None
        await db.write(mark_notice_sent, notice.id, msg is not None)
    return sent, failed
