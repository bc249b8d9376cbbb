"""Time in one place: stored as RFC 3339 text with offset, so SQLite sorts and compares it."""

from datetime import datetime, timedelta, timezone

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
