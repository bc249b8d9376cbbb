"""A fault-injecting TCP proxy on loopback: each connection (one HTTP request, since the
devices send `Connection: close`) is passed through, dropped, cut half-way or delayed."""

from __future__ import annotations

import asyncio
import random
import threading
from collections import Counter

from tests.support.live_server import HOST

BAD_GATEWAY = b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


class ChaosProxy:
    """`fault_rate` of connections get a fault, split evenly between drop, cut and delay."""

    def __init__(self, upstream_port: int, fault_rate: float = 0.2, seed: int = 1, max_delay: float = 1.0):
        self.upstream_port = upstream_port
        self.fault_rate = fault_rate
        self.max_delay = max_delay
        self.rng = random.Random(seed)
        self.fates: Counter[str] = Counter()
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.base_events.Server | None = None
        self._thread: threading.Thread | None = None
        self._tasks: set[asyncio.Task] = set()

    def _fate(self) -> str:
        if self.rng.random() >= self.fault_rate:
            return "pass"
        return self.rng.choice(("drop", "cut", "delay"))

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        self._tasks.add(task)  # the event loop keeps only weak references to running handlers
        try:
            await asyncio.wait_for(self._serve(client_r, client_w), timeout=60)
        except asyncio.TimeoutError:
            self.fates["stuck"] += 1
        except asyncio.CancelledError:  # the proxy is stopping
            pass
        finally:
            self._tasks.discard(task)

    async def _serve(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        fate = self._fate()
        self.fates[fate] += 1
        try:
            if fate == "drop":  # the request is read (partly) and never reaches the server
                await asyncio.wait_for(client_r.read(4096), timeout=5)
                return
            if fate == "delay":
                await asyncio.sleep(self.rng.uniform(0.1, self.max_delay))
            try:
                up_r, up_w = await asyncio.open_connection(HOST, self.upstream_port)
            except OSError:  # the server is down (killed, restarting)
                self.fates["refused"] += 1
                client_w.write(BAD_GATEWAY)
                await client_w.drain()
                return
            try:
                forward = asyncio.create_task(self._pipe(client_r, up_w))
                if fate == "cut":  # the server does the work; the answer is lost half-way
                    response = await up_r.read(-1)
                    client_w.write(response[: len(response) // 2])
                    await client_w.drain()
                else:
                    await self._pipe(up_r, client_w)
                forward.cancel()
            finally:
                up_w.close()
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError):
            pass
        finally:
            client_w.close()

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while chunk := await reader.read(65536):
                writer.write(chunk)
                await writer.drain()
        except OSError:
            pass

    def start(self) -> "ChaosProxy":
        ready = threading.Event()

        def run():
            self._loop = asyncio.new_event_loop()

            async def serve():
                self._server = await asyncio.start_server(self._handle, HOST, 0)
                self.port = self._server.sockets[0].getsockname()[1]
                ready.set()
                async with self._server:
                    await self._server.serve_forever()

            try:
                self._loop.run_until_complete(serve())
            except asyncio.CancelledError:
                pass
            finally:
                self._loop.close()

        self._thread = threading.Thread(target=run, name="chaos-proxy", daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        if self._loop and self._server:
            self._loop.call_soon_threadsafe(lambda: [t.cancel() for t in asyncio.all_tasks(self._loop)])
        if self._thread:
            self._thread.join(10)
