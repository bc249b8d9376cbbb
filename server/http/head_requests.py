"""HEAD works wherever GET does (RFC 9110 §9.3.2): Litestar's `@get` answers HEAD with 405, and its
static files answer HEAD without a Content-Type. A HEAD request is therefore routed as the GET it
asks about, and only the body is left out, so both carry the same status and headers — unless a
handler is made for HEAD alone (a chunked upload's offset, server/photos/routes.py), which answers
it itself."""

from __future__ import annotations

from litestar import Litestar
from litestar.types import Message, Receive, Scope, Send
from litestar.utils import normalize_path


def _headers_only(send: Send) -> Send:
    finished = False

    async def send_headers(message: Message) -> None:
        nonlocal finished
        if message["type"] != "http.response.body":
            await send(message)
        elif not finished:  # the GET's body (and any further chunk of a stream) is dropped
            finished = True
            await send({"type": "http.response.body", "body": b"", "more_body": False})

    return send_headers


class HeadAsGet(Litestar):
    """The application, with HEAD answered as GET without the body."""

    def _has_own_head(self, path: str) -> bool:
        try:
            handler = self.asgi_router.handle_routing(path=normalize_path(path), method="HEAD")[1]
        except Exception:  # no route, or no HEAD on it: the GET answers
            return False
        # Ours (server/...) is made for HEAD; the static files' HEAD handler leaves out the Content-Type.
        return "GET" not in handler.http_methods and handler.fn.__module__.startswith("server.")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "HEAD" and not self._has_own_head(scope["path"]):
            scope = {**scope, "method": "GET"}  # type: ignore[assignment]
            send = _headers_only(send)
        await super().__call__(scope, receive, send)
