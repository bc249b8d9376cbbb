"""利用明細: what one subscription is charged for one month, computed from plain facts (no SQL).

The rule, as the README and the printed statement say it: the base service and each monthly option are
charged for a whole month when they run, and the subscription is not paused, on the month's visit day
(the 20th, the day the monthly visit is due: server/schedule/monthly.py); no proration by days. An option
started on the 21st is first charged the next month; one ended on the 19th is not charged that month.
One-off work is charged in the month it was done, at the price valid on that day; quoted work at the
amount the owner accepted. Each monthly line uses the price valid on the visit day, so a price set later
never changes a month already stated. A service without a price is listed as 料金未設定, not as 0 yen,
and the total says it is incomplete. akiya does not take payments.
"""

from __future__ import annotations

import msgspec

from server.menu.queries import Order, Pause, Price, Service, SubscriptionOption, price_on
from server.schedule.monthly import due_date_for

RULE = ("月額の基本料金とオプションは、その月の訪問予定日（20日）に契約・オプションが有効で、一時停止して"
        "いなければ1か月分をいただきます（日割りはしません）。1回ごとの作業は実施した月に、その日の料金で、"
        "お見積りの作業は承諾いただいた金額で計上します。")
NO_PAYMENT = "この明細はご利用の記録です。akiya（この報告システム）はお支払いの受付・決済を行いません。"


class StatementLine(msgspec.Struct, frozen=True):
    service_key: str
    name: str
    detail: str  # 月額 / 2026-11-05 実施 / お見積り（承諾 2026-11-02）
    yen: int | None  # None: no price set (料金未設定)
    reference: str = ""  # where the price comes from, when the admin said (報道による参考価格（デモ）)


class Statement(msgspec.Struct, frozen=True):
    subscription_id: int
    month: str  # YYYY-MM
    charge_day: str  # the visit day monthly charges are decided on
    lines: list[StatementLine]
    total_yen: int
    unpriced: list[str]  # names of lines without a price: the total leaves them out
    paused: bool  # paused on the charge day: nothing monthly charged
    rule: str = RULE
    no_payment: str = NO_PAYMENT


def monthly_statement(subscription_id: int, start_date: str, end_date: str | None, month: str,
                      menu: list[Service], history: list[Price], options: list[SubscriptionOption],
                      pauses: list[Pause], done: list[Order]) -> Statement:
    day = due_date_for(month)
    by_key = {s.key: s for s in menu}
    running = start_date <= day and (end_date is None or end_date >= day)
    paused = running and any(p.covers(day) for p in pauses)
    lines: list[StatementLine] = []

    def priced(key: str, on: str, detail: str) -> StatementLine:
        price = price_on(history, key, on)
        return StatementLine(key, by_key[key].name, detail, price.yen if price else None,
                             price.reference if price else "")

    if running and not paused:
        base = next((s for s in menu if s.kind == "base"), None)
        if base is not None:
            lines.append(priced(base.key, day, "月額"))
        keys = {o.service_key for o in options
                if o.runs_on(day) and o.service_key in by_key and by_key[o.service_key].kind == "monthly"}
        lines += [priced(s.key, day, "月額") for s in menu if s.key in keys]
    for order in done:
        if order.done_on is None or order.done_on[:7] != month or order.service_key not in by_key:
            continue
        if by_key[order.service_key].kind == "by_quote":
            if order.accepted_on is not None:
                lines.append(StatementLine(order.service_key, by_key[order.service_key].name,
                                           f"{order.done_on} 実施（お見積り額）", order.quote_yen))
        else:
            lines.append(priced(order.service_key, order.done_on, f"{order.done_on} 実施"))
    return Statement(subscription_id, month, day, lines, sum(line.yen or 0 for line in lines),
                     [line.name for line in lines if line.yen is None], paused)
