"""The owner's monthly PDF's option headings (what was done under each option) and its 利用明細, from the
subscription that covered the visit (server/menu/)."""

from __future__ import annotations

import aiosqlite

import reports.model as m
from server.menu import queries as menu
from server.menu.billing import statements

NOTHING_RECORDED = "今月の見回りの記録に、このオプションの実施記録はありません。"
DISASTER = "災害が起きたときの見回りは、災害ごとの報告書でお知らせします。"


def _airing(a: m.Airing | None) -> str:
    if a is None:
        return NOTHING_RECORDED
    done = "換気し、水道の通水を行いました" if a.water_run else "換気しました"
    return f"{a.rooms}部屋の窓と玄関を開けて、約{a.minutes}分間{done}。"


def _mail(mail: m.MailHandling | None, key: str) -> str:
    if mail is None:
        return NOTHING_RECORDED
    if key == "mail_forward":
        return f"{mail.forwarded}通をご指定の送付先へお送りしました。" if mail.forwarded else "今月、お送りした投函物はありません。"
    return (f"郵便受箱の投函物 {mail.moved_inside}通を室内へ移しました。" if mail.moved_inside
            else "今月、郵便受箱に投函物はありませんでした。")


async def option_work_and_statement(conn: aiosqlite.Connection, property_id: str, owner_id: int | None, day: str,
                                    month: str, airing: m.Airing | None, mail: m.MailHandling | None,
                                    records: dict[str, m.WorkRecord] | None = None, with_monthly_options: bool = True,
                                    ) -> tuple[list[m.OptionWork], m.UsageStatement | None]:
    """Headings for the options running on the visit's `day` and the work done in `month`, each piece of work
    with the carrier's approved record of it (`records`, by task); the month's statement. Nothing when no
    owner's subscription covers the visit. Without `with_monthly_options` (a month with no watch visit, where
    通風・通水 and the mail are done), only the work done."""
    sub = await menu.subscription_covering(conn, property_id, owner_id, day) if owner_id else None
    if sub is None:
        return [], None
    names = {s.key: s.name for s in await menu.services(conn)}
    running = [o.service_key for o in (await menu.options_of(conn, [sub.id]))[sub.id] if o.runs_on(day)]
    work = []
    for key in [k for k in names if k in running and with_monthly_options]:
        text = (_airing(airing) if key == "airing" else _mail(mail, key) if key.startswith("mail_")
                else DISASTER if key == "disaster" else NOTHING_RECORDED)
        work.append(m.OptionWork(heading=names[key], done=text))
    for order in (await menu.orders_done_in(conn, [sub.id], month))[sub.id]:
        record = (records or {}).get(order.task_id or "")
        work.append(m.OptionWork(heading=names[order.service_key],
                                 done=f"{order.done_on}に実施しました。" + (order.done_note or "")
                                 + ("作業の記録と写真は下に載せています。" if record else ""),
                                 records=[record] if record else []))
    [stated] = await statements(conn, [sub], month)
    return work, m.UsageStatement(
        lines=[m.StatementLine(name=line.name, detail=line.detail, yen=line.yen, reference=line.reference)
               for line in stated.lines],
        total_yen=stated.total_yen, unpriced=stated.unpriced, paused=stated.paused, rule=stated.rule,
        no_payment=stated.no_payment)
