"""What an owner asks for from their own pages (owner_requests): spots for the next visit, a 臨時見回り on a
day, a quote (草刈, 不用品整理), a monthly option added or ended from a day, a pause or a resume.

An owner asks only on their own subscriptions (server/users/access.py) that have not ended, for a day from
today. Each request waits in the office's queue; a clerk of the house's office accepts it (the change is made
by the code the office's own pages use: server/subscriptions/queries.py, server/menu/queries.py) or declines
it with a reason the owner reads. Asking, accepting and declining are audited; a refused acceptance (the day
has passed meanwhile, the option already runs) changes nothing."""

from __future__ import annotations

from datetime import date

import aiosqlite
import msgspec

from server.core import audit, problems
from server.core.clock import calendar_day, now_iso, today_jst
from server.db.records import from_row
from server.menu import queries as menu
from server.option_work.queries import TaskForms
from server.owner_requests.spot_mark import checked_mark
from server.subscriptions.queries import change_options, set_paused, set_requested_spot, subscription_for
from server.users.access import acts_as_owner, subscription_condition
from server.users.queries import User

KINDS = {"spot": "撮影場所のご要望", "extra_visit": "臨時見回り", "quote": "お見積りのご依頼",
         "option_add": "オプションの追加", "option_end": "オプションの終了", "pause": "一時停止", "resume": "再開"}
STATUS = {"open": "郵便局で確認中", "accepted": "承りました", "declined": "お受けできませんでした"}
SPOT_MAX = 200   # characters of the spots to photograph (one line, as the office's form)
NOTE_MAX = 500   # characters of a note with a request (service_orders.note keeps 500)
REASON_MAX = 2000  # characters of the office's reason for declining (the push's notes limit)


class OwnerRequest(msgspec.Struct, frozen=True):
    id: int
    subscription_id: int
    kind: str
    service_key: str | None
    wanted_on: str | None
    body: str
    status: str
    decline_reason: str
    order_id: int | None
    asked_at: str
    decided_at: str | None
    spot_photo_id: str | None = None  # spot: a photo of the last approved watch visit the owner marked
    spot_cell: int | None = None      # ... and the cell of its 3×3 grid (server/owner_requests/spot_mark.py)
    address: str = ""
    owner_id: int = 0
    owner_name: str = ""


class Asked(msgspec.Struct, frozen=True):
    """What an owner's form sends: `service_key` and `wanted_on` only where the kind needs them."""

    subscription_id: int
    kind: str
    service_key: str = ""
    wanted_on: str = ""
    body: str = ""
    spot_photo_id: str = ""  # spot: the marked photo ("" for none) and its cell "0"–"8"
    spot_cell: str = ""


_SELECT = """SELECT r.id, r.subscription_id, r.kind, r.service_key, r.wanted_on, r.body, r.status, r.decline_reason,
                    r.order_id, r.asked_at, r.decided_at, r.spot_photo_id, r.spot_cell, p.address, o.id AS owner_id, o.name AS owner_name
             FROM owner_requests r JOIN watch_subscriptions s ON s.id = r.subscription_id
             JOIN properties p ON p.id = s.property_id JOIN owners o ON o.id = s.owner_id"""


async def requests_for(conn: aiosqlite.Connection, user: User, status: str | None = None) -> list[OwnerRequest]:
    """The requests on subscriptions the user sees (an owner: their own; a clerk: their office's houses),
    the open ones first, then the newest."""
    condition, params = subscription_condition(user)
    extra, more = ("AND r.status = ?", (status,)) if status else ("", ())
    rows = await conn.execute_fetchall(
        f"{_SELECT} WHERE {condition} {extra} ORDER BY r.status <> 'open', r.id DESC", (*params, *more))
    return [from_row(OwnerRequest, r) for r in rows]


def _text(typed: str, limit: int, empty: str | None, too_long: str) -> str:
    text = typed.strip()
    if empty and not text:
        raise problems.REQUEST_TEXT(empty)
    if len(text) > limit:
        raise problems.REQUEST_TEXT(too_long, max=limit, length=len(text))
    return text


def _running_on(options: list[menu.SubscriptionOption], day: str) -> list[str]:
    return [o.service_key for o in options if o.runs_on(day)]


async def ask(conn: aiosqlite.Connection, actor: audit.Actor, user: User, asked: Asked) -> int:
    """An owner's request on their own subscription, checked as far as it can be today; into the queue."""
    sub = await subscription_for(conn, user, asked.subscription_id)
    if sub is None or not acts_as_owner(user):
        raise problems.not_found("契約")
    today = today_jst().isoformat()
    if sub.end_date is not None and sub.end_date < today:
        raise problems.SUBSCRIPTION_ENDED("request", end=sub.end_date)
    if asked.kind not in KINDS:
        raise problems.REQUEST_KIND("kind")
    body = (_text(asked.body, SPOT_MAX, "spot_empty", "spot_too_long") if asked.kind == "spot"
            else _text(asked.body, NOTE_MAX, None, "note_too_long"))
    service_key, day = None, None
    if asked.kind in ("extra_visit", "option_add", "option_end") or (asked.kind == "quote" and asked.wanted_on.strip()):
        label = "希望日" if asked.kind in ("extra_visit", "quote") else "変更日"
        day = menu.day_from_today(asked.wanted_on, label, "wanted_on")
        if sub.end_date is not None and sub.end_date < day:
            raise problems.SUBSCRIPTION_ENDED("request", end=sub.end_date)
    services = {s.key: s for s in await menu.services(conn)}
    if asked.kind == "quote":
        if services.get(asked.service_key) is None or services[asked.service_key].kind != "by_quote":
            raise problems.REQUEST_KIND("quote")
        service_key = asked.service_key
    if asked.kind in ("option_add", "option_end"):
        service = services.get(asked.service_key)
        if service is None or service.kind != "monthly" or not service.active:
            raise problems.REQUEST_KIND("option")
        running = _running_on((await menu.options_of(conn, [sub.id]))[sub.id], day)
        if asked.kind == "option_add" and service.key in running:
            raise problems.REQUEST_KIND("option_running", name=service.name, day=day)
        if asked.kind == "option_end" and service.key not in running:
            raise problems.REQUEST_KIND("option_not_running", name=service.name, day=day)
        service_key = service.key
    if asked.kind == "pause" and sub.paused:
        raise problems.REQUEST_KIND("paused")
    if asked.kind == "resume" and not sub.paused:
        raise problems.REQUEST_KIND("not_paused")
    if asked.kind == "extra_visit":
        service_key = "extra_visit"
    photo_id, cell = None, None
    if asked.kind == "spot":
        photo_id, cell = await checked_mark(conn, user, sub.property_id, asked.spot_photo_id, asked.spot_cell)
    cur = await conn.execute(
        """INSERT INTO owner_requests (subscription_id, kind, service_key, wanted_on, body, spot_photo_id, spot_cell,
                                       asked_by, asked_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (sub.id, asked.kind, service_key, day, body, photo_id, cell, user.id, now_iso()))
    await audit.record(conn, actor, "owner_request.create", "owner_request", cur.lastrowid,
                       {"subscription_id": sub.id, "kind": asked.kind, "service": service_key, "wanted_on": day,
                        **({"spot_photo_id": photo_id, "spot_cell": cell} if photo_id else {})})
    return cur.lastrowid


async def _open_request(conn: aiosqlite.Connection, user: User, request_id: int) -> OwnerRequest:
    found = [r for r in await requests_for(conn, user) if r.id == request_id]
    if not found or acts_as_owner(user):
        raise problems.not_found("お申し込み")
    if found[0].status != "open":
        raise problems.REQUEST_DECIDED(status=STATUS[found[0].status])
    return found[0]


async def accept(conn: aiosqlite.Connection, actor: audit.Actor, user: User, request_id: int,
                 forms: TaskForms) -> None:
    """The clerk accepts: the change is made as from the office's own pages, in this transaction (a refusal
    there, e.g. a day that has passed meanwhile, leaves the request open and nothing changed)."""
    req = await _open_request(conn, user, request_id)
    order_id = None
    if req.kind == "spot":
        await set_requested_spot(conn, actor, user, req.subscription_id, req.body, req.spot_photo_id, req.spot_cell)
    elif req.kind in ("extra_visit", "quote"):
        wanted_on = req.wanted_on or today_jst().isoformat()
        order_id = await menu.add_order(conn, actor, user, req.subscription_id, req.service_key or "", wanted_on,
                                        req.body, forms)
    elif req.kind in ("option_add", "option_end"):
        sub = await subscription_for(conn, user, req.subscription_id)
        if sub is None:
            raise problems.not_found("契約")
        day = req.wanted_on or today_jst().isoformat()
        running = _running_on((await menu.options_of(conn, [sub.id]))[sub.id], day)
        keys = [*running, req.service_key] if req.kind == "option_add" else [k for k in running if k != req.service_key]
        await change_options(conn, actor, user, sub.id, keys, sub.requested_spot, day)
    else:
        await set_paused(conn, actor, user, req.subscription_id, req.kind == "pause")
    await conn.execute(
        """UPDATE owner_requests SET status = 'accepted', order_id = ?, decided_by = ?, decided_at = ?
           WHERE id = ? AND status = 'open'""", (order_id, user.id, now_iso(), request_id))
    await audit.record(conn, actor, "owner_request.accept", "owner_request", request_id,
                       {"kind": req.kind, "order_id": order_id})


async def decline(conn: aiosqlite.Connection, actor: audit.Actor, user: User, request_id: int, reason: str) -> None:
    """The clerk declines with a reason the owner reads on their page."""
    await _open_request(conn, user, request_id)
    text = reason.strip()
    if not text or len(text) > REASON_MAX:
        raise problems.DECLINE_REASON_REQUIRED(max=REASON_MAX)
    await conn.execute(
        """UPDATE owner_requests SET status = 'declined', decline_reason = ?, decided_by = ?, decided_at = ?
           WHERE id = ? AND status = 'open'""", (text, user.id, now_iso(), request_id))
    await audit.record(conn, actor, "owner_request.decline", "owner_request", request_id, {"length": len(text)})


def day_label(day: str | None) -> str:
    """2026-12-05 → 2026年12月5日 (the owner's pages)."""
    if not day or calendar_day(day) is None:
        return ""
    d = date.fromisoformat(day)
    return f"{d.year}年{d.month}月{d.day}日"
