"""`akiya serve --workers N`: N server processes on one port, each with its own listening socket.

Each worker (spawned, not forked: a clean interpreter, with no event loop, thread or database
connection copied from the parent) binds the port itself with SO_REUSEPORT and listens; the
kernel spreads new connections over the N sockets by a hash of the connection's addresses. With
one socket shared by all workers (how this began), whichever worker woke first took the next
connection, and with kept-alive connections one busy worker ended up with most of them while the
other idled: N workers were no faster than one. The parent binds the port too (SO_REUSEPORT,
never listening, so it is handed no connection) to fail at once when the port is taken and to
keep it while workers restart. Each worker runs uvicorn with everything server/ops/serving.py sets
(header deadline, connection cap, backlog), so those limits hold per process.

What several processes share lives in the database: login-failure counters, the push queue's
exactly-once rules, leases for the monthly schedule and the mail sender (server/core/leases.py). Per
process: the PDF worker pool, the upload scratch folder, the group-commit queue. Metrics: each
worker writes its counts under PROMETHEUS_MULTIPROC_DIR (a fresh folder the parent makes, or the
operator's own, emptied at start) and a scrape of any worker adds them up (server/observe/metrics.py).

The parent only supervises: a worker that dies is started again (after a pause, and not for ever
if they die at once on start: then the parent gives up and exits 1); SIGTERM or SIGINT to the
parent stops every worker gracefully (each runs its lifespan shutdown) and then the parent exits.
A worker whose parent dies (SIGKILL) gets SIGTERM from the kernel, so no orphan keeps serving.
A connection still waiting in a dying worker's backlog is reset; the phones send it again.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import logging.config
import multiprocessing
import os
import shutil
import signal
import socket
import tempfile
import time
from pathlib import Path
from multiprocessing.process import BaseProcess

from server.core.settings import Settings
from server.observe.metrics import MULTIPROC_ENV

log = logging.getLogger("akiya")

STOP_SECONDS = 30.0  # a worker still running this long after SIGTERM is killed
QUICK_DEATH = 5.0  # seconds: a worker dying sooner than this after its start counts as failing to start
QUICK_DEATHS_ALLOWED = 5


def _die_with_parent() -> None:
    """Ask Linux to send this process SIGTERM when its parent dies (prctl PR_SET_PDEATHSIG)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent's SIGTERM still stops the workers
        pass


def port_socket(host: str, port: int, backlog: int | None = None) -> socket.socket:
    """A TCP socket bound to host:port with SO_REUSEPORT; listening when `backlog` is given."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        if backlog is not None:
            sock.listen(backlog)
    except BaseException:
        sock.close()
        raise
    return sock


def run_worker(settings: Settings) -> None:
    """One worker process: the app and uvicorn on a listening socket of its own."""
    from server.app import create_app
    from server.ops.serving import run_server, uvicorn_config

    _die_with_parent()
    config = uvicorn_config(create_app(settings), settings)
    run_server(config, sockets=[port_socket(settings.host, settings.port, config.backlog)])


class Supervisor:
    def __init__(self, settings: Settings, workers: int):
        self.settings, self.count = settings, workers
        self.context = multiprocessing.get_context("spawn")
        self.processes: list[BaseProcess] = []
        self.started_at: dict[int, float] = {}
        self.quick_deaths = 0
        self.stopping = False

    def _start_one(self) -> BaseProcess:
        process = self.context.Process(target=run_worker, args=(self.settings,), name="akiya-worker")
        process.start()
        self.started_at[process.pid] = time.monotonic()
        log.info("worker %d started", process.pid)
        return process

    def _on_signal(self, signum, frame) -> None:
        self.stopping = True

    def run(self) -> int:
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, self._on_signal)
        self.processes = [self._start_one() for _ in range(self.count)]
        failed = False
        while not self.stopping:
            time.sleep(0.2)
            for i, process in enumerate(self.processes):
                if process.is_alive() or self.stopping:
                    continue
                lived = time.monotonic() - self.started_at.pop(process.pid, 0.0)
                mark_process_dead(process.pid)  # its live gauges go; its counts stay
                log.error("worker %d exited with %s after %.1f s", process.pid, process.exitcode, lived)
                self.quick_deaths = self.quick_deaths + 1 if lived < QUICK_DEATH else 0
                if self.quick_deaths >= QUICK_DEATHS_ALLOWED:
                    log.error("workers keep dying as they start: stopping (see the errors above)")
                    failed = self.stopping = True
                    break
                time.sleep(min(1.0 * self.quick_deaths, 5.0))
                self.processes[i] = self._start_one()
        self._stop_all()
        return 1 if failed else 0

    def _stop_all(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes requests in progress, then the lifespan ends
        deadline = time.monotonic() + STOP_SECONDS
        for process in self.processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                log.error("worker %d still running %.0f s after SIGTERM: killed", process.pid, STOP_SECONDS)
                process.kill()
                process.join()
        log.info("all workers stopped")


def serve_workers(settings: Settings, workers: int) -> int:
    """Hold the port, run `workers` worker processes on it until SIGTERM/SIGINT; the exit status."""
    from server.ops.serving import log_config

    logging.config.dictConfig(log_config(settings.log_format))  # the workers log the same way
    held = port_socket(settings.host, settings.port)  # fails here, once, when the port is taken
    log.info("serving with %d worker processes on %s:%d (pid %d supervises)", workers, settings.host,
             settings.port, os.getpid())
    try:
        with metrics_folder():
            return Supervisor(settings, workers).run()
    finally:
        held.close()


@contextlib.contextmanager
def metrics_folder():
    """PROMETHEUS_MULTIPROC_DIR for the workers: the operator's (emptied first) or a fresh one (removed after)."""
    given = os.environ.get(MULTIPROC_ENV)
    folder = Path(given) if given else Path(tempfile.mkdtemp(prefix="akiya-metrics-"))
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.db"):  # counts of an earlier run would be added to this one's
        old.unlink()
    os.environ[MULTIPROC_ENV] = str(folder)  # spawned workers inherit it before importing prometheus_client
    try:
        yield folder
    finally:
        if not given:
            shutil.rmtree(folder, ignore_errors=True)
            os.environ.pop(MULTIPROC_ENV, None)


def mark_process_dead(pid: int) -> None:
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)
