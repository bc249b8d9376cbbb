"""The monthly watch-visit generator: one visit per running subscription and month."""

from datetime import datetime, timedelta

from server.schedule.monthly import due_date_for
from server.schedule.runner import seconds_until_next_run
from server.core.clock import JST
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


# The daily run in the lease holder (server/schedule/runner.py): a day's run that was due while no
# process held the lease (the holder died just before 00:05) runs when the next holder takes over.

def _db_and_watch_version(settings):
    from server.db import database_for
    from server.rubrics import RubricRegistry

    return database_for(settings.db, readers=1), RubricRegistry.load_dir(settings.rubrics_dir)


def _jst(day: int, hour: int, minute: int) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=JST)


def test_a_days_run_that_was_due_and_not_done_runs_once_when_it_is_seen(world, settings):
    import asyncio

    from server.schedule.runner import run_if_due

    async def scenario():
        db, rubrics = _db_and_watch_version(settings)
        version = rubrics.latest("watch_basic").version
        async with db:
            seen = [await db.write(run_if_due, version, _jst(1, 0, 6), False)]  # taking over, never run: nothing
            seen.append(await db.write(run_if_due, version, _jst(1, 0, 5)))  # the first 00:05 run
            seen.append(await db.write(run_if_due, version, _jst(1, 23, 0), False))  # the 1st's run is done
            seen.append(await db.write(run_if_due, version, _jst(2, 0, 4), False))  # the 2nd's is not due yet
            seen.append(await db.write(run_if_due, version, _jst(2, 3, 0), False))  # due at 00:05, not done: runs
            seen.append(await db.write(run_if_due, version, _jst(2, 4, 0), False))  # done
            seen.append(await db.write(run_if_due, version, _jst(5, 0, 5), False))  # days later: one run
            return seen

    assert asyncio.run(scenario()) == [None, 2, None, None, 0, None, 0]
    assert len(watch_tasks(settings)) == 2
    assert query(settings, "SELECT value FROM database_meta WHERE key = 'schedule.monthly.last_run'") == [("2026-12-05",)]


def test_a_holder_dying_just_before_five_past_midnight_does_not_skip_that_days_run(world, settings):
    """Process A ran the 1st's run and held the lease until it died at 00:04 on the 2nd; B takes the
    lease once it has expired (at 00:20 here) and runs the 2nd's run at once, not on the 3rd."""
    import asyncio

    from server.core.clock import iso, now
    from server.core.leases import run_exclusively
    from server.office.background import SCHEDULE_LEASE
    from server.schedule.runner import LAST_RUN_KEY, daily_schedule

    execute(settings, "INSERT INTO database_meta (key, value, set_at) VALUES (?, '2026-12-01', '')", LAST_RUN_KEY)
    execute(settings, "INSERT INTO leases (name, holder, taken_at, expires_at) VALUES (?, 'host-1-dead', ?, ?)",
            SCHEDULE_LEASE, iso(now()), iso(now() + timedelta(seconds=0.5)))

    async def scenario():
        db, rubrics = _db_and_watch_version(settings)
        async with db:
            job = asyncio.create_task(run_exclusively(
                db, SCHEDULE_LEASE, "host-2-b", lambda: daily_schedule(db, rubrics, clock=lambda: _jst(2, 0, 20)),
                seconds=0.6))
            try:
                for _ in range(50):
                    await asyncio.sleep(0.1)
                    if watch_tasks(settings):
                        break
            finally:
                job.cancel()
                await asyncio.gather(job, return_exceptions=True)

    asyncio.run(scenario())
    assert len(watch_tasks(settings)) == 2
    assert query(settings, "SELECT value FROM database_meta WHERE key = ?", LAST_RUN_KEY) == [("2026-12-02",)]
