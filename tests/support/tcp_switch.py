"""A TCP pass-through on a free loopback port that a test can cut and restore: `cut()` closes every
connection through it and refuses new ones (as a server that went away), `restore()` passes them
again. Put in front of the machine's PostgreSQL, it takes the database away from one server
process for a moment without touching PostgreSQL itself (others use it)."""

from __future__ import annotations

import asyncio
import threading

from tests.support.live_server import HOST


class TcpSwitch:
    def __init__(self, upstream_host: str, upstream_port: int):
        self.upstream = (upstream_host, upstream_port)
        self.port = 0
        self.open = True
        self._loop = asyncio.new_event_loop()
        self._writers: set[asyncio.StreamWriter] = set()
        self._thread = threading.Thread(target=self._loop.run_forever, name="tcp-switch", daemon=True)

    def start(self) -> "TcpSwitch":
        self._thread.start()
        server = asyncio.run_coroutine_threadsafe(asyncio.start_server(self._handle, HOST, 0), self._loop).result(10)
        self._server = server
        self.port = server.sockets[0].getsockname()[1]
        return self

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.open:
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while chunk := await reader.read(65536):
                writer.write(chunk)
                await writer.drain()
        except OSError:
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    def _close_all(self) -> None:
        for writer in list(self._writers):
            writer.transport.abort()  # a reset, as when the server's machine goes away
        self._writers.clear()

    def cut(self) -> None:
        self.open = False
        self._loop.call_soon_threadsafe(self._close_all)

    def restore(self) -> None:
        self.open = True

    def stop(self) -> None:
        self.cut()
        self._loop.call_soon_threadsafe(self._server.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
