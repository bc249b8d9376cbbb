"""Requests from chosen client addresses: the test client always reports one fixed peer, so this
ASGI wrapper takes the peer from an `X-Test-Peer` header instead (tests only; the server never reads it)."""

from __future__ import annotations

from datetime import datetime, timedelta

from litestar import Litestar


class PeerFromHeader:
    def __init__(self, app: Litestar):
        self.app = app
        self.state = app.state

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == b"x-test-peer":
                    scope = {**scope, "client": (value.decode(), 50000)}
        await self.app(scope, receive, send)


def peer(address: str) -> dict[str, str]:
    return {"X-Test-Peer": address}


class FakeClock:
    """server.core.clock.now under the test's control: `clock.advance(seconds=31)`."""

    def __init__(self, start: datetime):
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta) -> None:
        self.moment += timedelta(**delta)
