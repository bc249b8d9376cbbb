"""`akiya serve`: uvicorn with limits that keep slow or idle clients from taking the server down.

uvicorn times out idle keep-alive connections but not a request header that never ends, and a
connection counts against the file-descriptor limit from the moment it is accepted. 20,000
connections each sending half a header used up every descriptor; accept() then failed in a loop
that logged each failure. Here:
- a request header must arrive whole within `header_timeout` seconds, or the connection is closed;
- at most `limit_concurrency` connections are open (fewer if the descriptor limit is lower, and
  the backlog shrinks with it, since asyncio accepts a whole backlog at once): one more closes
  the oldest connection still waiting for its request header (the slow client, not the
  newcomer), so accept() never runs out of descriptors;
- the same log message is printed at most a few times a minute (server/ops/log_limit.py).
A production front (deploy/nginx/akiya.conf) stops slow clients before they reach this process.
"""

from __future__ import annotations

import copy
import logging
import resource
import signal

import h11
from uvicorn.config import LOGGING_CONFIG, Config
from uvicorn.protocols.http.h11_impl import H11Protocol

from server.core.settings import Settings

log = logging.getLogger("akiya")

FD_RESERVE = 128  # descriptors kept for the database, photo files, PDF workers and logs


def raise_fd_limit(wanted: int) -> int:
    """Raise the soft limit on open files toward the hard limit; return the soft limit in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


def fd_budget(limit_concurrency: int, backlog: int, fd_soft_limit: int) -> tuple[int, int]:
    """(connections kept open, backlog) that fit the open-file limit.

    asyncio accepts up to `backlog` connections in one go before any of them reaches the
    protocol (where the cap is enforced), and may do so twice before the first is counted:
    twice the backlog stays free on top of the cap and FD_RESERVE."""
    usable = max(fd_soft_limit - FD_RESERVE, 32)
    backlog = max(8, min(backlog, usable // 4))
    return max(8, min(limit_concurrency, usable - 2 * backlog)), backlog


def guarded_protocol(header_timeout: float, max_connections: int) -> type[H11Protocol]:
    """uvicorn's HTTP/1.1 protocol with a header deadline and a cap on open connections."""

    waiting: dict[H11Protocol, None] = {}  # connections waiting for a request header, oldest first

    class GuardedH11Protocol(H11Protocol):
        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self.header_timer = None
            self._await_header()
            if len(self.connections) > max_connections:
                self._make_room()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self._await_header()  # the next request on a kept-alive connection

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.header_timer is not None and self.conn.their_state is not h11.IDLE:
                self._header_done()  # the whole header is in

        def connection_lost(self, exc) -> None:
            self._header_done()
            super().connection_lost(exc)

        def _await_header(self) -> None:
            self._header_done()
            waiting[self] = None
            self.header_timer = self.loop.call_later(header_timeout, self._header_deadline)

        def _header_done(self) -> None:
            waiting.pop(self, None)
            if self.header_timer is not None:
                self.header_timer.cancel()
                self.header_timer = None

        def _header_deadline(self) -> None:
            self.header_timer = None
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self._drop()

        def _drop(self) -> None:
            self._header_done()
            self.connections.discard(self)  # counted out now, not when the loop gets round to it
            self.transport.close()

        def _make_room(self) -> None:
            victim = next(iter(waiting), self)  # the oldest still waiting: a slow client, or an idle one
            log.warning("more than %d connections open: closed one that had not sent a whole request",
                        max_connections)
            victim._drop()

    return GuardedH11Protocol


def log_config(log_format: str = "text") -> dict:
    """Every logger (uvicorn's, the app's, asyncio's) through one background handler on stdout in
    `log_format` (server/observe/logs.py: json or text), each message rate-limited."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"repeat_limit": {"()": "server.ops.log_limit.RepeatLimit", "burst": 5, "interval": 60.0}}
    config["formatters"] = {}
    config["handlers"] = {"default": {"()": "server.observe.logs.BackgroundHandler", "stream": "ext://sys.stdout",
                                      "log_format": log_format, "filters": ["repeat_limit"]}}
    config["loggers"]["uvicorn.access"]["handlers"] = ["default"]
    config["root"] = {"handlers": ["default"], "level": "WARNING"}  # asyncio and anything else
    config["loggers"]["akiya"] = {"level": "INFO"}
    return config


def uvicorn_config(app, settings: Settings) -> Config:
    fd_soft = raise_fd_limit(settings.limit_concurrency + 2 * settings.backlog + FD_RESERVE)
    cap, backlog = fd_budget(settings.limit_concurrency, settings.backlog, fd_soft)
    trusted = settings.forwarded_allow_ips
    config = Config(
        app, host=settings.host, port=settings.port,
        ssl_certfile=settings.ssl_certfile, ssl_keyfile=settings.ssl_keyfile,
        http=guarded_protocol(settings.header_timeout, cap),
        # connections are capped above; uvicorn's 503 then only counts requests in progress
        limit_concurrency=cap + 1, timeout_keep_alive=settings.timeout_keep_alive,
        backlog=backlog, h11_max_incomplete_event_size=settings.max_header_bytes,
        proxy_headers=bool(trusted), forwarded_allow_ips=trusted or None,
        log_config=log_config(settings.log_format), log_level="info", access_log=False,
    )
    if (cap, backlog) != (settings.limit_concurrency, settings.backlog):
        log.warning("open-file limit %d allows only %d connections and a backlog of %d "
                    "(AKIYA_LIMIT_CONCURRENCY=%d, AKIYA_BACKLOG=%d)",
                    fd_soft, cap, backlog, settings.limit_concurrency, settings.backlog)
    return config


def run_server(config: Config, sockets=None) -> None:
    """uvicorn on `config` until SIGTERM/SIGINT, then the log lines still queued are written.

    uvicorn raises the signal it stopped on again once it is done; under the default handler that
    ends the process at once and the last lines (the shutdown) would be lost from the queue of
    server/observe/logs.py. A handler that just returns lets the process end normally instead."""
    import uvicorn

    from server.observe.logs import flush_logs

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: None)
    uvicorn.Server(config).run(sockets=sockets)
    flush_logs()
