"""The monthly watch-visit generator: one visit per running subscription and month."""

from datetime import datetime

from server.schedule.monthly import due_date_for
from server.schedule.runner import seconds_until_next_run
from server.clock import JST
from tests.office.db import count, execute, query

MONTH = "2026-12"


def watch_tasks(settings, month=MONTH):
    return query(settings, """SELECT t.property_id, t.assignee_id, t.due_date, t.options, t.note, t.rubric_id
                              FROM tasks t WHERE t.kind = 'watch' AND t.period = ?""", month)


def test_each_running_subscription_gets_its_visit_for_the_month(as_, world, settings):
    execute(settings, "UPDATE watch_subscriptions SET requested_spot = '裏庭の物置' WHERE owner_id = ?",
            world.owners["ono"])
    response = as_("admin").post("/api/v1/schedule/monthly", json={"month": MONTH})
    assert response.status_code == 200, response.text
    assert response.json() == {"tasks_created": 2}
    visits = {row[0]: row for row in watch_tasks(settings)}
    ono = visits[world.properties["watched"]]
    assert ono[1:] == (world.users["aoki"], due_date_for(MONTH), '["airing", "disaster"]', "裏庭の物置", "watch_basic")
    assert visits[world.properties["north"]][1] == world.users["kato"]


def test_running_it_twice_makes_no_second_visit(as_, settings):
    assert as_("admin").post("/api/v1/schedule/monthly", json={"month": MONTH}).json() == {"tasks_created": 2}
    assert as_("admin").post("/api/v1/schedule/monthly", json={"month": MONTH}).json() == {"tasks_created": 0}
    assert len(watch_tasks(settings)) == 2


def test_paused_and_ended_subscriptions_get_no_visit(as_, world, settings):
    execute(settings, "UPDATE watch_subscriptions SET paused = 1 WHERE owner_id = ?", world.owners["ono"])
    execute(settings, "UPDATE watch_subscriptions SET end_date = '2026-11-30' WHERE owner_id = ?", world.owners["oda"])
    assert as_("admin").post("/api/v1/schedule/monthly", json={"month": MONTH}).json() == {"tasks_created": 0}
    assert watch_tasks(settings) == []


def test_a_subscription_ending_before_the_due_day_gets_no_visit_that_month(as_, world, settings):
    execute(settings, "UPDATE watch_subscriptions SET end_date = '2026-12-10' WHERE owner_id = ?", world.owners["ono"])
    assert as_("admin").post("/api/v1/schedule/monthly", json={"month": MONTH}).json() == {"tasks_created": 1}


def test_a_clerk_schedules_only_their_own_offices_houses(as_, world, settings):
    assert as_("ueda").post("/api/v1/schedule/monthly", json={"month": MONTH}).json() == {"tasks_created": 1}
    assert [row[0] for row in watch_tasks(settings)] == [world.properties["watched"]]
    assert count(settings, "audit_log", "action = 'schedule.monthly'") == 1


def test_carriers_and_owners_cannot_schedule(as_):
    assert as_("aoki").post("/api/v1/schedule/monthly", json={"month": MONTH}).status_code == 403
    assert as_("ono").post("/api/v1/schedule/monthly", json={"month": MONTH}).status_code == 403


def test_a_month_must_be_written_year_dash_month(as_):
    assert as_("admin").post("/api/v1/schedule/monthly", json={"month": "2026-13"}).status_code == 400


def test_the_daily_run_waits_for_five_past_midnight_in_japan():
    assert seconds_until_next_run(datetime(2026, 5, 1, 0, 0, tzinfo=JST)) == 300
    assert seconds_until_next_run(datetime(2026, 5, 1, 0, 6, tzinfo=JST)) == 24 * 3600 - 60
