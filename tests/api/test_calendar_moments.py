"""The calendar's edges, found by a test rather than by CI on an unlucky day.

Each test runs with the server's clock stopped at chosen moments (server/core/clock.py): the first
minute of a month in Japan (still the last day of the previous month in UTC), the last minute of a
short month, the last minute of the year, and a plain afternoon in the middle of a month. At each:
a visit belongs to the Japanese day and month it was made in, the owner reads it in that month's
report (and in no other), a subscription that ended the day before does not show it, and the
monthly schedule makes that month's visits due on its 20th.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

import pytest

from server.core import clock
from server.core.clock import JST
from server.db import database_for
from server.schedule.monthly import due_date_for
from server.schedule.runner import run_if_due
from tests.office.db import execute, query
from tests.office.pages import sign_in
from tests.support.field import watch_visit

MOMENTS = {
    "first-minute-of-a-month": datetime(2027, 3, 1, 0, 0, 30, tzinfo=JST),  # 2027-02-28 15:00 UTC
    "last-minute-of-february": datetime(2027, 2, 28, 23, 59, 0, tzinfo=JST),  # 14:59 UTC, same day
    "last-minute-of-the-year": datetime(2026, 12, 31, 23, 58, 0, tzinfo=JST),
    "middle-of-a-month": datetime(2027, 6, 15, 14, 0, 0, tzinfo=JST),
}


@pytest.fixture(params=list(MOMENTS.values()), ids=list(MOMENTS))
def moment(request):
    """The server's clock reads this moment for the whole test (world, app and requests) and stands
    still, so a test at 23:59 stays before midnight however slow the machine is."""
    with clock.stopped_at(request.param):
        yield request.param


def _month(day: date) -> str:
    return f"{day:%Y-%m}"


def _months_around(day: date) -> list[str]:
    before = day.replace(day=1) - timedelta(days=1)
    after = day.replace(day=28) + timedelta(days=4)
    return [_month(before), _month(after)]


def _approved_watch_visit(world, as_, visit=None):
    visit = visit or watch_visit(world)
    assert as_("aoki").push([visit.op()])[0]["status"] == "applied"
    assert set(visit.upload_all(as_("aoki"))) == {201}
    review = as_("ueda").post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"})
    assert review.status_code == 200, review.text
    return visit


def test_todays_tasks_are_due_on_the_japanese_day(moment, world, settings):
    assert clock.now() == moment and clock.today_jst() == moment.date()
    [(due,)] = query(settings, "SELECT due_date FROM tasks WHERE id = ?", world.tasks["watch"])
    assert due == moment.date().isoformat()


def _visit_day(visit) -> date:
    """The Japanese day the visit started on (the phone sends it finished now, started 10 minutes
    earlier: at 00:00:30 on the 1st that is the last day of the month before)."""
    return datetime.fromisoformat(visit.inspection["started_at"]).astimezone(JST).date()


def test_a_visit_is_in_the_report_of_the_japanese_month_it_started_in_and_no_other(moment, world, as_, settings,
                                                                                 client):
    visit = _approved_watch_visit(world, as_)
    house, day = world.properties["watched"], _visit_day(visit)
    [(started_at,)] = query(settings, "SELECT started_at FROM inspections WHERE id = ?", visit.id)
    assert datetime.fromisoformat(started_at).astimezone(JST).date() == day
    ono = as_("ono")
    assert ono.get(f"/api/v1/reports/owner/{house}", params={"month": _month(day)}).status_code == 200
    for other in _months_around(day):
        assert ono.get(f"/api/v1/reports/owner/{house}", params={"month": other}).status_code == 404, other
    page = sign_in(client, "ono").get("/office/").text  # the owner's page offers that month's report
    assert f"month={_month(day)}" in page
    assert f"{day.year}年{day.month}月の報告書" in page


@pytest.mark.parametrize("ended_days_before_the_visit, shown", [(1, False), (0, True)])
def test_a_subscription_shows_the_visits_up_to_its_last_day(moment, world, as_, settings,
                                                            ended_days_before_the_visit, shown):
    visit = watch_visit(world)
    day = _visit_day(visit)
    execute(settings, "UPDATE watch_subscriptions SET end_date = ? WHERE owner_id = ?",
            (day - timedelta(days=ended_days_before_the_visit)).isoformat(), world.owners["ono"])
    _approved_watch_visit(world, as_, visit)
    response = as_("ono").get(f"/api/v1/reports/owner/{world.properties['watched']}", params={"month": _month(day)})
    assert response.status_code == (200 if shown else 404)


def test_the_daily_run_makes_the_visits_of_the_month_it_runs_in(moment, world, settings):
    """The run due at this moment (00:05 JST of today, or of yesterday before 00:05) makes the
    current Japanese month's visits, due on its 20th, once."""

    async def run_twice():
        async with database_for(settings.db, readers=1) as db:
            execute(settings, "INSERT INTO database_meta (key, value, set_at) VALUES ('schedule.monthly.last_run', "
                              "'2000-01-01', '2000-01-01T00:00:00+00:00')")
            first = await db.write(run_if_due, 2, clock.now())
            second = await db.write(run_if_due, 2, clock.now())
            return first, second

    first, second = asyncio.run(run_twice())
    month = _month(moment.date())
    assert (first, second) == (2, None)
    made = query(settings, "SELECT period, due_date FROM tasks WHERE kind = 'watch' AND period = ? ORDER BY id", month)
    assert made == [(month, due_date_for(month))] * 2
