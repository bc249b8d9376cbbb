"""`akiya serve --workers N`: N server processes sharing one listening socket.

The parent binds the port once and starts N worker processes (spawned, not forked: each starts a
clean interpreter, with no event loop, thread or database connection copied from the parent).
Each worker builds the app and runs uvicorn on the inherited socket with everything
server/ops/serving.py sets (header deadline, connection cap, backlog), so those limits hold per
process; the kernel hands each new connection to whichever worker accepts it first.

What several processes share lives in the database: login-failure counters, the push queue's
exactly-once rules, leases for the monthly schedule and the mail sender (server/core/leases.py). Per
process: the PDF worker pool, the upload scratch folder, the group-commit queue.

The parent only supervises: a worker that dies is started again (after a pause, and not for ever
if they die at once on start: then the parent gives up and exits 1); SIGTERM or SIGINT to the
parent stops every worker gracefully (each runs its lifespan shutdown) and then the parent exits.
A worker whose parent dies (SIGKILL) gets SIGTERM from the kernel, so no orphan keeps serving.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import socket
import time
from multiprocessing.process import BaseProcess

from server.core.settings import Settings

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


def run_worker(settings: Settings, sock: socket.socket) -> None:
    """One worker process: the app and uvicorn on the socket the parent bound."""
    import uvicorn

    from server.app import create_app
    from server.ops.serving import uvicorn_config

    _die_with_parent()
    config = uvicorn_config(create_app(settings), settings)
    uvicorn.Server(config).run(sockets=[sock])


class Supervisor:
    def __init__(self, settings: Settings, workers: int, sock: socket.socket):
        self.settings, self.count, self.sock = settings, workers, sock
        self.context = multiprocessing.get_context("spawn")
        self.processes: list[BaseProcess] = []
        self.started_at: dict[int, float] = {}
        self.quick_deaths = 0
        self.stopping = False

    def _start_one(self) -> BaseProcess:
        process = self.context.Process(target=run_worker, args=(self.settings, self.sock), name="akiya-worker")
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
    """Bind the port, run `workers` worker processes on it until SIGTERM/SIGINT; the exit status."""
    from server.ops.serving import uvicorn_config

    config = uvicorn_config(None, settings)  # the same backlog and logging the workers use
    sock = config.bind_socket()
    sock.set_inheritable(True)
    log.info("serving with %d worker processes on %s:%d (pid %d supervises)", workers, settings.host,
             settings.port, os.getpid())
    try:
        return Supervisor(settings, workers, sock).run()
    finally:
        sock.close()
