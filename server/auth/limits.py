"""Slow down password guessing: failures are counted per login and per client address."""

from __future__ import annotations

import time
from collections import defaultdict, deque


class FailureLimiter:
    """At most `limit` failures per key within `window` seconds; then refuse until they age out."""

    def __init__(self, limit: int = 5, window: float = 900.0, clock=time.monotonic):
        self.limit = limit
        self.window = window
        self._clock = clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def retry_after(self, *keys: str) -> int:
        """Seconds to wait before another attempt is allowed for any of the keys (0 = go ahead)."""
        now = self._clock()
        wait = 0.0
        for key in keys:
            times = self._failures.get(key)
            if not times:
                continue
            while times and now - times[0] > self.window:
                times.popleft()
            if len(times) >= self.limit:
                wait = max(wait, self.window - (now - times[0]))
        return int(wait) + 1 if wait else 0

    def fail(self, *keys: str) -> None:
        now = self._clock()
        for key in keys:
            self._failures[key].append(now)

    def succeed(self, login_key: str) -> None:
        self._failures.pop(login_key, None)
