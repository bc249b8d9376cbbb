"""What every HTTP handler shares: the signed-in user, error rendering, documented error responses."""

from __future__ import annotations

import logging

from litestar import Request, Response
from litestar.datastructures import State
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from server.audit import Actor
from server.auth.tokens import user_for_token
from server.errors import AppError, ErrorBody, Unauthorized
from server.limits import capped
from server.users.queries import User

log = logging.getLogger("akiya")

_DESCRIPTIONS = {
    400: "入力が正しくありません (invalid request)",
    401: "ログインが必要です (not signed in or token expired)",
    403: "権限がありません (forbidden)",
    404: "見つかりません (not found, or not yours)",
    409: "既にある記録と食い違います (conflict)",
    413: "大きすぎます (too large)",
    415: "形式が違います (unsupported media type)",
    422: "内容を処理できません (unprocessable)",
    429: "試行が多すぎます (too many attempts)",
    503: "サーバーの準備ができていません (server not set up, e.g. no fonts for PDFs)",
}


def error_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the error responses a handler can give, all with the ErrorBody shape."""
    return {
        status: ResponseSpec(data_container=ErrorBody, description=_DESCRIPTIONS[status], generate_examples=False)
        for status in statuses
    }


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
    cookie (the pages' own forms carry CSRF tokens). A guard (server/guards.py) may have found the user already."""
    if (known := request.scope.get("user")) is not None:
        return known
    token = bearer_token(request)
    if token is None and request.method in ("GET", "HEAD"):
        token = request.cookies.get(SESSION_COOKIE)
    user = await user_from_token(state, token)
    if user is None:
        raise Unauthorized("unauthenticated", "ログインが必要です。もう一度ログインしてください。")
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


def _render(status: int, body: ErrorBody, headers: dict | None = None) -> Response:
    return Response(content=body, status_code=status, headers=headers, media_type="application/json")


def app_error_handler(request: Request, exc: AppError) -> Response:
    headers = dict(exc.headers) if exc.headers else None
    if exc.status == 429 and isinstance(exc.details, dict) and "retry_after" in exc.details:
        headers = {"Retry-After": str(exc.details["retry_after"])}
    return _render(exc.status, exc.body(), headers)


def validation_error_handler(request: Request, exc: ValidationException) -> Response:
    return _render(400, ErrorBody("invalid_request", "送られた内容の形式が正しくありません。アプリを更新してください。",
                                  capped(exc.extra) if isinstance(exc.extra, list)
                                  else exc.extra if isinstance(exc.extra, dict) else None))


def http_error_handler(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if isinstance(exc, NotAuthorizedException):
        return _render(401, ErrorBody("unauthenticated", "ログインが必要です。もう一度ログインしてください。"))
    if status == 404:
        return _render(404, ErrorBody("not_found", "ページまたは記録が見つかりません。"))
    if status == 405:
        return _render(405, ErrorBody("method_not_allowed", "この操作はできません。"), exc.headers)
    if status == 413:
        return _render(413, ErrorBody("too_large", "送られたデータが大きすぎます。"))
    if status >= 500:
        log.error("server error %s on %s %s: %s", status, request.method, request.url.path, exc.detail)
        return _render(status, ErrorBody("server_error", "サーバーで問題が起きました。しばらくしてからもう一度送ってください。"))
    return _render(status, ErrorBody("malformed_request",
                                     "送られた内容を読み取れません（形式が正しくありません）。アプリを更新してください。",
                                     str(exc.detail)))


def internal_error_handler(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return _render(HTTP_500_INTERNAL_SERVER_ERROR,
                   ErrorBody("server_error", "サーバーで問題が起きました。しばらくしてからもう一度送ってください。"))


EXCEPTION_HANDLERS = {
    AppError: app_error_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
    Exception: internal_error_handler,
}
