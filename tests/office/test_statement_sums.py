"""利用明細's sums (server/menu/statement.py): monthly items are charged for a whole month when they run,
unpaused, on the visit day (the 20th), at the price valid that day; one-off work in the month it was done;
quoted work at the accepted amount; a service without a price is never counted as 0 yen."""

from server.menu.queries import Order, Pause, Price, Service, SubscriptionOption
from server.menu.statement import monthly_statement

MENU = [Service("watch", "みまもり 基本", "base", 0, True), Service("airing", "通風・通水", "monthly", 10, True),
        Service("mail_forward", "投函物の送付", "monthly", 20, True), Service("disaster", "災害後見回り", "monthly", 40, True),
        Service("cleaning", "簡単な清掃", "one_off", 90, True), Service("mowing", "草刈", "by_quote", 70, True)]
PRICES = [Price("watch", "2025-01-01", 4280), Price("airing", "2025-01-01", 5000),
          Price("mail_forward", "2025-01-01", 800), Price("cleaning", "2025-01-01", 3000)]


def option(key: str, start: str, end: str | None = None) -> SubscriptionOption:
    return SubscriptionOption(1, 1, key, start, end)


def order(key: str, done: str | None, quote: int | None = None, accepted: str | None = None) -> Order:
    return Order(1, 1, key, "2026-11-01", "", quote, accepted, done, "")


def statement(month: str, options=(), pauses=(), done=(), prices=PRICES, start="2026-01-01", end=None):
    return monthly_statement(1, start, end, month, MENU, list(prices), list(options), list(pauses), list(done))


def amounts(s) -> list[tuple[str, int | None]]:
    return [(line.name, line.yen) for line in s.lines]


def test_a_whole_month_is_the_base_and_each_running_option_at_its_price():
    s = statement("2026-11", [option("airing", "2026-01-01"), option("mail_forward", "2026-01-01")])
    assert amounts(s) == [("みまもり 基本", 4280), ("通風・通水", 5000), ("投函物の送付", 800)]
    assert s.total_yen == 10080 and s.unpriced == [] and not s.paused


def test_an_option_started_after_the_visit_day_is_first_charged_the_next_month():
    started_21st = [option("airing", "2026-11-21")]
    assert statement("2026-11", started_21st).total_yen == 4280
    assert statement("2026-12", started_21st).total_yen == 4280 + 5000
    assert statement("2026-11", [option("airing", "2026-11-20")]).total_yen == 4280 + 5000


def test_an_option_ended_before_the_visit_day_is_not_charged_that_month():
    ended_19th = [option("airing", "2026-01-01", "2026-11-19")]
    assert statement("2026-11", ended_19th).total_yen == 4280
    assert statement("2026-10", ended_19th).total_yen == 4280 + 5000


def test_a_subscription_starting_after_the_20th_pays_nothing_for_that_month():
    s = statement("2026-11", [option("airing", "2026-11-25")], start="2026-11-25")
    assert s.lines == [] and s.total_yen == 0


def test_a_new_price_applies_from_its_day_and_leaves_earlier_months_as_they_were():
    raised = PRICES + [Price("watch", "2027-01-01", 4500)]
    assert statement("2026-12", prices=raised).total_yen == 4280
    assert statement("2027-01", prices=raised).total_yen == 4500


def test_a_month_paused_on_the_visit_day_charges_nothing_monthly_but_work_done_still_counts():
    s = statement("2026-11", [option("airing", "2026-01-01")], pauses=[Pause(1, "2026-11-10", None)],
                  done=[order("cleaning", "2026-11-05")])
    assert s.paused and amounts(s) == [("簡単な清掃", 3000)] and s.total_yen == 3000
    resumed = statement("2026-11", [option("airing", "2026-01-01")], pauses=[Pause(1, "2026-10-01", "2026-11-19")])
    assert not resumed.paused and resumed.total_yen == 9280


def test_a_service_without_a_price_is_listed_as_unpriced_not_as_zero():
    s = statement("2026-11", [option("disaster", "2026-01-01")])
    assert amounts(s) == [("みまもり 基本", 4280), ("災害後見回り", None)]
    assert s.total_yen == 4280 and s.unpriced == ["災害後見回り"]


def test_quoted_work_is_charged_at_the_accepted_amount_in_the_month_it_was_done():
    accepted = order("mowing", "2026-11-08", quote=12000, accepted="2026-11-02")
    assert amounts(statement("2026-11", done=[accepted])) == [("みまもり 基本", 4280), ("草刈", 12000)]
    assert statement("2026-12", done=[accepted]).total_yen == 4280
    assert statement("2026-11", done=[order("mowing", "2026-11-08", quote=12000)]).total_yen == 4280


def test_the_statement_says_how_amounts_were_decided_and_that_akiya_takes_no_payment():
    s = statement("2026-11")
    assert "訪問予定日（20日）" in s.rule and "日割りはしません" in s.rule
    assert "決済を行いません" in s.no_payment
