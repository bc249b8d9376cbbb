"""The e-mail an owner receives with a report attached."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from server.documents.wording import SERVICE_NAME
from server.mail.outbox import MailJob


def _month_label(period: str) -> str:
    year, month = period.split("-")
    return f"{int(year)}年{int(month)}月"


def report_message(job: MailJob, sender: str, pdf: bytes, filename: str) -> EmailMessage:
    msg = EmailMessage()
    if job.kind == "owner_monthly":
        msg["Subject"] = f"【空き家みまもり】{_month_label(job.period)}の見回り報告書"
        what = f"{_month_label(job.period)}の見回り報告書"
    else:
        msg["Subject"] = "【空き家みまもり】災害後の見回り結果のお知らせ"
        what = "災害後の見回り結果のお知らせ"
    msg["From"] = sender
    msg["To"] = formataddr((job.owner_name, job.email))
    msg["Message-ID"] = make_msgid(idstring=f"{job.kind}.{job.id}")
    msg.set_content(
        f"{job.owner_name} 様\n\n"
        f"いつも「{SERVICE_NAME}」をご利用いただきありがとうございます。\n"
        f"{what}をお送りします。添付の PDF をご覧ください。\n\n"
        f"報告書はお客さま用のページからもダウンロードできます。\n"
        f"ご不明な点は担当の郵便局までお問い合わせください。\n\n"
        f"※ このメールは送信専用です。\n")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    return msg
