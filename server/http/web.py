"""What every HTTP handler shares: the signed-in user, error rendering, documented error responses."""

from __future__ import annotations

import logging

from litestar import Request, Response
from litestar.datastructures import State
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from server.core import problems
from server.core.audit import Actor
from server.auth.tokens import user_for_token
from server.core.errors import AppError, ErrorBody
from server.core.limits import capped
from server.users.queries import User

log = logging.getLogger("akiya")

_DESCRIPTIONS = {
    400: "入力が正しくありません (invalid request)",
    401: "ログインが必要です (not signed in or token expired)",
    403: "権限がありません (forbidden)",
    404: "見つかりません (not found, or not yours)",
    405: "この操作はできません (method not allowed)",
    409: "既にある記録と食い違います (conflict)",
    413: "大きすぎます (too large)",
    415: "形式が違います (unsupported media type)",
    422: "内容を処理できません (unprocessable)",
    429: "試行が多すぎます (too many attempts)",
    500: "サーバーで問題が起きました (server error)",
    503: "サーバーの準備ができていないか、写真の保存先に届きません (server not set up, e.g. no fonts for PDFs; object storage unreachable)",
}


def error_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the error responses a handler can give, all with the ErrorBody shape.
    Each lists the catalogue's codes of its status, as the description and as one example per code,
    so the document cannot drift from server/core/problems.py."""
    return {status: ResponseSpec(data_container=ErrorBody, description=error_description(status),
                                 generate_examples=False, examples=_examples(status))
            for status in statuses}


def error_description(status: int) -> str:
    return f"{_DESCRIPTIONS[status]} — code: {', '.join(p.code for p in problems.of_status(status))}"


def _examples(status: int) -> list[Example]:
    return [Example(id=p.code, summary=p.code, value={"code": p.code, "message": p.messages()[0], "details": None})
            for p in problems.of_status(status)]


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


SESSION_COOKIE = "akiya_session"


async def provide_user(request: Request, state: State) -> User:
    """The signed-in user, or 401 with a message saying to sign in again.

    The API takes a Bearer token. The office pages' session cookie (the same kind of token) is
    accepted only for GET/HEAD here — downloads — so no state-changing API call can ride on a
    cookie (the pages' own forms carry CSRF tokens). A guard (server/http/guards.py) may have found the user already."""
    if (known := request.scope.get("user")) is not None:
        return known
    token = bearer_token(request)
    if token is None and request.method in ("GET", "HEAD"):
        token = request.cookies.get(SESSION_COOKIE)
    user = await user_from_token(state, token)
    if user is None:
        raise problems.UNAUTHENTICATED()
    request.scope["user"] = user  # the access log line names the user (server/http/requests.py)
    return user


async def user_from_token(state: State, token: str | None) -> User | None:
    """The active user a live token (Bearer or session cookie) belongs to."""
    if not token:
        return None
    async with state.db.read() as conn:
        found = await user_for_token(conn, token)
    return found.user if found else None


def actor_for(request: Request, user: User | None) -> Actor:
    device = request.headers.get("x-device-id")
    return Actor(user.id if user else None, device[:100] if device else None,
                 request.client.host if request.client else None)


def _render(request: Request, status: int, body: ErrorBody, headers: dict | None = None) -> Response:
    body.request_id = request.scope.get("request_id")  # server/http/requests.py: also the X-Request-ID header
    return Response(content=body, status_code=status, headers=headers, media_type="application/json")


def app_error_handler(request: Request, exc: AppError) -> Response:
    headers = dict(exc.headers) if exc.headers else None
    if exc.status == 429 and isinstance(exc.details, dict) and "retry_after" in exc.details:
        headers = {"Retry-After": str(exc.details["retry_after"])}
    return _render(request, exc.status, exc.body(), headers)


def validation_error_handler(request: Request, exc: ValidationException) -> Response:
    return _render(request, 400, problems.INVALID_REQUEST(details=capped(exc.extra) if isinstance(exc.extra, list)
                                                 else exc.extra if isinstance(exc.extra, dict) else None).body())


def http_error_handler(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if isinstance(exc, NotAuthorizedException):
        return _render(request, 401, problems.UNAUTHENTICATED().body())
    if status == 404:
        return _render(request, 404, problems.NOT_FOUND("page").body())
    if status == 405:
        return _render(request, 405, problems.METHOD_NOT_ALLOWED().body(), exc.headers)
    if status == 413:
        return _render(request, 413, problems.TOO_LARGE().body())
    if status >= 500:
        log.error("server error %s on %s %s: %s", status, request.method, request.url.path, exc.detail)
        return _render(request, status, problems.SERVER_ERROR().body())
    return _render(request, status, problems.MALFORMED_REQUEST(details=str(exc.detail)).body())


def internal_error_handler(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path,
                  extra={"request_id": request.scope.get("request_id")})
    return _render(request, HTTP_500_INTERNAL_SERVER_ERROR, problems.SERVER_ERROR().body())


EXCEPTION_HANDLERS = {
    AppError: app_error_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
    Exception: internal_error_handler,
}
