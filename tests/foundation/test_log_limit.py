"""The same log message is printed a few times per minute at most, then counted (issue 10, item 7)."""

from __future__ import annotations

import io
import logging
import logging.config

import pytest

from server.ops.log_limit import RepeatLimit
from server.ops.serving import log_config


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def captured():
    """A logger with a stream handler filtered by RepeatLimit (burst 3 per 60 s) on a fake clock."""
    clock, stream = Clock(), io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RepeatLimit(burst=3, interval=60, clock=clock))
    logger = logging.getLogger("test.repeat")
    logger.handlers, logger.propagate = [handler], False
    logger.setLevel(logging.INFO)
    yield logger, clock, stream
    logger.handlers = []


def test_only_the_first_few_of_a_repeated_error_are_printed_then_one_line_counts_the_rest(captured):
    logger, clock, stream = captured
    for n in range(1000):
        logger.error("socket.accept() out of system resource (%d)", n)
    assert stream.getvalue().splitlines() == [f"socket.accept() out of system resource ({n})" for n in range(3)]
    clock.now = 61
    logger.error("socket.accept() out of system resource (%d)", 1000)
    lines = stream.getvalue().splitlines()
    assert lines[3].startswith("suppressed 997 similar messages in the last 61 s: socket.accept()")
    assert lines[4] == "socket.accept() out of system resource (1000)"


def test_different_messages_are_limited_separately(captured):
    logger, clock, stream = captured
    for _ in range(10):
        logger.error("disk full")
        logger.warning("slow request")
    assert stream.getvalue().splitlines() == ["disk full", "slow request"] * 3


@pytest.mark.parametrize("name", ["asyncio", "uvicorn.error", "akiya", "akiya.mail"])
def test_the_served_logging_limits_uvicorns_asyncios_and_the_apps_loggers(name, capsys):
    saved = {n: (logging.getLogger(n).handlers[:], logging.getLogger(n).propagate, logging.getLogger(n).level)
             for n in ("", "uvicorn", "uvicorn.error", "uvicorn.access", "akiya")}
    try:
        logging.config.dictConfig(log_config())
        for _ in range(500):
            logging.getLogger(name).error("accept failed", exc_info=OSError(24, "Too many open files"))
        logging.getLogger().handlers[0].flush_for(5.0)  # written by the handler's thread (server/observe/logs.py)
        out = capsys.readouterr().out
        assert out.count("accept failed") == 5
        assert len(out) < 5_000
    finally:
        for n, (handlers, propagate, level) in saved.items():
            logger = logging.getLogger(n)
            logger.handlers, logger.propagate = handlers, propagate
            logger.setLevel(level)
