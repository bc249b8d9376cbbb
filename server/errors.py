"""The error catalogue: every error a client can get has a stable `code` and a message a
person can act on (carriers read these on a phone). Rendered as {code, message, details}."""

from __future__ import annotations

from typing import Any

import msgspec


class ErrorBody(msgspec.Struct):
    """The JSON body of every error response."""

    code: str
    message: str
    details: Any = None


class AppError(Exception):
    status = 400

    def __init__(self, code: str, message: str, details: Any = None, status: int | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
        if status is not None:
            self.status = status

    def body(self) -> ErrorBody:
        return ErrorBody(self.code, self.message, self.details)


class BadRequest(AppError):
    status = 400


class Unauthorized(AppError):
    status = 401


class Forbidden(AppError):
    status = 403


class NotFound(AppError):
    status = 404


class Conflict(AppError):
    status = 409


class TooLarge(AppError):
    status = 413


class UnsupportedMedia(AppError):
    status = 415


class Unprocessable(AppError):
    status = 422


class TooManyRequests(AppError):
    status = 429


def not_found(what: str = "記録") -> NotFound:
    """The same answer for 'does not exist' and 'not yours': no one learns what they may not see."""
    return NotFound("not_found", f"{what}が見つかりません。番号を確かめてください。")
