"""Never log the same error in a tight loop.

A flood of one message (asyncio's `socket.accept() out of system resource` is logged once per
pending connection per loop tick when file descriptors run out: 134 MB in 50 s) fills the disk
and hides everything else. `RepeatLimit` lets the first `burst` records of one message through
per `interval` seconds; the first record after that interval is preceded by one line saying how
many similar records were left out. "The same message" is the logger name, level and the
message template's first line with numbers blanked, and the exception type
(`log.error("x %s", a)` and `log.error("x %s", b)` are similar; so are asyncio's messages that
differ only in a file descriptor or an address).
"""

from __future__ import annotations

import logging
import re
import threading
import time

SUMMARY_FLAG = "_akiya_repeat_summary"
# One line per request by design (server/http/requests.py): all of the same shape, none a repeat.
EXEMPT = frozenset({"akiya.access"})
_NUMBERS = re.compile(r"0x[0-9a-fA-F]+|\d+")


def _shape(record: logging.LogRecord) -> str:
    """The message's first line with numbers blanked (asyncio puts fds and addresses in its
    messages), plus the exception's type."""
    first = str(record.msg).partition("\n")[0][:200]
    kind = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else ""
    return _NUMBERS.sub("#", first) + "|" + kind


class RepeatLimit(logging.Filter):
    def __init__(self, burst: int = 5, interval: float = 60.0, clock=time.monotonic):
        super().__init__()
        self.burst, self.interval, self.clock = burst, interval, clock
        self._windows: dict[tuple, list] = {}  # key -> [window start, passed, suppressed]
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, SUMMARY_FLAG, False) or record.name in EXEMPT:
            return True
        key = (record.name, record.levelno, _shape(record))
        now = self.clock()
        summary = None
        with self._lock:
            window = self._windows.get(key)
            if window is None or now - window[0] >= self.interval:
                if window is not None and window[2]:
                    summary = (window[2], now - window[0])
                if len(self._windows) > 1000:  # many distinct messages: forget the old windows
                    self._windows = {k: w for k, w in self._windows.items() if now - w[0] < self.interval}
                self._windows[key] = window = [now, 0, 0]
            if window[1] >= self.burst:
                window[2] += 1
                return False
            window[1] += 1
        if summary:
            self._say_suppressed(record, *summary)
        return True

    @staticmethod
    def _say_suppressed(record: logging.LogRecord, count: int, seconds: float) -> None:
        line = logging.LogRecord(record.name, record.levelno, record.pathname, record.lineno,
                                 "suppressed %d similar messages in the last %.0f s: %s",
                                 (count, seconds, str(record.msg)[:200]), None)
        setattr(line, SUMMARY_FLAG, True)
        logging.getLogger(record.name).handle(line)
