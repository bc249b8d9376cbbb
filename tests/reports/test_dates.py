from datetime import date, datetime

from reports import era_date, japanese_date, japanese_datetime, japanese_month


def test_date_reads_western_then_era():
    assert japanese_date(date(2025, 11, 27)) == "2025年11月27日（令和7年11月27日）"


def test_first_year_of_an_era_is_gannen():
    assert era_date(date(2019, 5, 1)) == "令和元年5月1日"
    assert era_date(date(1989, 1, 8)) == "平成元年1月8日"


def test_last_days_of_an_era_keep_the_old_name():
    assert era_date(date(2019, 4, 30)) == "平成31年4月30日"
    assert era_date(date(1989, 1, 7)) == "昭和64年1月7日"


def test_month_and_time_wording():
    assert japanese_month(date(2025, 12, 1)) == "2025年12月（令和7年12月）"
    assert japanese_datetime(datetime(2025, 11, 27, 9, 5)).endswith("9時05分")
