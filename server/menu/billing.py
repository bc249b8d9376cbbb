"""Statements for whole months: one subscription's (the owner's PDF) and every subscription an office sees
(the billing CSV). The facts come from server/menu/queries.py; the sums from server/menu/statement.py."""

from __future__ import annotations

import csv
import io

import aiosqlite

from server.menu import queries as q
from server.menu.statement import NO_PAYMENT, RULE, Statement, monthly_statement

CSV_HEADER = ("月", "郵便局", "契約番号", "所有者", "物件の所在地", "サービス", "内容", "金額（円）", "料金の出典")


async def statements(conn: aiosqlite.Connection, subs: list[q.StatedSubscription], month: str) -> list[Statement]:
    """Each subscription's statement for `month`, in the order given (a few batched reads)."""
    ids = [s.id for s in subs]
    menu, history = await q.services(conn), await q.prices(conn)
    options, pauses, done = await q.options_of(conn, ids), await q.pauses_of(conn, ids), await q.orders_done_in(conn, ids, month)
    return [monthly_statement(s.id, s.start_date, s.end_date, month, menu, history, options[s.id], pauses[s.id],
                              done[s.id]) for s in subs]


def billing_csv(subs: list[q.StatedSubscription], stated: list[Statement], month: str) -> str:
    """One row per charged line and one total row per subscription (UTF-8 with BOM, for Excel); a line
    without a price has an empty amount and the total row says 料金未設定あり."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for sub, statement in zip(subs, stated, strict=True):
        who = (month, sub.office_code, sub.id, sub.owner_name, sub.address)
        for line in statement.lines:
            writer.writerow((*who, line.name, line.detail, "" if line.yen is None else line.yen, line.reference))
        status = "一時停止中（月額なし）" if statement.paused else ("料金未設定あり" if statement.unpriced else "")
        writer.writerow((*who, "合計", status, statement.total_yen, ""))
    writer.writerow(())
    writer.writerow((RULE,))
    writer.writerow((NO_PAYMENT,))
    return out.getvalue()
