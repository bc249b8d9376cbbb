"""Log lines as JSON (one object a line, for a log collector) or text (people at a terminal, `make
demo`): AKIYA_LOG_FORMAT=json|text.

The standard library's logging with a small JSON formatter, not structlog: uvicorn, asyncio,
psycopg and botocore already log through the standard library, so one formatter on its handlers
turns every line, theirs and ours, into JSON; structlog would add a second pipeline to bridge
into the same handlers and buy nothing this server uses.

Writing never holds up a request: a record is formatted where it is logged, put on a bounded
queue and written by one background thread. When the output cannot keep up (a stalled pipe, a
full disk behind journald) lines beyond the queue are dropped and counted
(akiya_log_records_dropped_total); the process keeps answering.
"""

from __future__ import annotations

import atexit
import json
import logging
import queue
import sys
import threading
import time
from datetime import datetime, timezone

from server.observe.metrics import LOG_DROPPED

FORMATS = ("text", "json")
# Attributes every LogRecord has; anything else on a record came as `extra=` and goes into the JSON.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "color_message"}


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "message", ...the record's `extra` fields, "exception"}."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """`2026-12-06 10:42:00 INFO akiya.access message key=value ...`: the `extra` fields after the message."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        extra = " ".join(f"{k}={v}" for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_"))
        return f"{text} {extra}" if extra else text


def formatter_for(kind: str) -> logging.Formatter:
    if kind not in FORMATS:
        raise ValueError(f"AKIYA_LOG_FORMAT must be one of {', '.join(FORMATS)}")
    return JsonFormatter() if kind == "json" else TextFormatter()


class BackgroundHandler(logging.Handler):
    """Formats in the caller, writes in a thread; drops (and counts) what a full queue cannot take."""

    def __init__(self, stream=None, capacity: int = 10_000, log_format: str = "text"):
        super().__init__()
        self.stream = stream if stream is not None else sys.stderr
        self.lines: queue.Queue[str | None] = queue.Queue(maxsize=capacity)
        self.setFormatter(formatter_for(log_format))
        self._writer = threading.Thread(target=self._write_lines, name="akiya-log-writer", daemon=True)
        self._writer.start()
        atexit.register(self.flush_for, 2.0)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:
            self.handleError(record)
            return
        try:
            self.lines.put_nowait(line)
        except queue.Full:
            LOG_DROPPED.inc()

    def _write_lines(self) -> None:
        while True:
            line = self.lines.get()
            try:
                self.stream.write(line + "\n")
                if self.lines.empty():
                    self.stream.flush()
            except Exception:  # a closed stream: nothing better to do than drop the line
                LOG_DROPPED.inc()
            finally:
                self.lines.task_done()

    def flush_for(self, seconds: float) -> None:
        """Wait up to `seconds` for the queue to be written (at exit); never longer."""
        deadline = time.monotonic() + seconds
        while self.lines.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)


def flush_logs(seconds: float = 2.0) -> None:
    """Let the background writers finish the lines queued so far (before the process ends)."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, BackgroundHandler):
            handler.flush_for(seconds)
