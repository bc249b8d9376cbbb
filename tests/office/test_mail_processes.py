"""Two server processes on one database, each with its background work started as the app starts it
(server/office/background.py): the mail sender runs under a lease in one of them, so every report is
mailed once, not once per process."""

import asyncio
import time
from types import SimpleNamespace

from server.db import Database
from server.documents.service import DocumentService
from server.core.leases import holder_of, new_holder
from server.office.background import MAIL_LEASE, start_background, stop_background
from server.rubrics import RubricRegistry
from tests.office.db import query
from tests.office.test_mail import smtp  # noqa: F401 (fixture)
from tests.support.handover import hand_over


def test_two_processes_mail_each_report_once(smtp, as_, world, settings):  # noqa: F811
    hand_over(world, as_)  # two approved reports for owners who chose e-mail
    inbox, port = smtp()
    mail_settings = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": False,
                                                "mail_interval_seconds": 0.05, "lease_seconds": 1.5})
    rubrics = RubricRegistry.load_dir(settings.rubrics_dir)

    async def go():
        processes = []
        for _ in range(2):
            db = await Database(settings.db, readers=1).open()
            processes.append(SimpleNamespace(db=db, settings=mail_settings, rubrics=rubrics, holder=new_holder(),
                                             documents=DocumentService.start(db, mail_settings, rubrics)))
        background = [start_background(p) for p in processes]
        try:
            deadline = time.monotonic() + 60
            while len(inbox.messages) < 2 and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            await asyncio.sleep(1.0)  # many more passes of the sender: nothing goes out a second time
            async with processes[0].db.read() as conn:
                return await holder_of(conn, MAIL_LEASE), [p.holder for p in processes]
        finally:
            for tasks, p in zip(background, processes):
                await stop_background(tasks)
                p.documents.close()
                await p.db.close()

    mail_holder, holders = asyncio.run(go())
    assert sorted(m["To"].addresses[0].addr_spec for m in inbox.messages) == ["oda@example.jp", "ono@example.jp"]
    assert query(settings, "SELECT status, attempts FROM mail_outbox") == [("sent", 1), ("sent", 1)]
    assert mail_holder in holders
