"""Who may change a contract's retention date and delete its owners' personal data, the default date, and
the nightly purge of what is due (`akiya candidates purge [--dry-run]`, deploy/systemd/akiya-purge-owners.*).

The retention date is the last day the data is kept: by default one year after the contract's last day
(a 29 February end keeps to 28 February), or the day the town set. The data is due for deletion from the
day after. The municipal officers of the contract's town and the admin may change the date or delete at
once (with a confirmation); every deletion is audited as owner_data.delete."""

from __future__ import annotations

from datetime import date

import msgspec

from reports.dates import western_date
from server.core import audit, problems
from server.core.clock import today_jst
from server.owner_data import queries as q
from server.users.access import manages_owner_data
from server.users.queries import User


def default_keep_until(period_end: date) -> date:
    try:
        return period_end.replace(year=period_end.year + 1)
    except ValueError:  # 29 February
        return period_end.replace(year=period_end.year + 1, day=28)


def keep_until(retention: q.Retention) -> date:
    if retention.keep_until_set:
        return date.fromisoformat(retention.keep_until_set)
    return default_keep_until(date.fromisoformat(retention.period_end))


def is_due(retention: q.Retention, today: date) -> bool:
    return retention.deleted_at is None and today > keep_until(retention)


def deleted_text(on: date) -> str:
    """What owner views print once the data is gone."""
    return f"所有者の個人情報（氏名・住所・郵便番号・連絡先）は {western_date(on)} に削除しました。"


class RetentionView(msgspec.Struct, frozen=True):
    """The contract page's section (shown to the town's officers and the admin)."""
    keep_until: date
    is_default: bool
    deleted_on: date | None
    owners: int
    due: bool


def view_of(retention: q.Retention) -> RetentionView:
    return RetentionView(keep_until(retention), retention.keep_until_set is None, retention.deleted_on,
                         retention.owners, is_due(retention, today_jst()))


def _may_manage(user: User) -> None:
    if not manages_owner_data(user):
        raise problems.OWNER_DATA_FORBIDDEN()


def _not_deleted(retention: q.Retention) -> None:
    if retention.deleted_on:
        raise problems.OWNER_DATA_DELETED("again", on=western_date(retention.deleted_on))


async def change_keep_until(conn, actor: audit.Actor, user: User, contract_id: int, day: str) -> None:
    """The town's retention date (YYYY-MM-DD); an empty one goes back to the default."""
    retention = await q.retention_of(conn, user, contract_id)  # 404 for a contract the user does not see
    _may_manage(user)
    _not_deleted(retention)
    day = day.strip()
    if day:
        try:
            day = date.fromisoformat(day).isoformat()
        except ValueError:
            raise problems.INVALID_DAY(label="保存期限", details={"field": "keep_until"}) from None
    await q.set_keep_until(conn, actor, contract_id, retention.keep_until_set, day or None)


async def delete_now(conn, actor: audit.Actor, user: User, contract_id: int, confirmed: bool) -> q.Deleted:
    """The town's officer or the admin deletes the contract's owners' data now, before its date if they wish."""
    retention = await q.retention_of(conn, user, contract_id)
    _may_manage(user)
    _not_deleted(retention)
    if not confirmed:
        raise problems.OWNER_DATA_CONFIRM()
    return await q.delete_owner_data(conn, actor, contract_id, "manual", keep_until(retention).isoformat())


class Purged(msgspec.Struct, frozen=True):
    contract_id: int
    title: str
    keep_until: date
    owners: int
    contacts: int


async def purge_due(db, actor: audit.Actor, dry_run: bool = False) -> list[Purged]:
    """Deletes the owners' data of every contract past its retention date, one transaction per contract
    (a dry run only says what it would delete, and writes nothing)."""
    today = today_jst()
    async with db.read() as conn:
        due = [r for r in await q.contracts_not_deleted(conn) if is_due(r, today)]
        contacts = {r.contract_id: len(await q.contacts_held(conn, r.contract_id)) for r in due}
    done = []
    for retention in due:
        if dry_run:
            counts = q.Deleted(retention.owners, contacts[retention.contract_id])
        else:
            counts = await db.write(_purge_one, actor, retention.contract_id, today)
        if counts is not None:
            done.append(Purged(retention.contract_id, retention.title, keep_until(retention), counts.owners,
                               counts.contacts))
    return done


async def _purge_one(conn, actor: audit.Actor, contract_id: int, today: date) -> q.Deleted | None:
    retention = await q.retention_of(conn, None, contract_id)  # again, inside the write: a clerk may have acted
    if not is_due(retention, today):
        return None
    return await q.delete_owner_data(conn, actor, contract_id, "due", keep_until(retention).isoformat())
