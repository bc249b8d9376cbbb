"""Japanese date wording: Western year and era (令和・平成・昭和), with 元年 for year one."""

from datetime import date, datetime

# (first day of the era, name), newest first.
_ERAS = (
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
)


def _era_year(d: date) -> str:
    for start, name in _ERAS:
        if d >= start:
            year = d.year - start.year + 1
            return f"{name}{'元' if year == 1 else year}年"
    raise ValueError(f"date before 昭和 is not supported: {d.isoformat()}")


def western_date(d: date) -> str:
    """2025年11月27日"""
    return f"{d.year}年{d.month}月{d.day}日"


def era_date(d: date) -> str:
    """令和7年11月27日"""
    return f"{_era_year(d)}{d.month}月{d.day}日"


def japanese_date(d: date) -> str:
    """2025年11月27日（令和7年11月27日）"""
    return f"{western_date(d)}（{era_date(d)}）"


def japanese_month(d: date, suffix: str = "") -> str:
    """2025年12月（令和7年12月） for the month that contains d; suffix="分" gives 2025年12月分（令和7年12月分）."""
    return f"{d.year}年{d.month}月{suffix}（{_era_year(d)}{d.month}月{suffix}）"


def clock(t: datetime) -> str:
    """14時05分"""
    return f"{t.hour}時{t.minute:02d}分"


def japanese_datetime(t: datetime) -> str:
    """2025年11月27日（令和7年11月27日）14時05分"""
    return f"{japanese_date(t.date())}{clock(t)}"


def short_datetime(t: datetime | None) -> str:
    """2025/11/27 14:05, compact form for photo captions and tables; empty for None."""
    return "" if t is None else f"{t.year}/{t.month:02d}/{t.day:02d} {t.hour:02d}:{t.minute:02d}"
