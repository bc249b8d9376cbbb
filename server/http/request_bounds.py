"""Input that the framework would otherwise turn into a 500, refused at the door for every route.

- JSON nested deeper than the decoder's recursion limit (msgspec raises RecursionError) → 400.
- An integer path or query parameter outside SQLite's 64-bit range (sqlite3 raises OverflowError)
  → 404, since no record has such a number. Form fields that carry ids use `parse_id`.
- A control character (NUL...) in a JSON body, a form, or a query value → 400 naming the field; in
  a path parameter → 404 (server/core/control_chars.py; PostgreSQL would raise on NUL). A push checks
  each op on its own instead (route opt `text_checked_per_op`), so one op does not sink the batch.

Both run before authentication and before any handler code, so a new route is covered
without doing anything (guards call check_before_guard first)."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import ClientException, SerializationException

from server.core import problems
from server.core.control_chars import field_with_control_chars, has_control_chars, shown
from server.core.errors import AppError
from server.core.problems import not_found

ID_MIN, ID_MAX = -(2**63), 2**63 - 1  # SQLite INTEGER

def too_deep() -> AppError:
    return problems.TOO_DEEPLY_NESTED()


def control_character(field: str) -> AppError:
    return problems.CONTROL_CHARACTER(field=shown(field), details=[{"field": shown(field)}])


def refuse_control_chars(value: Any) -> None:
    field = field_with_control_chars(value)
    if field is not None:
        raise control_character(field)


class BoundedRequest(Request):
    """Litestar's request, with JSON nested too deeply refused as a client error, and control
    characters in a JSON body or a form refused naming the field."""

    def _checks_text(self) -> bool:
        return not self.route_handler.opt.get("text_checked_per_op")

    async def json(self) -> Any:
        try:
            value = await super().json()
        except RecursionError:
            raise too_deep() from None
        if self._checks_text():
            refuse_control_chars(value)
        return value

    async def form(self) -> Any:
        value = await super().form()
        refuse_control_chars(value)
        return value

    async def msgpack(self) -> Any:
        try:
            return await super().msgpack()
        except RecursionError:
            raise too_deep() from None


def in_id_range(value: int) -> bool:
    return ID_MIN <= value <= ID_MAX


def parse_id(text: str) -> int | None:
    """A record number typed into a form, or None when it is not one (or cannot exist)."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if in_id_range(value) else None


def _int_query_names(request: Request) -> list[str]:
    handler = request.route_handler
    names = _QUERY_INTS.get(handler)
    if names is None:
        names = []
        for name, field in handler.parsed_fn_signature.parameters.items():
            integer = (field.is_subclass_of(int) or field.has_inner_subclass_of(int)) and not (
                field.is_subclass_of(bool) or field.has_inner_subclass_of(bool))
            if name in request.path_params or not integer:
                continue
            alias = getattr(field.kwarg_definition, "query", None)
            names.append(alias or name)
        _QUERY_INTS[handler] = names
    return names


_QUERY_INTS: dict[Any, list[str]] = {}


async def bound_ids(request: Request) -> None:
    """before_request hook: 404 for an integer parameter no SQLite row can have, or an id with a
    control character; 400 for a query value with one."""
    if has_control_chars(request.url.path):  # an id or a file name (static files) holding one
        raise not_found()
    for value in request.path_params.values():
        if isinstance(value, int) and not in_id_range(value):
            raise not_found()
    for name, value in request.query_params.multi_items():
        if has_control_chars(name) or has_control_chars(value):
            raise control_character(name)
    for name in _int_query_names(request):
        for raw in request.query_params.getall(name, []):
            text = raw.strip().lstrip("+-")
            if text.isascii() and text.isdigit() and not in_id_range(int(raw)):
                raise not_found()


async def check_before_guard(request: Request) -> None:
    """What a request is refused for before anyone is asked who they are, run by the guards
    (server/http/guards.py), which come before Litestar's before_request hook and body parsing: the ids
    (bound_ids), and a JSON body that cannot be decoded (too deep, or not JSON: 400 as Litestar
    says it). The decoded body is kept on the request, so the handler does not decode it again."""
    await bound_ids(request)
    if "data" in request.route_handler.parsed_fn_signature.parameters and await request.body():
        try:
            await request.json()
        except SerializationException as exc:
            raise ClientException(str(exc)) from exc
