"""Owners who chose e-mail get each approved report once, through a real SMTP server (aiosmtpd)."""

import asyncio
import email
import subprocess
from datetime import datetime, timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller

from server.core.clock import now
from server.db import Database
from server.documents.service import DocumentService
from server.mail.sender import deliver_due, document_attachment
from server.rubrics import RubricRegistry
from tests.office.db import execute, query
from tests.support.field import JST, watch_visit
from tests.support.handover import hand_over
from tests.support.live_server import free_port
from tests.support.processes import kill_pdf_workers


class Inbox:
    """An SMTP handler that keeps what it receives; it refuses the first `refuse` messages (451)."""

    def __init__(self, refuse: int = 0):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse = refuse

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Temporary failure, try again later"
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp():
    def start(refuse=0):
        inbox = Inbox(refuse)
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
        controller.start()
        started.append(controller)
        return inbox, controller.port

    started = []
    yield start
    for controller in started:
        controller.stop()


@pytest.fixture
def approved_visit(as_, world, settings):
    """Ono chose e-mail; Aoki's watch visit at her house is approved by Ueda."""
    execute(settings, "UPDATE owners SET report_delivery = 'email' WHERE id = ?", world.owners["ono"])
    visit = watch_visit(world)
    as_("aoki").push([visit.op()])
    visit.upload_all(as_("aoki"))
    assert as_("ueda").post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"}).status_code == 200
    return visit


def run_pass(settings, port, at=None) -> tuple[int, int]:
    mail_settings = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": False,
                                                "mail_from": "mimamori@akiya.example"})

    async def go():
        async with Database(settings.db, readers=1) as db:
            documents = DocumentService.start(db, mail_settings, RubricRegistry.load_dir(settings.rubrics_dir))
            try:
                return await deliver_due(db, mail_settings, document_attachment(documents), at)
            finally:
                documents.close()

    return asyncio.run(go())


def test_an_approved_monthly_report_is_mailed_once_with_the_pdf(smtp, approved_visit, settings):
    inbox, port = smtp()
    assert run_pass(settings, port) == (1, 0)
    assert run_pass(settings, port) == (0, 0)
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert "ono@example.jp" in message["To"] and "見回り報告書" in message["Subject"]
    assert "「郵便局の空き家みまもり」" in message.get_body().get_content()
    attachment = next(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content()[:5] == b"%PDF-"
    assert query(settings, "SELECT kind, status, attempts FROM mail_outbox") == [("owner_monthly", "sent", 1)]


def test_a_refused_message_is_retried_after_a_backoff(smtp, approved_visit, settings):
    inbox, port = smtp(refuse=1)
    assert run_pass(settings, port) == (0, 1)
    status, attempts, error = query(settings, "SELECT status, attempts, last_error FROM mail_outbox")[0]
    assert (status, attempts) == ("pending", 1) and "451" in error
    assert run_pass(settings, port) == (0, 0)  # not due yet
    assert run_pass(settings, port, at=now() + timedelta(minutes=2)) == (1, 0)
    assert len(inbox.messages) == 1


def test_owners_who_read_reports_on_the_web_get_no_mail(smtp, approved_visit, world, settings):
    execute(settings, "UPDATE owners SET report_delivery = 'web' WHERE id = ?", world.owners["ono"])
    inbox, port = smtp()
    assert run_pass(settings, port) == (0, 0)
    assert inbox.messages == []


def test_the_mailed_report_comes_from_the_document_service_even_after_a_pdf_worker_died(
        smtp, as_, world, settings, tmp_path):
    """Ono's name has 𠮷 and the carrier's note an emoji: the mail still goes out, with 𠮷 in
    IPAmj明朝 and 〓 for the emoji, although the PDF worker was killed just before the pass."""
    execute(settings, "UPDATE owners SET report_delivery = 'email', name = '𠮷田 和子' WHERE id = ?", world.owners["ono"])
    visit = watch_visit(world, overrides={"garden": "check", "garden_note": "雨どいが外れています🙂"})
    as_("aoki").push([visit.op()])
    visit.upload_all(as_("aoki"))
    assert as_("ueda").post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"}).status_code == 200
    inbox, port = smtp()
    mail_settings = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": False})

    async def go():
        async with Database(settings.db, readers=1) as db:
            documents = DocumentService.start(db, mail_settings, RubricRegistry.load_dir(settings.rubrics_dir))
            try:
                month = datetime.now(JST).strftime("%Y-%m")
                assert (await documents.owner_monthly_pdf(world.properties["watched"], month))[:5] == b"%PDF-"
                assert kill_pdf_workers(of=documents.renderer) == 1
                return await deliver_due(db, mail_settings, document_attachment(documents))
            finally:
                documents.close()

    assert asyncio.run(go()) == (1, 0)
    pdf = tmp_path / "mailed.pdf"
    pdf.write_bytes(next(inbox.messages[0].iter_attachments()).get_content())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "雨どいが外れています〓" in text and "〓で表示しています" in text
    assert "IPAmjMincho" in fonts


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "mailed.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_after_a_handover_each_months_report_is_mailed_to_the_owner_of_that_month(smtp, as_, world, settings,
                                                                                    tmp_path):
    hand_over(world, as_)
    inbox, port = smtp()
    assert run_pass(settings, port) == (2, 0)
    mailed = {}
    for message in inbox.messages:
        pdf = _pdf_text(next(message.iter_attachments()).get_content(), tmp_path)
        mailed[message["To"].addresses[0].addr_spec] = (message["Subject"], pdf)
    assert set(mailed) == {"ono@example.jp", "oda@example.jp"}
    assert "2026年10月" in mailed["ono@example.jp"][0] and "小野 和子" in mailed["ono@example.jp"][1]
    assert "2026年11月" in mailed["oda@example.jp"][0]
    assert "織田 信子" in mailed["oda@example.jp"][1] and "小野" not in mailed["oda@example.jp"][1]
    assert sorted(query(settings, "SELECT period, owner_id FROM mail_outbox")) == [
        ("2026-10", world.owners["ono"]), ("2026-11", world.owners["oda"])]


def test_an_urgent_finding_is_mailed_to_the_office_once_and_to_the_owner_only_after_confirming(
        smtp, as_, world, settings):
    visit = watch_visit(world, overrides={"entrance_lock": "unlocked", "entrance_lock_note": "戸が開いていた"})
    as_("aoki").push([visit.op()])
    inbox, port = smtp()
    office_settings = settings.model_copy(update={"urgent_mail_to": "kyoku@akiya.example"})
    assert run_pass(office_settings, port) == (1, 0)
    assert run_pass(office_settings, port) == (0, 0)
    assert [m["To"] for m in inbox.messages] == ["kyoku@akiya.example"]
    assert "未施錠" in inbox.messages[0]["Subject"]
    execute(settings, "UPDATE urgent_alerts SET owner_notice = 'email', owner_mail = 'pending'")  # chosen, not confirmed
    assert run_pass(office_settings, port) == (0, 0)
    execute(settings, "UPDATE urgent_alerts SET confirmed_at = '2026-11-29T01:00:00.000+00:00', owner_note = '施錠しました'")
    assert run_pass(office_settings, port) == (1, 0)
    assert "ono@example.jp" in inbox.messages[1]["To"] and "施錠しました" in inbox.messages[1].get_content()
