"""How errors are made and rendered: every error a client can get is an entry of the catalogue in
server/core/problems.py (stable `code`, HTTP status, a message a person can act on — carriers read these
on a phone — and what `details` carry). Rendered as {code, message, details}."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import msgspec


class ErrorBody(msgspec.Struct):
    """The JSON body of every error response. `code` is one of the codes in server/core/problems.py."""

    code: str
    message: str
    details: Any = None
    request_id: str | None = None  # the X-Request-ID of the response: finds the server's log line


class AppError(Exception):
    """An error response. Made by a catalogue entry (`raise problems.NAME(...)`), never by hand:
    tests/foundation/test_problems.py refuses a code written at a raise site."""

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


# One class per status, so a caller can catch e.g. every 400 (`except BadRequest`).
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


_BY_STATUS: dict[int, type[AppError]] = {cls.status: cls for cls in (
    BadRequest, Unauthorized, Forbidden, NotFound, Conflict, TooLarge, UnsupportedMedia, Unprocessable,
    TooManyRequests)}


@dataclass(frozen=True)
class Problem:
    """One entry of the catalogue.

    `message` is the Japanese text, a `str.format` template when it names {parameters};
    `variants` are other wordings of the same code (one code, one status), chosen by the first
    argument — an unknown variant falls back to `message`; `details` says what `details` carry."""

    code: str
    status: int
    message: str
    details: str = ""
    variants: dict[str, str] = field(default_factory=dict)

    def __call__(self, variant: str | None = None, /, *, details: Any = None,
                 headers: dict[str, str] | None = None, **params: Any) -> AppError:
        template = self.variants.get(variant, self.message) if variant is not None else self.message
        return _BY_STATUS.get(self.status, AppError)(
            self.code, template.format(**params) if params else template, details, self.status, headers)

    def messages(self) -> list[str]:
        """Every wording, the default first (templates unfilled)."""
        return [m for m in (self.message, *self.variants.values()) if m]


class OpError(msgspec.Struct):
    """Why one op of a push was not applied (the push itself answers 200): `code` is one of the
    push-op codes in server/core/problems.py."""

    code: str
    message: str
    details: Any = None


class OpRejected(Exception):
    """A push op the server will not apply; its result gets `status` and `error`. Made only by a
    catalogue entry: `raise problems.NAME(...)`."""

    def __init__(self, code: str, message: str, details: Any = None, status: str = "rejected"):
        super().__init__(message)
        self.error = OpError(code, message, details)
        self.status = status


@dataclass(frozen=True)
class OpProblem(Problem):
    """One entry of the catalogue for a push op: `status` is the op's result status ("rejected" or
    "conflict") instead of an HTTP status."""

    status: str  # type: ignore[assignment]

    def __call__(self, variant: str | None = None, /, *, details: Any = None,  # type: ignore[override]
                 **params: Any) -> OpRejected:
        template = self.variants.get(variant, self.message) if variant is not None else self.message
        return OpRejected(self.code, template.format(**params) if params else template, details, self.status)

