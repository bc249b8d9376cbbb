"""Every HTTP request: a request id, one log line, its count and latency by route template.

`observe(app)` wraps the app's whole ASGI handler (routing included, so a 404 for an unknown
path is seen too). The request id is made here, put in the scope (`scope["request_id"]`, which
server/http/web.py writes into every error body) and sent back as `X-Request-ID`: a carrier's
screenshot of an error leads to the log line.

The log line says what an operator needs and nothing a person would not want in a log: time,
request id, method, route *template* (`/api/v1/photos/{photo_id:str}`, never the raw path or the
query string), status, duration, user id. Never a header, a cookie, a body, a name or an address.
"""

from __future__ import annotations

import functools
import logging
import re
import secrets
import time

from server.observe.metrics import REQUEST_SECONDS, REQUESTS

log = logging.getLogger("akiya.access")

HEADER = b"x-request-id"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"
_PARAM_TYPE = re.compile(r"\{(\w+):[^}]+\}")  # the route label of a path no route serves (404)


def new_request_id() -> str:
    return secrets.token_hex(8)


def route_of(scope) -> str:
    """The route template the router matched (`/api/v1/photos/{photo_id}`), or UNMATCHED: never the raw path."""
    template = scope.get("path_template")
    return _without_types(template) if template else UNMATCHED


@functools.lru_cache(maxsize=512)  # one entry per route: the templates are the app's own
def _without_types(template: str) -> str:
    return _PARAM_TYPE.sub(r"{\1}", template)


def observe(handler):
    """The ASGI handler `handler` with a request id, an access log line and request metrics."""

    async def observed(scope, receive, send):
        if scope["type"] != "http":
            await handler(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = scope["request_id"] = new_request_id()
        status = 500  # if nothing is sent at all

        async def send_with_id(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (HEADER, request_id.encode())]
            await send(message)

        try:
            await handler(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            method = scope["method"] if scope["method"] in METHODS else "OTHER"
            route = route_of(scope)
            REQUESTS.labels(method, route, str(status)).inc()
            REQUEST_SECONDS.labels(method, route, str(status)).observe(seconds)
            user = scope.get("user")
            log.info("%s %s %d", method, route, status, extra={
                "request_id": request_id, "method": method, "route": route, "status": status,
                "duration_ms": round(seconds * 1000, 1), "user_id": getattr(user, "id", None)})

    return observed
