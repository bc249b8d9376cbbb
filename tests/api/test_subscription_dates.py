"""Subscription days are parsed as days where they come in (the office form): anything but an
existing YYYY-MM-DD is a 400 in Japanese and nothing is stored; the database refuses them too; an
ended subscription is moved to a later end only with a reason, which the audit keeps."""

from __future__ import annotations

import json
import re

import pytest

from server.db import is_postgres_url
from tests.office.db import count, query
from tests.office.pages import post_form, sign_in
from tests.support import sql

BAD_DAYS = ["abc", "2026-02-30", "<script>x", "2026/07/01", "2026-7-1", ""]


@pytest.mark.parametrize("day", BAD_DAYS)
def test_a_subscription_starting_on_no_real_day_is_refused_in_japanese(client, world, settings, day):
    sign_in(client, "ueda")
    response = post_form(client, "/office/subscriptions", {
        "property_id": world.properties["surveyed"], "owner_name": "佐藤 花子", "start_date": day},
        page="/office/subscriptions")
    assert response.status_code == 400
    assert "開始日は 2026-12-01 のように、実在する日付を年-月-日で入力してください" in response.text
    assert count(settings, "owners") == 2 and count(settings, "watch_subscriptions") == 2


def _ono_subscription(settings, world) -> int:
    return query(settings, "SELECT id FROM watch_subscriptions WHERE owner_id = ?", world.owners["ono"])[0][0]


def test_an_end_date_written_with_slashes_is_refused_and_the_period_stays(client, world, settings):
    sign_in(client, "ueda")
    sub = _ono_subscription(settings, world)
    response = post_form(client, f"/office/subscriptions/{sub}/end", {"end_date": "2026/07/01"})
    assert response.status_code == 400 and "終了日は 2026-12-01 のように" in response.text
    assert query(settings, "SELECT end_date FROM watch_subscriptions WHERE id = ?", sub) == [(None,)]


def test_an_ended_subscription_moves_to_a_later_end_only_with_a_reason_kept_in_the_audit(client, world, settings):
    sign_in(client, "ueda")
    sub = _ono_subscription(settings, world)
    assert post_form(client, f"/office/subscriptions/{sub}/end", {"end_date": "2026-10-31"}).status_code == 303
    later = post_form(client, f"/office/subscriptions/{sub}/end", {"end_date": "2026-12-31"})
    assert later.status_code == 400 and "理由を書いてください" in later.text
    assert query(settings, "SELECT end_date FROM watch_subscriptions WHERE id = ?", sub) == [("2026-10-31",)]
    reason = "解約届の日付を読み違えていたため"
    moved = post_form(client, f"/office/subscriptions/{sub}/end", {"end_date": "2026-12-31", "reason": reason})
    assert moved.status_code == 303
    assert query(settings, "SELECT end_date FROM watch_subscriptions WHERE id = ?", sub) == [("2026-12-31",)]
    details = [json.loads(d) for (d,) in query(
        settings, "SELECT details FROM audit_log WHERE action = 'subscription.end' AND entity_id = ? ORDER BY id",
        str(sub))]
    assert details == [{"end_date": "2026-10-31"},
                       {"end_date": "2026-12-31", "previous_end_date": "2026-10-31", "reason": reason}]
    earlier = post_form(client, f"/office/subscriptions/{sub}/end", {"end_date": "2026-11-30"})
    assert earlier.status_code == 303  # ending earlier needs no reason (still audited with the previous end)


@pytest.mark.parametrize("day", ["abc", "2026-02-30"])
def test_the_database_itself_refuses_a_day_that_does_not_exist(world, settings, day):
    with pytest.raises(Exception) as refused:
        sql.execute(settings.db, "UPDATE watch_subscriptions SET end_date = ?", day)
    assert re.search(r"check|date", str(refused.value).lower())  # SQLite's CHECK, PostgreSQL's DATE


def test_periods_are_dates_on_postgresql_and_checked_iso_text_on_sqlite(world, settings):
    if is_postgres_url(settings.db):
        assert sql.rows(settings.db, """SELECT column_name, data_type FROM information_schema.columns
                                        WHERE table_name = 'watch_subscriptions' AND column_name LIKE '%_date'
                                        ORDER BY column_name""") == [("end_date", "date"), ("start_date", "date")]
        sql.execute(settings.db, "UPDATE watch_subscriptions SET end_date = ?", "2026/07/01")  # a day in any spelling
        assert {d for (d,) in sql.rows(settings.db, "SELECT end_date FROM watch_subscriptions")} == {"2026-07-01"}
    else:
        with pytest.raises(Exception, match="CHECK"):
            sql.execute(settings.db, "UPDATE watch_subscriptions SET end_date = ?", "2026/07/01")
        assert {d for (d,) in sql.rows(settings.db, "SELECT start_date FROM watch_subscriptions")} <= {
            d for (d,) in sql.rows(settings.db, "SELECT date(start_date, '+0 days') FROM watch_subscriptions")}
