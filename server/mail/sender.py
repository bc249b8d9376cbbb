"""The sender: queue approved reports, send what is due, retry failures with backoff.

Addresses and names are personal data: logs name the outbox row only."""

from __future__ import annotations

import asyncio
import logging
import smtplib
from collections.abc import Awaitable, Callable
from datetime import datetime
from email.message import EmailMessage

from server.alerts.mail import deliver_alert_mail
from server.core.clock import now
from server.core.errors import AppError
from server.mail.message import report_message
from server.mail.owner_messages import deliver_message_notices
from server.mail.sign_in import deliver_sign_in_links
from server.mail.outbox import MailJob, due_jobs, enqueue_approved_reports, mark_failed, mark_sent

log = logging.getLogger("akiya.mail")

# (job) -> (file name, PDF bytes)
Attachment = Callable[[MailJob], Awaitable[tuple[str, bytes]]]


def document_attachment(documents) -> Attachment:
    """The report PDFs from the document service (server.documents.service), as owners download them."""

    async def attach(job: MailJob) -> tuple[str, bytes]:
        if job.kind == "owner_monthly":
            return f"みまもり報告書_{job.period}.pdf", await documents.owner_monthly_pdf(job.subject_id, job.period,
                                                                                   owner_id=job.owner_id)
        return "災害後見回り結果.pdf", await documents.disaster_notice_pdf(job.subject_id)

    return attach


def smtp_send(settings, msg: EmailMessage) -> None:
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password or "")
        smtp.send_message(msg)


async def deliver_due(db, settings, attach: Attachment, at: datetime | None = None) -> tuple[int, int]:
    """One pass: queue newly approved reports, then try each due job once. Returns (sent, failed)."""
    at = at or now()
    await db.write(enqueue_approved_reports, at)
    async with db.read() as conn:
        jobs = await due_jobs(conn, at)
    sent = failed = 0
    for job in jobs:
        try:
            filename, pdf = await attach(job)
            msg = report_message(job, settings.mail_from, pdf, filename)
            await asyncio.to_thread(smtp_send, settings, msg)
        except Exception as exc:  # SMTP refusals, network errors, a report that cannot be built yet
            failed += 1
            reason = f"{exc.code}: {exc.message}" if isinstance(exc, AppError) else f"{type(exc).__name__}: {exc}"
            log.warning("mail %d not sent (attempt %d): %s", job.id, job.attempts + 1,
                        exc.code if isinstance(exc, AppError) else type(exc).__name__)
            await db.write(mark_failed, job, reason, at)
            continue
        sent += 1
        await db.write(mark_sent, job.id, at)
    alert_sent, alert_failed = await deliver_alert_mail(db, settings, lambda msg: smtp_send(settings, msg))
    link_sent, link_failed = await deliver_sign_in_links(
        db, settings, lambda msg: asyncio.to_thread(smtp_send, settings, msg))
    notice_sent, notice_failed = await deliver_message_notices(
        db, settings, lambda msg: asyncio.to_thread(smtp_send, settings, msg))
    return sent + alert_sent + link_sent + notice_sent, failed + alert_failed + link_failed + notice_failed


async def mail_loop(db, settings, attach: Attachment) -> None:
    """Run deliver_due every mail_interval_seconds (started in the lifespan when smtp_host is set)."""
    while True:
        try:
            await deliver_due(db, settings, attach)
        except Exception:
            log.exception("mail pass failed")
        await asyncio.sleep(settings.mail_interval_seconds)
