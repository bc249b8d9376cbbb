"""The service menu (services), its price history (service_prices), an owner's options with their dates
(subscription_options), pauses with their dates (subscription_pauses) and one-off or quoted work
(service_orders). Every write is audited; who sees a subscription is server/users/access.py's rule."""

from __future__ import annotations

from datetime import date, timedelta

import aiosqlite
import msgspec

from server.core import audit, problems
from server.core.clock import calendar_day, now_iso, today_jst
from server.db.records import from_row, rows_for_ids
from server.option_work.queries import TaskForms, add_work_task, is_work
from server.tasks.queries import add_task
from server.users.access import subscription_condition
from server.users.queries import User

KINDS = {"base": "基本料金（月額）", "monthly": "月額オプション", "one_off": "1回ごと", "by_quote": "お見積り"}


class Service(msgspec.Struct, frozen=True):
    key: str
    name: str
    kind: str  # base / monthly / one_off / by_quote
    position: int
    active: bool


class Price(msgspec.Struct, frozen=True):
    service_key: str
    valid_from: str  # YYYY-MM-DD
    yen: int
    reference: str = ""  # where the figure comes from, e.g. 報道による参考価格（デモ）


class SubscriptionOption(msgspec.Struct, frozen=True):
    id: int
    subscription_id: int
    service_key: str
    start_date: str
    end_date: str | None

    def runs_on(self, day: str) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class Pause(msgspec.Struct, frozen=True):
    subscription_id: int
    from_date: str
    until_date: str | None

    def covers(self, day: str) -> bool:
        return self.from_date <= day and (self.until_date is None or self.until_date >= day)


class Order(msgspec.Struct, frozen=True):
    id: int
    subscription_id: int
    service_key: str
    wanted_on: str
    note: str
    quote_yen: int | None
    accepted_on: str | None
    done_on: str | None
    done_note: str
    task_id: str | None = None
    address: str = ""
    owner_name: str = ""


# --- the menu and its prices ----------------------------------------------------------------------

async def services(conn: aiosqlite.Connection) -> list[Service]:
    rows = await conn.execute_fetchall("SELECT key, name, kind, position, active FROM services ORDER BY position")
    return [from_row(Service, r, active=bool(r["active"])) for r in rows]


async def prices(conn: aiosqlite.Connection) -> list[Price]:
    """Every price ever set, oldest first per service (a statement picks the one valid on its day)."""
    rows = await conn.execute_fetchall(
        "SELECT service_key, valid_from, yen, reference FROM service_prices ORDER BY service_key, valid_from")
    return [from_row(Price, r) for r in rows]


def price_on(history: list[Price], service_key: str, day: str) -> Price | None:
    """The price of a service valid on `day`: the latest one that starts on or before it."""
    valid = [p for p in history if p.service_key == service_key and p.valid_from <= day]
    return max(valid, key=lambda p: p.valid_from) if valid else None


def yen_of(text: str) -> int:
    """A price typed on a form: an integer of yen ≥ 0 (「4,280」 and 「4280」 alike)."""
    cleaned = text.strip().replace(",", "").replace("，", "")
    if not cleaned.isascii() or not cleaned.isdigit() or len(cleaned) > 9:
        raise problems.INVALID_PRICE(value=text.strip()[:20])
    return int(cleaned)


def day_from_today(text: str, label: str, field: str) -> str:
    """A day typed on a form that is today (in Japan) or later."""
    day = calendar_day(text)
    if day is None:
        raise problems.INVALID_DAY(label=label, details={"field": field})
    if day < today_jst():
        raise problems.DAY_IN_PAST(label=label, today=today_jst().isoformat())
    return day.isoformat()


async def add_price(conn: aiosqlite.Connection, actor: audit.Actor, service_key: str, valid_from: str,
                    yen: str, reference: str = "") -> None:
    """A new price from `valid_from` (today or later: a month already stated keeps its price)."""
    menu = {s.key: s for s in await services(conn)}
    if service_key not in menu:
        raise problems.UNKNOWN_OPTION(options=service_key[:40])
    amount = yen_of(yen)
    day = calendar_day(valid_from)
    if day is None:
        raise problems.INVALID_DAY(label="適用開始日", details={"field": "valid_from"})
    if day < today_jst():
        raise problems.PRICE_IN_PAST(today=today_jst().isoformat())
    if any(p.service_key == service_key and p.valid_from == day.isoformat() for p in await prices(conn)):
        raise problems.PRICE_EXISTS(name=menu[service_key].name, valid_from=day.isoformat())
    await conn.execute(
        "INSERT INTO service_prices (service_key, valid_from, yen, reference, created_at) VALUES (?, ?, ?, ?, ?)",
        (service_key, day.isoformat(), amount, reference.strip()[:200], now_iso()))
    await audit.record(conn, actor, "price.add", "service", service_key,
                       {"valid_from": day.isoformat(), "yen": amount})


# --- an owner's options and pauses ------------------------------------------------------------------

_OPTIONS = """SELECT id, subscription_id, service_key, start_date, end_date FROM subscription_options
              WHERE subscription_id IN ({ids}) ORDER BY subscription_id, start_date, id"""


async def options_of(conn: aiosqlite.Connection, subscription_ids: list[int]) -> dict[int, list[SubscriptionOption]]:
    """Each subscription's options, ended ones included (the caller has already checked who may see them)."""
    found: dict[int, list[SubscriptionOption]] = {i: [] for i in subscription_ids}
    for r in await rows_for_ids(conn, _OPTIONS, subscription_ids):
        found[r["subscription_id"]].append(from_row(SubscriptionOption, r))
    return found


async def set_options(conn: aiosqlite.Connection, subscription_id: int, keys: list[str], from_day: str) -> list[str]:
    """Make `keys` the monthly options running from `from_day`: an option no longer wanted ends the day
    before, a new one starts that day; returns the options running from that day. The caller audits it
    (subscription.create, subscription.options with the day)."""
    monthly = {s.key for s in await services(conn) if s.kind == "monthly"}
    unknown = [k for k in keys if k not in monthly]
    if unknown:
        raise problems.UNKNOWN_OPTION(options=", ".join(unknown)[:200])
    running = [o for o in (await options_of(conn, [subscription_id]))[subscription_id]
               if o.end_date is None or o.end_date >= from_day]
    day_before = (date.fromisoformat(from_day) - timedelta(days=1)).isoformat()
    for option in running:
        if option.service_key in keys:
            continue
        if option.start_date >= from_day:  # not started yet: nothing to keep
            await conn.execute("DELETE FROM subscription_options WHERE id = ?", (option.id,))
        else:
            await conn.execute("UPDATE subscription_options SET end_date = ? WHERE id = ?", (day_before, option.id))
    started = {o.service_key for o in running}
    added = [k for k in keys if k not in started]
    await conn.executemany(
        "INSERT INTO subscription_options (subscription_id, service_key, start_date, created_at) VALUES (?, ?, ?, ?)",
        [(subscription_id, k, from_day, now_iso()) for k in added])
    return sorted(set(keys))


async def end_options(conn: aiosqlite.Connection, subscription_id: int, end_date: str,
                      previous_end: str | None = None) -> None:
    """The subscription ends on `end_date`: its options end then too (those starting later are dropped).
    An end moved later carries the options that ended with the old end along."""
    if previous_end is not None and end_date > previous_end:
        await conn.execute("UPDATE subscription_options SET end_date = ? WHERE subscription_id = ? AND end_date = ?",
                           (end_date, subscription_id, previous_end))
        return
    await conn.execute("DELETE FROM subscription_options WHERE subscription_id = ? AND start_date > ?",
                       (subscription_id, end_date))
    await conn.execute("""UPDATE subscription_options SET end_date = ?
                          WHERE subscription_id = ? AND (end_date IS NULL OR end_date > ?)""",
                       (end_date, subscription_id, end_date))


async def pauses_of(conn: aiosqlite.Connection, subscription_ids: list[int]) -> dict[int, list[Pause]]:
    found: dict[int, list[Pause]] = {i: [] for i in subscription_ids}
    sql = """SELECT subscription_id, from_date, until_date FROM subscription_pauses
             WHERE subscription_id IN ({ids}) ORDER BY from_date"""
    for r in await rows_for_ids(conn, sql, subscription_ids):
        found[r["subscription_id"]].append(from_row(Pause, r))
    return found


async def record_pause(conn: aiosqlite.Connection, subscription_id: int, paused: bool, day: str) -> None:
    """Paused from `day` on; or resumed on `day` (the open pause's last day is the day before)."""
    if paused:
        await conn.execute("""INSERT INTO subscription_pauses (subscription_id, from_date, created_at)
                              SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM subscription_pauses
                                  WHERE subscription_id = ? AND until_date IS NULL)""",
                           (subscription_id, day, now_iso(), subscription_id))
    else:
        day_before = (date.fromisoformat(day) - timedelta(days=1)).isoformat()
        await conn.execute("""UPDATE subscription_pauses SET until_date = ?
                              WHERE subscription_id = ? AND until_date IS NULL""", (day_before, subscription_id))


# --- one-off and quoted work --------------------------------------------------------------------------

_ORDERS = """SELECT x.id, x.subscription_id, x.service_key, x.wanted_on, x.note, x.quote_yen, x.accepted_on,
                    x.done_on, x.done_note, x.task_id, p.address, o.name AS owner_name
             FROM service_orders x JOIN watch_subscriptions s ON s.id = x.subscription_id
             JOIN properties p ON p.id = s.property_id JOIN owners o ON o.id = s.owner_id"""


async def orders_for(conn: aiosqlite.Connection, user: User, subscription_id: int | None = None) -> list[Order]:
    """The orders of subscriptions the user sees (an owner: their own), newest wish first."""
    condition, params = subscription_condition(user)
    extra, more = ("AND x.subscription_id = ?", (subscription_id,)) if subscription_id is not None else ("", ())
    rows = await conn.execute_fetchall(f"{_ORDERS} WHERE {condition} {extra} ORDER BY x.wanted_on DESC, x.id DESC",
                                       (*params, *more))
    return [from_row(Order, r) for r in rows]


async def orders_done_in(conn: aiosqlite.Connection, subscription_ids: list[int], month: str) -> dict[int, list[Order]]:
    """Work done in `month` (YYYY-MM) for these subscriptions: what a statement charges."""
    found: dict[int, list[Order]] = {i: [] for i in subscription_ids}
    sql = f"{_ORDERS} WHERE x.subscription_id IN ({{ids}}) AND x.done_on IS NOT NULL ORDER BY x.done_on, x.id"
    for r in await rows_for_ids(conn, sql, subscription_ids):
        if r["done_on"][:7] == month:
            found[r["subscription_id"]].append(from_row(Order, r))
    return found


async def add_order(conn: aiosqlite.Connection, actor: audit.Actor, user: User, subscription_id: int,
                    service_key: str, wanted_on: str, note: str = "", forms: TaskForms | None = None) -> int:
    """Work asked for on a subscription the user sees and that has not ended, on a day from today. A
    臨時見回り is at once the carrier's watch visit on that day, through the same task machinery as the
    monthly visits; one-off work (巡回看板, 簡単な清掃) at once the carrier's work task (server/option_work/).
    `forms`: the forms those tasks are made with (none: the order alone, as the tests of prices need)."""
    condition, params = subscription_condition(user)
    row = await (await conn.execute(
        f"""SELECT s.end_date, s.property_id, p.usual_carrier_id FROM watch_subscriptions s
            JOIN properties p ON p.id = s.property_id WHERE s.id = ? AND {condition}""",
        (subscription_id, *params))).fetchone()
    if row is None:
        raise problems.not_found("契約")
    if row["end_date"] is not None and row["end_date"] < today_jst().isoformat():
        raise problems.SUBSCRIPTION_ENDED("order")
    service = {s.key: s for s in await services(conn)}.get(service_key)
    if service is None:
        raise problems.UNKNOWN_OPTION(options=service_key[:40])
    if service.kind not in ("one_off", "by_quote"):
        raise problems.NOT_AN_ORDER_SERVICE(name=service.name)
    day = day_from_today(wanted_on, "希望日", "wanted_on")
    if row["end_date"] is not None and row["end_date"] < day:
        raise problems.SUBSCRIPTION_ENDED("order")
    task_id = None
    if service_key == "extra_visit" and forms is not None:
        running = [o.service_key for o in (await options_of(conn, [subscription_id]))[subscription_id] if o.runs_on(day)]
        task_id = await add_task(
            conn, actor, property_id=row["property_id"], kind="watch", rubric_id=forms.watch[0],
            rubric_version=forms.watch[1], due_date=day, assignee_id=row["usual_carrier_id"], options=running,
            note=f"臨時見回り（所有者のご希望日 {day}）" + (f": {note.strip()[:200]}" if note.strip() else ""),
            subscription_id=subscription_id)
    cur = await conn.execute(
        """INSERT INTO service_orders (subscription_id, service_key, wanted_on, note, task_id, created_at)
           VALUES (?, ?, ?, ?, ?, ?)""", (subscription_id, service_key, day, note.strip()[:500], task_id, now_iso()))
    await audit.record(conn, actor, "order.create", "service_order", cur.lastrowid,
                       {"subscription_id": subscription_id, "service": service_key, "wanted_on": day, "task_id": task_id})
    if forms is not None and service.kind == "one_off" and is_work(service_key):
        await add_work_task(conn, actor, forms, cur.lastrowid, service_key, day, note)
    return cur.lastrowid


async def _order(conn, user: User, order_id: int) -> tuple[Order, Service]:
    found = [o for o in await orders_for(conn, user) if o.id == order_id]
    if not found:
        raise problems.not_found("作業の申し込み")
    order = found[0]
    if order.done_on:
        raise problems.ORDER_STATE("done")
    return order, {s.key: s for s in await services(conn)}[order.service_key]


async def record_quote(conn: aiosqlite.Connection, actor: audit.Actor, user: User, order_id: int, yen: str) -> None:
    order, service = await _order(conn, user, order_id)
    if service.kind != "by_quote":
        raise problems.ORDER_STATE("no_quote")
    if order.task_id is not None:
        raise problems.ORDER_STATE("task_made")
    amount = yen_of(yen)
    await conn.execute("UPDATE service_orders SET quote_yen = ?, accepted_on = NULL WHERE id = ?", (amount, order_id))
    await audit.record(conn, actor, "order.quote", "service_order", order_id, {"yen": amount})


async def record_acceptance(conn: aiosqlite.Connection, actor: audit.Actor, user: User, order_id: int,
                            forms: TaskForms | None = None) -> None:
    """The owner accepted the quote: from now the work is the carrier's task (server/option_work/)."""
    order, service = await _order(conn, user, order_id)
    if service.kind != "by_quote":
        raise problems.ORDER_STATE("no_quote")
    if order.quote_yen is None:
        raise problems.ORDER_STATE("not_quoted")
    await conn.execute("UPDATE service_orders SET accepted_on = ? WHERE id = ?", (today_jst().isoformat(), order_id))
    await audit.record(conn, actor, "order.accept", "service_order", order_id, {"yen": order.quote_yen})
    if forms is not None:
        await add_work_task(conn, actor, forms, order_id, order.service_key, order.wanted_on, order.note)


async def record_done(conn: aiosqlite.Connection, actor: audit.Actor, user: User, order_id: int, done_on: str,
                      done_note: str) -> None:
    """The work was done on `done_on` (not in the future); a quoted one only after the owner accepted."""
    order, service = await _order(conn, user, order_id)
    if service.kind == "by_quote" and order.accepted_on is None:
        raise problems.ORDER_STATE("quote_first")
    day = calendar_day(done_on)
    if day is None or day > today_jst():
        raise problems.INVALID_DAY(label="実施日", details={"field": "done_on"})
    await conn.execute("UPDATE service_orders SET done_on = ?, done_note = ? WHERE id = ?",
                       (day.isoformat(), done_note.strip()[:500], order_id))
    await audit.record(conn, actor, "order.done", "service_order", order_id, {"done_on": day.isoformat()})


# --- what a statement is computed from ------------------------------------------------------------------

class StatedSubscription(msgspec.Struct, frozen=True):
    """A subscription as a statement (and the office's billing CSV) names it."""

    id: int
    property_id: str
    address: str
    office_code: str
    owner_id: int
    owner_name: str
    start_date: str
    end_date: str | None


_STATED = """SELECT s.id, s.property_id, p.address, p.office_code, o.id AS owner_id, o.name AS owner_name,
                    s.start_date, s.end_date
             FROM watch_subscriptions s JOIN properties p ON p.id = s.property_id JOIN owners o ON o.id = s.owner_id"""


async def subscription_covering(conn: aiosqlite.Connection, property_id: str, owner_id: int,
                                day: str) -> StatedSubscription | None:
    """The owner's subscription of the house that runs on `day` (a visit's day in Japan)."""
    row = await (await conn.execute(
        f"""{_STATED} WHERE s.property_id = ? AND s.owner_id = ? AND s.start_date <= ?
              AND (s.end_date IS NULL OR s.end_date >= ?) ORDER BY s.start_date DESC LIMIT 1""",
        (property_id, owner_id, day, day))).fetchone()
    return from_row(StatedSubscription, row) if row else None


async def subscriptions_in_month(conn: aiosqlite.Connection, user: User, month: str) -> list[StatedSubscription]:
    """The subscriptions the user sees (a clerk: their office's houses; admin: all) that run on some day of
    `month` (YYYY-MM): the rows of that month's billing CSV."""
    condition, params = subscription_condition(user)
    first = f"{month}-01"
    last = (date.fromisoformat(first) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    rows = await conn.execute_fetchall(
        f"""{_STATED} WHERE {condition} AND s.start_date <= ? AND (s.end_date IS NULL OR s.end_date >= ?)
            ORDER BY p.office_code, p.address, s.id""", (*params, last.isoformat(), first))
    return [from_row(StatedSubscription, r) for r in rows]
