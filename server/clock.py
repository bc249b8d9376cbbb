"""Time in one place: stored as RFC 3339 text with offset, so SQLite sorts and compares it."""

import re
from datetime import date, datetime, timedelta, timezone

JST = timezone(timedelta(hours=9), "JST")


def now() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every stored time carries its offset")
    return moment.isoformat(timespec="milliseconds")


def now_iso() -> str:
    return iso(now())


def today_jst():
    return now().astimezone(JST).date()


def now_jst_input() -> str:
    """Now as a datetime-local form value in JST ("2026-11-29T10:30")."""
    return now().astimezone(JST).strftime("%Y-%m-%dT%H:%M")


_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def calendar_day(text: str) -> date | None:
    """A day typed as YYYY-MM-DD (what a date input sends) that exists; None for anything else
    ("abc", "2026-02-30", "2026/07/01")."""
    text = text.strip()
    if not _DAY.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
