"""The alert handover against the real server process, on both engines (issue 20, item 1): after a
house changed hands, an urgent finding of the new owner's month reaches the new owner's page and
mail only; the former owner reads nothing of it; the clerk's e-mail choice follows the new owner."""

from __future__ import annotations

from datetime import timedelta

from tests.api.test_alert_handover import NOTE, _alert_of, _confirm, _mails, _owner_page, _unlocked_visit
from tests.support.handover import NOVEMBER, hand_over
from tests.support.world import build_world


def test_an_alert_after_the_handover_belongs_to_the_new_owner_only(backend):
    world = build_world(backend.db)
    settings = backend.settings()
    with backend.live_server() as server:
        sessions = {}

        def as_(login):
            if login not in sessions:
                sessions[login] = server.session(login)
            return sessions[login]

        handover = hand_over(world, as_)
        visit = _unlocked_visit(world, as_, handover, "oda", NOVEMBER + timedelta(days=31))
        browser = server.http()
        assert _confirm(browser, _alert_of(settings, visit.id), "email").status_code == 303
        assert NOTE in _owner_page(browser, "oda")
        former = _owner_page(browser, "ono")
        assert "未施錠" not in former and NOTE not in former
    owner_mails = [m for m in _mails(settings) if "alert-owner" in m["Message-ID"]]
    assert [m["To"] for m in owner_mails] == ["織田 信子 <oda@example.jp>"]
