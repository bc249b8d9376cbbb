"""Time in one place: stored as RFC 3339 text with offset, so SQLite sorts and compares it.

Every part of the server asks `now()` here. AKIYA_CLOCK (an RFC 3339 moment, e.g.
`2026-11-18T10:00:00+09:00`) starts this process's clock at that moment, from where it runs at the
normal rate: the tests lay the demo town out and serve it at a stated moment with it, so a test that
depends on the calendar passes on any day. Never set it on a real installation (`akiya serve` warns).
"""

import contextlib
import os
import re
from datetime import date, datetime, timedelta, timezone

JST = timezone(timedelta(hours=9), "JST")
CLOCK_VARIABLE = "AKIYA_CLOCK"


def _real_now() -> datetime:
    return datetime.now(timezone.utc)


def parse_moment(text: str) -> datetime:
    """An RFC 3339 moment with its offset; ValueError in words an operator can act on."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{CLOCK_VARIABLE}={text!r}: not a moment (e.g. 2026-11-18T10:00:00+09:00)") from None
    if moment.tzinfo is None:
        raise ValueError(f"{CLOCK_VARIABLE}={text!r}: give the offset (e.g. +09:00)")
    return moment


def _shift_from(environ) -> timedelta:
    start = environ.get(CLOCK_VARIABLE)
    return parse_moment(start) - _real_now() if start else timedelta(0)


_shift = _shift_from(os.environ)
_stopped_at: datetime | None = None


def now() -> datetime:
    return _stopped_at if _stopped_at is not None else _real_now() + _shift


def is_shifted() -> bool:
    return _shift != timedelta(0) or _stopped_at is not None


@contextlib.contextmanager
def running_from(moment: datetime):
    """This process's clock starts at `moment` inside the block (it runs on from there), as
    AKIYA_CLOCK does for a whole process; the real clock again after."""
    global _shift
    if moment.tzinfo is None:
        raise ValueError("naive datetime: give the moment its offset")
    saved, _shift = _shift, moment - _real_now()
    try:
        yield
    finally:
        _shift = saved


@contextlib.contextmanager
def stopped_at(moment: datetime):
    """This process's clock reads `moment` and stands still inside the block: a test at 23:59:30
    stays before midnight however long it takes."""
    global _stopped_at
    if moment.tzinfo is None:
        raise ValueError("naive datetime: give the moment its offset")
    saved, _stopped_at = _stopped_at, moment.astimezone(timezone.utc)
    try:
        yield
    finally:
        _stopped_at = saved


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
