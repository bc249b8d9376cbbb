"""The service menu on the office's pages: the admin adds a price from a day (never a past one), a
subscription's options change from a day with start and end dates, one-off and quoted work goes wish →
quote → the owner's acceptance → done, and the month's billing CSV sums it all (audited). Bad input is a
400 in Japanese and nothing already stored changes. The clock stands at 2026-11-10 10:00 in Japan."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import datetime

import pytest

from server.core import clock
from server.core.clock import JST
from server.db import database_for
from server.menu.queries import orders_for
from server.users.queries import User
from tests.office.db import count, execute, query, subscription_of
from tests.office.pages import post_form, sign_in

TODAY = datetime(2026, 11, 10, 10, 0, tzinfo=JST)


@pytest.fixture(autouse=True)
def pinned():
    with clock.stopped_at(TODAY):
        yield


def _prices(settings) -> list[tuple]:
    return query(settings, "SELECT service_key, valid_from, yen FROM service_prices ORDER BY service_key, valid_from")


def _add_price(client, key: str, yen: str, valid_from: str):
    return post_form(client, "/office/menu/prices", {"service_key": key, "yen": yen, "valid_from": valid_from},
                     page="/office/menu")


def test_the_admin_adds_a_price_from_today_and_it_is_audited(client, settings):
    sign_in(client, "admin")
    assert _add_price(client, "watch", "4,280", "2026-11-10").status_code == 303
    assert _prices(settings) == [("watch", "2026-11-10", 4280)]
    assert count(settings, "audit_log", "action = 'price.add' AND entity_id = 'watch'") == 1
    page = client.get("/office/menu").text
    assert "4,280円/月" in page and "料金未設定" in page  # the others have none yet


@pytest.mark.parametrize(("yen", "day", "message"), [
    ("-1", "2026-12-01", "0 以上の整数"), ("4280.5", "2026-12-01", "0 以上の整数"), ("四千", "2026-12-01", "0 以上の整数"),
    ("4280", "2026-11-09", "過去の月の利用明細は変えられません"), ("4280", "2026-02-30", "実在する日付")])
def test_a_price_that_is_no_whole_yen_or_starts_in_the_past_is_refused(client, settings, yen, day, message):
    sign_in(client, "admin")
    assert _add_price(client, "watch", "4280", "2026-12-01").status_code == 303
    refused = _add_price(client, "watch", yen, day)
    assert refused.status_code == 400 and message in refused.text
    assert _prices(settings) == [("watch", "2026-12-01", 4280)]


def test_a_clerk_reads_the_prices_but_only_the_admin_sets_them(client, settings):
    sign_in(client, "ueda")
    assert client.get("/office/menu").status_code == 200
    assert _add_price(client, "watch", "1", "2026-12-01").status_code == 403
    assert _prices(settings) == []


def test_options_change_from_a_day_keep_their_dates_and_never_from_a_past_day(client, world, settings):
    sign_in(client, "ueda")
    sub = subscription_of(settings, world)
    url = f"/office/subscriptions/{sub}/options"
    past = post_form(client, url, {"options": ["airing"], "from_day": "2026-11-01"})
    assert past.status_code == 400 and "過去の日付は指定できません" in past.text
    changed = post_form(client, url, {"options": ["airing", "mail_forward"], "from_day": "2026-12-01"})
    assert changed.status_code == 303
    rows = query(settings, """SELECT service_key, start_date, end_date FROM subscription_options
                              WHERE subscription_id = ? ORDER BY service_key""", sub)
    assert rows == [("airing", "2026-01-01", None), ("disaster", "2026-01-01", "2026-11-30"),
                    ("mail_forward", "2026-12-01", None)]
    page = client.get(f"/office/subscriptions/{sub}").text
    assert "災害後見回り: 2026-01-01 〜 2026-11-30" in page and "投函物の送付: 2026-12-01 〜" in page


def _order(client, sub: int, service: str, wanted_on: str = "2026-11-20", page: str | None = None):
    return post_form(client, "/office/orders", {"subscription_id": str(sub), "service_key": service,
                                                "wanted_on": wanted_on, "note": "前庭 約40㎡"},
                     page=page or f"/office/subscriptions/{sub}")


def test_quoted_work_needs_the_quote_and_the_owners_acceptance_before_it_is_done(client, world, settings):
    sign_in(client, "ueda")
    sub = subscription_of(settings, world)
    assert _order(client, sub, "mowing").status_code == 303
    [(order,)] = query(settings, "SELECT id FROM service_orders WHERE subscription_id = ?", sub)
    too_soon = post_form(client, f"/office/orders/{order}/done", {"done_on": "2026-11-10"}, page="/office/menu")
    assert too_soon.status_code == 409 and "承諾を記録してから" in too_soon.text
    assert post_form(client, f"/office/orders/{order}/quote", {"yen": "12000"}, page="/office/menu").status_code == 303
    assert post_form(client, f"/office/orders/{order}/accept", page="/office/menu").status_code == 303
    done = post_form(client, f"/office/orders/{order}/done", {"done_on": "2026-11-10", "done_note": "草を刈りました"},
                     page="/office/menu")
    assert done.status_code == 303
    assert query(settings, "SELECT quote_yen, accepted_on, done_on FROM service_orders WHERE id = ?", order) == [
        (12000, "2026-11-10", "2026-11-10")]
    actions = [a for (a,) in query(settings, "SELECT action FROM audit_log WHERE entity = 'service_order' ORDER BY id")]
    assert actions == ["order.create", "order.quote", "order.accept", "order.task", "order.done"]  # the carrier's task


def test_work_is_refused_on_a_past_day_an_ended_subscription_and_a_monthly_option(client, world, settings):
    sign_in(client, "ueda")
    sub = subscription_of(settings, world)
    past = _order(client, sub, "extra_visit", wanted_on="2026-11-09")
    assert past.status_code == 400 and "過去の日付は指定できません" in past.text
    monthly = _order(client, sub, "airing")
    assert monthly.status_code == 400 and "月額のオプション" in monthly.text
    execute(settings, "UPDATE watch_subscriptions SET end_date = '2026-10-31' WHERE id = ?", sub)
    ended = _order(client, sub, "extra_visit")
    assert ended.status_code == 400 and "終了した契約には作業を申し込めません" in ended.text
    assert count(settings, "service_orders") == 0
    options = post_form(client, f"/office/subscriptions/{sub}/options", {"options": ["mail_forward"]})
    assert options.status_code == 400 and "終了した契約のオプションは変えられません" in options.text
    assert count(settings, "subscription_options", "service_key = 'mail_forward'") == 0


def test_a_clerk_cannot_order_work_on_another_offices_house(client, world, settings):
    sign_in(client, "kudo")  # office 10002; ono's house is 10001's
    assert _order(client, subscription_of(settings, world), "extra_visit", page="/office/").status_code == 404
    assert count(settings, "service_orders") == 0


def _billing(client, month: str) -> list[list[str]]:
    response = client.get("/office/billing", params={"month": month})
    assert response.status_code == 200, response.text
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_billing_csv_sums_each_subscription_of_the_clerks_office_and_is_audited(client, world, settings):
    execute(settings, """INSERT INTO service_prices (service_key, valid_from, yen, reference, created_at)
                         VALUES ('watch', '2026-01-01', 4280, '報道による参考価格（デモ）', 'x'),
                                ('airing', '2026-01-01', 5000, '報道による参考価格（デモ）', 'x')""")
    sign_in(client, "ueda")
    rows = _billing(client, "2026-11")
    ono = [r for r in rows if len(r) > 3 and r[3] == "小野 和子"]
    assert [(r[5], r[7]) for r in ono] == [("みまもり 基本", "4280"), ("通風・通水", "5000"), ("災害後見回り", ""),
                                           ("合計", "9280")]
    assert ono[-1][6] == "料金未設定あり"
    assert not any("織田 信子" in r for r in rows)  # oda's house is another office's
    assert any("決済を行いません" in "".join(r) for r in rows)
    [(details,)] = query(settings, "SELECT details FROM audit_log WHERE action = 'billing.csv' AND entity_id = '2026-11'")
    assert json.loads(details) == {"subscriptions": 1}


def test_a_billing_month_that_is_no_month_is_refused(client):
    sign_in(client, "ueda")
    response = client.get("/office/billing", params={"month": "2026-13"})
    assert response.status_code == 400 and "年-月" in response.text


def _orders_seen_by(settings, world, owner: str) -> list[str]:
    async def read():
        async with database_for(settings.db, readers=1) as db:
            async with db.read() as conn:
                user = User(world.users[owner], owner, owner, "owner", None, None, world.owners[owner])
                return [o.wanted_on for o in await orders_for(conn, user)]
    return asyncio.run(read())


def test_an_owner_sees_only_their_own_work_and_reaches_none_of_the_office_pages(client, world, settings):
    execute(settings, """INSERT INTO service_orders (subscription_id, service_key, wanted_on, created_at)
                         VALUES (?, 'extra_visit', '2026-11-20', 'x'), (?, 'extra_visit', '2026-11-21', 'x')""",
            subscription_of(settings, world, "ono"), subscription_of(settings, world, "oda"))
    assert _orders_seen_by(settings, world, "ono") == ["2026-11-20"]
    assert _orders_seen_by(settings, world, "oda") == ["2026-11-21"]
    sign_in(client, "ono")
    assert client.get("/office/billing", params={"month": "2026-11"}).status_code == 403
    assert client.get("/office/menu").status_code == 403
    assert _order(client, subscription_of(settings, world, "oda"), "extra_visit", page="/office/").status_code == 403


def test_an_extra_visit_is_the_carriers_watch_visit_on_the_owners_day(client, world, settings, as_):
    sign_in(client, "ueda")
    sub = subscription_of(settings, world)
    assert _order(client, sub, "extra_visit", wanted_on="2026-11-25").status_code == 303
    [(task_id,)] = query(settings, "SELECT task_id FROM service_orders WHERE subscription_id = ?", sub)
    pulled = as_("aoki").get("/api/v1/sync/pull").json()
    [task] = [t for t in pulled["tasks"] if t["id"] == task_id]
    assert task["kind"] == "watch" and task["due"] == "2026-11-25" and task["rubric_id"] == "watch_basic"
    assert task["options"] == ["airing", "disaster"]  # the options running on that day
    assert "臨時見回り（所有者のご希望日 2026-11-25）: 前庭 約40㎡" in task["note"]


def test_an_owner_sees_the_options_of_their_own_subscription_running_today(client, world, settings):
    sign_in(client, "ueda")
    sub = subscription_of(settings, world)
    assert post_form(client, f"/office/subscriptions/{sub}/options", {"options": ["airing"]}).status_code == 303
    assert query(settings, "SELECT end_date FROM subscription_options WHERE subscription_id = ? AND service_key = 'disaster'",
                 sub) == [("2026-11-09",)]  # from today: ended yesterday
    sign_in(client, "ono")
    options = client.get("/office/").text.split("<dt>オプション</dt>")[1].split("</dd>")[0]
    assert "通風・通水" in options and "災害後見回り" not in options
    sign_in(client, "oda")
    home = client.get("/office/").text
    assert "一番町1-1" not in home and "災害後見回り" in home  # oda's own house, options unchanged


def test_a_pause_and_an_end_are_kept_with_their_days_for_the_statements(client, world, settings):
    sign_in(client, "ueda")
    sub = subscription_of(settings, world)
    assert post_form(client, f"/office/subscriptions/{sub}/pause").status_code == 303
    with clock.stopped_at(datetime(2026, 11, 25, 9, 0, tzinfo=JST)):
        assert post_form(client, f"/office/subscriptions/{sub}/resume").status_code == 303
    assert query(settings, "SELECT from_date, until_date FROM subscription_pauses WHERE subscription_id = ?", sub) == [
        ("2026-11-10", "2026-11-24")]  # paused on the 20th: November charges nothing monthly
    assert post_form(client, f"/office/subscriptions/{sub}/end", {"end_date": "2026-12-15"}).status_code == 303
    assert query(settings, "SELECT service_key, end_date FROM subscription_options WHERE subscription_id = ? ORDER BY 1",
                 sub) == [("airing", "2026-12-15"), ("disaster", "2026-12-15")]
    later = post_form(client, f"/office/subscriptions/{sub}/end", {"end_date": "2027-01-31", "reason": "延長のご依頼"})
    assert later.status_code == 303  # the options that ended with it run on to the new end
    assert query(settings, "SELECT service_key, end_date FROM subscription_options WHERE subscription_id = ? ORDER BY 1",
                 sub) == [("airing", "2027-01-31"), ("disaster", "2027-01-31")]
    rows = _billing(client, "2026-11")
    assert [r[5:8] for r in rows if len(r) > 3 and r[3] == "小野 和子"] == [["合計", "一時停止中（月額なし）", "0"]]
